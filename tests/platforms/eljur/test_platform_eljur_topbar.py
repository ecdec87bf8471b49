"""ЭлЖур's top bar on a 390 px wide phone: one line, whatever the name, and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from simulator import SESSION_HEADER
from simulator.testing import SimSession
from tests.support.sim_schools import LYCEUM

PHONE_WIDTH = 390
PASSWORD = "Gos-pass-2024"
SCHOOL = LYCEUM
# A name as long as a form accepts (50 letters a part): the longest the bar has to hold.
LONG = {
    "last_name": "Константинопольская-Преображенская",
    "first_name": "Александра",
    "patronymic": "Владиславовна",
    "birth_date": "1980-02-02",
    "sex": "female",
}

# The bar's own items, each a box: their tops and heights, the bar's height and its vertical padding.
MEASURE = """bar => {
  const items = [...bar.querySelectorAll('.brand, nav > a, nav > .user, nav button')];
  const style = getComputedStyle(bar);
  return {
    items: items.map(item => { const box = item.getBoundingClientRect(); return [box.top, box.height]; }),
    height: bar.getBoundingClientRect().height,
    padding: parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
    lineHeight: parseFloat(getComputedStyle(bar.querySelector('.user')).lineHeight),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


def phone_page(new_context: Callable[..., BrowserContext], sim_session: SimSession) -> Page:
    context = new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        extra_http_headers={SESSION_HEADER: sim_session.key},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
    return context.new_page()


def sign_in(page: Page, sim_session: SimSession, phone: str) -> None:
    page.goto(sim_session.url("eljur", "/"))
    page.get_by_role("button", name="Войти через Госуслуги").click()
    page.get_by_label("Телефон / Email / СНИЛС", exact=True).fill(phone)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Войти", exact=True).click()
    expect(page.get_by_role("heading", name="Дневник", exact=True)).to_be_visible()


@pytest.mark.parametrize("role, school_class, path", [("teacher", "6А", "/class"), ("student", "9Б", "/diary")])
def test_the_top_bar_is_one_line_on_a_390_px_phone(
    new_context: Callable[..., BrowserContext], sim_session: SimSession, role: str, school_class: str, path: str
) -> None:
    sim_session.seed({"organisations": [SCHOOL]})
    phone = "+79990000390"
    journal = {"journal": "eljur", "role": role, "login": "l", "password": PASSWORD, "org": SCHOOL["id"]}
    sim_session.seed(
        {
            "people": [
                {
                    "id": "long",
                    **LONG,
                    "phone": phone,
                    "journal": {**journal, "class": school_class},
                    "gosuslugi": {"login": "phone", "password": PASSWORD, "confirmed": True},
                }
            ]
        }
    )
    page = phone_page(new_context, sim_session)
    sign_in(page, sim_session, phone)
    page.goto(sim_session.url("eljur", path))
    bar = page.get_by_test_id("topbar")
    expect(bar).to_be_visible()
    shown = bar.evaluate(MEASURE)
    tops = [top for top, _ in shown["items"]]
    tallest = max(height for _, height in shown["items"])
    assert len(tops) >= 4  # ЭлЖур, «Дневник», the user, «Выйти» (and «Мой класс» for the class teacher)
    assert max(tops) - min(tops) < min(height for _, height in shown["items"])  # one row
    assert shown["height"] - shown["padding"] <= tallest + 0.5  # as high as its tallest item: one line
    assert shown["height"] - shown["padding"] < 2 * shown["lineHeight"]
    assert shown["scrollWidth"] <= PHONE_WIDTH
    # The name gives way, yet stays readable in full.
    user = page.get_by_test_id("user")
    expect(user).to_have_attribute(
        "title",
        f"{LONG['last_name']} {LONG['first_name']} {LONG['patronymic']} · "
        + ("Учитель" if role == "teacher" else "Ученик"),
    )
    expect(page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Дневник")).to_be_visible()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
