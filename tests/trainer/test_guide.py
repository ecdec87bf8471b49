"""`sferum-sim guide`: the handout produced for a real scenario (E02 of the МЭШ/VK ID feature)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.feature import get_feature

from simulator.trainer.runner import Project
from tests.trainer.test_print_layout import assert_well_filled, printed_pages

pytestmark = pytest.mark.slow  # the guide command and Chromium in other processes

ROOT = Path(__file__).resolve().parents[2]
FEATURE = ROOT / "features" / "mes_teacher_vkid.feature"
# E02's first scenario, by its name: E02 has another one («Подробнее...»).
SCENARIO = "не может получить идентификационные данные"
NAME = "mes_teacher_vkid-01-E02"
# Two people in one world: an ЭлЖур student seeded first, then a МЭШ teacher who acts first (seeds 001, 003).
TWO_PEOPLE = ROOT / "features" / "vkid_channels.feature"
TWO_PEOPLE_SCENARIO = "В одном мире учителю МЭШ поступает звонок"


def sferum_sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("guides")
    run = sferum_sim("guide", str(FEATURE), "--scenario", SCENARIO, "-o", str(out))
    assert run.returncode == 0, run.stderr
    return out, run


@pytest.fixture(scope="module")
def data(produced: tuple[Path, Any]) -> dict[str, Any]:
    return json.loads((produced[0] / f"{NAME}.json").read_text(encoding="utf-8"))


def expected_steps() -> list[str]:
    """The scenario's «Когда»/«Тогда» steps, read from the feature file itself."""
    feature = get_feature(str(FEATURE.parent), FEATURE.name)
    scenario = next(s for s in feature.scenarios.values() if "E02" in s.tags)
    return [s.name[:1].upper() + s.name[1:] for s in scenario.steps if s.type != "given"]


def test_one_picture_per_step_with_the_scenarios_own_words(produced: tuple[Path, Any], data: dict[str, Any]) -> None:
    out, _ = produced
    steps = expected_steps()
    assert [s["text"] for s in data["steps"]] == steps
    assert [s["number"] for s in data["steps"]] == list(range(1, len(steps) + 1))
    for step in data["steps"]:
        picture = out / step["screenshot"]
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / f"{NAME}.html").read_text(encoding="utf-8")
    headings = [html.unescape(h) for h in re.findall(r"<h2>Шаг \d+\. (.*?)<span", page)]
    assert headings == steps
    assert re.findall(r"<h2>Шаг (\d+)\.", page) == [str(n) for n in range(1, len(steps) + 1)]
    assert page.count('<img src="data:image/png;base64,') == len(steps)  # self-contained: pictures inline
    assert "http://" not in page and 'src="/' not in page


def test_the_pictures_show_the_labels_the_steps_speak_of(data: dict[str, Any]) -> None:
    steps = {s["number"]: s for s in data["steps"]}
    assert {"Логин", "Пароль"} <= set(steps[1]["outlined"]) and steps[1]["outlined"][-1] == "Войти"
    assert steps[3]["outlined"] == ["Перейти к подключению"]
    assert "Мессенджер не подключен" in steps[3]["page_text"]
    assert "Вход в VK ID" in steps[4]["page_text"] and steps[4]["outlined"] == ["Телефон или почта", "Продолжить"]
    error = "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные. Подробнее..."
    assert error in steps[5]["page_text"] and steps[5]["outlined"] == [error]
    # No VK ID account yet: the number is confirmed by SMS (seeds 003, 004, «Введите код из смс»).
    assert "Мы отправили SMS с кодом на номер" in steps[10]["page_text"]
    assert all(not s["overlay"]["caption"] for s in data["steps"])  # the heading is the caption, not the picture


def test_names_the_persona_and_seed(produced: tuple[Path, Any], data: dict[str, Any]) -> None:
    page = (produced[0] / f"{NAME}.html").read_text(encoding="utf-8")
    assert data["persona"]["role"] == "teacher" and html.escape(data["persona"]["login"]) in page
    assert str(data["sim_seed"]) in page and "Исходные данные" in page
    assert "VK ID не может получить идентификационные данные" in data["preconditions"]


def test_pdf_and_index(produced: tuple[Path, Any], data: dict[str, Any]) -> None:
    out, run = produced
    pdf = (out / f"{NAME}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2  # ten steps with pictures do not fit one A4 page
    # Chromium stores a picture once however often it is shown: one image per distinct screenshot.
    distinct = {(out / s["screenshot"]).read_bytes() for s in data["steps"]}
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) >= len(distinct)
    assert f'href="{NAME}.pdf"' in (out / "index.html").read_text(encoding="utf-8")
    assert "шаг 10/10" in run.stderr and "PDF 1/1" in run.stderr  # progress while it works


def test_tells_what_is_wrong_with_the_selection(tmp_path: Path) -> None:
    missing = sferum_sim("guide", "features/no_such.feature", "-o", str(tmp_path))
    assert missing.returncode == 2 and "нет такого файла" in missing.stderr
    nothing = sferum_sim("guide", str(FEATURE), "--scenario", "нет такого сценария", "-o", str(tmp_path))
    assert nothing.returncode == 2 and "ни один сценарий" in nothing.stderr


def test_the_printed_pages_are_filled_and_the_colophon_is_not_alone(produced: tuple[Path, Any], tmp_path: Path) -> None:
    out, _ = produced
    steps = len(expected_steps())
    assert_well_filled(printed_pages(out / f"{NAME}.pdf", tmp_path), steps)


@pytest.fixture(scope="module")
def two_people(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("two-people")
    run = sferum_sim("guide", str(TWO_PEOPLE), "--scenario", TWO_PEOPLE_SCENARIO, "-o", str(out))
    assert run.returncode == 0, run.stderr
    (data,) = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")]
    return out, data


def test_every_persons_sign_in_is_listed(two_people: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, data = two_people
    assert [p["role"] for p in data["people"]] == ["student", "teacher"]  # in the order the «Дано» steps seed them
    logins = [p["login"] for p in data["people"]]
    assert len(set(logins)) == 2 and data["persona"] in data["people"]
    page = html.unescape((out / f"{data['guide']}.html").read_text(encoding="utf-8"))
    for person in data["people"]:
        assert person["login"] in page and person["password"] in page and person["full_name"] in page
    assert re.findall(r"<th>Роль</th><td>(.*?)</td>", page) == ["ученик", "учитель"]
    pages = printed_pages(out / f"{data['guide']}.pdf", tmp_path)
    assert all(person["login"] in pages[0].text for person in data["people"])  # on the first page, both
    # Four «Дано» lines, a three-line description and two people's data fill the first page by more than half:
    # there the first step starts on the second.
    assert_well_filled(pages, len(data["steps"]), first_step_on_first_page=False)


def test_the_project_root_is_where_pytest_would_put_it(tmp_path: Path) -> None:
    repository = tmp_path / "outer" / "repository"
    features = repository / "qa" / "features"
    features.mkdir(parents=True)
    (repository / ".git").mkdir()
    (tmp_path / "outer" / "conftest.py").write_text("", encoding="utf-8")  # outside the repository: not the project's
    # A team's repository with no pytest configuration: the outermost conftest.py inside it, an ini of the run's own.
    (repository / "qa" / "conftest.py").write_text("", encoding="utf-8")
    (features / "conftest.py").write_text("", encoding="utf-8")
    assert Project.around(features / "a.feature") == Project(repository / "qa", configured=False)
    # A pyproject.toml without pytest's section is no configuration; with it, it is the root.
    (repository / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert Project.around(features / "a.feature") == Project(repository / "qa", configured=False)
    (repository / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    assert Project.around(features / "a.feature") == Project(repository, configured=True)
    (features / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    assert Project.around(features) == Project(features, configured=True)
    # A feature alone in a folder: that folder.
    alone = tmp_path / "alone"
    alone.mkdir()
    assert Project.around(alone / "b.feature") == Project(alone, configured=False)
