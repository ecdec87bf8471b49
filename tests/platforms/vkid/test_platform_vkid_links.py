"""VK ID's screens as the seeds print them, and the links on them that lead somewhere.

The consent block of seed 003, «Передаваемые данные >» by the scope the service asked for, «Подробнее...»
after seed 001's identity-data error, «←» on «Информация о себе», and seed 002's profile by e-mail only
«для учеников младших классов до 14 лет».
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from simulator.testing import SimSession
from tests.support.sim_browser import (
    VKID_HOST,
    Browser,
    authorize_url,
    enter_code,
    enter_login,
    last_message_id,
    location,
    mes_authorize_url,
    new_pkce,
    start,
)
from tests.support.sim_seeds import PHONE, person, world

EMAIL = "masha.petrova@example.ru"
TODAY = date(2024, 10, 16)  # the simulator clock's first day
# Seed 003, as its VK ID screen prints the consent block for «ЭлЖур».
CONSENT = [
    "С сервисом «ЭлЖур» можно связать свой учебный профиль:",
    "VK Мессенджер и VK Звонки можно использовать для учебных коммуникаций",
    "Для этого используйте учебный профиль VK ID",
    "Ваш профиль ВКонтакте никто не увидит",
    "Нажимая на «Продолжить», вы принимаете пользовательское соглашение и политику конфиденциальности сервиса.",
    "Передаваемые данные >",
]
# Seed 002: the e-mail profile is «для учеников младших классов до 14 лет»; a refusal says to use the phone.
UNDER_14 = "Для учеников младших классов до 14 лет доступно создание учебного профиля Сферум по электронной почте."
USE_PHONE = "войдите по номеру телефона"


def text(page: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def eljur_authorize_url(session: SimSession, scope: str = "phone email") -> str:
    """ЭлЖур's own client, registered in every session."""
    return authorize_url(
        new_pkce(), client_id="eljur", redirect_uri=session.url("eljur", "/vkid/callback"), scope=scope
    )


# -- the consent block and «Передаваемые данные >» -------------------------------------------------


def test_the_consent_block_reads_as_seed_003_prints_it(sim_session: SimSession, http_browser: Browser) -> None:
    start(http_browser, eljur_authorize_url(sim_session))
    page = http_browser.get("/auth", host=VKID_HOST).text
    shown = text(page)
    for line in CONSENT:
        assert line in shown
    assert shown.index(CONSENT[0]) < shown.index(CONSENT[1]) < shown.index(CONSENT[3]) < shown.index(CONSENT[4])
    assert '<a href="/auth/data">Передаваемые данные &gt;</a>' in page


@pytest.mark.parametrize(
    "scope, receives, not_received",
    [
        ("phone email", ["Номер телефона", "Электронная почта"], []),
        ("phone", ["Номер телефона"], ["Электронная почта"]),
        ("vkid.personal_info", [], ["Номер телефона", "Электронная почта"]),
    ],
)
def test_shared_data_lists_what_the_scope_gives_the_service(
    sim_session: SimSession, http_browser: Browser, scope: str, receives: list[str], not_received: list[str]
) -> None:
    start(http_browser, eljur_authorize_url(sim_session, scope))
    response = http_browser.get("/auth/data", host=VKID_HOST)
    assert response.status_code == 200
    listed = re.findall(r"<li>([^<]+)</li>", response.text.split('data-testid="shared-data"')[1].split("</ul>")[0])
    # The name, patronymic, sex, birthday and avatar go to every service (user_info always answers them).
    assert listed == ["Имя и фамилия", "Отчество, пол и дата рождения", "Фото профиля", *receives]
    assert not set(not_received) & set(listed)
    assert "Сервис «ЭлЖур» получит из вашего учебного профиля:" in text(response.text)
    assert 'href="/auth">Назад</a>' in response.text


def test_shared_data_goes_back_to_the_screen_the_user_is_on(sim_session: SimSession, http_browser: Browser) -> None:
    sim_session.seed(world(person()))
    start(http_browser, mes_authorize_url(sim_session))
    assert enter_login(http_browser, PHONE) == "/auth/code"
    page = http_browser.get("/auth/data", host=VKID_HOST).text
    assert 'href="/auth/code">Назад</a>' in page
    assert "Сервис «МЭШ ВКС» получит" in text(page)


def test_shared_data_without_a_sign_in_explains_itself(http_browser: Browser) -> None:
    response = http_browser.get("/auth/data", host=VKID_HOST)
    assert response.status_code == 400 and "Сессия входа не найдена" in response.text


# -- «Подробнее...» --------------------------------------------------------------------------------


def test_more_after_the_identity_error_opens_vkid_help(sim_session: SimSession, http_browser: Browser) -> None:
    sim_session.seed(world(person(vkid=False)))
    sim_session.fault("identity_unavailable")
    start(http_browser, mes_authorize_url(sim_session))
    response = http_browser.post("/auth", host=VKID_HOST, data={"login": PHONE})
    assert response.status_code == 503
    alert = re.search(r'<p class="alert" role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    assert alert is not None
    assert text(alert.group(1)) == (
        "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные. Подробнее..."
    )
    assert '<a href="/help/identity-data">Подробнее...</a>' in alert.group(1)
    help_page = http_browser.get("/help/identity-data", host=VKID_HOST)
    assert help_page.status_code == 200
    shown = text(help_page.text)
    assert "Невозможно получить идентификационные данные" in shown
    assert "нажмите «Продолжить» ещё раз" in shown
    assert 'href="/auth">Вернуться ко входу</a>' in help_page.text  # the sign-in is still under way
    assert sim_session.messages() == [] and sim_session.snapshot()["vkid_accounts"] == []


def test_the_help_page_opened_on_its_own_has_no_way_back_to_a_sign_in(http_browser: Browser) -> None:
    response = http_browser.get("/help/identity-data", host=VKID_HOST)
    assert response.status_code == 200 and "Вернуться ко входу" not in response.text


# -- «←» on «Информация о себе» --------------------------------------------------------------------


def test_back_from_a_new_accounts_information_returns_to_the_number(
    sim_session: SimSession, http_browser: Browser
) -> None:
    """A new VK ID: its code is spent, so «←» goes back to «Вход в VK ID» with the number kept."""
    sim_session.seed(world(person(vkid=False)))
    start(http_browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    assert enter_login(http_browser, PHONE) == "/auth/code"
    assert enter_code(http_browser, PHONE, after) == "/auth/about"
    page = http_browser.get("/auth/about", host=VKID_HOST).text
    assert 'action="/auth/back"' in page and 'aria-label="Назад"' in page and ">←</button>" in page
    assert location(http_browser.post("/auth/back", host=VKID_HOST), 303) == "/auth"
    login = http_browser.get("/auth", host=VKID_HOST)
    assert login.status_code == 200 and f'value="{PHONE}"' in login.text
    assert location(http_browser.get("/auth/about", host=VKID_HOST), 303) == "/auth"  # no way around the number
    assert sim_session.snapshot()["vkid_accounts"] == []


def test_back_from_a_new_profiles_information_returns_to_the_account(
    sim_session: SimSession, http_browser: Browser
) -> None:
    """«Создать учебный профиль» → «Информация о себе» → «←»: the account's screen with the button again."""
    sim_session.seed(world(person(profile=False)))
    start(http_browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    enter_login(http_browser, PHONE)
    assert enter_code(http_browser, PHONE, after) == "/auth/profile"
    create = http_browser.post("/auth/profile", host=VKID_HOST, data={"action": "create"})
    assert location(create, 303) == "/auth/about"
    assert location(http_browser.post("/auth/back", host=VKID_HOST), 303) == "/auth/profile"
    assert "Создать учебный профиль" in http_browser.get("/auth/profile", host=VKID_HOST).text
    assert sim_session.snapshot()["profiles"] == []


def new_email_to_about(sim_session: SimSession, browser: Browser) -> None:
    """A new e-mail: code from the letter, «Придумайте пароль», then «Информация о себе»."""
    start(browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    assert enter_login(browser, EMAIL) == "/auth/code"
    assert enter_code(browser, EMAIL, after) == "/auth/password"
    assert location(browser.post("/auth/password", host=VKID_HOST, data={"password": "Masha-2024"}), 303) == (
        "/auth/about"
    )


def test_back_from_an_email_profiles_information_returns_to_the_password(
    sim_session: SimSession, http_browser: Browser
) -> None:
    new_email_to_about(sim_session, http_browser)
    assert location(http_browser.post("/auth/back", host=VKID_HOST), 303) == "/auth/password"
    assert "Придумайте пароль" in http_browser.get("/auth/password", host=VKID_HOST).text


def test_back_is_only_on_the_information_screen(sim_session: SimSession, http_browser: Browser) -> None:
    assert http_browser.post("/auth/back", host=VKID_HOST).status_code == 400  # no sign-in under way
    start(http_browser, mes_authorize_url(sim_session))
    assert location(http_browser.post("/auth/back", host=VKID_HOST), 303) == "/auth"
    assert location(http_browser.post("/auth/phone", host=VKID_HOST), 303) == "/auth"


# -- seed 002: a profile by e-mail only for a student under 14 --------------------------------------


def about(birth: date) -> dict[str, str]:
    return {
        "first_name": "Мария",
        "last_name": "Петрова",
        "patronymic": "",
        "birth_date": birth.strftime("%d.%m.%Y"),
        "sex": "female",
    }


@pytest.mark.parametrize("birth", [date(2010, 10, 16), date(2008, 3, 1), date(1985, 1, 1)])
def test_an_email_profile_for_fourteen_or_older_is_refused(
    sim_session: SimSession, http_browser: Browser, birth: date
) -> None:
    new_email_to_about(sim_session, http_browser)
    before = sim_session.snapshot()
    response = http_browser.post("/auth/about", host=VKID_HOST, data=about(birth))
    assert response.status_code == 422
    shown = text(response.text)
    assert UNDER_14 in shown and USE_PHONE in shown
    assert "Войти по номеру телефона" in shown
    assert 'value="Петрова"' in response.text  # what was typed stays, to correct the birth date
    after = sim_session.snapshot()
    assert after["vkid_accounts"] == before["vkid_accounts"] == []
    assert after["profiles"] == before["profiles"] == []


def test_by_phone_after_the_refusal_starts_again_at_the_number(sim_session: SimSession, http_browser: Browser) -> None:
    new_email_to_about(sim_session, http_browser)
    http_browser.post("/auth/about", host=VKID_HOST, data=about(date(2009, 5, 5)))
    assert location(http_browser.post("/auth/phone", host=VKID_HOST), 303) == "/auth"
    login = http_browser.get("/auth", host=VKID_HOST)
    assert login.status_code == 200 and 'value=""' in login.text and EMAIL not in login.text
    assert sim_session.snapshot()["vkid_accounts"] == []


def test_an_email_profile_for_a_student_under_14_is_created(sim_session: SimSession, http_browser: Browser) -> None:
    new_email_to_about(sim_session, http_browser)
    response = http_browser.post("/auth/about", host=VKID_HOST, data=about(date(2010, 10, 17)))  # 14 tomorrow
    assert response.status_code == 302
    world_now = sim_session.snapshot()
    [account] = world_now["vkid_accounts"]
    assert (account["email"], account["phone"], account["birth_date"]) == (EMAIL, None, "2010-10-17")
    assert [p["id"] for p in world_now["profiles"]] == [account["profile_id"]]
