"""Markup typed into forms is refused, shown back escaped, and never stored."""

from __future__ import annotations

import re

import pytest

from simulator.testing import SimSession
from tests.support.sim_browser import (
    MES_HOST,
    VKID_HOST,
    Browser,
    enter_code,
    enter_login,
    last_message_id,
    mes_authorize_url,
    start,
)
from tests.support.sim_seeds import world

NEW_PHONE = "+79995550011"  # nobody has a VK ID with this number
SCRIPT = "<script>alert(1)</script>"
ABOUT = {"first_name": "Иван", "last_name": "Иванов", "patronymic": "", "birth_date": "17.05.1980", "sex": "male"}


@pytest.fixture
def on_about_screen(sim_session: SimSession, http_browser: Browser) -> Browser:
    """A new user at «Информация о себе»: login with an unknown phone, then its code."""
    sim_session.seed(world())
    start(http_browser, mes_authorize_url(sim_session))
    after = last_message_id(sim_session)
    assert enter_login(http_browser, NEW_PHONE) == "/auth/code"
    assert enter_code(http_browser, NEW_PHONE, after) == "/auth/about"
    return http_browser


def field_error(html: str, field: str) -> str:
    """The text of the error shown under `field`."""
    found = re.search(rf'data-testid="error-{field}">([^<]*)</p>', html)
    assert found, f"no error shown for {field}"
    return found.group(1)


@pytest.mark.parametrize("field", ["first_name", "last_name", "patronymic"])
def test_a_script_in_a_name_is_refused_and_shown_escaped(
    on_about_screen: Browser, sim_session: SimSession, field: str
) -> None:
    """422, the rule under the field, the typed text escaped in its input, and no account created."""
    response = on_about_screen.post("/auth/about", host=VKID_HOST, data={**ABOUT, field: SCRIPT})
    assert response.status_code == 422
    assert field_error(response.text, field) == "Допустимы только буквы, пробел, дефис и апостроф"
    assert SCRIPT not in response.text and "<script>alert" not in response.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in response.text
    snapshot = sim_session.snapshot()
    assert snapshot["vkid_accounts"] == [] and snapshot["profiles"] == []


def test_bold_markup_in_a_name_is_refused_too(on_about_screen: Browser, sim_session: SimSession) -> None:
    """<b>Иван</b> is not a name either."""
    response = on_about_screen.post("/auth/about", host=VKID_HOST, data={**ABOUT, "first_name": "<b>Иван</b>"})
    assert response.status_code == 422
    assert "<b>Иван</b>" not in response.text and "&lt;b&gt;Иван&lt;/b&gt;" in response.text
    assert sim_session.snapshot()["vkid_accounts"] == []


def test_after_the_refusal_a_real_name_creates_the_account(on_about_screen: Browser, sim_session: SimSession) -> None:
    """The same screen accepts the corrected name: the VK ID appears with it."""
    on_about_screen.post("/auth/about", host=VKID_HOST, data={**ABOUT, "first_name": SCRIPT})
    response = on_about_screen.post("/auth/about", host=VKID_HOST, data=ABOUT)
    assert response.status_code == 303 and response.headers["location"] == "/auth/profile"
    accounts = sim_session.snapshot()["vkid_accounts"]
    assert [(a["first_name"], a["last_name"], a["phone"]) for a in accounts] == [("Иван", "Иванов", NEW_PHONE)]


def test_a_malformed_phone_on_the_login_screen_is_shown_back_escaped(
    sim_session: SimSession, http_browser: Browser
) -> None:
    """422 with «Неверный формат номера телефона»; the typed `"><b>x` is escaped, never raw; no code sent."""
    start(http_browser, mes_authorize_url(sim_session))
    response = http_browser.post("/auth", host=VKID_HOST, data={"login": '"><b>x'})
    assert response.status_code == 422
    assert field_error(response.text, "login").startswith("Неверный формат номера телефона")
    assert '"><b>x' not in response.text and "<b>x" not in response.text
    assert 'value="&#34;&gt;&lt;b&gt;x"' in response.text
    assert sim_session.messages() == []


def test_the_mes_login_form_shows_a_typed_login_escaped(sim_session: SimSession, http_browser: Browser) -> None:
    """A wrong МЭШ login echoes the typed text escaped."""
    response = http_browser.post("/", host=MES_HOST, data={"login": '"><img src=x onerror=alert(1)>', "password": "x"})
    assert response.status_code == 422
    assert "Неверный логин или пароль" in response.text
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text
