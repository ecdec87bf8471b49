"""МЭШ steps: its people, signing in to a cabinet, and the navigation panel."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import Personas, SimSession

from .common import WHO, Scene

ACCOUNTS = {
    "у которого есть учебный профиль Сферум": {"vkid": True, "profile": True},
    "у которого есть VK ID, но нет учебного профиля Сферум": {"vkid": True, "profile": False},
    "у которого нет ни VK ID, ни учебного профиля Сферум": {"vkid": False, "profile": False},
}


@given(parsers.re(r"учитель МЭШ, (?P<accounts>у которого .+)$"))
def mes_teacher(sim_session: SimSession, personas: Personas, scene: Scene, accounts: str) -> None:
    teacher = personas.make("teacher")
    org = scene.org["id"] if scene.org else None
    school_class = scene.org["classes"][0] if scene.org else None
    created = sim_session.seed({"people": [teacher.entry(org=org, school_class=school_class, **ACCOUNTS[accounts])]})
    teacher.ids = created["people"][teacher.key]
    scene.actor = teacher
    scene.profiles_before = len(sim_session.snapshot()["profiles"])


CHILD_ACCOUNTS = {
    "": {},
    ", на почту которого уже создан учебный профиль": {"vkid": True, "profile": True},
    ", у почты которого есть VK ID без учебного профиля": {"vkid": True, "profile": False},
}


@given(parsers.re(r"ученик младше 14 лет с учетной записью МЭШ(?P<accounts>.*)$"))
def mes_child(sim_session: SimSession, personas: Personas, scene: Scene, accounts: str) -> None:
    """A child whose VK ID (if any) is registered by e-mail only, with a password, as seed 002 has it."""
    child = personas.make("student", age="child")
    org = scene.org["id"] if scene.org else None
    school_class = scene.org["classes"][0] if scene.org else None
    entry = child.entry(org=org, school_class=school_class, **CHILD_ACCOUNTS[accounts])
    if "vkid" in entry:
        entry["vkid"]["password"] = child.password
        entry = {**entry, "phone": None}  # the e-mail is the only way in
    created = sim_session.seed({"people": [entry]})
    child.ids = created["people"][child.key]
    scene.actor = child
    scene.profiles_before = len(sim_session.snapshot()["profiles"])


@when(parsers.re(rf"{WHO} входит в «(?P<cabinet>[^«»]+)»"))
def sign_in(page: Page, sim_session: SimSession, scene: Scene, cabinet: str) -> None:
    page.goto(sim_session.url("mes", "/"))
    page.get_by_label("Логин").fill(scene.actor.login)
    page.get_by_label("Пароль").fill(scene.actor.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("cabinet")).to_have_text(cabinet)


@when(parsers.re(rf"(?:{WHO} )?нажимает на кнопку перехода в Сферум в навигационной панели"))
def navigation_sferum(page: Page) -> None:
    page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()


@then("МЭШ показывает, что Сферум подключен к его учебному профилю")
def mes_shows_link(page: Page, sim_session: SimSession, scene: Scene) -> None:
    profile_id = next(link["profile_id"] for link in sim_session.links() if link["person_id"] == scene.actor.key)
    expect(page.get_by_test_id("sferum-status")).to_contain_text(f"id {profile_id}")
