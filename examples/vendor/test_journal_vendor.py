"""A vendor's suite: their journal links a Sferum profile through VK ID, and refuses what VK ID refuses.

It uses only the sferum-sim plugin's public fixtures (sim_session, personas, page, vkid_router) and
the journal's own code; the journal itself calls https://id.vk.com as in production.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import respx
from journal_app import CLIENT_ID, SERVICE_NAME, JournalServer, VkIdError
from playwright.sync_api import Page, expect

from simulator.testing import Persona, SimSession


def sign_in_to_journal(page: Page, journal: JournalServer, person: Persona) -> None:
    page.goto(journal.url)
    page.get_by_label("Логин").fill(person.login)
    page.get_by_label("Пароль").fill(person.password)
    page.get_by_role("button", name="Войти", exact=True).click()
    expect(page.get_by_role("heading", name=f"Кабинет: {person.full_name}")).to_be_visible()


def sign_in_to_vkid(page: Page, sim_session: SimSession, person: Persona) -> None:
    """VK ID's screens: phone, SMS code, «Продолжить в учебном профиле», the profile's data."""
    expect(page.get_by_role("heading", name="Вход в VK ID")).to_be_visible()
    expect(page.get_by_text(f"С сервисом «{SERVICE_NAME}» можно связать свой учебный профиль")).to_be_visible()
    page.get_by_label("Телефон или почта").fill(person.phone)
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_label("Код подтверждения").fill(sim_session.wait_message(to=person.phone)["code"])
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("button", name="Продолжить в учебном профиле").click()
    page.get_by_role("button", name="Продолжить", exact=True).click()


def before_callback(
    monkeypatch: pytest.MonkeyPatch, journal: JournalServer, action: Callable[[dict[str, Any], dict[str, str]], None]
) -> None:
    """Run `action(pending sign-in, callback query)` when VK ID's redirect arrives, before the journal acts on it."""
    original = journal.journal.callback

    def callback(session: dict[str, Any], params: dict[str, str]) -> Any:
        action(session["vkid"], params)
        return original(session, params)

    monkeypatch.setattr(journal.journal, "callback", callback)


def vkid_calls(router: respx.MockRouter) -> list[str]:
    return [call.request.url.path for call in router.routes["simulator"].calls]


def test_a_teacher_links_sferum_and_then_signs_in_with_vk_id(
    page: Page, journal: JournalServer, teacher: Persona, sim_session: SimSession, vkid_router: respx.MockRouter
) -> None:
    sign_in_to_journal(page, journal, teacher)
    page.get_by_role("button", name="Привязать Сферум").click()
    expect(page).to_have_url(re.compile(r"^https://id\.vk\.com/auth"))  # the real name, unchanged
    sign_in_to_vkid(page, sim_session, teacher)
    expect(page.get_by_test_id("sferum")).to_have_text(f"Сферум привязан: {teacher.first_name} {teacher.last_name}")
    (profile,) = sim_session.snapshot()["profiles"]
    assert journal.journal.accounts[teacher.login].sferum_id == str(profile["id"])
    assert vkid_calls(vkid_router) == ["/oauth2/auth", "/oauth2/user_info"]

    page.get_by_role("button", name="Выйти").click()
    page.get_by_role("button", name="Войти через VK ID").click()
    page.get_by_role("button", name="Продолжить в учебном профиле").click()  # VK ID remembers the user
    page.get_by_role("button", name="Продолжить", exact=True).click()
    expect(page.get_by_role("heading", name=f"Кабинет: {teacher.full_name}")).to_be_visible()


def test_a_callback_that_is_not_registered_stops_at_vk_id(
    page: Page, journal_server: JournalServer, teacher: Persona, sim_session: SimSession, vkid_router: respx.MockRouter
) -> None:
    sim_session.register_client(CLIENT_ID, [journal_server.url + "/old/callback"], SERVICE_NAME)
    sign_in_to_journal(page, journal_server, teacher)
    page.get_by_role("button", name="Привязать Сферум").click()
    expect(page.get_by_role("heading", name="Не удалось начать вход")).to_be_visible()
    expect(page.get_by_test_id("oauth-error")).to_contain_text("redirect_uri is not registered")
    assert journal_server.journal.accounts[teacher.login].sferum_id is None
    assert vkid_calls(vkid_router) == []


@pytest.mark.parametrize(
    "mischief, refusal",
    [
        (
            lambda sim_session: lambda pending, query: pending.update(verifier="A" * 64),
            "code_verifier does not match code_challenge",
        ),
        (lambda sim_session: lambda pending, query: sim_session.advance(601), "authorization code has expired"),
    ],
    ids=["tampered verifier", "code expired"],
)
def test_vk_id_refuses_the_exchange_and_nothing_is_linked(
    page: Page,
    journal: JournalServer,
    teacher: Persona,
    sim_session: SimSession,
    monkeypatch: pytest.MonkeyPatch,
    mischief: Any,
    refusal: str,
) -> None:
    sign_in_to_journal(page, journal, teacher)
    before_callback(monkeypatch, journal, mischief(sim_session))
    page.get_by_role("button", name="Привязать Сферум").click()
    sign_in_to_vkid(page, sim_session, teacher)
    expect(page.get_by_role("alert")).to_have_text(f"Не удалось привязать Сферум: invalid_grant: {refusal}")
    assert journal.journal.accounts[teacher.login].sferum_id is None


def test_a_code_works_once(
    page: Page, journal: JournalServer, teacher: Persona, sim_session: SimSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    before_callback(monkeypatch, journal, lambda pending, query: seen.update(pending=dict(pending), query=query))
    sign_in_to_journal(page, journal, teacher)
    page.get_by_role("button", name="Привязать Сферум").click()
    sign_in_to_vkid(page, sim_session, teacher)
    expect(page.get_by_test_id("sferum")).to_be_visible()

    query, pending = seen["query"], seen["pending"]
    with pytest.raises(VkIdError, match="authorization code has already been used") as refused:
        journal.journal.vkid.exchange(query["code"], query["device_id"], pending["state"], pending["verifier"])
    assert refused.value.error == "invalid_grant"
