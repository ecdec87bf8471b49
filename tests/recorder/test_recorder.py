"""`sferum-sim record`: a scripted person clicks through F06 and E02, and the written feature is the expected one.

The expected features are written from seed 001's flows (docs/flows.md, F06 and E02), sentence by
sentence in the library's words; the script does what the seed's user does, reads codes from the
outbox as the person reads them from the panel, and presses the panel's buttons with the mouse.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from simulator.cli import main as cli
from simulator.recorder import DEFAULT_GIVENS, Options, Recording, panel, run_feature
from simulator.recorder.library import load
from simulator.recorder.sentences import Unwritable, sentence
from simulator.testing.acts import Acts, Alert, Checks, Gained, Group, Heading, Notice, OnlyButton, Text, declared
from simulator.trainer.runner import display

TEACHER = "учитель МЭШ, у которого есть учебный профиль Сферум"
NO_ACCOUNTS = "учитель МЭШ, у которого нет ни VK ID, ни учебного профиля Сферум"
FAULT = "VK ID не может получить идентификационные данные"
IDENTITY_ERROR = "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные. Подробнее..."

# F06 (seed 001, «Привязка при наличии учебного профиля Сферум»), as a QA engineer writes it with the library.
F06 = """\
# language: ru
@mes @vkid
Функция: Привязка при наличии учебного профиля Сферум
  Записано командой sferum-sim record: учитель, МЭШ.

  Сценарий: Привязка при наличии учебного профиля Сферум
    Дано учитель МЭШ, у которого есть учебный профиль Сферум
    Когда учитель входит в «Кабинет учителя»
    И нажимает на кнопку перехода в Сферум в навигационной панели
    Тогда открывается окно «Мессенджер не подключен»
    Когда учитель нажимает «Перейти к подключению»
    Тогда открывается «Вход в VK ID» с сервисом «МЭШ ВКС»
    Когда учитель вводит свой номер телефона в поле «Телефон или почта» и нажимает «Продолжить»
    Тогда VK ID просит подтвердить вход: «Введите последние 4 цифры этого номера»
    Когда учитель вводит полученный код и нажимает «Продолжить»
    Тогда VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»
    Когда учитель нажимает «Продолжить в учебном профиле»
    И проверяет данные учебного профиля и нажимает «Продолжить»
    Тогда открывается окно «Добавление профиля Сферум»
    Когда учитель нажимает «Привязать»
    Тогда МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»
    И МЭШ показывает, что Сферум подключен к его учебному профилю
    И учетная запись МЭШ привязана к его учебному профилю
"""

# E02 (seed 001): after «Продолжить» VK ID cannot get the identification data; once it can, «Продолжить» again,
# and the number, with no VK ID account yet, gets its code by SMS (seeds 003, 004).
E02 = f"""\
# language: ru
@mes @vkid
Функция: Идентификационные данные не получены
  Записано командой sferum-sim record: учитель, МЭШ.

  Сценарий: Идентификационные данные не получены
    Дано учитель МЭШ, у которого нет ни VK ID, ни учебного профиля Сферум
    И VK ID не может получить идентификационные данные
    Когда учитель входит в «Кабинет учителя»
    И нажимает на кнопку перехода в Сферум в навигационной панели
    И нажимает «Перейти к подключению»
    И вводит свой номер телефона в поле «Телефон или почта» и нажимает «Продолжить»
    Тогда VK ID показывает ошибку «{IDENTITY_ERROR}»
    И код подтверждения не отправлен
    И учетная запись МЭШ не привязана, учебный профиль не создан
    Когда VK ID снова может получить идентификационные данные
    И нажимает «Продолжить» на экране «Вход в VK ID»
    Тогда VK ID просит подтвердить номер кодом из SMS
"""

needs_screen = pytest.mark.skipif(
    not (os.environ.get("DISPLAY") or shutil.which("Xvfb")),
    reason="no screen (DISPLAY) and no Xvfb to open a headed browser on",
)


def until(recording: Recording, condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    """Let the recorder read the page until `condition` holds: what a person's pause gives it."""
    deadline = time.monotonic() + timeout
    while True:
        recording.settle()
        if condition():
            return
        assert time.monotonic() < deadline, f"the recorder did not get to: {what}"


def press(recording: Recording, button: str) -> dict[str, Any]:
    """Click a button of the panel with the mouse, as a person does; the panel's state before the click."""
    recording.settle()
    shown = panel.read(recording.page)
    where = shown["buttons"][button]
    assert where["enabled"], f"«{button}» is disabled; the panel shows {shown}"
    lines = len(recording.entries)
    recording.page.mouse.click(where["x"], where["y"])
    until(recording, lambda: len(recording.entries) != lines or recording.finished, f"the panel's {button}")
    return shown


def choose(recording: Recording, check: str) -> None:
    """Click the proposed check that reads so on the panel."""
    proposals = panel.read(recording.page)["proposals"]
    [index] = [i for i, text in enumerate(proposals) if text.partition(" ")[2] == check]
    press(recording, f"check:{index}")


def code_for(recording: Recording) -> str:
    """The code the panel shows for the actor's phone: a flash call's last four digits, or the SMS code."""
    assert recording.actor is not None
    message = recording.session.wait_message(to=recording.actor.phone)
    return re.sub(r"\D", "", message["caller"] or "")[-4:] if message["channel"] == "call" else message["code"]


def sign_in_and_open_vkid(recording: Recording) -> None:
    page, actor = recording.page, recording.actor
    assert actor is not None
    page.get_by_label("Логин").fill(actor.login)
    page.get_by_label("Пароль").fill(actor.password)
    page.get_by_role("button", name="Войти").click()
    recording.settle()
    page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()


@pytest.fixture
def recording(request: pytest.FixtureRequest, playwright: Playwright) -> Iterator[Recording]:
    """A recording whose browser is launched by this test process's Playwright (one sync Playwright a thread)."""
    options: Options = request.param
    with Recording(options, playwright=playwright) as started:
        yield started


@pytest.mark.parametrize(
    "recording", [Options(headless=True, title="Привязка при наличии учебного профиля Сферум")], indirect=True
)
def test_recording_f06_writes_the_scenario_and_it_runs_green(recording: Recording, tmp_path: Path) -> None:
    page, actor = recording.page, recording.actor
    assert actor is not None
    sign_in_and_open_vkid(recording)
    shown = press(recording, "check")
    assert shown["proposals"] == ["Тогда открывается окно «Мессенджер не подключен»"]
    page.get_by_role("button", name="Перейти к подключению").click()
    press(recording, "check")
    page.get_by_label("Телефон или почта").fill(actor.phone)
    page.get_by_role("button", name="Продолжить").click()
    press(recording, "check")
    page.get_by_label("Код подтверждения").fill(code_for(recording))
    page.get_by_role("button", name="Продолжить").click()
    press(recording, "check")
    page.get_by_role("button", name="Продолжить в учебном профиле").click()
    recording.settle()
    page.get_by_role("button", name="Продолжить").click()
    press(recording, "check")
    page.get_by_role("button", name="Привязать").click()
    shown = press(recording, "check")
    assert shown["proposals"] == [
        "Тогда МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»",
        "Тогда МЭШ показывает, что Сферум подключен к его учебному профилю",
        "Тогда учетная запись МЭШ привязана к его учебному профилю",
    ]
    press(recording, "check")
    press(recording, "check")

    assert recording.feature_text() == F06
    assert panel.read(page)["text"] == F06  # the panel shows the scenario as written
    written = tmp_path / "f06.feature"
    written.write_text(recording.feature_text(), encoding="utf-8")
    verdict = run_feature(written)
    assert verdict.passed, verdict.describe(written) + verdict.output[-2000:]


@pytest.mark.parametrize(
    "recording",
    [Options(givens=[NO_ACCOUNTS, FAULT], headless=True, title="Идентификационные данные не получены")],
    indirect=True,
)
def test_recording_e02_writes_the_scenario_and_it_runs_green(recording: Recording, tmp_path: Path) -> None:
    page, actor = recording.page, recording.actor
    assert actor is not None
    sign_in_and_open_vkid(recording)
    recording.settle()
    page.get_by_role("button", name="Перейти к подключению").click()
    recording.settle()
    page.get_by_label("Телефон или почта").fill(actor.phone)
    page.get_by_role("button", name="Продолжить").click()
    shown = press(recording, "check")
    assert shown["proposals"] == [
        f"Тогда VK ID показывает ошибку «{IDENTITY_ERROR}»",
        "Тогда открывается «Вход в VK ID» с сервисом «МЭШ ВКС»",
        "Тогда VK ID показывает текст, как его печатает инструкция:",  # the consent block, a doc string under it
        "Тогда учетная запись МЭШ не привязана, учебный профиль не создан",
        "Тогда код подтверждения не отправлен",
    ]
    choose(recording, "код подтверждения не отправлен")
    choose(recording, "учетная запись МЭШ не привязана, учебный профиль не создан")
    recording.session.clear_fault("identity_unavailable")  # as a trainer does in the console
    until(recording, lambda: "снова может" in recording.feature_text(), "the fault switched off")
    page.get_by_role("button", name="Продолжить").click()
    press(recording, "check")

    assert recording.feature_text() == E02
    written = tmp_path / "e02.feature"
    written.write_text(recording.feature_text(), encoding="utf-8")
    verdict = run_feature(written)
    assert verdict.passed, verdict.describe(written) + verdict.output[-2000:]


@pytest.mark.parametrize("recording", [Options(headless=True)], indirect=True)
def test_an_action_no_step_covers_is_a_marked_placeholder_and_the_run_stops_there(
    recording: Recording, tmp_path: Path
) -> None:
    page, actor = recording.page, recording.actor
    assert actor is not None
    page.get_by_label("Логин").fill(actor.login)
    page.get_by_label("Пароль").fill(actor.password)
    page.get_by_role("button", name="Войти").click()
    recording.settle()
    page.goto(recording.session.url("mes", "/passport"))  # typed into the address bar: no step opens it
    recording.settle()
    page.get_by_role("navigation", name="Разделы паспорта").get_by_role("link", name="Безопасность").click()
    recording.settle()

    lines = recording.feature_text().splitlines()
    assert lines[-4:] == [
        "    Когда учитель входит в «Кабинет учителя»",
        "    # В библиотеке нет шага для этого действия: напишите шаг (см. CONTRIBUTING.md) и замените строку",
        '    И НЕТ ШАГА: page.goto(sim_session.url("mes", "/passport"))',
        "    И учитель нажимает «Безопасность»",
    ]
    assert [entry.locator for entry in recording.placeholders()] == ['page.goto(sim_session.url("mes", "/passport"))']
    assert "Нет шага для" in panel.read(page)["note"]
    written = tmp_path / "placeholder.feature"
    written.write_text(recording.feature_text(), encoding="utf-8")
    verdict = run_feature(written)
    assert not verdict.passed
    assert verdict.line == len(lines) - 1  # the placeholder's line of the file
    assert verdict.describe(written).startswith(f"Сценарий {written} не выполнен на строке {len(lines) - 1}")


@pytest.mark.parametrize("recording", [Options(headless=True)], indirect=True)
def test_the_panel_undoes_the_last_step(recording: Recording) -> None:
    sign_in_and_open_vkid(recording)
    press(recording, "check")
    assert recording.feature_text().endswith("Тогда открывается окно «Мессенджер не подключен»\n")
    press(recording, "undo")
    assert recording.feature_text().endswith("И нажимает на кнопку перехода в Сферум в навигационной панели\n")
    press(recording, "undo")
    assert recording.feature_text().endswith("Когда учитель входит в «Кабинет учителя»\n")
    finish = panel.read(recording.page)["buttons"]["finish"]
    recording.page.mouse.click(finish["x"], finish["y"])
    recording.run()  # what `sferum-sim record` waits in: it returns once «Готово» is read
    assert recording.finished


@pytest.mark.slow  # the record command and the feature it writes run in other processes
def test_the_record_command_writes_the_feature_and_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def person(recording: Recording, tick: float = 0.15) -> None:  # instead of waiting for someone at a window
        page, actor = recording.page, recording.actor
        assert actor is not None
        page.get_by_label("Логин").fill(actor.login)
        page.get_by_label("Пароль").fill(actor.password)
        page.get_by_role("button", name="Войти").click()
        press(recording, "finish")

    monkeypatch.setattr(Recording, "run", person)
    output = tmp_path / "features" / "new.feature"
    # The command starts its own Playwright: in a thread of its own, as a process of its own would.
    codes: list[int] = []
    command = threading.Thread(
        target=lambda: codes.append(cli(["record", "-o", str(output), "--headless", "--title", "Вход в кабинет"]))
    )
    command.start()
    command.join(timeout=300)
    assert codes == [0]
    assert output.read_text(encoding="utf-8") == (
        "# language: ru\n@mes\nФункция: Вход в кабинет\n  Записано командой sferum-sim record: учитель, МЭШ.\n\n"
        "  Сценарий: Вход в кабинет\n    Дано учитель МЭШ, у которого есть учебный профиль Сферум\n"
        "    Когда учитель входит в «Кабинет учителя»\n"
    )
    assert f"Сценарий {output} выполнен: всё зелёное." in capsys.readouterr().out


@needs_screen
def test_recording_in_a_headed_browser_on_a_virtual_screen(playwright: Playwright) -> None:
    with display() as env, Recording(Options(headless=False, env=env), playwright=playwright) as recording:
        assert recording.actor is not None
        page = recording.page
        page.get_by_label("Логин").fill(recording.actor.login)
        page.get_by_label("Пароль").fill(recording.actor.password)
        page.get_by_role("button", name="Войти").click()
        until(recording, lambda: "входит" in panel.read(page)["text"], "the sign-in on the panel")
        assert panel.read(page)["text"].endswith("    Когда учитель входит в «Кабинет учителя»\n")
        page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
        press(recording, "check")  # the panel's button, clicked where the window shows it
        assert panel.read(page)["text"].endswith("    Тогда открывается окно «Мессенджер не подключен»\n")


WORLDS = sorted(key for key in DEFAULT_GIVENS if key[0] != "admin" or key[1] == "mes")


@pytest.mark.parametrize(("persona", "journal"), WORLDS)
def test_each_persona_starts_in_its_world_on_its_platform(persona: str, journal: str, playwright: Playwright) -> None:
    with Recording(Options(persona=persona, journal=journal, headless=True), playwright=playwright) as recording:
        assert recording.actor is not None and recording.actor.role == persona
        recording.settle()
        platform = "sferum" if persona == "admin" else journal
        assert recording.page.url == recording.session.url(platform, "/")
        assert panel.read(recording.page)["who"][0] == f"Вы — {recording.who}: {recording.actor.full_name}"


# -- without a browser ---------------------------------------------------------------------------------


def test_every_declaration_names_groups_of_its_own_step() -> None:
    library = load()
    declaring = [step for step in library.steps if step.declarations]
    assert len(declaring) >= 20
    for step in declaring:
        groups = set(re.compile(step.pattern).groupindex)
        for declaration in step.declarations:
            named: set[str] = set()
            parts: tuple[Any, ...] = declaration.actions if isinstance(declaration, Acts) else declaration.checks
            for part in parts:
                for value in vars(part).values():
                    if isinstance(value, Group):
                        named.add(value.name)
            if isinstance(declaration, Acts):
                named |= set(declaration.reads) | set(declaration.values)
                assert step.kind in ("when", "given"), step.name
            else:
                assert isinstance(declaration, Checks) and step.kind == "then", step.name
            assert named <= groups, f"{step.name} declares {named - groups}, not groups of {step.pattern}"


def test_default_worlds_are_sentences_of_the_library() -> None:
    library = load()
    for sentences in DEFAULT_GIVENS.values():
        for text in sentences:
            library.given(text)  # raises when the library has no such «Дано»


def test_a_sentence_is_written_from_its_pattern() -> None:
    who = r"(?:учитель|ученик|родитель)"
    press_pattern = rf"(?:{who} )?нажимает «(?P<label>[^«»]+)»"
    assert sentence(press_pattern, {"label": "Привязать"}, actor="ученик") == "ученик нажимает «Привязать»"
    assert sentence(press_pattern, {"label": "Привязать"}, actor="ученик", name_actor=False) == "нажимает «Привязать»"
    assert sentence(r"(?:снова )?нажимает «Продолжить»", {}) == "нажимает «Продолжить»"
    with pytest.raises(Unwritable):
        sentence(press_pattern, {}, actor="ученик")  # no label: the slot cannot be filled
    with pytest.raises(Unwritable):
        sentence(press_pattern, {"label": "«Привязать»"}, actor="ученик")  # does not read back through the pattern


def test_declarations_hold_what_the_step_functions_declare() -> None:
    from sferum_sim_steps import common, vkid

    assert declared(common.dialog_opens) == (Checks((Heading(Group("title")),)),)
    assert declared(common.platform_says) == (
        Checks((Notice(Group("text"), platform=Group("platform")),)),
        Checks((Text("linked-message", Group("text"), values={"platform": "МЭШ"}),)),
        Checks((Text("unlink-question", Group("text"), values={"platform": "МЭШ"}),)),
    )
    assert declared(common.platform_shows_error) == (Checks((Alert(Group("text"), platform=Group("platform")),)),)
    [linked] = declared(common.linked_to_own_profile)
    assert isinstance(linked, Checks) and isinstance(linked.checks[0], Gained)
    [account] = declared(vkid.shows_account)
    assert isinstance(account, Checks) and isinstance(account.checks[1], OnlyButton)
    assert len(declared(vkid.asks_for_code)) == 2  # one for a call, one for an SMS


def test_record_refuses_to_overwrite_and_needs_a_world(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "new.feature"
    existing.write_text("", encoding="utf-8")
    assert cli(["record", "-o", str(existing), "--headless"]) == 2
    assert "уже есть" in capsys.readouterr().err
    assert (
        cli(["record", "-o", str(tmp_path / "x.feature"), "--persona", "parent", "--journal", "mes", "--headless"]) == 2
    )
    assert "нет готового мира" in capsys.readouterr().err
    given = ["--given", "учитель, которого нет в библиотеке"]
    assert cli(["record", "-o", str(tmp_path / "y.feature"), "--headless", *given]) == 2
    assert "нет шага «Дано учитель, которого нет в библиотеке»" in capsys.readouterr().err
    assert not (tmp_path / "x.feature").exists() and not (tmp_path / "y.feature").exists()


def test_the_catalogue_says_what_each_declared_step_is_recorded_from() -> None:
    from simulator.testing.step_catalogue import build

    records = {step.function: step.records for step in build(None).steps if step.module.endswith((".common", ".vkid"))}
    assert records["press"] == "запись: кнопка или ссылка ‹label›"
    assert records["enter_phone"] == "запись: его телефон в поле «Телефон или почта» → кнопка «Продолжить»"
    assert records["press_continue_again"] == "запись: кнопка «Продолжить» (экран login)"
    assert records["asks_for_code"] == "проверка: экран code-call; проверка: экран code-sms"
    assert records["shows_as_text"] == "проверка: поле ‹label› с ошибкой хранит введённое: ‹value›"


def test_chats_the_world_gained_are_proposed_as_the_step_that_names_them() -> None:
    from simulator.recorder.proposing import propose

    school = "МБОУ «Школа»"
    chats = [{"title": f"{school} · Объявления", "kind": "channel"}, {"title": "5А · Общая беседа", "kind": "group"}]
    gained = [{"id": 9, "kind": "chats_joined", "org": school, "chats": chats}]
    [proposal] = propose(load(), None, gained, who="ученик")
    assert proposal.step is not None and proposal.step.write(proposal.values, "ученик") == (
        "его учебный профиль добавлен в информационный канал школы «Объявления» и в чат «5А · Общая беседа»"
    )
    teacher = [*chats, {"title": f"{school} · Сотрудники", "kind": "channel"}]  # more than the sentence names
    assert propose(load(), None, [{**gained[0], "chats": teacher}], who="учитель") == []


def test_a_wait_is_written_with_the_noun_in_the_form_its_number_asks_for() -> None:
    minutes, days = r"проходит (?P<minutes>\d+) минут[аы]?", r"проходит (?P<days>\d+) (?:день|дня|дней)"
    # The forms as a Russian reader says them (1 минута, 2 минуты, 5 минут, 11 минут, 21 минута; день/дня/дней).
    said = {1: ("минута", "день"), 2: ("минуты", "дня"), 5: ("минут", "дней"), 11: ("минут", "дней")}
    said[21], said[104] = ("минута", "день"), ("минуты", "дня")
    for n, (minute, day) in said.items():
        assert sentence(minutes, {"minutes": str(n)}) == f"проходит {n} {minute}"
        assert sentence(days, {"days": str(n)}) == f"проходит {n} {day}"
    assert sentence(r"указывает ФИО, дату рождения,? (?:и )?пол", {}) == "указывает ФИО, дату рождения, пол"
    unlinked = r"учетн(?:ая запись|ые записи) ЭлЖур не привязан[аы], учебный профиль не создан"
    assert sentence(unlinked, {}) == "учетная запись ЭлЖур не привязана, учебный профиль не создан"
