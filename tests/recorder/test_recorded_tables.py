"""Recorded flows whose checks take a data table or a doc string: F08, F18, F25.

The person adds such a check from the panel as any other; the recorder writes the table or the doc string under it
as the page listed or printed it then (a chat list's rows, VK ID's consent block), and the scenario runs green with
it unchanged. A «Дано» with a table (the school's members already in Sferum) is given to the recorder with its
table on the lines after the sentence, as the feature writes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from simulator.recorder.library import given_parts, load
from simulator.recorder.matching import Entry
from simulator.recorder.proposing import Shown, propose
from simulator.recorder.session import SCHOOLS
from simulator.recorder.writing import step_lines
from tests.support.recording import (
    Flow,
    Person,
    back_to_sferum,
    es_authorise_in_sferum,
    journal_connect,
    journal_sign_in,
    record_and_run,
    vkid_profile_sign_in,
)


def mes_sign_in(person: Person) -> None:
    journal_sign_in(person)


def five_minutes_later(person: Person) -> None:
    """The trainer moves the clock in the console (what its «Часы» form posts), then the person reloads the page."""
    person.recording.session.advance(5 * 60)
    person.pause()
    person.page.reload()
    person.pause()


def shown_under(person: Person, sentence: str) -> list[str]:
    """What the panel shows under a proposed check: the table or doc string it will be written with."""
    shown = person.panel()
    said = [text.partition(" ")[2] for text in shown["proposals"]]
    assert sentence in said, f"not proposed: «{sentence}»; the panel shows {shown['proposals']}"
    return str(shown["attached"][said.index(sentence)]).splitlines()


def f08(person: Person) -> None:
    mes_sign_in(person)
    journal_connect(person)
    vkid_profile_sign_in(person)
    person.click("button", "Привязать")
    person.check("МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»")
    back_to_sferum(person)
    person.check("в Сферуме сказано, что чаты создаются, и чатов пока нет")
    five_minutes_later(person)
    listed = shown_under(person, "в Сферуме «Чаты 7», в списке:")
    assert listed[0].split() == ["|", "чат", "|", "описание", "|"] and len(listed) == 1 + 6, listed
    person.check("в Сферуме «Чаты 7», в списке:")
    person.check("под списком ссылка «Показать все»")
    person.click("link", "Показать все")
    person.check("открывается список всех чатов:")


def f18(person: Person) -> None:
    """ЭШ's sign-in, then the tab «Авторизация в Сферум» walked through without a check on the way: one step."""
    journal_sign_in(person)
    es_authorise_in_sferum(person)
    person.check("открывается вкладка «Сферум»")
    person.check("во вкладке «Сферум» сказано, что чаты создаются, и чатов в списке пока нет")
    person.check("во вкладке «Сферум» видеоконференции:")
    five_minutes_later(person)
    person.check("во вкладке «Сферум» «Чаты 2»:")
    person.check("это ровно те чаты, в которых состоит его учебный профиль")


def f25(person: Person) -> None:
    person.click("button", "Войти через Госуслуги")
    person.fill("Телефон / Email / СНИЛС", person.credential("Госуслуги:"))
    person.fill("Пароль", person.credential("Госуслуги:", 2))
    person.click("button", "Войти")
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.check("открывается «Вход в VK ID» с сервисом «ЭлЖур»")
    consent = shown_under(person, "VK ID показывает текст, как его печатает инструкция:")
    assert consent[0] == consent[-1] == '"""' and consent[1] == "С сервисом «ЭлЖур» можно связать свой учебный профиль:"
    person.check("VK ID показывает текст, как его печатает инструкция:")
    person.click("link", "Передаваемые данные >")
    person.check("VK ID перечисляет, что сервис «ЭлЖур» получит из учебного профиля:")
    person.click("link", "Назад")
    person.check("открывается «Вход в VK ID» с сервисом «ЭлЖур»")
    person.check("учетная запись ЭлЖур не привязана, учебный профиль не создан")


MES_MEMBERS = "\n".join(
    (
        "в Сферуме уже состоят пользователи школы:",
        "| роль | класс | сколько |",
        "| ученик | 10А | 19 |",
        "| учитель | 11А | 1 |",
    )
)
ES_CLASSMATES = "в Сферуме уже общаются ученики школы:\n| класс | учеников |\n| 10А | 2 |\n| 10Б | 3 |"

FLOWS: dict[str, Flow] = {
    "F08": Flow(
        (
            SCHOOLS["mes"],
            MES_MEMBERS,
            "учитель МЭШ с учебным профилем Сферум, который ведёт 10А и преподаёт в 11А, 11Б и 9В",
        ),
        f08,
    ),
    "F18": Flow(
        (SCHOOLS["es"], "ученик ЭШ, у которого есть VK ID с паролем и учебный профиль Сферум", ES_CLASSMATES),
        f18,
        journal="es",
        persona="student",
        scenario="Во вкладке «Сферум» чаты и видеоконференции класса",
    ),
    "F25": Flow(
        (
            SCHOOLS["eljur"],
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг, у которого есть аккаунт VK "
            "с паролем и учебный профиль",
        ),
        f25,
        journal="eljur",
        persona="student",
    ),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_with_its_tables_and_it_runs_green(
    flow_id: str, browser: Browser, tmp_path: Path
) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)


# -- the table and the doc string as the recorder reads and writes them, without a browser ---------------------

CHATS = (("Школа · Объявления", "21 подписчик · Информационный канал"), ("10А · Общая беседа", "20 участников"))


def proposed(shown: Shown, personal: tuple[str, ...] = ()) -> dict[str, Entry]:
    """The checks proposed on this screen, by the sentence each is written as."""
    return {
        entry.step.write(entry.values, "учитель"): entry
        for entry in propose(load(), shown, [], who="учитель", personal=personal)
        if entry.step is not None
    }


def test_a_list_on_the_screen_is_proposed_as_the_table_of_the_step_that_checks_it() -> None:
    home = Shown("messenger", "messenger-home", testids={"chats-title": "Чаты 7", "chats": ""}, rows={"chats": CHATS})
    entry = proposed(home)["в Сферуме «Чаты 7», в списке:"]
    assert entry.datatable == (("чат", "описание"), *CHATS)
    tab = Shown("es", "es-sferum", testids={"chats-title": "Чаты 2", "chats": ""}, rows={"chats": CHATS})
    assert proposed(tab)["во вкладке «Сферум» «Чаты 2»:"].datatable == entry.datatable
    # A row with another number of cells than the header names is no table of the step's.
    ragged = Shown("messenger", "messenger-home", testids={"chats-title": "Чаты 2"}, rows={"chats": (("одна",),)})
    assert not [sentence for sentence in proposed(ragged) if "Чаты 2" in sentence]


def test_a_table_naming_the_actors_own_data_is_not_proposed() -> None:
    rows = {"chats": (("Иванов Иван", "1 участник"),)}
    shown = Shown("messenger", "messenger-home", testids={"chats-title": "Чаты 1"}, rows=rows)
    assert "в Сферуме «Чаты 1», в списке:" in proposed(shown)
    assert "в Сферуме «Чаты 1», в списке:" not in proposed(shown, personal=("Иванов",))


def test_a_block_of_text_is_proposed_as_the_doc_string_of_the_step_that_checks_it() -> None:
    consent = ("С сервисом «ЭлЖур» можно связать свой учебный профиль:", "Ваш профиль ВКонтакте никто не увидит")
    shown = Shown("vkid", "login", testids={"consent": "…", "terms": "…"}, lines={"consent": consent, "terms": ("Т",)})
    entry = proposed(shown)["VK ID показывает текст, как его печатает инструкция:"]
    assert entry.docstring == "\n".join((*consent, "Т"))
    without_terms = Shown("vkid", "code-sms", testids={"consent": "…"}, lines={"consent": consent})
    assert "VK ID показывает текст, как его печатает инструкция:" not in proposed(without_terms)


def test_tables_and_doc_strings_are_written_under_their_steps_and_a_given_keeps_its_table() -> None:
    library = load()
    listed = next(step for step in library.steps if step.name == "common.chats_listed")
    prints = next(step for step in library.steps if step.name == "vkid.vkid_prints")
    entries = [
        Entry(
            "then", listed, {"where": "в Сферуме", "heading": "Чаты 1"}, datatable=(("чат", "описание"), ("a|b", "c"))
        ),
        Entry("then", prints, {}, docstring='первая\n"""\nвторая'),
    ]
    given = "в Сферуме уже состоят пользователи школы:\n| роль | класс | сколько |\n| ученик | 1\\|0А | 19 |"
    assert given_parts(given) == (given.splitlines()[0], (("роль", "класс", "сколько"), ("ученик", "1|0А", "19")))
    assert step_lines([given], entries, "учитель") == [
        "Дано в Сферуме уже состоят пользователи школы:",
        "  | роль   | класс | сколько |",
        "  | ученик | 1\\|0А | 19      |",
        "Тогда в Сферуме «Чаты 1»:",
        "  | чат  | описание |",
        "  | a\\|b | c        |",
        "И VK ID показывает текст, как его печатает инструкция:",
        '  """',
        "  первая",
        '  \\"\\"\\"',
        "  вторая",
        '  """',
    ]
