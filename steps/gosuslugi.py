"""Госуслуги steps: the «Вход» form services such as ЭлЖур send their users to."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then, when

from simulator.testing import SimSession

from .common import WHO, Scene, button

# Services that sign their users in through Госуслуги: platform and the page with the button.
SERVICES = {"ЭлЖур": ("eljur", "/")}


@pytest.fixture
def gosuslugi_logins() -> dict[str, tuple[str, str]]:
    """Persona key → (what they type into «Телефон / Email / СНИЛС», their Госуслуги password)."""
    return {}


@then("открывается «Вход» на Госуслугах")
def gosuslugi_login_screen(page: Page) -> None:
    """Checks the screen shows the Госуслуги heading «Вход» and the fields «Телефон / Email / СНИЛС» and «Пароль»."""
    expect(page.get_by_role("heading", name="Вход", exact=True)).to_be_visible()
    expect(page.get_by_label("Телефон / Email / СНИЛС", exact=True)).to_be_visible()
    expect(page.get_by_label("Пароль", exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит свой (?:телефон|e-mail) и пароль от Госуслуг и нажимает «Войти»"))
def gosuslugi_sign_in(page: Page, scene: Scene, gosuslugi_logins: dict[str, tuple[str, str]]) -> None:
    """Types the actor's Госуслуги login and password, as seeded, into the form «Вход» and clicks «Войти»."""
    login, password = gosuslugi_logins[scene.person.key]
    page.get_by_label("Телефон / Email / СНИЛС", exact=True).fill(login)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()


@when(parsers.re(rf"{WHO} входит в (?P<service>ЭлЖур) через Госуслуги"))
def sign_in_with_gosuslugi(
    page: Page, sim_session: SimSession, scene: Scene, gosuslugi_logins: dict[str, tuple[str, str]], service: str
) -> None:
    """Opens the service, clicks «Войти через Госуслуги», checks the form «Вход» and signs in there with the actor's Госуслуги login."""
    platform, path = SERVICES[service]
    page.goto(sim_session.url(platform, path))
    button(page, "Войти через Госуслуги").click()
    gosuslugi_login_screen(page)
    gosuslugi_sign_in(page, scene, gosuslugi_logins)
