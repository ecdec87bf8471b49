"""`serve --state DIR`: sessions survive a restart, saves are atomic under kill -9, a newer DIR is refused."""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator.state import StateDirectory, StateError
from simulator.testing import Personas
from simulator.world import World, apply_seed, chats, outbox
from simulator.world.files import message_file
from simulator.world.snapshot import SCHEMA_VERSION, dump

WRITER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from simulator.state import write_atomically
    directory = Path(sys.argv[1])
    version = 0
    while True:
        version += 1
        for name in ("a", "b", "c"):
            doc = {"name": name, "version": version, "payload": [version] * 200_000}
            write_atomically(directory / f"{name}.json", json.dumps(doc).encode())
        if version == 1:
            print("written", flush=True)
    """
)


@pytest.mark.slow  # a writer process, killed
def test_a_writer_killed_mid_save_leaves_each_file_whole(tmp_path: Path) -> None:
    """SIGKILL at random moments: every file parses and is exactly one of the versions written."""
    rng = random.Random(7)
    for _ in range(6):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE)
        assert writer.stdout is not None and writer.stdout.readline() == b"written\n"  # every file exists once
        time.sleep(rng.uniform(0.0, 0.5))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for path in tmp_path.glob("*.json"):
            doc = json.loads(path.read_bytes())
            version = doc["version"]
            assert doc == {"name": path.stem, "version": version, "payload": [version] * 200_000}
    assert {p.name for p in tmp_path.glob("*.json")} == {"a.json", "b.json", "c.json"}


def test_a_directory_keeps_sessions_and_forgets_deleted_ones(tmp_path: Path) -> None:
    world = World()
    outbox.fix_code(world.create("kept"), "+79990000000", "1234")
    world.create("gone")
    state = StateDirectory(tmp_path, world)
    assert state.restore() == []
    state.flush()
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["default.json", "gone.json", "kept.json"]
    world.delete("gone")
    state.changed("gone")
    state.flush()
    state.close()
    (tmp_path / "kept.json.abcd.tmp").write_text("{")  # a save a crash cut short

    again = World()
    state = StateDirectory(tmp_path, again)
    assert state.restore() == ["default", "kept"]
    assert again.get("kept").codes.fixed == {("+79990000000", 4): "1234"}
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(StateError, match="in use by another sferum-sim"):
        StateDirectory(tmp_path, World()).restore()
    state.close()


def test_a_directory_keeps_chats_made_by_hand_files_and_calls(tmp_path: Path) -> None:
    world = World()
    session = world.create("chats", seed=2)
    apply_seed(session, {"organisations": [{"id": 1, "name": "Школа №1", "classes": ["5А"]}]})
    personas = Personas(3)
    people = [personas.make(role) for role in ("teacher", "student")]
    entries = [p.entry(org=1, school_class="5А", vkid=True, profile=True, linked="vkid") for p in people]
    created = apply_seed(session, {"people": entries})["people"]
    teacher, student = (session.profiles[created[p.key]["profile_id"]] for p in people)
    chat = chats.create_group_chat(session, teacher, 1, "Кружок")
    chats.add_chat_members(session, chat, teacher, [student.id])
    chats.post_message(session, chat, student, "Вот схема", message_file("схема.pdf", "application/pdf", b"%PDF-1.4"))
    chats.join_call(session, chats.start_call(session, chat, teacher), student)
    state = StateDirectory(tmp_path, world)
    state.restore()
    state.changed("chats")
    state.flush()
    state.close()

    again = World()
    state = StateDirectory(tmp_path, again)
    assert "chats" in state.restore()
    assert dump(again.get("chats")) == dump(session)
    state.close()


def test_a_directory_written_by_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1, "key": "default"})
    (tmp_path / "default.json").write_text(newer)
    world = World()
    with pytest.raises(StateError, match="newer sferum-sim"):
        StateDirectory(tmp_path, world).restore()
    assert (tmp_path / "default.json").read_text() == newer
    (tmp_path / "default.json").write_text("{not json")
    with pytest.raises(StateError, match="not a readable snapshot"):
        StateDirectory(tmp_path, World()).restore()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[list[subprocess.Popen[bytes]], str, Path]]:
    """Starts `sferum-sim serve --state DIR` on one port; each call a new process on the same DIR."""
    port = _free_port()
    processes: list[subprocess.Popen[bytes]] = []
    yield processes, f"http://127.0.0.1:{port}/_sim/v1", tmp_path / "state"
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _start(processes: list[subprocess.Popen[bytes]], url: str, directory: Path) -> subprocess.Popen[bytes]:
    port = url.split(":")[2].split("/")[0]
    command = [sys.executable, "-m", "simulator", "serve", "--port", port, "--state", str(directory)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    processes.append(process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process
        try:
            httpx.get(url + "/health", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not start")


def _fixed_codes(path: Path) -> list[object]:
    """The fixed codes a saved session holds, or none while it is not saved."""
    if not path.exists():
        return []
    fixed: list[object] = json.loads(path.read_text())["codes"]["fixed"]
    return fixed


def _without_clock(doc: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k != "clock"}  # a running clock moves between two reads


@pytest.mark.slow  # serve in another process
def test_serve_restores_sessions_saved_on_change_and_on_exit(
    serve: tuple[list[subprocess.Popen[bytes]], str, Path],
) -> None:
    processes, url, directory = serve
    first = _start(processes, url, directory)
    httpx.post(url + "/sessions", json={"key": "kept", "seed": 3}).raise_for_status()
    httpx.put(url + "/sessions/kept/codes/+79990000000", json={"code": "4321"}).raise_for_status()
    deadline = time.monotonic() + 10
    while not _fixed_codes(directory / "kept.json") and time.monotonic() < deadline:
        time.sleep(0.1)  # saved in one write or in two: the session's creation may be written first
    assert _fixed_codes(directory / "kept.json") == [{"to": "+79990000000", "code": "4321"}]
    httpx.patch(url + "/sessions/default/settings", json={"mes_sferum_in": "max"}).raise_for_status()
    saved = httpx.get(url + "/sessions/kept/snapshot").json()
    default = httpx.get(url + "/sessions/default/snapshot").json()
    first.send_signal(signal.SIGTERM)  # at once: only the save on exit can keep the settings just changed
    assert first.wait(timeout=20) == 0

    _start(processes, url, directory)
    assert _without_clock(httpx.get(url + "/sessions/kept/snapshot").json()) == _without_clock(saved)
    assert httpx.get(url + "/sessions/default/settings").json()["mes_sferum_in"] == "max"
    assert _without_clock(httpx.get(url + "/sessions/default/snapshot").json()) == _without_clock(default)


@pytest.mark.slow  # serve in another process
def test_serve_refuses_a_directory_of_a_newer_schema(serve: tuple[list[subprocess.Popen[bytes]], str, Path]) -> None:
    processes, url, directory = serve
    directory.mkdir()
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1})
    (directory / "default.json").write_text(newer)
    process = _start(processes, url, directory)
    assert process.wait(timeout=20) == 2
    assert process.stderr is not None and b"newer sferum-sim" in process.stderr.read()
    assert (directory / "default.json").read_text() == newer
