"""Load: many concurrent users of one `sferum-sim serve` process, as several CI jobs sharing it would be.

The simulator runs in a process of its own (as it does beside a team's tests); this process plays
`users` clients spread over `jobs` sessions, each looping a mix of what a scenario sends: a journal
login and cabinet, a VK ID screen, a token exchange, a control-plane read and an outbox wait. req/s and
p99 come with the machine's load average and the CPU others used meanwhile (bench/machine.py): a figure
taken on a busy machine is flagged BUSY, and `--quiet-only` refuses it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bench.machine import Quietness
from simulator.testing import Persona, Personas

CONTROL = "/_sim/v1"
# Statuses each request of the mix is expected to answer; anything else counts as an error.
EXPECTED = {
    "control": {200},
    "login": {303},
    "cabinet": {200},
    "connect": {303},  # МЭШ «Перейти к подключению»: off to VK ID's /authorize
    "authorize": {303},
    "vkid": {200},
    "token": {400, 401},  # a code nobody issued: VK ID's JSON refusal, not a crash
    "wait": {408},  # nothing is sent in a load run: the wait times out as told
}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.append(seconds)
        if status not in EXPECTED[kind]:
            key = f"{kind}:{status}"
            self.errors[key] = self.errors.get(key, 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _wait_ready(client: aiohttp.ClientSession, url: str) -> None:
    for _ in range(200):
        try:
            async with client.get(f"{url}{CONTROL}/health") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)  # the server process is starting; nothing else to wait on
    raise RuntimeError("the simulator did not start")


async def _prepare(client: aiohttp.ClientSession, url: str, jobs: int, users: int) -> list[tuple[str, Persona]]:
    """One session per CI job, one МЭШ teacher per user: (session key, teacher) for each user."""
    personas = Personas(11)
    teachers = [personas.make("teacher", key=f"t{i}") for i in range(users)]
    keys = []
    for job in range(jobs):
        async with client.post(f"{url}{CONTROL}/sessions", json={"key": f"job-{job}"}) as response:
            keys.append((await response.json())["key"])
    for job, key in enumerate(keys):
        people = [t.entry(vkid=True, profile=True) for i, t in enumerate(teachers) if i % jobs == job]
        async with client.post(f"{url}{CONTROL}/sessions/{key}/seed", json={"people": people}) as response:
            assert response.ok, await response.text()
    return [(keys[i % jobs], teachers[i]) for i in range(users)]


async def _user(url: str, key: str, teacher: Persona, until: float, tally: Tally) -> None:
    # The cookies of every platform land in one jar under 127.0.0.1: their names differ, so they do not clash.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(headers={"X-Sim-Session": key}, cookie_jar=jar) as client:

        async def call(kind: str, method: str, path: str, host: str | None = None, **kwargs: Any) -> str:
            """Tally the request's status; the redirect's target (path and query), if any."""
            headers = {"Host": host} if host else {}
            started = time.perf_counter()
            location = ""
            try:
                async with client.request(method, url + path, headers=headers, allow_redirects=False, **kwargs) as r:
                    await r.read()
                    status, location = r.status, r.headers.get("Location", "")
            except aiohttp.ClientError:
                status = 0
            tally.note(kind, status, time.perf_counter() - started)
            target = urlsplit(location)
            return target.path + (f"?{target.query}" if target.query else "")

        sign_in = {"login": teacher.login, "password": teacher.password}
        while time.perf_counter() < until:
            await call("login", "POST", "/", "mes.localhost", data=sign_in)
            await call("cabinet", "GET", "/cabinet", "mes.localhost")
            authorize = await call("connect", "POST", "/sferum/connect", "mes.localhost")
            await call("authorize", "GET", authorize or "/authorize", "id.localhost")
            await call("vkid", "GET", "/auth", "id.localhost")
            await call("token", "POST", "/oauth2/auth", "id.localhost", data={"grant_type": "authorization_code"})
            await call("control", "GET", f"{CONTROL}/sessions/{key}/outbox")
            wait = {"to": "+70000000000", "timeout": "0.05"}
            await call("wait", "GET", f"{CONTROL}/sessions/{key}/outbox/wait", params=wait)


async def _load(url: str, jobs: int, users: int, seconds: float, pid: int) -> dict[str, Any]:
    async with aiohttp.ClientSession() as client:
        await _wait_ready(client, url)
        assignments = await _prepare(client, url, jobs, users)
    tally = Tally()
    before = _rss_mib(pid)
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_user(url, key, teacher, until, tally) for key, teacher in assignments))
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    return {
        "users": users,
        "jobs": jobs,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "server_rss_before_mib": round(before, 1),
        "server_rss_after_mib": round(_rss_mib(pid), 1),
    }


def bench_load(users: int = 200, jobs: int = 20, seconds: float = 60) -> dict[str, Any]:
    """`users` concurrent clients over `jobs` sessions for `seconds` against a `serve` process."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        # This process and the server's CPU is the measurement's; any other is the machine being busy.
        with Quietness() as machine:
            result = asyncio.run(_load(f"http://127.0.0.1:{port}", jobs, users, seconds, server.pid))
        return {**result, "machine": machine.as_dict()}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
