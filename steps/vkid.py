"""VK ID steps: the sign-in screens between a journal and the educational profile."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import Persona, SimSession
from simulator.testing.acts import (
    CODE,
    Actor,
    Click,
    Code,
    DocString,
    Fill,
    Group,
    Heading,
    OnlyButton,
    Own,
    Screen,
    Shows,
    Switch,
    Table,
    Unchanged,
    Wrong,
    acts,
    checks,
)

from .common import WHO, Scene, code_of, expect_countdown, read_code, read_latest_code, seed_masked_phone, seed_phone
from .failures import fail, known

CHANNELS = {"звонком": "call", "по SMS": "sms"}


@given(parsers.re(r"VK ID подтверждает вход (?P<how>звонком|по SMS)"))
def confirmation_channel(sim_session: SimSession, how: str) -> None:
    """Sets the session's default: VK ID confirms the phone of an account that names no channel of its own by a flash call («звонком») or by SMS. A number with no account, or one after its password, gets an SMS regardless."""
    sim_session.settings(phone_code_channel=CHANNELS[how])


@given("VK ID не может получить идентификационные данные")
@acts(Switch("identity_unavailable", on=True))
def identity_unavailable(sim_session: SimSession) -> None:
    """Switches on the simulator's fault «identity_unavailable»: VK ID cannot get the identification data."""
    sim_session.fault("identity_unavailable")


@when("VK ID снова может получить идентификационные данные")
@acts(Switch("identity_unavailable", on=False))
def identity_back(sim_session: SimSession) -> None:
    """Clears the fault «identity_unavailable»: VK ID gets the identification data again."""
    sim_session.clear_fault("identity_unavailable")


@then(parsers.re(r"открывается «Вход в VK ID» с сервисом «(?P<service>[^«»]+)»"))
@checks(Heading("Вход в VK ID"), Shows("С сервисом «{service}» можно связать свой учебный профиль"))
def vkid_login_screen(page: Page, service: str) -> None:
    """Checks the screen shows «Вход в VK ID» and says the named service can be linked with the educational profile."""
    expect(page.get_by_role("heading", name="Вход в VK ID")).to_be_visible()
    expect(page.get_by_text(f"С сервисом «{service}» можно связать свой учебный профиль")).to_be_visible()


@then(parsers.re(r"VK ID объясняет: «(?P<text>[^«»]+)»"))
def vkid_explains(page: Page, text: str) -> None:
    """Checks the screen shows exactly this text."""
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит свой номер телефона в поле «Телефон или почта» и нажимает «Продолжить»"))
@acts(Fill("Телефон или почта", Actor("phone")), Click("Продолжить", role="button"))
def enter_phone(page: Page, scene: Scene) -> None:
    """Types the actor's phone number into «Телефон или почта» and clicks «Продолжить»."""
    scene.login = scene.person.phone
    page.get_by_label("Телефон или почта").fill(scene.login)
    page.get_by_role("button", name="Продолжить").click()


@when(parsers.re(rf"(?:{WHO} )?указывает электронную почту в поле «Телефон или почта» и нажимает «Продолжить»"))
@acts(Fill("Телефон или почта", Actor("email")), Click("Продолжить", role="button"))
def enter_email(page: Page, scene: Scene) -> None:
    """Types the actor's e-mail into «Телефон или почта» and clicks «Продолжить»."""
    scene.login = scene.person.email
    page.get_by_label("Телефон или почта").fill(scene.login)
    page.get_by_role("button", name="Продолжить").click()


@then("VK ID сообщает, что отправил письмо с кодом на эту почту")
@checks(Screen("code-email"), Shows("Мы отправили письмо с кодом на адрес"))
def email_code_sent(page: Page, scene: Scene) -> None:
    """Checks the screen says «Мы отправили письмо с кодом на адрес …» with the actor's e-mail; the outbox is not checked."""
    expect(page.get_by_text(f"Мы отправили письмо с кодом на адрес {scene.person.email}")).to_be_visible()


@then(parsers.re(r"VK ID показывает отсчёт «(?P<text>[^«»]+)»"))
def countdown(page: Page, text: str) -> None:
    """Checks the countdown on the screen reads exactly this text."""
    expect_countdown(page, text)


@when(parsers.re(r"(?:снова )?нажимает «Продолжить» на экране «Вход в VK ID»"))
@acts(Click("Продолжить", role="button"), screen="login")
def press_continue_again(page: Page) -> None:
    """Clicks «Продолжить»."""
    page.get_by_role("button", name="Продолжить").click()


@then(parsers.re(r"VK ID просит подтвердить вход: «(?P<hint>[^«»]+)»"))
@checks(Screen("code-call", {"hint": "Введите последние 4 цифры этого номера"}))
@checks(Screen("code-sms", {"hint": "Мы отправили SMS с кодом на номер"}))
def asks_for_code(page: Page, hint: str) -> None:
    """Checks the screen shows this hint."""
    expect(page.get_by_text(hint)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит (?:полученный код|код из (?P<message>письма)) и нажимает «Продолжить»"))
@acts(Fill("Код подтверждения", Code("email")), Click("Продолжить", role="button"), values={"message": "письма"})
@acts(Fill("Код подтверждения", CODE), Click("Продолжить", role="button"))
def enter_code(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Reads the newest code sent to what the actor typed (or their phone), once one not read before has come — the SMS/e-mail code or a call's last four digits — types it into «Код подтверждения» and clicks «Продолжить»."""
    message = read_latest_code(sim_session, scene, scene.login or scene.person.phone)
    scene.entered["code"] = code_of(message)
    page.get_by_label("Код подтверждения").fill(scene.typed("code"))
    page.get_by_role("button", name="Продолжить").click()


@when(parsers.re(rf"(?:{WHO} )?вводит код из предыдущего письма и нажимает «Продолжить»"))
def enter_previous_code(page: Page, scene: Scene) -> None:
    """Types the code read earlier in the scenario into «Код подтверждения» again and clicks «Продолжить»."""
    page.get_by_label("Код подтверждения").fill(scene.typed("code"))
    page.get_by_role("button", name="Продолжить").click()


@when(parsers.re(rf"(?:{WHO} )?(?P<times>\d+ раз )?вводит неверный код и нажимает «Продолжить»"))
def enter_wrong_code(page: Page, sim_session: SimSession, scene: Scene, times: str | None) -> None:
    """Reads the next code sent, types a wrong one (each digit plus one) and clicks «Продолжить», once or the given number of times, checking each time that «Код подтверждения» is marked invalid."""
    message = read_code(sim_session, scene, scene.login or scene.person.phone)
    scene.entered["code"] = right = code_of(message)
    wrong = "".join(str((int(d) + 1) % 10) for d in right)
    for _ in range(int(times.split()[0]) if times else 1):
        page.get_by_label("Код подтверждения").fill(wrong)
        page.get_by_role("button", name="Продолжить").click()
        expect(page.get_by_label("Код подтверждения")).to_have_attribute("aria-invalid", "true")


@when(parsers.re(rf"(?:{WHO} )?вводит верный код из того же сообщения и нажимает «Продолжить»"))
def enter_same_code(page: Page, scene: Scene) -> None:
    """Types the right code of the message already read into «Код подтверждения» and clicks «Продолжить»."""
    page.get_by_label("Код подтверждения").fill(scene.typed("code"))
    page.get_by_role("button", name="Продолжить").click()


@then(parsers.re(r"VK ID просит пароль: «(?P<text>[^«»]+)»"))
@checks(
    Screen("password", {"text": "Используйте пароль, указанный при регистрации с почтой <почта>"}),
    Shows("Используйте пароль, указанный при регистрации с почтой"),
)
def asks_password(page: Page, scene: Scene, text: str) -> None:
    """Checks the screen shows «Введите пароль» and this text, «<почта>» in it being the actor's e-mail."""
    expect(page.get_by_role("heading", name="Введите пароль")).to_be_visible()
    expect(page.get_by_text(text.replace("<почта>", scene.person.email))).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит пароль учебного профиля и нажимает «Продолжить»"))
@acts(Fill("Пароль", Actor("email_password")), Click("Продолжить", role="button"), screen="password")
def enter_password(page: Page, scene: Scene) -> None:
    """Types the password the actor set in the scenario (or else their own) into «Пароль» and clicks «Продолжить»."""
    page.get_by_label("Пароль", exact=True).fill(scene.password or scene.person.password)
    page.get_by_role("button", name="Продолжить").click()


@when(parsers.re(rf"(?:{WHO} )?указывает пароль для нового учебного профиля и нажимает «Продолжить»"))
@acts(Fill("Пароль", Actor("password")), Click("Продолжить", role="button"), screen="new-password")
def set_password(page: Page, scene: Scene) -> None:
    """Checks the screen shows «Придумайте пароль», types the actor's password into «Пароль», remembers it and clicks «Продолжить»."""
    expect(page.get_by_role("heading", name="Придумайте пароль")).to_be_visible()
    scene.password = scene.person.password
    page.get_by_label("Пароль", exact=True).fill(scene.password)
    page.get_by_role("button", name="Продолжить").click()


NEW_PASSWORD_TWICE = (Fill("Новый пароль", Actor("new_password")), Fill("Повторите пароль", Actor("new_password")))
SAVE_PASSWORD = Click("Сохранить пароль", role="button")


@when(
    parsers.re(rf"(?:{WHO} )?вводит код из (?P<message>SMS|письма), новый пароль дважды и нажимает «Сохранить пароль»")
)
@acts(Fill("Код подтверждения", Code("sms")), *NEW_PASSWORD_TWICE, SAVE_PASSWORD, values={"message": "SMS"})
@acts(Fill("Код подтверждения", Code("email")), *NEW_PASSWORD_TWICE, SAVE_PASSWORD, values={"message": "письма"})
def restore_password(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Reads the next code sent to what the actor typed, types it and a new password into «Новый пароль» and «Повторите пароль», remembers it and clicks «Сохранить пароль»."""
    message = read_code(sim_session, scene, scene.typed_login)
    page.get_by_label("Код подтверждения").fill(code_of(message))
    _new_password(page, scene)


TYPED_PASSWORD_TWICE = (Fill("Новый пароль", Group("new")), Fill("Повторите пароль", Group("new")))


@when(
    parsers.re(
        rf"(?:{WHO} )?вводит код из (?P<message>SMS|письма), новый пароль «(?P<new>[^«»]*)» дважды и нажимает "
        r"«Сохранить пароль»"
    )
)
@acts(Fill("Код подтверждения", Code("sms")), *TYPED_PASSWORD_TWICE, SAVE_PASSWORD, values={"message": "SMS"})
@acts(Fill("Код подтверждения", Code("email")), *TYPED_PASSWORD_TWICE, SAVE_PASSWORD, values={"message": "письма"})
def restore_with_password(page: Page, sim_session: SimSession, scene: Scene, new: str) -> None:
    """Reads the next code sent to what the actor typed, remembers it, types it and this password into «Новый пароль» and «Повторите пароль» and clicks «Сохранить пароль»."""
    scene.entered["code"] = code_of(read_code(sim_session, scene, scene.typed_login))
    page.get_by_label("Код подтверждения").fill(scene.entered["code"])
    for label in ("Новый пароль", "Повторите пароль"):
        page.get_by_label(label).fill(new)
    page.get_by_role("button", name="Сохранить пароль").click()


@when(parsers.re(rf"(?:{WHO} )?вводит новый пароль дважды и нажимает «Сохранить пароль»"))
@acts(*NEW_PASSWORD_TWICE, SAVE_PASSWORD)
def restore_again(page: Page, scene: Scene) -> None:
    """Checks «Код подтверждения» still holds the code typed before (a refused password used it up not), types a new password into «Новый пароль» and «Повторите пароль», remembers it and clicks «Сохранить пароль»."""
    expect(page.get_by_label("Код подтверждения")).to_have_value(scene.typed("code"))
    _new_password(page, scene)


def _new_password(page: Page, scene: Scene) -> None:
    scene.password = scene.person.new_password
    page.get_by_label("Новый пароль").fill(scene.password)
    page.get_by_label("Повторите пароль").fill(scene.password)
    page.get_by_role("button", name="Сохранить пароль").click()


@then("VK ID предлагает восстановить пароль кодом в SMS на его номер")
@checks(Screen("restore"), Shows("Мы отправим код подтверждения в SMS на номер"))
def offers_restore_by_sms(page: Page, scene: Scene) -> None:
    """Checks «Восстановление пароля» says the code goes by SMS to the actor's number, masked as seed 003 masks it («+7 *** ** *11»)."""
    expect(page.get_by_role("heading", name="Восстановление пароля", exact=True)).to_be_visible()
    masked = seed_masked_phone(scene.person.phone)
    text = f"Мы отправим код подтверждения в SMS на номер {masked}, и вы сможете задать новый пароль."
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@then(parsers.re(r"VK ID показывает его учетные данные и кнопку «(?P<label>[^«»]+)»"))
@checks(Heading("Проверьте учетные данные"), OnlyButton(Group("label")))
def shows_account(page: Page, scene: Scene, label: str) -> None:
    """Checks the screen shows «Проверьте учетные данные», the account with the actor's first name, and the button with this label."""
    expect(page.get_by_role("heading", name="Проверьте учетные данные")).to_be_visible()
    expect(page.get_by_test_id("account")).to_contain_text(scene.person.first_name)
    expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?проверяет данные учебного профиля и нажимает «Продолжить»"))
@acts(Click("Продолжить", role="button"), screen="confirm")
def confirm_profile(page: Page, scene: Scene) -> None:
    """Checks the profile on the screen has the actor's last name and clicks «Продолжить»."""
    expect(page.get_by_test_id("profile")).to_contain_text(scene.person.last_name)
    page.get_by_role("button", name="Продолжить").click()


@then("открывается «Информация о себе»")
@checks(Screen("about"))
def about_screen(page: Page) -> None:
    """Checks the screen shows the heading «Информация о себе»."""
    expect(page.get_by_role("heading", name="Информация о себе")).to_be_visible()


@when(
    parsers.re(
        rf"(?:{WHO} )?указывает (?:настоящие )?ФИО, дату рождения,? (?:и )?пол(?: ребёнка)? и нажимает «Продолжить»"
    )
)
@acts(
    Fill("Фамилия", Actor("last_name")),
    Fill("Имя", Actor("first_name")),
    Fill("Отчество (необязательно)", Actor("patronymic")),
    Fill("Дата рождения", Actor("birth_date")),
    Fill("Пол", Actor("sex")),
    Click("Продолжить", role="button"),
)
def fill_about(page: Page, scene: Scene) -> None:
    """Fills «Информация о себе» with the actor's last name, first name, patronymic, birth date and sex, remembers what was typed, and clicks «Продолжить»."""
    _about(page, scene, scene.person.patronymic)


@when(
    parsers.re(
        rf"(?:{WHO} )?указывает (?:ФИО без отчества, дату рождения, пол|настоящие фамилию, имя, дату рождения, пол, "
        r"оставляет необязательное «Отчество» пустым) и нажимает «Продолжить»"
    )
)
@acts(
    Fill("Фамилия", Actor("last_name")),
    Fill("Имя", Actor("first_name")),
    Fill("Отчество (необязательно)", ""),
    Fill("Дата рождения", Actor("birth_date")),
    Fill("Пол", Actor("sex")),
    Click("Продолжить", role="button"),
    screen="about",
)
def fill_about_without_patronymic(page: Page, scene: Scene) -> None:
    """The patronymic is optional on «Информация о себе»: it is left empty."""
    _about(page, scene, "")


ABOUT_FIELDS = ("Фамилия", "Имя", "Отчество (необязательно)", "Дата рождения", "Пол")


@when(parsers.re(rf"(?:{WHO} )?указывает о себе и нажимает «Продолжить»:"))
@acts(
    Fill("Фамилия", Own("last_name")),
    Fill("Имя", Own("first_name")),
    Fill("Отчество (необязательно)", Own("patronymic")),
    Fill("Дата рождения", Own("birth_date")),
    Fill("Пол", Own("sex")),
    Click("Продолжить", role="button"),
    screen="about",
)
def fill_about_as_table(page: Page, scene: Scene, datatable: list[list[str]]) -> None:
    """Fills «Информация о себе» with the actor's own data except the fields the table names (| поле | значение |, a sex by what the list shows, an empty value leaves the field empty), remembers what was typed and clicks «Продолжить»."""
    if not datatable or datatable[0] != ["поле", "значение"]:
        fail("таблица с заголовком | поле | значение |", f"заголовок {datatable[0] if datatable else 'пустой'}")
    given = {row[0]: row[1] for row in datatable[1:]}
    for label in given:
        known({field_: field_ for field_ in ABOUT_FIELDS}, label, "поле таблицы —")
    actor = scene.person
    own = (actor.last_name, actor.first_name, actor.patronymic, actor.birth_date.strftime("%d.%m.%Y"))
    values = {label: given.get(label, value) for label, value in zip(ABOUT_FIELDS, own, strict=False)}
    scene.entered = {label: values[label] for label in ABOUT_FIELDS[:3]}
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    if "Пол" in given:
        page.get_by_label("Пол").select_option(label=given["Пол"])
    else:
        page.get_by_label("Пол").select_option(actor.sex)
    page.get_by_role("button", name="Продолжить").click()


def _about(page: Page, scene: Scene, patronymic: str) -> None:
    actor = scene.person
    scene.entered = {"Фамилия": actor.last_name, "Имя": actor.first_name, "Отчество (необязательно)": patronymic}
    for label, value in scene.entered.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Дата рождения").fill(actor.birth_date.strftime("%d.%m.%Y"))
    page.get_by_label("Пол").select_option(actor.sex)
    page.get_by_role("button", name="Продолжить").click()


def vkid_password(persona: Persona) -> str:
    """A persona's VK ID password: not its journal password, so a test can tell which one was typed."""
    return f"Vk-{persona.password}"


@then(parsers.re(r"VK ID просит ввести пароль(?:, указанный при регистрации с его телефоном| от аккаунта VK ID)"))
@checks(Screen("password"), Shows("Используйте пароль, указанный при регистрации с телефоном"))
def asks_for_vkid_password(page: Page, scene: Scene) -> None:
    """Checks the screen «Введите пароль» names the actor's phone in its hint and shows the password field and «Забыли или не установили пароль?»."""
    expect(page.get_by_role("heading", name="Введите пароль", exact=True)).to_be_visible()
    hint = f"Используйте пароль, указанный при регистрации с телефоном {seed_phone(scene.person.phone)}"
    expect(page.get_by_text(hint, exact=True)).to_be_visible()
    expect(page.get_by_placeholder("Введите пароль", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Забыли или не установили пароль?", exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит (?:(?P<new>новый) )?пароль от аккаунта VK(?: ID)? и нажимает «Продолжить»"))
@acts(Fill("Пароль", Actor("vkid_password")), Click("Продолжить", role="button"), screen="password")
@acts(
    Fill("Пароль", Actor("vkid_new_password")),
    Click("Продолжить", role="button"),
    screen="password",
    values={"new": "новый"},
)
def enter_vkid_password(page: Page, scene: Scene) -> None:
    """Types the actor's VK ID password (not their journal one), or the one they set in the scenario, into «Введите пароль» and clicks «Продолжить»."""
    page.get_by_placeholder("Введите пароль", exact=True).fill(scene.password or vkid_password(scene.person))
    page.get_by_role("button", name="Продолжить", exact=True).click()


@when(parsers.re(rf"(?:{WHO} )?(?P<times>\d+ раза? )?вводит неверный пароль и нажимает «Продолжить»"))
@acts(Fill("Пароль", Wrong(("vkid_password", "email_password"))), Click("Продолжить", role="button"), screen="password")
def enter_wrong_password(page: Page, scene: Scene, times: str | None) -> None:
    """Types a password that is not the actor's into «Введите пароль» and clicks «Продолжить», once or the given number of times, checking each time that the field is marked invalid."""
    wrong = vkid_password(scene.person)[::-1] + "-не-тот"
    for _ in range(int(times.split()[0]) if times else 1):
        page.get_by_placeholder("Введите пароль", exact=True).fill(wrong)
        page.get_by_role("button", name="Продолжить", exact=True).click()
        expect(page.get_by_placeholder("Введите пароль", exact=True)).to_have_attribute("aria-invalid", "true")


@then("VK ID просит подтвердить номер кодом из SMS")
@checks(Screen("code-sms"), Shows("Мы отправили SMS с кодом на номер"))
def asks_for_sms_code(page: Page, scene: Scene) -> None:
    """Checks «Подтвердите номер» says the SMS went to the actor's masked number and shows «Код подтверждения» and «SMS придёт в течение 01:59»."""
    expect(page.get_by_role("heading", name="Подтвердите номер", exact=True)).to_be_visible()
    sent = f"Мы отправили SMS с кодом на номер {seed_masked_phone(scene.person.phone)}"
    expect(page.get_by_text(sent, exact=True)).to_be_visible()
    expect(page.get_by_label("Код подтверждения", exact=True)).to_be_visible()
    expect_countdown(page, "SMS придёт в течение 01:59")


# -- the text as the seeds print it, and the links on it ---------------------------------------------


@then("VK ID показывает текст, как его печатает инструкция:")
@checks(DocString(("consent", "terms")))  # the consent block and the terms under «Продолжить», as seed 003 prints them
def vkid_prints(page: Page, docstring: str) -> None:
    """Checks every line of the doc string is a whole line of the screen's text, in the same order."""
    shown = [line.strip() for line in page.locator("main").inner_text().splitlines() if line.strip()]
    at = 0
    for line in (line.strip() for line in docstring.splitlines() if line.strip()):
        if line not in shown[at:]:
            fail(f"строка «{line}» на экране после строки {at}", "на экране:\n" + "\n".join(shown))
        at = shown.index(line, at) + 1


@then(parsers.re(r"VK ID перечисляет, что сервис «(?P<service>[^«»]+)» получит из учебного профиля:"))
@checks(Table("shared-data", ("данные",)), Shows("Сервис «{service}» получит из вашего учебного профиля:"))
def shared_data_listed(page: Page, service: str, datatable: list[list[str]]) -> None:
    """Checks «Передаваемые данные» names the service and lists exactly the table's items, in order."""
    expect(page.get_by_role("heading", name="Передаваемые данные", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Сервис «{service}» получит из вашего учебного профиля:", exact=True)).to_be_visible()
    expect(page.get_by_test_id("shared-data").get_by_role("listitem")).to_have_text([row[0] for row in datatable[1:]])


@when(parsers.re(rf"(?:{WHO} )?нажимает «←» у заголовка «Информация о себе»"))
@acts(Click("Назад", role="button"), screen="about")  # the arrow's accessible name
def back_from_about(page: Page) -> None:
    """Checks the arrow before the heading «Информация о себе» reads «←» and clicks it (its name is «Назад»)."""
    arrow = page.locator(".screen-title").filter(has=page.get_by_role("heading", name="Информация о себе"))
    back = arrow.get_by_role("button", name="Назад", exact=True)
    expect(back).to_have_text("←")
    back.click()


@then(parsers.re(r"открывается справка VK ID «(?P<title>[^«»]+)»"))
def vkid_help(page: Page, sim_session: SimSession, title: str) -> None:
    """Checks a page of VK ID's own help (on VK ID's host) with exactly this heading is open."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    if not page.url.startswith(help_pages := sim_session.url("vkid", "/help/")):
        fail(f"страница справки по адресу {help_pages}…", page.url)


@then("аккаунт VK ID на эту почту не создан")
@checks(
    Unchanged(("vkid_account_created",), on="vkid", screens=("about",)),
    Shows("доступно создание учебного профиля Сферум по электронной почте"),
)
def no_email_account(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: no VK ID account signs in with the e-mail the actor typed."""
    assert [a for a in sim_session.snapshot("vkid_accounts")["vkid_accounts"] if a["email"] == scene.typed_login] == []


@then("в VK ID создан аккаунт на его номер телефона с введёнными ФИО")
def phone_account_created(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: exactly one VK ID account on the actor's phone, with the last and first name typed on «Информация о себе», and a profile."""
    accounts = [a for a in sim_session.snapshot("vkid_accounts")["vkid_accounts"] if a["phone"] == scene.person.phone]
    assert [(a["last_name"], a["first_name"]) for a in accounts] == [(scene.typed("Фамилия"), scene.typed("Имя"))]
    assert accounts[0]["profile_id"] is not None
