"""Linking a МЭШ account to a Sferum profile through VK ID, over HTTP only (no browser engine).

МЭШ's callback exchanges the code by calling the simulator itself, so this needs the real server.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator.testing import SimSession
from tests.support.sim_browser import MES_HOST, Browser, location, mes_sign_in, query_of, sign_in
from tests.support.sim_seeds import PHONE, person, world

ALREADY_LINKED = "Этот учебный профиль уже привязан к другой учетной записи МЭШ."


def connect_through_vkid(browser: Browser, phone: str = PHONE) -> None:
    """«Перейти к подключению» → VK ID → back to МЭШ, which shows «Добавление профиля Сферум»."""
    authorize = location(browser.post("/sferum/connect", host=MES_HOST), 303)
    assert authorize.split("?")[0].endswith("/authorize")
    back = sign_in(browser, authorize, phone)
    assert back.split("?")[0].endswith("/sferum/callback")
    assert location(browser.get(back), 303) == "/sferum/add"


@pytest.fixture
def teacher(sim_session: SimSession) -> dict[str, str | int]:
    """Ivanov: a МЭШ teacher whose VK ID (by PHONE) has an educational profile."""
    return sim_session.seed(world(person()))["people"]["t1"]


@pytest.fixture
def on_add_profile(teacher: dict[str, str | int], http_browser: Browser) -> Browser:
    """Ivanov signed in to МЭШ and came back from VK ID: «Добавление профиля Сферум» is open."""
    mes_sign_in(http_browser)
    connect_through_vkid(http_browser)
    return http_browser


def test_the_add_profile_screen_shows_the_vkid_profile(on_add_profile: Browser, teacher: dict[str, str | int]) -> None:
    """The name, birthday and id that VK ID's user_info returned."""
    page = on_add_profile.get("/sferum/add", host=MES_HOST)
    assert page.status_code == 200
    assert "Иванов Иван Петрович" in page.text and "17.05.1980" in page.text
    assert str(teacher["profile_id"]) in page.text


def test_link_creates_exactly_one_link(
    on_add_profile: Browser, sim_session: SimSession, teacher: dict[str, str | int]
) -> None:
    """«Привязать»: one link, from the teacher's МЭШ account to their profile, via VK ID."""
    assert sim_session.links() == []
    assert location(on_add_profile.post("/sferum/add", host=MES_HOST, data={"action": "link"}), 303) == "/cabinet"
    links = sim_session.links()
    assert [(k["journal_account_id"], k["profile_id"], k["via"], k["journal"]) for k in links] == [
        ("mes-t1", teacher["profile_id"], "vkid", "mes")
    ]
    cabinet = on_add_profile.get("/cabinet", host=MES_HOST)
    assert "Учебный профиль Сферум привязан к вашей учетной записи МЭШ." in cabinet.text


def test_cancel_creates_no_link(on_add_profile: Browser, sim_session: SimSession) -> None:
    """«Отмена»: back to the cabinet, no link, and the candidate profile is forgotten."""
    assert location(on_add_profile.post("/sferum/add", host=MES_HOST, data={"action": "cancel"}), 303) == "/cabinet"
    assert sim_session.links() == []
    assert location(on_add_profile.get("/sferum/add", host=MES_HOST), 303) == "/cabinet"


def test_once_linked_the_sferum_button_opens_the_messenger(on_add_profile: Browser, sim_session: SimSession) -> None:
    """The navigation panel's button goes straight to the messenger instead of the dialog."""
    on_add_profile.post("/sferum/add", host=MES_HOST, data={"action": "link"})
    assert location(on_add_profile.get("/sferum", host=MES_HOST), 303) == sim_session.url("messenger", "/")


def test_a_profile_linked_to_another_mes_account_is_refused(
    sim_session: SimSession, new_http_browser: Callable[[], Browser]
) -> None:
    """Petrov signs in to VK ID as Ivanov, whose profile Ivanov already linked: 409, and still one link."""
    sim_session.seed(world(person("t1"), person("t2", phone=None, login="petrov", vkid=False)))
    ivanov, petrov = new_http_browser(), new_http_browser()
    mes_sign_in(ivanov)
    connect_through_vkid(ivanov)
    ivanov.post("/sferum/add", host=MES_HOST, data={"action": "link"})

    mes_sign_in(petrov, "petrov")
    connect_through_vkid(petrov)
    refused = petrov.post("/sferum/add", host=MES_HOST, data={"action": "link"})
    assert refused.status_code == 409
    assert ALREADY_LINKED in refused.text
    assert [k["journal_account_id"] for k in sim_session.links()] == ["mes-t1"]


def test_the_callback_reports_a_vkid_error(
    teacher: dict[str, str | int], http_browser: Browser, sim_session: SimSession
) -> None:
    """VK ID sent the user back with error=…: МЭШ says sign-in failed (400: the browser brought the failure) and links nothing."""
    mes_sign_in(http_browser)
    authorize = location(http_browser.post("/sferum/connect", host=MES_HOST), 303)
    state = query_of(authorize)["state"]
    response = http_browser.get(f"/sferum/callback?error=access_denied&state={state}", host=MES_HOST)
    assert response.status_code == 400
    assert "Вход через VK ID не выполнен. Попробуйте ещё раз." in response.text
    assert sim_session.links() == []


def test_the_callback_refuses_a_foreign_state(teacher: dict[str, str | int], http_browser: Browser) -> None:
    """A callback whose state МЭШ did not send is a stale sign-in, not a link."""
    mes_sign_in(http_browser)
    http_browser.post("/sferum/connect", host=MES_HOST)
    response = http_browser.get("/sferum/callback?code=x&state=" + "z" * 43, host=MES_HOST)
    assert response.status_code == 400
    assert "Сессия входа устарела. Начните подключение заново." in response.text


def test_the_vpn_fault_refuses_linking(on_add_profile: Browser, sim_session: SimSession) -> None:
    """With the vpn fault on, «Привязать» creates no link."""
    sim_session.fault("vpn")
    refused = on_add_profile.post("/sferum/add", host=MES_HOST, data={"action": "link"})
    assert refused.status_code == 403 and "не работает при включенном VPN" in refused.text
    assert sim_session.links() == []
    sim_session.clear_fault("vpn")
    on_add_profile.post("/sferum/add", host=MES_HOST, data={"action": "link"})
    assert len(sim_session.links()) == 1
