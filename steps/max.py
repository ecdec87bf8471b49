"""МАХ steps: the number, registration and SMS-code screens, «Сферум в МАХ», VPN, and what the world holds."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import SimSession
from simulator.testing.acts import (
    CODE,
    Actor,
    Alert,
    Click,
    Fill,
    Gained,
    Group,
    Heading,
    Notice,
    Open,
    Screen,
    Shows,
    Switch,
    Table,
    Unchanged,
    Where,
    acts,
    checks,
)
from simulator.testing.client import Link

from .common import WHO, Scene, button, expect_countdown, read_code, seed_masked_phone
from .failures import created, fail, first, known, the_only

VPN = "Привязка учебного профиля Сферум в МАХ к учетной записи электронного журнала не работает при включенном VPN"


@pytest.fixture
def recorded() -> dict[str, Any]:
    """What the world held when МЭШ was switched to МАХ, to compare with afterwards."""
    return {}


def _own_profile(scene: Scene) -> Any:
    """The profile the actor's МЭШ account is linked to: the one in МАХ if they have one, else VK ID's."""
    return created(scene.person.ids, ("max_profile_id", "profile_id"), "него", "учебный профиль (в МАХ или VK ID)")


def _mes_links(sim_session: SimSession, scene: Scene) -> list[Link]:
    return [link for link in sim_session.links() if link["person_id"] == scene.person.key and link["journal"] == "mes"]


# -- the world --------------------------------------------------------------------------------------


@given("МЭШ подключает Сферум через МАХ")
def mes_uses_max(sim_session: SimSession, recorded: dict[str, Any]) -> None:
    """Sets МЭШ to connect Sferum through МАХ and records the world's links as they are now."""
    sim_session.settings(mes_sferum_in="max")
    recorded["links"] = sim_session.links()


@given(parsers.re(r"(?:у (?:учителя|пользователя) )?включен VPN"))
@acts(Switch("vpn", on=True))
def vpn_on(sim_session: SimSession) -> None:
    """Switches on the simulator's fault «vpn»: the user's VPN is on."""
    sim_session.fault("vpn")


@when(parsers.re(rf"(?:{WHO} )?выключает VPN"))
@acts(Switch("vpn", on=False))
def vpn_off(sim_session: SimSession) -> None:
    """Clears the simulator's fault «vpn»."""
    sim_session.clear_fault("vpn")


# -- МАХ screens ------------------------------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?открывает МАХ на компьютере"))
@acts(Open("max"))
def open_max(page: Page, sim_session: SimSession) -> None:
    """Opens МАХ (its web version stands for the app installed on the computer)."""
    page.goto(sim_session.url("max", "/"))


@then("МАХ открыт под его настоящими ФИО")
@checks(Screen("max-sferum", present=("no-profile", "max-user")))
def max_signed_in(page: Page, scene: Scene) -> None:
    """Checks «Сферум в МАХ» is open, its top bar shows the actor's last and first name, and there is no profile yet."""
    expect(page.get_by_role("heading", name="Сферум в МАХ", exact=True)).to_be_visible()
    expect(page.get_by_test_id("max-user")).to_have_text(f"{scene.person.last_name} {scene.person.first_name}")
    expect(page.get_by_test_id("no-profile")).to_be_visible()


@then("в МАХ зарегистрирован аккаунт с его ФИО, учебного профиля пока нет")
@checks(Gained("max_account_created", without=("profile_created",)))
def registered_without_profile(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: one МАХ account on the actor's phone, with the full name typed, and no profile yet."""
    accounts = [a for a in sim_session.snapshot("max_accounts")["max_accounts"] if a["phone"] == scene.person.phone]
    expected = (scene.typed("Фамилия"), scene.typed("Имя"), scene.typed("Отчество (необязательно)"), None)
    assert [(a["last_name"], a["first_name"], a["patronymic"], a["profile_id"]) for a in accounts] == [expected]


@then("МАХ предлагает скачать приложение:")
@checks(Table("download-group", ("где", "версии")), Where(("max-download",)))
def max_downloads(page: Page, datatable: list[list[str]]) -> None:
    """Checks «Скачать МАХ» lists, under each heading of the table, exactly its comma-separated links, in order."""
    for heading, labels in datatable[1:]:
        section = known({"Для телефона": "stores", "Для компьютера": "desktop"}, heading, "заголовок таблицы —")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_test_id(section).get_by_role("link")).to_have_text(labels.split(", "))


@then("МАХ показывает запрос на привязку учебного профиля Сферум в МАХ к учетной записи «МЭШ»")
@checks(Heading("Вход в МАХ"), Shows("Привязка учебного профиля Сферум в МАХ к учетной записи «МЭШ»"))
def link_request(page: Page) -> None:
    """Checks the screen «Вход в МАХ» shows the request «Привязка учебного профиля Сферум в МАХ к учетной записи «МЭШ»»."""
    expect(page.get_by_role("heading", name="Вход в МАХ")).to_be_visible()
    expect(page.get_by_test_id("link-request")).to_have_text(
        "Привязка учебного профиля Сферум в МАХ к учетной записи «МЭШ»"
    )


@when(parsers.re(rf"(?:{WHO} )?вводит свой номер телефона в поле «Номер телефона» и нажимает «Продолжить»"))
@acts(Fill("Номер телефона", Actor("phone")), Click("Продолжить", role="button"))
def enter_phone(page: Page, scene: Scene) -> None:
    """Types the actor's phone number into «Номер телефона» and clicks «Продолжить»."""
    page.get_by_label("Номер телефона", exact=True).fill(scene.person.phone)
    page.get_by_role("button", name="Продолжить", exact=True).click()


@then(parsers.re(r"МАХ просит ввести код (?P<registration>подтверждения регистрации )?из SMS: «(?P<countdown>[^«»]+)»"))
def asks_for_sms_code(page: Page, scene: Scene, registration: str | None, countdown: str) -> None:
    """Checks «Введите код из SMS» says the code (of registration, if so worded) went to the actor's masked number and the countdown reads this text."""
    expect(page.get_by_role("heading", name="Введите код из SMS")).to_be_visible()
    sent = "Код подтверждения регистрации отправлен в SMS" if registration else "Мы отправили SMS с кодом"
    expect(page.get_by_text(f"{sent} на номер {seed_masked_phone(scene.person.phone)}", exact=True)).to_be_visible()
    expect_countdown(page, countdown)


@when(parsers.re(rf"(?:{WHO} )?вводит полученный код из SMS и нажимает «(?P<label>Перейти в МАХ|Войти)»"))
@acts(Fill("Код подтверждения", CODE), Click(Group("label")))
def enter_sms_code(page: Page, sim_session: SimSession, scene: Scene, label: str) -> None:
    """Reads the next message to the actor's phone, checks it is an SMS, types its code into «Код подтверждения» and clicks «Перейти в МАХ» or «Войти»."""
    message = read_code(sim_session, scene, scene.person.phone)
    assert message["channel"] == "sms"
    page.get_by_label("Код подтверждения", exact=True).fill(message["code"])
    button(page, label).click()


@then(parsers.re(r"МАХ сообщает «(?P<text>.+)»$"))
@checks(Notice(Group("text"), on="max"))
@checks(Alert(Group("text"), on="max"))
def max_says(page: Page, text: str) -> None:
    """Checks the screen shows exactly this text."""
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@then("МАХ показывает ошибку: привязка не работает при включенном VPN")
@checks(Shows(VPN))
def max_vpn_error(page: Page) -> None:
    """Checks the alert on the screen says linking does not work with VPN on."""
    expect(page.get_by_role("alert")).to_contain_text(VPN)


@when(parsers.re(rf"(?:{WHO} )?указывает фамилию «(?P<value>[^«»]+)» и нажимает «Продолжить»"))
@acts(
    Fill("Фамилия", Group("value")),
    Fill("Имя", Actor("first_name")),
    Click("Продолжить", role="button"),
    screen="max-register",
)
def register_bad_name(page: Page, scene: Scene, value: str) -> None:
    """Types this last name and the actor's first name into the registration form and clicks «Продолжить»."""
    page.get_by_label("Фамилия", exact=True).fill(value)
    page.get_by_label("Имя", exact=True).fill(scene.person.first_name)
    page.get_by_role("button", name="Продолжить", exact=True).click()


@when(parsers.re(rf"(?:{WHO} )?указывает свои настоящие ФИО и нажимает «Продолжить»"))
@acts(
    Fill("Фамилия", Actor("last_name")),
    Fill("Имя", Actor("first_name")),
    Fill("Отчество (необязательно)", Actor("patronymic")),
    Click("Продолжить", role="button"),
    screen="max-register",
)
# After a refused last name the form keeps the first name typed with it: only the rest is typed again.
@acts(
    Fill("Фамилия", Actor("last_name")),
    Fill("Отчество (необязательно)", Actor("patronymic")),
    Click("Продолжить", role="button"),
    screen="max-register",
)
def register_real_name(page: Page, scene: Scene) -> None:
    """Types the actor's last name, first name and patronymic, remembers them, and clicks «Продолжить»."""
    actor = scene.person
    scene.entered = {"Фамилия": actor.last_name, "Имя": actor.first_name, "Отчество (необязательно)": actor.patronymic}
    for label, value in scene.entered.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Продолжить", exact=True).click()


@when(parsers.re(rf"(?:{WHO} )?указывает дату рождения и пол и нажимает «Создать учебный профиль»"))
@acts(
    Fill("Дата рождения", Actor("birth_date")),
    Fill("Пол", Actor("sex")),
    Click("Создать учебный профиль", role="button"),
)
def new_profile(page: Page, scene: Scene) -> None:
    """Checks the name shown is the actor's, types their birth date and sex and clicks «Создать учебный профиль»."""
    expect(page.get_by_test_id("profile-name")).to_have_text(scene.person.full_name)
    page.get_by_label("Дата рождения").fill(scene.person.birth_date.strftime("%d.%m.%Y"))
    page.get_by_label("Пол").select_option(scene.person.sex)
    page.get_by_role("button", name="Создать учебный профиль", exact=True).click()


@then(parsers.re(r"открывается «Сферум в МАХ» с его учебным профилем и школой(?P<chats> и её чатами)?"))
@checks(Screen("max-sferum", present=("profile-name", "organisation", "chats-pending")))
@checks(Screen("max-sferum", values={"chats": " и её чатами"}, present=("profile-name", "organisation", "chats")))
def sferum_in_max(page: Page, scene: Scene, chats: str | None) -> None:
    """Checks «Сферум в МАХ» shows the actor's name and the school, and either its chats «Учителя» and «Общая беседа» or that chats are being created."""
    expect(page.get_by_role("heading", name="Сферум в МАХ", exact=True)).to_be_visible()
    expect(page.get_by_test_id("profile-name")).to_have_text(scene.person.full_name)
    expect(page.get_by_test_id("organisation")).to_have_text(scene.school["name"])
    if chats:
        school_class = scene.school["classes"][0]
        expect(page.get_by_test_id("chats")).to_contain_text(f"{scene.school['name']} · Учителя")
        expect(page.get_by_test_id("chats")).to_contain_text(f"{school_class} · Общая беседа")
    else:  # just linked: Sferum builds the chats a few minutes later
        expect(page.get_by_test_id("chats-pending")).to_be_visible()


# -- what the world now holds ---------------------------------------------------------------------


@then("учетная запись МЭШ привязана к его учебному профилю Сферум в МАХ")
@checks(Gained("linked", via="max", without=("profile_created", "profile_in_max")))
def linked_in_max(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the actor's МЭШ account has exactly one link, via МАХ, to their profile in МАХ."""
    profile_id = created(scene.person.ids, "max_profile_id", "него", "учебный профиль в МАХ")
    links = _mes_links(sim_session, scene)
    assert [(link["profile_id"], link["via"]) for link in links] == [(profile_id, "max")]


@then("учетная запись МЭШ привязана к его прежнему учебному профилю Сферум, теперь он и в МАХ")
@checks(Gained("linked", via="max", also=("profile_in_max",), without=("profile_created",)))
def linked_existing_profile(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the actor's МЭШ account has one link, via МАХ, to their old profile, which has both their VK ID and МАХ, and no profile was added."""
    ids = scene.person.ids
    profile_id = created(ids, "profile_id", "него", "учебный профиль")
    links = _mes_links(sim_session, scene)
    assert [(link["profile_id"], link["via"]) for link in links] == [(profile_id, "max")]
    profiles = sim_session.snapshot("profiles")["profiles"]
    assert len(profiles) == scene.profiles_before  # no second profile
    profile = first((p for p in profiles if p["id"] == profile_id), f"учебный профиль id {profile_id}", "его нет")
    vkid_id, max_id = created(ids, "vkid_id", "него", "аккаунт VK ID"), created(ids, "max_id", "него", "аккаунт МАХ")
    assert (profile["vkid_id"], profile["max_id"]) == (vkid_id, max_id)


@then("в МАХ зарегистрирован аккаунт с его ФИО, в МАХ создан его учебный профиль, и он привязан к учетной записи МЭШ")
@checks(Gained("linked", via="max", also=("max_account_created", "profile_created")))
def registered_and_linked(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: a МАХ account on the actor's phone has the name typed, its own new profile has that name, birth date and sex, and the МЭШ account is linked to it alone, via МАХ."""
    world = sim_session.snapshot()
    account = the_only(
        (a for a in world["max_accounts"] if a["phone"] == scene.person.phone),
        f"один аккаунт МАХ на телефоне {scene.person.phone}",
        "аккаунтов МАХ на этом телефоне",
    )
    assert (account["last_name"], account["first_name"], account["patronymic"]) == (
        scene.typed("Фамилия"),
        scene.typed("Имя"),
        scene.typed("Отчество (необязательно)"),
    )
    profile = first(
        (p for p in world["profiles"] if p["id"] == account["profile_id"]),
        "учебный профиль этого аккаунта МАХ",
        "у аккаунта нет профиля",
    )
    assert (profile["max_id"], profile["vkid_id"]) == (account["id"], None)
    assert (profile["last_name"], profile["first_name"], profile["patronymic"]) == (
        account["last_name"],
        account["first_name"],
        account["patronymic"],
    )
    assert (profile["birth_date"], profile["sex"]) == (scene.person.birth_date.isoformat(), scene.person.sex)
    links = _mes_links(sim_session, scene)
    assert [(link["profile_id"], link["via"]) for link in links] == [(profile["id"], "max")]


@then("аккаунт в МАХ не создан")
@checks(Unchanged(("max_account_created",), on="max"))
def no_max_account(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world holds no МАХ account on the actor's phone."""
    assert [a for a in sim_session.snapshot("max_accounts")["max_accounts"] if a["phone"] == scene.person.phone] == []


@then("привязка прежняя: новая не создана")
def links_unchanged(sim_session: SimSession, scene: Scene, recorded: dict[str, Any]) -> None:
    """Checks the world's links are the ones recorded when МЭШ switched to МАХ, and no profile was added."""
    if "links" not in recorded:
        fail("привязки, записанные шагом «Дано МЭШ подключает Сферум через МАХ»", "этого шага в сценарии не было")
    assert recorded["links"] and sim_session.links() == recorded["links"]
    assert len(sim_session.snapshot("profiles")["profiles"]) == scene.profiles_before


@then("учетная запись МЭШ по-прежнему привязана к учебному профилю")
def still_linked(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the actor's МЭШ account has exactly one link, to their МАХ profile or else their VK ID one."""
    expected = _own_profile(scene)
    assert [link["profile_id"] for link in _mes_links(sim_session, scene)] == [expected]


@then("учетная запись МЭШ отвязана от учебного профиля, учебный профиль сохранён")
@checks(Gained("unlinked"))
def unlinked(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the actor's МЭШ account has no link, and the profile it had still exists."""
    assert _mes_links(sim_session, scene) == []
    profile_ids = {p["id"] for p in sim_session.snapshot("profiles")["profiles"]}
    assert _own_profile(scene) in profile_ids
