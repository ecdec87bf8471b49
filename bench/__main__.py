"""Benchmarks of the simulator: `python -m bench` (or `make bench`). Loopback only, bounded loops.

- flow:    complete VK ID sign-ins (authorize → phone → code → profile → token → user_info) over HTTP
- seed:    seeding sessions with a school of people, and the memory a session costs
- grow:    one shared session seeded with 10 000 people, 100 at a time
- outbox:  latency of the server-side wait, from a code being sent to the waiting client's answer
- browse:  many page views in one long-lived session, each a new browser; the process's RSS before and after
- load:    200 concurrent users over 20 sessions against a `serve` process for 60 s: req/s, p50/p99, errors, RSS

`python -m bench runners` instead compares the harness with a raw Playwright script and playwright-bdd
on the same flow (bench/runners/); `python -m bench suite` times the BDD suite as `make test` runs it;
`python -m bench startup` shows where a run's start goes and pairs one and ten scenarios with the raw
script (bench/startup.py); `python -m bench load` runs the load part alone, `python -m bench classroom` a lesson of 30 trainees
(bench/classroom.py). Every figure is printed with the machine's load beside it, and marked BUSY when other work ran on the machine (bench/machine.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import socket
import statistics
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from aiohttp import web

from bench.classroom import bench_classroom
from bench.load import bench_load
from bench.machine import Quietness
from bench.runners import bench_runners
from bench.startup import bench_startup, render
from bench.suite import bench_suite
from simulator import SimulatorServer, World
from simulator.app import create_app
from simulator.hosts import Hosts
from simulator.testing import Personas, Simulator
from simulator.world import Channel, apply_seed, outbox
from simulator.world.oauth import s256
from simulator.world.session import Limits

CLIENT_ID, REDIRECT_URI = "bench", "http://rp.localhost/cb"


def sign_in(url: str, key: str, phone: str, control: Simulator) -> float:
    """One full sign-in as a browser and a relying party would make it; returns its seconds."""
    started = time.perf_counter()
    verifier = "v" * 64
    headers = {"Host": "id.localhost", "X-Sim-Session": key}
    with httpx.Client(base_url=url, headers=headers) as browser:
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "state": "s" * 32,
            "code_challenge": s256(verifier),
            "code_challenge_method": "s256",
            "scope": "phone",
        }
        browser.get("/authorize", params=params)
        browser.post("/auth", data={"login": phone})
        session = control.http.get(f"/sessions/{key}/outbox", params={"to": phone}).json()["messages"]
        browser.post("/auth/code", data={"code": session[-1]["code"]})
        browser.post("/auth/profile", data={"action": "continue"})
        back = httpx.URL(browser.post("/auth/confirm").headers["location"])
    with httpx.Client(base_url=url, headers={"Host": "id.localhost"}) as server:
        token = server.post(
            "/oauth2/auth",
            data={
                "grant_type": "authorization_code",
                "code": back.params["code"],
                "code_verifier": verifier,
                "client_id": CLIENT_ID,
                "device_id": back.params["device_id"],
                "redirect_uri": REDIRECT_URI,
            },
        ).json()
        server.post(
            "/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": token["access_token"]}
        ).raise_for_status()
    return time.perf_counter() - started


def bench_flow(n: int) -> dict[str, Any]:
    with SimulatorServer() as server:
        control = Simulator(server.url)
        session = control.new_session(seed=1)
        session.register_client(CLIENT_ID, [REDIRECT_URI], "Бенчмарк")
        personas = Personas(7)
        people = [personas.make("teacher", key=f"t{i}") for i in range(n)]
        session.seed({"people": [p.entry(journal=None, vkid=True, profile=True) for p in people]})
        times = [sign_in(server.url, session.key, p.phone, control) for p in people]
    return {
        "sign_ins": n,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 2),
        "per_second": round(n / sum(times), 1),
    }


def bench_seed(sessions: int, people: int) -> dict[str, Any]:
    personas = Personas(3)
    doc = {
        "organisations": [{"id": 1, "name": "Школа", "classes": ["10А"]}],
        "people": [
            p.entry(org=1, school_class="10А", vkid=True, profile=True)
            for p in (personas.make("student", key=f"p{i}") for i in range(people))
        ],
    }
    world = World()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    started = time.perf_counter()
    for i in range(sessions):
        apply_seed(world.create(f"bench-{i}", seed=i), doc)
    elapsed = time.perf_counter() - started
    size = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    return {
        "sessions": sessions,
        "people_each": people,
        "seed_ms_per_session": round(elapsed / sessions * 1000, 3),
        "kib_per_session": round(size / sessions / 1024, 1),
    }


def bench_grow(people: int, batch: int = 100) -> dict[str, Any]:
    """One shared session grown `batch` people at a time, as many CI jobs seeding one session would."""
    personas = Personas(4)
    entries = [
        p.entry(org=1, school_class="10А", vkid=True, profile=True)
        for p in (personas.make("student", key=f"g{i}") for i in range(people))
    ]
    session = World().create("grow", seed=1)
    apply_seed(session, {"organisations": [{"id": 1, "name": "Школа", "classes": ["10А"]}]})
    started = time.perf_counter()
    for first in range(0, people, batch):
        apply_seed(session, {"people": entries[first : first + batch]})
    elapsed = time.perf_counter() - started
    return {"people": people, "batch": batch, "seconds": round(elapsed, 2)}


def bench_outbox(n: int) -> dict[str, Any]:
    latencies = []
    with SimulatorServer() as server:
        control = Simulator(server.url)
        session = control.new_session()
        world_session = server.world.get(session.key)
        for i in range(n):
            phone = f"+7999000{i:04d}"
            sent: list[float] = []

            def send(to: str = phone, sent: list[float] = sent) -> None:
                sent.append(time.perf_counter())
                server.call(outbox.send_code, world_session, Channel.SMS, to)

            threading.Timer(0.02, send).start()  # while the request below is already waiting
            session.wait_message(to=phone, timeout=5)
            latencies.append(time.perf_counter() - sent[0])
    return {
        "waits": n,
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
    }


def rss_mib() -> float:
    """The process's resident memory now (Linux), else its peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_browse(views: int, limits: Limits | None = None, concurrency: int = 8) -> dict[str, Any]:
    """`views` cookie-less page views of VK Messenger's start page in one session, over loopback HTTP."""
    return asyncio.run(_browse(views, limits or Limits(), concurrency))


async def _browse(views: int, limits: Limits, concurrency: int) -> dict[str, Any]:
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    world = World(limits=limits)
    session = world.create("browse")
    runner = web.AppRunner(create_app(world, Hosts(port=port)), access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    headers = {"Host": "messenger.localhost", "X-Sim-Session": session.key}
    left = iter(range(views))
    # Each view is a new browser: no cookie jar, so every one leaves server-side state behind.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:

        async def browse() -> None:
            for _ in left:
                async with client.get(f"http://127.0.0.1:{port}/", headers=headers, allow_redirects=False) as page:
                    await page.read()

        await browse_once(client, port, headers)
        before = rss_mib()
        started = time.perf_counter()
        await asyncio.gather(*(browse() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        after = rss_mib()
    await runner.cleanup()
    return {
        "views": views,
        "per_second": round(views / elapsed),
        "rss_before_mib": round(before, 1),
        "rss_after_mib": round(after, 1),
        "browsers_kept": len(session.web),
        "events_kept": len(session.events),
        "last_event_id": session.last_event_id,
    }


async def browse_once(client: aiohttp.ClientSession, port: int, headers: dict[str, str]) -> None:
    """One view first, so imports, templates and caches are in memory before the measurement."""
    async with client.get(f"http://127.0.0.1:{port}/", headers=headers, allow_redirects=False) as page:
        await page.read()


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "part",
        nargs="?",
        default="simulator",
        choices=("simulator", "runners", "suite", "startup", "load", "classroom"),
        help="what to measure",
    )
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of runners, suite and startup (default 3)")
    parser.add_argument("--root", default=None, help="startup: the checkout whose harness is measured (to compare two)")
    parser.add_argument("--no-targets", action="store_true", help="startup: the breakdown only, not the paired runs")
    parser.add_argument(
        "--variants",
        default=None,
        help="suite: the variants to run, comma-separated (default all; the first is the one the others are over)",
    )
    parser.add_argument("--quiet-only", action="store_true", help="exit 3 and write nothing when the machine was busy")
    parser.add_argument("--out", default=None, help="where the JSON goes (default: reports/bench[-PART].json)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rounds = args.rounds or (3 if scale == 1 else 1)
    results: dict[str, Any]
    # The whole measurement: its own processes, and what else ran beside them (load and startup watch their own).
    own_figures = args.part in ("load", "startup")
    with contextlib.nullcontext(None) if own_figures else Quietness() as machine:
        if args.part == "runners":
            results = {"runners": bench_runners(scenarios=20 // scale, rounds=rounds)}
        elif args.part == "suite":
            results = {
                "suite": bench_suite(rounds=rounds, variants=args.variants.split(",") if args.variants else None)
            }
        elif args.part == "startup":
            root = Path(args.root).resolve() if args.root else Path(__file__).parent.parent
            results = {"startup": bench_startup(rounds=rounds, root=root, targets=not args.no_targets)}
            print(render(results["startup"]))
        elif args.part == "classroom":  # 30 trainees walking F06 at a person's pace, the room view subscribed
            results = {"classroom": bench_classroom(seats=30 // scale, pace=(2.0, 6.0) if scale == 1 else (0.0, 0.5))}
        elif args.part == "load":
            results = {"load": bench_load(seconds=60 / scale)}
        else:
            results = {
                "flow": bench_flow(200 // scale),
                "seed": bench_seed(200 // scale, 30),
                "grow": bench_grow(10_000 // scale),
                "outbox": bench_outbox(50 // scale),
                "browse": bench_browse(100_000 // scale),
                "load": bench_load(seconds=60 / scale),
            }
    busy = _busy(results)
    if machine is not None:
        results["machine"] = machine.as_dict()
        busy = busy or machine.busy
    for name, result in results.items():
        if name != "startup":
            print(f"{name:<7} " + "  ".join(f"{k}={v}" for k, v in result.items()))
    if busy:
        print("BUSY: other work ran on the machine during the measurement; these are not quiet-machine figures")
        if args.quiet_only:
            return 3
    out = Path(args.out or ("reports/bench.json" if args.part == "simulator" else f"reports/bench-{args.part}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written to {out}")
    return 0


def _busy(results: Any) -> bool:
    """Whether any part's machine record says it was busy."""
    if isinstance(results, dict):
        if results.get("busy") is True and "cpus" in results:
            return True
        return any(_busy(value) for value in results.values())
    return False


if __name__ == "__main__":
    sys.exit(main())
