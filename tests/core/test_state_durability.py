"""`serve --state DIR` as a process that is killed: every acknowledged write is kept, a failing DIR is told.

The kill loop runs the real server, writes through the control plane and VK ID's OAuth endpoints (with and
without the session header, as a vendor's server calls them), kills it with SIGKILL at a random moment and
checks after each restart that every write answered more than a second before the kill is still there.
"""

from __future__ import annotations

import random
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simulator.clock import MSK, Clock
from simulator.state import StateDirectory, StateError
from simulator.testing import Personas
from simulator.world import PersonEntry, World
from tests.support.sim_browser import Pkce, authorize_query, new_pkce

SESSION_HEADER = "X-Sim-Session"
OAUTH = "oauth"  # the session the vendor's users sign in to
DATA = ("s1", "s2")  # sessions written through the control plane
CLIENT_ID = "durable_journal"
REDIRECT_URI = "https://journal.example/vkid/callback"
CODE = "424242"  # every SMS code to the teacher: fixed, so a sign-in needs no outbox read
PROMISE = 1.0  # seconds within which an acknowledged write is on disk
KILLS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """`sferum-sim serve --state DIR` as a child process, restarted on the same port and DIR."""

    def __init__(self, directory: Path, *, file_size_limit: int | None = None) -> None:
        self.directory = directory
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.file_size_limit = file_size_limit
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "simulator", "serve", "--port", str(self.port), "--state", str(self.directory)]
        limit = self.file_size_limit

        def limit_files() -> None:  # a disk that is full for this process: every write past `limit` bytes fails
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit_files
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr()
            try:
                httpx.get(self.url + "/_sim/v1/health", timeout=1).raise_for_status()
                return
            except httpx.TransportError:
                time.sleep(0.05)  # waiting for the port to answer
        raise AssertionError("the simulator did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def stderr(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read().decode(errors="replace")

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    made: list[Server] = []
    yield made
    for server in made:
        server.close()


# -- what was written, and how to tell it is still there -------------------------------------------


@dataclass
class Write:
    kind: str
    acknowledged: float  # time.monotonic() when the answer arrived
    check: Any  # what identifies the write: an organisation id, a phone, a token pair …


@dataclass
class Pair:
    """A token pair a vendor holds, and what it did with it."""

    access: str
    refresh: str
    device_id: str
    code: str
    ended: bool = False  # logged out or refreshed: no further calls with it


@dataclass
class Ledger:
    durable: list[Write] = field(default_factory=list)  # answered more than PROMISE before a kill
    recent: int = 0  # answered within PROMISE of a kill: may be lost
    kills: int = 0


class Vendor:
    """The simulator's clients: the control plane, and a vendor's server and its user's browser on VK ID."""

    def __init__(self, server: Server, vkid_host: str, teacher_phone: str, rng: random.Random) -> None:
        self.control = httpx.Client(base_url=server.url + "/_sim/v1", timeout=20)
        self.vkid = httpx.Client(base_url=server.url, headers={"Host": vkid_host}, timeout=20)
        self.phone = teacher_phone
        self.rng = rng
        self.counter = 0

    def close(self) -> None:
        self.control.close()
        self.vkid.close()

    def _header(self) -> dict[str, str]:
        # A vendor's server may send the test-session key (the plugin's transports do) or not (a real one).
        return {SESSION_HEADER: OAUTH} if self.rng.random() < 0.5 else {}

    def sign_in(self, pkce: Pkce) -> dict[str, str]:
        """The user's way through VK ID's screens (a browser: it carries the session header)."""
        browser = {SESSION_HEADER: OAUTH}
        query = authorize_query(pkce, client_id=CLIENT_ID, redirect_uri=REDIRECT_URI, scope="vkid.personal_info")
        location = self.vkid.get("/authorize", params=query, headers=browser).headers["location"]
        forms = {
            "/auth": {"login": self.phone},
            "/auth/code": {"code": CODE},
            "/auth/profile": {"action": "continue"},
            "/auth/confirm": {},
        }
        for _ in range(len(forms) + 1):
            if location.startswith(REDIRECT_URI):
                return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
            assert location in forms, location
            location = self.vkid.post(location, data=forms[location], headers=browser).headers["location"]
        raise AssertionError(f"VK ID's screens did not end at the redirect back: {location}")

    def write(self, pairs: list[Pair]) -> Write:
        """One acknowledged write of a kind drawn at random."""
        self.counter += 1
        n = self.counter
        kind = self.rng.choice(["seed", "code", "exchange", "exchange", "logout", "refresh"])
        live = [pair for pair in pairs if not pair.ended]
        if kind in ("logout", "refresh") and not live:
            kind = "exchange"
        session = self.rng.choice(DATA)
        if kind == "seed":
            body = {"organisations": [{"id": 1000 + n, "name": f"Школа №{n}"}]}
            self.control.post(f"/sessions/{session}/seed", json=body).raise_for_status()
            return Write(kind, time.monotonic(), (session, 1000 + n))
        if kind == "code":
            phone = f"+7999{n:07d}"
            self.control.put(f"/sessions/{session}/codes/{phone}", json={"code": "1234"}).raise_for_status()
            return Write(kind, time.monotonic(), (session, phone))
        if kind == "exchange":
            pkce = new_pkce()
            back = self.sign_in(pkce)
            params = {
                "grant_type": "authorization_code",
                "code": back["code"],
                "code_verifier": pkce.verifier,
                "client_id": CLIENT_ID,
                "device_id": back["device_id"],
                "redirect_uri": REDIRECT_URI,
                "state": pkce.state,
            }
            answer = self.vkid.post("/oauth2/auth", data=params, headers=self._header())
            assert answer.status_code == 200, answer.text
            acknowledged = time.monotonic()
            tokens = answer.json()
            pair = Pair(tokens["access_token"], tokens["refresh_token"], back["device_id"], back["code"])
            pairs.append(pair)
            return Write(kind, acknowledged, pair)
        pair = self.rng.choice(live)
        pair.ended = True
        if kind == "logout":
            params = {"client_id": CLIENT_ID, "access_token": pair.access}
            answer = self.vkid.post("/oauth2/logout", data=params, headers=self._header())
            assert answer.status_code == 200, answer.text
            return Write(kind, time.monotonic(), pair)
        params = {
            "grant_type": "refresh_token",
            "refresh_token": pair.refresh,
            "client_id": CLIENT_ID,
            "device_id": pair.device_id,
        }
        answer = self.vkid.post("/oauth2/auth", data=params, headers=self._header())
        assert answer.status_code == 200, answer.text
        acknowledged = time.monotonic()
        tokens = answer.json()
        renewed = Pair(tokens["access_token"], tokens["refresh_token"], pair.device_id, pair.code)
        pairs.append(renewed)
        return Write(kind, acknowledged, (pair, renewed))

    # -- reading back, as a vendor and a test would; nothing here changes the world -------------

    def token_state(self, access: str) -> str:
        """live, revoked or unknown: what VK ID says of an access token, asked without a session header."""
        answer = self.vkid.post("/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": access})
        if answer.status_code == 200:
            return "live"
        assert answer.status_code == 401, answer.text
        return "revoked" if "revoked" in answer.json()["error_description"] else "unknown"

    def lost(self, write: Write, snapshots: dict[str, dict[str, Any]]) -> str | None:
        """Why `write` is not in the restarted server, or None when it is."""
        if write.kind == "seed":
            session, org_id = write.check
            ids = {o["id"] for o in snapshots[session]["organisations"]}
            return None if org_id in ids else f"organisation {org_id} of {session} is gone"
        if write.kind == "code":
            session, phone = write.check
            fixed = {f["to"] for f in snapshots[session]["codes"]["fixed"]}
            return None if phone in fixed else f"the code fixed for {phone} in {session} is gone"
        if write.kind == "exchange":
            pair = write.check
            codes = {c["code"]: c["used"] for c in snapshots[OAUTH]["oauth"]["codes"]}
            if not codes.get(pair.code):
                return "an exchanged authorization code is unused again (or gone)"
            state = self.token_state(pair.access)
            return None if state in ("live", "revoked") else "the tokens of an exchange are unknown"
        if write.kind == "logout":
            state = self.token_state(write.check.access)
            return None if state == "revoked" else f"a logged-out access token is {state}"
        old, renewed = write.check
        if (state := self.token_state(old.access)) != "revoked":
            return f"a refreshed (rotated) token pair is {state}"
        state = self.token_state(renewed.access)
        return None if state in ("live", "revoked") else "the tokens a refresh gave are unknown"


def _set_up(vendor: Vendor, teacher: PersonEntry) -> None:
    control = vendor.control
    for key in (OAUTH, *DATA):
        control.post("/sessions", json={"key": key, "seed": 5}).raise_for_status()
    control.post(f"/sessions/{OAUTH}/seed", json={"people": [teacher]}).raise_for_status()
    client = {"client_id": CLIENT_ID, "redirect_uris": [REDIRECT_URI], "service_name": "Журнал"}
    control.post(f"/sessions/{OAUTH}/clients", json=client).raise_for_status()
    control.patch(f"/sessions/{OAUTH}/settings", json={"phone_code_channel": "sms"}).raise_for_status()
    control.put(f"/sessions/{OAUTH}/codes/{vendor.phone}", json={"code": CODE}).raise_for_status()


def _wait_saved(path: Path, text: str) -> None:
    """Until `path` holds `text`: the saver has written what was asked of it."""
    deadline = time.monotonic() + 10
    while not (path.exists() and text in path.read_text()):
        assert time.monotonic() < deadline, f"{path} was not saved with {text!r}"
        time.sleep(0.05)


def _vkid_host(server: Server) -> str:
    origin: str = httpx.get(server.url + "/_sim/v1/health").json()["platforms"]["vkid"]
    return urlsplit(origin).netloc


@pytest.mark.slow  # serve in another process, killed
def test_writes_acknowledged_a_second_before_kill_9_survive_it(servers: list[Server], tmp_path: Path) -> None:
    rng = random.Random(20_24)
    server = Server(tmp_path / "state")
    servers.append(server)
    server.start()
    teacher = Personas(11).make("teacher")
    vendor = Vendor(server, _vkid_host(server), teacher.phone, rng)
    setup_done = False
    ledger = Ledger()
    problems: list[str] = []
    lost: set[int] = set()  # the writes found missing, by their place in the ledger
    checked_up_to = 0
    try:
        for life in range(KILLS + 1):
            if life:
                server.start()
                snapshots = {key: vendor.control.get(f"/sessions/{key}/snapshot").json() for key in (OAUTH, *DATA)}
                # The writes before the kill just made; at the end, every write of every life once more.
                checked = ledger.durable if life == KILLS else ledger.durable[checked_up_to:]
                checked_up_to = len(ledger.durable)
                for i, write in enumerate(checked, start=len(ledger.durable) - len(checked)):
                    if why := vendor.lost(write, snapshots):
                        problems.append(f"after kill {life}: {write.kind}: {why}")
                        lost.add(i)
            if life == KILLS:
                break
            if not setup_done:
                _set_up(vendor, teacher.entry(journal=None, vkid=True, profile=True))
                _wait_saved(server.directory / f"{OAUTH}.json", CODE)  # the set-up must not be what a kill loses
                setup_done = True
            pairs: list[Pair] = []  # this life's pairs: earlier ones may hold writes the kill lost
            writes: list[Write] = []
            kill_at = time.monotonic() + rng.uniform(1.15, 1.6)  # over PROMISE: some writes must be durable
            while time.monotonic() < kill_at:
                writes.append(vendor.write(pairs))
            killed = time.monotonic()
            server.kill()
            ledger.kills += 1
            old = [w for w in writes if w.acknowledged < killed - PROMISE]
            ledger.durable += old
            ledger.recent += len(writes) - len(old)
    finally:
        vendor.close()
    acknowledged = len(ledger.durable) + ledger.recent
    print(
        f"\nkill -9: {ledger.kills} kills, {acknowledged} acknowledged writes, {len(ledger.durable)} answered "
        f"over {PROMISE:g} s before a kill, {len(lost)} of them lost"
    )
    assert ledger.kills == KILLS and len(ledger.durable) >= 3 * KILLS  # the loop did write, and kill, as planned
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow  # serve in another process
def test_a_full_directory_is_told_by_health_and_by_a_failing_exit(servers: list[Server], tmp_path: Path) -> None:
    """Every save fails (the process may write no file past 1 byte): health says so, SIGTERM exits 1."""
    server = Server(tmp_path / "state", file_size_limit=1)
    servers.append(server)
    server.start()
    control = httpx.Client(base_url=server.url + "/_sim/v1", timeout=20)
    with control:
        control.post("/sessions", json={"key": "unsaved"}).raise_for_status()
        control.put("/sessions/unsaved/codes/+79990000001", json={"code": "1234"}).raise_for_status()
        deadline = time.monotonic() + 10
        while "unsaved" not in ((health := control.get("/health").json())["state"] or {}).get("unsaved", []):
            assert time.monotonic() < deadline, f"health never told of the failing saves: {health}"
            time.sleep(0.05)  # waiting for the saver's attempt
    assert health["status"] == "failing" and health["state"]["status"] == "failing"
    assert health["state"]["directory"] == str(server.directory)
    assert "unsaved" in health["state"]["unsaved"] and "File too large" in health["state"]["error"]
    assert not list(server.directory.glob("*.json"))
    assert server.stop() == 1
    stderr = server.stderr()
    assert "cannot save session unsaved" in stderr and "exiting with unsaved changes" in stderr


# -- in one process: the lock, and a running clock -------------------------------------------------


def test_removing_the_lock_file_lets_no_second_server_in(tmp_path: Path) -> None:
    first = StateDirectory(tmp_path, World())
    first.restore()
    try:
        (tmp_path / ".lock").unlink()
        with pytest.raises(StateError, match="in use by another sferum-sim"):
            StateDirectory(tmp_path, World()).restore()
    finally:
        first.close()
    second = StateDirectory(tmp_path, World())  # the first one gone, the directory is free again
    second.restore()
    second.close()


def test_a_running_clock_is_saved_once_not_every_time_it_is_read(tmp_path: Path) -> None:
    world = World(running_clock=True)
    world.create("idle")
    state = StateDirectory(tmp_path, world)
    state.restore()
    try:
        state.flush()
        saved = (tmp_path / "idle.json").read_bytes()
        before = world.get("idle").clock.now()
        state.changed("idle")
        assert world.get("idle").clock.now() > before  # the clock runs …
        assert state.pending() == []  # … and yet nothing is to be written again
        world.get("idle").clock.advance(60)
        state.changed("idle")
        assert [key for key, _ in state.pending()] == ["idle"]  # moving it is a change
    finally:
        state.close()
    assert saved  # the first save wrote the session


def test_a_restored_running_clock_has_gone_on_meanwhile() -> None:
    """Saved as its reading at a wall-clock instant: restored later, it has run for the time between."""
    base = datetime(2025, 3, 1, 12, 0, tzinfo=MSK)
    since = datetime.now(UTC) - timedelta(minutes=10)
    clock = Clock.resumed(base, since, running=True)
    assert base + timedelta(minutes=10) <= clock.now() < base + timedelta(minutes=11)
    frozen = Clock.resumed(base, since, running=False)
    assert frozen.now() == base
