"""Flows of two or three people in one world, recorded: the person at the recorder sits down at another person's
window from the panel («Открыть окно: администратор»), or goes over to a second browser a «Дано» step opened.

Each window is that person's own browser (own cookies, the same world); what is done there is written as their
step («Когда администратор …»), and what another window shows without a reload is proposed as a check there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.support.recording import Flow, Person, record_and_run

CREATIVITY_HOUSE = 'организация дополнительного образования «МБУ ДО "Дом детского творчества" г. Казани»'
ADMIN = "у организации есть администратор на sferum.ru"


def vkid_profile_sign_in(person: Person, *, after: int = 0) -> None:
    """VK ID for an account with an educational profile: the phone the panel shows, the code, the profile."""
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code(after=after))
    person.click("button", "Продолжить")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")


def f30(admin: Person) -> None:
    """The administrator signs in to sferum.ru; the user, at a window of their own, sends a join request from VK
    Мессенджер; the administrator's cabinet shows it without a reload."""
    admin.click("link", "Войти")
    vkid_profile_sign_in(admin)
    admin.check("новых заявок нет")
    user = admin.open_window("пользователь")
    vkid_profile_sign_in(user, after=1)
    user.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Организации", exact=True).click()
    user.pause()
    user.fill("Название или ID организации", "Дом детского творчества")
    user.click("button", "Найти")
    user.page.get_by_label("Тип пользователя", exact=True).select_option(label="Родитель")
    user.click("button", "Подать заявку")
    user.check("в разделе «Заявки» заявка пользователя как «Родитель»")
    user.check("администратор видит это без перезагрузки")


FLOWS: dict[str, Flow] = {
    "F30": Flow(
        (CREATIVITY_HOUSE, ADMIN, "родитель с учебным профилем Сферум в VK ID, не прикреплённым к организации"),
        f30,
        persona="admin",
    ),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(flow_id: str, browser: Browser, tmp_path: Path) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)
