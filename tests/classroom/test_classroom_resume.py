"""A lesson survives a restart: `--out DIR` keeps the seats' worlds and the classroom, `--resume DIR` serves the same
seats on the same links with their progress; a folder holding a lesson is not started over, a damaged one is refused."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from simulator.classroom import saving
from simulator.classroom.lesson import choose
from simulator.classroom.server import ClassroomServer
from simulator.cli import main
from simulator.recorder.library import load

ADDRESS = "127.0.0.2"
CHOICE = saving.Choice(("F06",), (), "features")


def signed_in(server: ClassroomServer, token: str, login: str, password: str) -> httpx.Response:
    """A trainee's browser: the seat's link, a wrong password, then the right one."""
    assert server.classroom is not None
    with httpx.Client(base_url=server.classroom.hosts.origin("mes"), follow_redirects=True) as trainee:
        assert trainee.get(f"/_class/join/{token}").status_code == 200
        trainee.post("/", data={"login": login, "password": "неверный-пароль"})
        return trainee.post("/", data={"login": login, "password": password})


def test_a_lesson_resumed_from_its_folder_has_the_same_seats_links_worlds_and_progress(tmp_path: Path) -> None:
    library = load()
    exercises = choose(["F06"], [], library=library)
    first = ClassroomServer(exercises, library, address=ADDRESS, host=ADDRESS, out=tmp_path, choice=CHOICE)
    with first:
        classroom = first.seat(2)
        one, two = list(classroom.seats)
        answer = signed_in(first, one.token, one.persona.login, one.persona.password)
        assert "Кабинет учителя" in answer.text
        before = {
            s.number: (s.token, s.key, s.persona.name, s.progress.done, dict(s.progress.mistakes))
            for s in classroom.seats
        }
        links = {s.number: classroom.link(s) for s in classroom.seats}
        token = first.admin_token
    assert before[1][3] >= 1 and before[1][4] == {"wrong_password": 1} and before[2][3] == 0
    assert {p.name for p in (tmp_path / saving.WORLDS).glob("*.json")} >= {f"{one.key}.json", f"{two.key}.json"}

    saved = saving.read(tmp_path)
    again = ClassroomServer(
        exercises,
        library,
        address=saved.address,
        host=ADDRESS,
        port=saved.port,
        ports=saved.ports,
        admin_token=saved.admin_token,
        out=tmp_path,
        choice=saved.choice,
        resumed=saved,
    )
    with again:
        resumed = again.resume()
        after = {
            s.number: (s.token, s.key, s.persona.name, s.progress.done, dict(s.progress.mistakes))
            for s in resumed.seats
        }
        assert after == before
        assert {s.number: resumed.link(s) for s in resumed.seats} == links and again.admin_token == token
        # The second trainee's world came back from disk: their own login and password still sign them in.
        answer = signed_in(again, two.token, two.persona.login, two.persona.password)
        assert "Кабинет учителя" in answer.text
        with httpx.Client(base_url=again.trainer_url, headers={"Authorization": f"Bearer {token}"}) as room:
            tiles = {t["seat"]: t for t in room.get("/_sim/classroom/state").json()["seats"]}
        assert tiles[1]["done"] == before[1][3] and tiles[2]["done"] >= 1 and tiles[2]["mistakes"] == 1


def test_a_folder_holding_a_lesson_is_not_started_over_and_a_damaged_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / saving.FILE).write_text("{", encoding="utf-8")
    assert main(["classroom", "F06", "--out", str(tmp_path)]) == 2
    assert f"--resume {tmp_path}" in capsys.readouterr().err
    assert main(["classroom", "--resume", str(tmp_path)]) == 2
    assert "не читается" in capsys.readouterr().err
    (tmp_path / saving.FILE).write_text(json.dumps({"version": 1, "lesson": {}}), encoding="utf-8")
    assert main(["classroom", "--resume", str(tmp_path)]) == 2
    assert "повреждён" in capsys.readouterr().err
    assert main(["classroom", "--resume", str(tmp_path / "нет")]) == 2
    assert "нет урока" in capsys.readouterr().err
    assert main(["classroom"]) == 2
    assert "--resume DIR" in capsys.readouterr().err
