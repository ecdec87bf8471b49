"""VK ID's sign-in screens over HTTP: their order, the code screen's errors and countdown, single sign-on."""

from __future__ import annotations

import re

import pytest

from simulator.testing import SimSession
from tests.support.sim_browser import (
    VKID_HOST,
    Browser,
    enter_code,
    enter_login,
    last_message_id,
    location,
    mes_authorize_url,
    sign_in,
    start,
)
from tests.support.sim_seeds import PHONE, person, world


@pytest.fixture
def on_code_screen(sim_session: SimSession, http_browser: Browser) -> Browser:
    """Ivanov has asked for a code (a flash call by default)."""
    sim_session.seed(world(person()))
    start(http_browser, mes_authorize_url(sim_session))
    assert enter_login(http_browser, PHONE) == "/auth/code"
    return http_browser


def test_a_screen_without_a_sign_in_in_progress_explains_itself(http_browser: Browser) -> None:
    """No flow cookie: 400 «Сессия входа не найдена», not a crash."""
    response = http_browser.get("/auth/code", host=VKID_HOST)
    assert response.status_code == 400
    assert "Сессия входа не найдена" in response.text


def test_a_screen_opened_out_of_order_sends_the_user_back(sim_session: SimSession, http_browser: Browser) -> None:
    """At the login step, /auth/confirm redirects to /auth."""
    start(http_browser, mes_authorize_url(sim_session))
    assert location(http_browser.get("/auth/confirm", host=VKID_HOST), 303) == "/auth"
    assert location(http_browser.post("/auth/confirm", host=VKID_HOST), 303) == "/auth"


def live(html: str) -> str:
    """The page without its <template>s: what the user can see and press before any script runs."""
    return re.sub(r"<template.*?</template>", "", html, flags=re.DOTALL)


def test_the_call_screen_counts_down_one_minute(on_code_screen: Browser, sim_session: SimSession) -> None:
    """«Звонок поступил в течение 00:59», three seconds later «00:56» as seed 001 shows it; no resend yet."""
    page = on_code_screen.get("/auth/code", host=VKID_HOST)
    assert page.status_code == 200
    assert re.search(r'data-countdown="59"[^>]*>Звонок поступил в течение <time>00:59</time>', page.text)
    assert "Получить новый код" not in live(page.text)
    sim_session.advance(3)
    page = on_code_screen.get("/auth/code", host=VKID_HOST)
    assert re.search(r'data-countdown="56"[^>]*>Звонок поступил в течение <time>00:56</time>', page.text)


def test_the_waiting_resend_control_is_kept_for_the_end_of_the_countdown(on_code_screen: Browser) -> None:
    """While counting, «Получить новый код» waits in a <template> right after the countdown (countdown.js)."""
    page = on_code_screen.get("/auth/code", host=VKID_HOST).text
    assert re.search(
        r'data-testid="countdown"[^>]*>.*?</p>\s*<template data-after-countdown>'
        r'<form method="post" action="/auth/code/resend">.*?Получить новый код.*?</template>',
        page,
        flags=re.DOTALL,
    )


def test_a_wrong_code_shows_the_attempts_left(on_code_screen: Browser, sim_session: SimSession) -> None:
    """422 with «Неверный код. Осталось попыток: 4»; the user stays on the code screen."""
    code = sim_session.last_code(PHONE)
    wrong = "".join("1" if c != "1" else "2" for c in code)
    response = on_code_screen.post("/auth/code", host=VKID_HOST, data={"code": wrong})
    assert response.status_code == 422
    assert "Неверный код. Осталось попыток: 4" in response.text


def test_a_code_of_the_wrong_length_asks_for_four_digits(on_code_screen: Browser) -> None:
    """A call code has four digits."""
    response = on_code_screen.post("/auth/code", host=VKID_HOST, data={"code": "123456"})
    assert response.status_code == 422 and "Введите 4 цифры" in response.text


def test_an_expired_code_is_refused_on_the_screen(on_code_screen: Browser, sim_session: SimSession) -> None:
    """Five minutes of session time later the right code is refused as expired."""
    sim_session.advance(5 * 60)
    response = on_code_screen.post("/auth/code", host=VKID_HOST, data={"code": sim_session.last_code(PHONE)})
    assert response.status_code == 422 and "Срок действия кода истёк" in response.text


def test_resend_waits_for_the_countdown(on_code_screen: Browser, sim_session: SimSession) -> None:
    """Before the call's 59 s a resend sends nothing; at 59 s it makes a new call, and the screen offers it."""
    assert location(on_code_screen.post("/auth/code/resend", host=VKID_HOST), 303) == "/auth/code"
    assert len(sim_session.messages(to=PHONE)) == 1
    sim_session.advance(58)
    assert "Получить новый код" not in live(on_code_screen.get("/auth/code", host=VKID_HOST).text)
    on_code_screen.post("/auth/code/resend", host=VKID_HOST)
    assert len(sim_session.messages(to=PHONE)) == 1
    sim_session.advance(1)
    assert "Получить новый код" in live(on_code_screen.get("/auth/code", host=VKID_HOST).text)
    on_code_screen.post("/auth/code/resend", host=VKID_HOST)
    assert [m["channel"] for m in sim_session.messages(to=PHONE)] == ["call", "call"]


def test_the_call_screen_offers_an_sms_instead(on_code_screen: Browser, sim_session: SimSession) -> None:
    """«Получить код по SMS»: six digits by SMS to the same number, «Подтвердите номер», and that code signs in."""
    assert "Получить код по SMS" in on_code_screen.get("/auth/code", host=VKID_HOST).text
    after = last_message_id(sim_session)
    assert location(on_code_screen.post("/auth/code/sms", host=VKID_HOST), 303) == "/auth/code"
    message = sim_session.wait_message(to=PHONE, after=after)
    assert message["channel"] == "sms" and re.fullmatch(r"\d{6}", message["code"])
    page = on_code_screen.get("/auth/code", host=VKID_HOST).text
    assert "<h1>Подтвердите номер</h1>" in page and "SMS придёт в течение <time>01:59</time>" in page
    assert "Получить код по SMS" not in page
    on_code_screen.post("/auth/code/sms", host=VKID_HOST)  # already an SMS: nothing more is sent
    assert len(sim_session.messages(to=PHONE)) == 2
    response = on_code_screen.post("/auth/code", host=VKID_HOST, data={"code": message["code"]})
    assert location(response, 303) == "/auth/profile"


def test_the_sms_setting_sends_a_six_digit_sms(sim_session: SimSession, http_browser: Browser) -> None:
    """phone_code_channel=sms: the code comes by SMS, six digits, and the screen says so."""
    sim_session.seed(world(person()))
    sim_session.settings(phone_code_channel="sms")
    start(http_browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    enter_login(http_browser, PHONE)
    message = sim_session.wait_message(to=PHONE, after=after)
    assert message["channel"] == "sms" and re.fullmatch(r"\d{6}", message["code"])
    assert "Подтвердите номер" in http_browser.get("/auth/code", host=VKID_HOST).text


def test_a_signed_in_browser_skips_the_login(sim_session: SimSession, http_browser: Browser) -> None:
    """After one sign-in, VK ID remembers the account: the next /authorize opens the profile screen."""
    sim_session.seed(world(person()))
    sign_in(http_browser, mes_authorize_url(sim_session), PHONE)
    assert location(http_browser.get(mes_authorize_url(sim_session)), 303) == "/auth/profile"


def test_an_oversized_form_is_refused_with_a_page(sim_session: SimSession, http_browser: Browser) -> None:
    """More than 64 KiB posted to a VK ID screen: 413 and the reason, and nothing sent."""
    start(http_browser, mes_authorize_url(sim_session))
    response = http_browser.post("/auth", host=VKID_HOST, data={"login": "9" * 70_000})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "Слишком большой запрос: не больше 64 КБ." in response.text
    assert sim_session.messages() == []


@pytest.fixture
def on_password_screen(sim_session: SimSession, http_browser: Browser) -> Browser:
    """Ivanov's VK ID account has a password: «Введите пароль» follows «Телефон или почта»."""
    entry = person()
    entry["vkid"]["password"] = "vk-pass-1"
    sim_session.seed(world(entry))
    start(http_browser, mes_authorize_url(sim_session))
    assert enter_login(http_browser, PHONE) == "/auth/password"
    return http_browser


@pytest.mark.parametrize(
    ("typed", "error"),
    [("wrong-pass", "Неверный пароль. Осталось попыток: 4"), ("", "Заполните это поле")],
    ids=["wrong", "empty"],
)
def test_a_wrong_or_empty_password_is_a_field_error_on_the_same_screen(
    on_password_screen: Browser, sim_session: SimSession, typed: str, error: str
) -> None:
    """«Введите пароль» answers 422 with the field's error and sends no code."""
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": typed})
    assert response.status_code == 422
    assert error in response.text and "<h1>Введите пароль</h1>" in response.text
    assert sim_session.messages(to=PHONE) == []


def test_the_right_password_is_followed_by_an_sms(on_password_screen: Browser, sim_session: SimSession) -> None:
    """After the password VK ID confirms the number by SMS, naming it masked with no-break spaces."""
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": "vk-pass-1"})
    assert location(response, 303) == "/auth/code"
    assert [m["channel"] for m in sim_session.messages(to=PHONE)] == ["sms"]
    # Seed 003: «Мы отправили SMS с кодом на номер +7 *** ** *11», the number never split across lines.
    page = on_password_screen.get("/auth/code", host=VKID_HOST).text
    assert f"Мы отправили SMS с кодом на номер +7\u00a0***\u00a0**\u00a0*{PHONE[-2:]}</p>" in page


def wrong_passwords(browser: Browser, times: int) -> str:
    """Types a wrong password `times` times; the last answer's page."""
    for _ in range(times):
        response = browser.post("/auth/password", host=VKID_HOST, data={"password": "wrong-pass"})
        assert response.status_code == 422
    return response.text


LOCKED = "Превышено число попыток ввода пароля. Повторите попытку через 30 минут или восстановите пароль."


def test_the_fifth_wrong_password_locks_even_the_right_one(
    on_password_screen: Browser, sim_session: SimSession
) -> None:
    """Five tries, as for codes; then the right password is refused too, no code is sent, nothing changes."""
    before = sim_session.snapshot()
    assert "Неверный пароль. Осталось попыток: 1" in wrong_passwords(on_password_screen, 4)
    assert LOCKED in wrong_passwords(on_password_screen, 1)
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": "vk-pass-1"})
    assert response.status_code == 422 and LOCKED in response.text
    sim_session.advance(29 * 60 + 1)
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": "vk-pass-1"})
    assert "Повторите попытку через 1 минуту или восстановите пароль." in response.text
    assert sim_session.messages(to=PHONE) == []
    after = sim_session.snapshot()
    assert {k: after[k] for k in ("vkid_accounts", "profiles", "links")} == {
        k: before[k] for k in ("vkid_accounts", "profiles", "links")
    }
    sim_session.advance(60)
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": "vk-pass-1"})
    assert location(response, 303) == "/auth/code"


def test_a_new_password_set_by_phone_lifts_the_lock(on_password_screen: Browser, sim_session: SimSession) -> None:
    """«Забыли или не установили пароль?» by phone: an SMS code, a new password, and it signs in at once."""
    wrong_passwords(on_password_screen, 5)
    assert location(on_password_screen.get("/auth/restore", host=VKID_HOST), 303) == "/auth/restore"
    after = last_message_id(sim_session)
    on_password_screen.post("/auth/restore", host=VKID_HOST, data={"action": "send"})
    message = sim_session.wait_message(to=PHONE, after=after)
    assert message["channel"] == "sms"
    new = {"code": message["code"], "password": "new-vk-pass", "password2": "new-vk-pass", "action": "save"}
    assert location(on_password_screen.post("/auth/restore", host=VKID_HOST, data=new), 303) == "/auth/password"
    assert "Пароль изменён. Войдите с новым паролем." in on_password_screen.get("/auth/password", host=VKID_HOST).text
    response = on_password_screen.post("/auth/password", host=VKID_HOST, data={"password": "new-vk-pass"})
    assert location(response, 303) == "/auth/code"


def test_a_too_short_new_password_is_a_field_error(sim_session: SimSession, http_browser: Browser) -> None:
    """«Придумайте пароль» for a new e-mail account: a short password stays on the screen, no account made."""
    email = "new.parent@example.ru"
    start(http_browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    assert enter_login(http_browser, email) == "/auth/code"
    assert enter_code(http_browser, email, after) == "/auth/password"
    response = http_browser.post("/auth/password", host=VKID_HOST, data={"password": "12"})
    assert response.status_code == 422
    assert "<h1>Придумайте пароль</h1>" in response.text and "Пароль должен содержать от" in response.text
    assert sim_session.snapshot()["vkid_accounts"] == []
