"""sferum.ru steps: the organisation's administrator in a browser of their own, the cabinet, the Excel file."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER
from simulator.testing import Personas, SimSession
from simulator.testing.acts import (
    By,
    Click,
    Fill,
    Gained,
    Group,
    Heading,
    Open,
    Screen,
    Shows,
    Subject,
    Table,
    Text,
    Wait,
    Where,
    acts,
    checks,
)

from .cast import ROLES, Cast, column, full_name, person, sheet
from .common import Scene, school
from .failures import created, first, known, number
from .messenger import vkid_sign_in, vkid_sign_in_acts

ADMIN = By("администратор")  # the administrator's own browser (cast.admin)
# A link's file fetched from the page (its cookies, the session's header): the name it is sent under, its bytes.
REFETCH = """async href => {
  const response = await fetch(href, {credentials: "same-origin"});
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return {disposition: response.headers.get("content-disposition") || "", body: btoa(binary)};
}"""
# A file a click downloaded, as a recording reads it (simulator/recorder/downloads.py): its name, each sheet's rows.
DOWNLOADED, SHEET = "download", "sheet:"
# The workbook's sheets, their columns as seed 001's instruction names them.
STATISTICS = ("Дата", "ФИО", "Связь с ЭЖ", "Кол-во сообщений за 7 дней", "Кол-во звонков за 7 дней")
USERS = ("Дата", "ID организации", "ID пользователя", "ФИО", "Тип пользы", "Связь с ЭИП")
# -- the world ------------------------------------------------------------------------------------


@given(parsers.re(r"(?:детский сад|организация дополнительного образования) «(?P<name>.+)»"))
def organisation(sim_session: SimSession, scene: Scene, name: str) -> None:
    """Kindergartens and supplementary education live in fixtures/schools.json next to the schools."""
    school(sim_session, scene, name)


@given("у организации есть администратор на sferum.ru")
def org_admin(sim_session: SimSession, personas: Personas, scene: Scene, cast: Cast) -> None:
    """Seeds the organisation's administrator, with VK ID and a profile but no journal, into the world."""
    admin = personas.make("admin")
    entry = admin.entry(journal=None, vkid=True, profile=True, org_admin=scene.school["id"])
    admin.ids = sim_session.seed({"people": [entry]})["people"][admin.key]
    cast.people["администратор"] = admin


@given("в Сферуме уже состоят пользователи школы:")
def school_members(
    sim_session: SimSession, personas: Personas, scene: Scene, cast: Cast, datatable: list[list[str]]
) -> None:
    """МЭШ users linked earlier: they are members and subscribers of the school's chats."""
    members = [
        (personas.make(known(ROLES, role, "роль в таблице —")), role, school_class)
        for role, school_class, n in datatable[1:]
        for _ in range(number(n, f"число пользователей «{role}» класса «{school_class}»"))
    ]
    entries = [
        m.entry(org=scene.school["id"], school_class=school_class, vkid=True, profile=True, linked="vkid")
        for m, _, school_class in members
    ]
    created = sim_session.seed({"people": entries})["people"]
    for member, role, _ in members:
        member.ids = created[member.key]
        cast.people.setdefault(role, member)


@given(parsers.re(r"(?P<who>педагог|родитель) с учебным профилем Сферум в VK ID, не прикреплённым к организации"))
def sferum_user(sim_session: SimSession, personas: Personas, scene: Scene, who: str) -> None:
    """Seeds a teacher or parent with VK ID and a profile, no journal and no organisation, and makes them the actor."""
    user = personas.make(ROLES[who])
    user.ids = sim_session.seed({"people": [user.entry(journal=None, vkid=True, profile=True)]})["people"][user.key]
    scene.actor = user


# -- the cabinet ----------------------------------------------------------------------------------


def _admin_page(new_context: Callable[..., BrowserContext], sim_session: SimSession, cast: Cast) -> Page:
    if cast.admin_page is None:
        context = new_context(
            extra_http_headers={SESSION_HEADER: sim_session.key},
            locale="ru-RU",
            timezone_id="Europe/Moscow",
            accept_downloads=True,
        )
        cast.admin_page = context.new_page()
    return cast.admin_page


@when("администратор входит на sferum.ru через VK ID")
@acts(
    Open("sferum"),
    Click("Войти", role="link"),
    *vkid_sign_in_acts(),
    by=ADMIN,
)
def admin_signs_in(
    new_context: Callable[..., BrowserContext], sim_session: SimSession, scene: Scene, cast: Cast
) -> None:
    """Opens sferum.ru in the administrator's own browser, clicks «Войти» and signs in through VK ID with the administrator's phone."""
    page = _admin_page(new_context, sim_session, cast)
    page.goto(sim_session.url("sferum", "/"))
    expect(page.get_by_role("heading", name="Вход для администраторов организаций")).to_be_visible()
    page.get_by_role("link", name="Войти", exact=True).click()
    expect(page.get_by_text("С сервисом «Сферум» можно связать свой учебный профиль")).to_be_visible()
    vkid_sign_in(page, sim_session, scene, cast.called("администратор").phone)


@then(parsers.re(r"открывается личный кабинет организации «(?P<name>.+)»$"))
@checks(Screen("sferum-cabinet"), Heading(Group("name")), by=ADMIN)
def cabinet_opens(scene: Scene, cast: Cast, name: str) -> None:
    """Checks the administrator's page shows the organisation's name, its ID and «<administrator> · Администратор»."""
    page = cast.admin
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(page.get_by_test_id("org-id")).to_have_text(str(scene.school["id"]))
    expect(page.get_by_test_id("admin")).to_have_text(f"{full_name(cast.called('администратор'))} · Администратор")


def _keep(cast: Cast, filename: str, data: bytes) -> None:
    """The downloaded file's name and workbook, for the checks after the download."""
    from openpyxl import load_workbook  # only here: every run would pay for its import

    cast.filename = filename
    # Playwright keeps downloads under a name without an extension, which openpyxl refuses: read from bytes.
    cast.workbook = load_workbook(BytesIO(data))


def downloaded_by_hand(cast: Cast) -> None:
    """The file the administrator downloaded with a click of their own (a recording), kept as the step keeps it:
    the cabinet's link fetched again from their page, the world unchanged since."""
    page = cast.admin
    href = page.get_by_role("link", name="Скачать статистику", exact=True).get_attribute("href")
    fetched = page.evaluate(REFETCH, href or "")
    found = re.search(r'filename="([^"]+)"', fetched["disposition"])
    _keep(cast, found.group(1) if found else "", base64.b64decode(fetched["body"]))


@when("администратор нажимает в личном кабинете «Скачать статистику»")
@acts(Click("Скачать статистику", role="link"), by=ADMIN, tells=downloaded_by_hand)
def download_statistics(cast: Cast) -> None:
    """Reloads the administrator's cabinet, clicks «Скачать статистику» and keeps the file's name and workbook."""
    page = cast.admin
    download_link = page.get_by_role("link", name="Скачать статистику", exact=True)
    expect(download_link).to_be_visible()  # in the cabinet: the sign-in's last redirect has landed
    page.reload()  # the cabinet as it is now, as an administrator sees it coming back to it
    with page.expect_download() as download:
        download_link.click()
    _keep(cast, download.value.suggested_filename, Path(download.value.path()).read_bytes())


@then(parsers.re(r"скачан файл Excel «(?P<name>[^«»]+)»"))
@checks(Text(DOWNLOADED, Group("name")), by=ADMIN)
def file_downloaded(cast: Cast, name: str) -> None:
    """Checks the downloaded file has this name and exactly the sheets «Статистика» and «Пользователи»."""
    assert cast.filename == name
    assert cast.book.sheetnames == ["Статистика", "Пользователи"]


def _expected(scene: Scene, cast: Cast, datatable: list[list[str]]) -> list[tuple[str, ...]]:
    """The feature's table: «{учитель}» is that person's name, or the ID of their profile in an ID column."""
    header = datatable[0]
    rows = []
    for row in datatable[1:]:
        values = []
        for heading, value in zip(header, row, strict=True):
            if value.startswith("{") and value.endswith("}"):
                who = person(scene, cast, value[1:-1])
                if heading.startswith("ID"):
                    value = str(created(who.ids, "profile_id", f"«{value[1:-1]}»", "учебный профиль"))
                else:
                    value = full_name(who)
            values.append(value)
        rows.append(tuple(values))
    return rows


@then(
    parsers.re(r"на листе «(?P<name>Статистика|Пользователи)» (?P<what>недельная статистика|отчёт по пользователям):")
)
@checks(
    Table(f"{SHEET}Статистика", STATISTICS),
    Where(("sferum-cabinet",), {"name": "Статистика", "what": "недельная статистика"}),
    by=ADMIN,
)
@checks(
    Table(f"{SHEET}Пользователи", USERS),
    Where(("sferum-cabinet",), {"name": "Пользователи", "what": "отчёт по пользователям"}),
    by=ADMIN,
)
def sheet_rows(scene: Scene, cast: Cast, name: str, datatable: list[list[str]]) -> None:
    """Header exactly as the instruction has it; rows in any order (the file sorts them by ФИО)."""
    header, rows = sheet(cast, name)
    assert header == tuple(datatable[0])
    assert sorted(rows) == sorted(_expected(scene, cast, datatable))
    names = [r[column(header, "ФИО")] for r in rows]
    assert names == sorted(names)


# -- invitations and join requests ----------------------------------------------------------------


@when(parsers.re(r"администратор приглашает пользователя по номеру телефона как «(?P<role>[^«»]+)»"))
@acts(
    Fill("Телефон, почта или ID профиля", Subject("phone")),
    Fill("Тип пользователя", Group("role")),
    Click("Отправить приглашение", role="button"),
    by=ADMIN,
)
def invite_by_phone(scene: Scene, cast: Cast, role: str) -> None:
    """Types the actor's phone into «Телефон, почта или ID профиля», chooses the role and clicks «Отправить приглашение» on the administrator's page."""
    page = cast.admin
    page.get_by_label("Телефон, почта или ID профиля").fill(scene.person.phone)
    page.get_by_label("Тип пользователя").select_option(label=role)
    page.get_by_role("button", name="Отправить приглашение").click()


@then("sferum.ru сообщает, что приглашение отправлено на его номер, и показывает его среди приглашений")
@checks(Gained("invitation_sent"), Shows("Ожидает ответа"), by=ADMIN)
def invitation_sent(scene: Scene, cast: Cast) -> None:
    """Checks the administrator's page says the invitation went to the actor's phone and lists it alone, «Педагог Ожидает ответа»."""
    page = cast.admin
    digits = scene.person.phone.removeprefix("+7")  # a phone as every screen shows it: «+7 900 222-00-09»
    shown = f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    expect(page.get_by_role("status")).to_have_text(f"Приглашение отправлено: {shown}")
    expect(page.get_by_test_id("sent-invitation")).to_have_text([f"{shown} Педагог Ожидает ответа"])


@then("на его номер пришло SMS с приглашением от организации")
def invitation_sms(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the next SMS to the actor's phone says the school invites them into the organisation."""
    sms = sim_session.wait_message(to=scene.person.phone, channel="sms", after=scene.last_message)
    scene.last_message = sms["id"]  # read: the next message to this number is a sign-in code
    assert f"«{scene.school['name']}» приглашает вас в организацию" in sms["text"]


@then(parsers.re(r"в разделе «Заявки» заявка пользователя как «(?P<role>[^«»]+)»"))
@checks(Text("join-request-role", Group("role")), by=ADMIN)
def request_listed(scene: Scene, cast: Cast, role: str) -> None:
    """Checks the administrator's page lists exactly one join request, with the actor's name, profile ID and this role."""
    requests = cast.admin.get_by_test_id("join-request")
    expect(requests).to_have_count(1)
    profile_id = created(scene.person.ids, "profile_id", "него", "учебный профиль")
    expect(requests).to_contain_text(f"{full_name(scene.person)} · ID {profile_id}")
    expect(requests).to_contain_text(role)


@when(parsers.re(r"администратор нажимает в личном кабинете «(?P<label>Подтвердить|Отклонить)» в заявке пользователя"))
def decide(scene: Scene, cast: Cast, label: str) -> None:
    """Clicks «Подтвердить» or «Отклонить» in the actor's join request on the administrator's page."""
    request = cast.admin.get_by_test_id("join-request").filter(has_text=full_name(scene.person))
    request.get_by_role("button", name=label, exact=True).click()


@then(parsers.re(r"sferum.ru сообщает «(?P<text>.+)»$"))
def sferum_says(scene: Scene, cast: Cast, text: str) -> None:
    """Checks the administrator's page status reads this text, «{пользователь}» in it being the actor's name."""
    expect(cast.admin.get_by_role("status")).to_have_text(text.replace("{пользователь}", full_name(scene.person)))


@then("новых заявок нет")
@checks(Shows("Новых заявок нет."), by=ADMIN)
def no_requests(cast: Cast) -> None:
    """Checks the administrator's page says «Новых заявок нет.»."""
    expect(cast.admin.get_by_test_id("no-requests")).to_have_text("Новых заявок нет.")


# -- what the world now holds ---------------------------------------------------------------------


@then(parsers.re(r"учебный профиль пользователя (?P<negation>не )?прикреплён к организации(?: как «(?P<role>\w+)»)?"))
def attached(sim_session: SimSession, scene: Scene, negation: str | None, role: str | None) -> None:
    """Checks the world: the actor's profile is attached to the school alone, with this role, or to no organisation at all."""
    world = sim_session.snapshot()
    profile_id = created(scene.person.ids, "profile_id", "него", "учебный профиль")
    profile = first(
        (p for p in world["profiles"] if p["id"] == profile_id), f"учебный профиль id {profile_id}", "его нет"
    )
    attachments = [
        a for a in world["attachments"] if a["profile_id"] == profile["id"] and a["org_id"] == scene.school["id"]
    ]
    if negation:
        assert profile["org_ids"] == [] and attachments == []
    else:
        assert profile["org_ids"] == [scene.school["id"]]
        assert [a["role"] for a in attachments] == [role]


@given(
    parsers.re(
        r"учитель МЭШ с привязанным через VK ID учебным профилем Сферум и профилем-дублёром "
        r"на другом номере в чате «(?P<school_class>[^«» ]+) · Общая беседа»"
    )
)
def teacher_with_duplicate(
    sim_session: SimSession, personas: Personas, scene: Scene, cast: Cast, school_class: str
) -> None:
    """Seed 001's «профиль-дублёр»: a second VK ID on another number, let into the class chat by its link."""
    teacher = personas.make("teacher")
    cast.duplicate_phone = personas.phone()
    entry = teacher.entry(
        org=scene.school["id"],
        school_class=school_class,
        vkid=True,
        profile=True,
        linked="vkid",
        duplicate={"phone": cast.duplicate_phone, "classes": [school_class]},
    )
    teacher.ids = sim_session.seed({"people": [entry]})["people"][teacher.key]
    scene.actor = teacher


@when(parsers.re(r"проходит (?P<days>\d+) (?:день|дня|дней)"))
@acts(Wait(Group("days"), unit=24 * 3600))
def days_pass(sim_session: SimSession, days: str) -> None:
    """Moves the simulator's clock on by this many days."""
    sim_session.advance(int(days) * 24 * 3600)


@then("в личном кабинете приглашение пользователя принято")
def invitation_accepted(scene: Scene, cast: Cast) -> None:
    """Reloads the administrator's page and checks its one sent invitation reads «<phone> Педагог Принято» and the actor is among its users."""
    page = cast.admin
    page.reload()
    digits = scene.person.phone.removeprefix("+7")
    shown = f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    expect(page.get_by_test_id("sent-invitation")).to_have_text([f"{shown} Педагог Принято"])
    expect(page.get_by_test_id("user")).to_contain_text([full_name(scene.person)])


@then("учетная запись МЭШ привязана к профилю-дублёру, с которого он общается, и тот прикреплён к школе")
# A link made again after the account was unlinked, to a profile it already had: says more than «к его учебному профилю».
@checks(Gained("linked", also=("unlinked",), without=("profile_created",), via="vkid"))
def linked_to_duplicate(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the actor's account is linked only to the duplicate profile, attached to the school, and their first profile to no organisation."""
    world = sim_session.snapshot()
    ids = scene.person.ids
    duplicate = created(ids, "duplicate_profile_id", "него", "профиль-дублёр")
    own = created(ids, "profile_id", "него", "учебный профиль")
    assert [link["profile_id"] for link in sim_session.links() if link["person_id"] == scene.person.key] == [duplicate]
    org_of = {p["id"]: p["org_ids"] for p in world["profiles"]}
    assert known(org_of, duplicate, "профиль-дублёр —") == [scene.school["id"]]
    assert known(org_of, own, "учебный профиль —") == []
