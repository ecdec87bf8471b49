"""Classroom: trainees walking F06 over HTTP at a person's pace against one `sferum-sim classroom` process.

The classroom runs as the trainer runs it, in a process of its own (`python -m simulator classroom F06 --seats
N`). Each trainee here is what a browser is: a cookie jar, the seat's link opened once (its cookie then
reaches every platform's port), the task card open with its live stream, and F06 walked by submitting the
forms the pages hold, pausing between actions as a person reads and types. The code is read from the card,
as a trainee reads it. The trainer's room view is subscribed to its live stream meanwhile.

Figures: p50/p99 of every page (every request a trainee's browser sends, redirects included) and of every
push — from the start of the action that moved a seat on to the frame that shows it, on the seat's card and in
the room; errors (an unexpected status, a connection lost, a seat that did not finish); the server's RSS
after seating and at the end (and its peak); the machine's load beside them (bench/machine.py), BUSY if
others used the CPU.
"""

from __future__ import annotations

import asyncio
import html as markup
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import aiohttp

from bench.machine import Quietness

PACE = (2.0, 6.0)  # seconds a person takes between two actions: reading the screen, typing, finding the button
FLOW = "F06"
STEPS = 18  # the F06 scenario's «Когда»/«Тогда» steps: a seat that read them all finished


class WalkError(RuntimeError):
    """A page that did not hold what F06's next action needs."""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]
    buttons: list[tuple[str, str, str]]  # label, name, value


class Forms(HTMLParser):
    """The forms of a page with their hidden fields and submit buttons: what a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._button: list[str] | None = None  # name, value, text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(values.get("action", ""), values.get("method", "get").lower(), {}, [])
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and values.get("name"):
            if values.get("type") == "submit":
                self._form.buttons.append((values.get("value", ""), values["name"], values.get("value", "")))
            elif values.get("type") not in ("checkbox", "radio") or "checked" in values:
                self._form.fields.setdefault(values["name"], values.get("value", ""))
        elif self._form is not None and tag == "button" and values.get("type", "submit") == "submit":
            self._button = [values.get("name", ""), values.get("value", ""), ""]

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self._form is not None:
            name, value, text = self._button
            self._form.buttons.append((" ".join(text.split()), name, value))
            self._button = None
        elif tag == "form":
            self._form = None


def form_with(html: str, label: str) -> tuple[Form, dict[str, str]]:
    """The form whose submit button reads `label`, and the button's own name and value."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        for text, name, value in form.buttons:
            if text == label:
                return form, ({name: value} if name else {})
    raise WalkError(f"no form with the button «{label}»")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))] if ordered else 0.0


@dataclass
class Tally:
    pages: list[float] = field(default_factory=list)
    card_pushes: list[float] = field(default_factory=list)
    room_pushes: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    # seat → the start of each of its actions, in order: a pushed change is timed from the action before it
    actions: dict[int, list[float]] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def since_action(self, seat: int, arrived: float) -> float | None:
        started = [t for t in self.actions.get(seat, []) if t <= arrived]
        return arrived - started[-1] if started else None


@dataclass
class Trainee:
    seat: int
    link: str
    tally: Tally
    pace: tuple[float, float]
    rng: random.Random
    done: int = 0  # the card's last pushed count

    @property
    def origin(self) -> str:
        return self.link.split("/_class/")[0]

    async def think(self) -> None:
        low, high = self.pace
        if high > 0:
            await asyncio.sleep(self.rng.uniform(low, high))  # a person at the keyboard, not a wait on the server

    async def request(
        self, client: aiohttp.ClientSession, method: str, url: str, data: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """One request and the redirects after it, each timed as a page; the final page's URL and HTML."""
        for _ in range(10):
            started = time.perf_counter()
            try:
                async with client.request(method, url, data=data, allow_redirects=False) as response:
                    body = await response.text()
                    status, location = response.status, response.headers.get("Location")
            except aiohttp.ClientError:
                self.tally.error("connection")
                raise
            self.tally.pages.append(time.perf_counter() - started)
            if status in (301, 302, 303, 307) and location:
                url, method, data = urljoin(url, location), "GET", None
                continue
            if status >= 400:
                self.tally.error(f"status {status}")
            return url, body
        raise WalkError("too many redirects")

    async def submit(
        self, client: aiohttp.ClientSession, url: str, html: str, label: str, **typed: str
    ) -> tuple[str, str]:
        self.tally.actions.setdefault(self.seat, []).append(time.perf_counter())
        form, button = form_with(html, label)
        data = {**form.fields, **typed, **button}
        return await self.request(client, form.method.upper(), urljoin(url, form.action or url), data)

    async def open(self, client: aiohttp.ClientSession, url: str) -> tuple[str, str]:
        self.tally.actions.setdefault(self.seat, []).append(time.perf_counter())
        return await self.request(client, "GET", url)

    async def follow_card(self, client: aiohttp.ClientSession, ready: asyncio.Event) -> None:
        """The card's live stream: each frame's step count, and when it came."""
        async with client.get(self.origin + "/_class/events") as stream:
            ready.set()
            async for line in stream.content:
                if not line.startswith(b"data: "):
                    continue
                done = int(json.loads(line[6:])["done"])
                if done != self.done:
                    delay = self.tally.since_action(self.seat, time.perf_counter())
                    if delay is not None and done > self.done:
                        self.tally.card_pushes.append(delay)
                    self.done = done

    async def walk(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP address, as a browser keeps them
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=None)) as client:
            _, card = await self.open(client, self.link)
            ready = asyncio.Event()
            follower = asyncio.create_task(self.follow_card(client, ready))
            await ready.wait()
            try:
                await self._f06(client, card)
                for _ in range(50):  # the last frame may still be on its way
                    if self.done >= STEPS:
                        break
                    await asyncio.sleep(0.1)
                if self.done < STEPS:
                    self.tally.error("not finished")
            except (WalkError, aiohttp.ClientError) as error:
                self.tally.error(type(error).__name__)
            finally:
                follower.cancel()

    async def _f06(self, client: aiohttp.ClientSession, card: str) -> None:
        start = re.search(r'href="([^"]+)"[^>]*data-testid="start"', card)
        login = re.search(r'data-testid="persona-login"[^>]*>([^<]+)<', card)
        password = re.search(r'data-testid="persona-password"[^>]*>([^<]+)<', card)
        phone = re.search(r'data-testid="persona-phone"[^>]*>([^<]+)<', card)
        if not (start and login and password and phone):
            raise WalkError("the card lacks the start link or the person's data")
        await self.think()
        url, page = await self.open(client, start[1])
        await self.think()
        typed = {"login": markup.unescape(login[1]), "password": markup.unescape(password[1])}
        url, page = await self.submit(client, url, page, "Войти", **typed)
        await self.think()
        mes = url
        url, page = await self.open(client, urljoin(mes, "/sferum"))
        await self.think()
        url, page = await self.submit(client, url, page, "Перейти к подключению")
        await self.think()
        url, page = await self.submit(client, url, page, "Продолжить", login=re.sub(r"[^\d+]", "", phone[1]))
        _, fresh = await self.request(client, "GET", self.origin + "/_class/card")  # the trainee looks at the card
        call = re.search(r"Входящий звонок с номера ([^<]+)<", fresh)
        if call is None:
            raise WalkError("no call on the card")
        await self.think()
        url, page = await self.submit(client, url, page, "Продолжить", code=re.sub(r"\D", "", call[1])[-4:])
        await self.think()
        url, page = await self.submit(client, url, page, "Продолжить в учебном профиле")
        await self.think()
        url, page = await self.submit(client, url, page, "Продолжить")
        await self.think()
        url, page = await self.submit(client, url, page, "Привязать")
        await self.think()
        await self.open(client, urljoin(mes, "/sferum"))


async def follow_room(url: str, token: str, tally: Tally, ready: asyncio.Event) -> None:
    """The trainer's room view: every frame's step counts; a changed count is a push, timed from its action."""
    last: dict[int, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as client,
        client.get(url + "events", headers=headers) as stream,
    ):
        ready.set()
        async for line in stream.content:
            if not line.startswith(b"data: "):
                continue
            arrived = time.perf_counter()
            for tile in json.loads(line[6:])["seats"]:
                seat, done = int(tile["seat"]), int(tile["done"])
                if done > last.get(seat, 0):
                    delay = tally.since_action(seat, arrived)
                    if delay is not None:
                        tally.room_pushes.append(delay)
                last[seat] = done


def _memory(pid: int) -> dict[str, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def _started(server: subprocess.Popen[str]) -> tuple[str, list[tuple[int, str]]]:
    """The room view's URL and the seats' links, as the command prints them."""
    assert server.stdout is not None
    room, links, in_links = "", [], False
    for line in _lines(server):
        if line.startswith("Вид класса для тренера:"):
            room = line.split(": ", 1)[1].strip()
        elif line.startswith("Ссылки мест:"):
            in_links = True
        elif in_links and (found := re.match(r"\s*(\d+)\. .* (http://\S+)$", line)):
            links.append((int(found[1]), found[2]))
        elif line.startswith("Ctrl+C"):
            return room, links
    raise RuntimeError(
        "sferum-sim classroom ended before its seats were ready: " + (server.stderr.read() if server.stderr else "")
    )


def _lines(server: subprocess.Popen[str]) -> Iterator[str]:
    assert server.stdout is not None
    yield from server.stdout


async def _lesson(room: str, token: str, links: list[tuple[int, str]], pace: tuple[float, float], seed: int) -> Tally:
    tally = Tally()
    ready = asyncio.Event()
    watcher = asyncio.create_task(follow_room(room, token, tally, ready))
    await asyncio.wait_for(ready.wait(), 30)
    rng = random.Random(seed)
    trainees = [Trainee(seat, link, tally, pace, random.Random(rng.random())) for seat, link in links]
    await asyncio.gather(*(t.walk() for t in trainees))
    await asyncio.sleep(0.2)  # the room's last frame (it coalesces changes for 50 ms)
    watcher.cancel()
    return tally


def bench_classroom(seats: int = 30, pace: tuple[float, float] = PACE, seed: int = 1) -> dict[str, Any]:
    """`seats` trainees walking F06 at `pace` through one classroom process, the room view subscribed."""
    token = secrets.token_urlsafe(18)
    command = [sys.executable, "-m", "simulator", "classroom", FLOW, "--seats", str(seats), "--port", "0"]
    command += ["--address", "127.0.0.1", "--host", "127.0.0.1", "--admin-token", token]
    root = Path(__file__).parent.parent
    server = subprocess.Popen(
        command,
        cwd=root,  # F06 is looked up in features/
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        seating = time.perf_counter()
        room, links = _started(server)
        seated = time.perf_counter() - seating
        after_seating = _memory(server.pid)
        with Quietness(watch=[os.getpid(), server.pid]) as machine:
            started = time.perf_counter()
            # A thread of its own: the caller's thread may have a loop running already (Playwright's sync API does).
            with ThreadPoolExecutor(1) as apart:
                tally = apart.submit(asyncio.run, _lesson(room, token, links, pace, seed)).result()
            elapsed = time.perf_counter() - started
        at_end = _memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)  # what the command ends a lesson on besides Ctrl+C
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    pushes = tally.card_pushes + tally.room_pushes
    return {
        "seats": len(links),
        "pace_s": list(pace),
        "seating_s": round(seated, 1),
        "lesson_s": round(elapsed, 1),
        "pages": len(tally.pages),
        "page_p50_ms": ms(statistics.median(tally.pages)) if tally.pages else 0.0,
        "page_p99_ms": ms(p(tally.pages, 0.99)),
        "page_max_ms": ms(max(tally.pages, default=0.0)),
        "card_pushes": len(tally.card_pushes),
        "room_pushes": len(tally.room_pushes),
        "push_p50_ms": ms(statistics.median(pushes)) if pushes else 0.0,
        "push_p99_ms": ms(p(pushes, 0.99)),
        "card_push_p99_ms": ms(p(tally.card_pushes, 0.99)),
        "room_push_p99_ms": ms(p(tally.room_pushes, 0.99)),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "server_rss_seated_mib": round(after_seating["VmRSS"], 1),
        "server_rss_end_mib": round(at_end["VmRSS"], 1),
        "server_rss_peak_mib": round(at_end["VmHWM"], 1),
        "machine": machine.as_dict(),
    }
