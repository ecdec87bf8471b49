"""VK ID's screens in a browser: the visually hidden label stays hidden, a masked number never wraps."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from simulator.testing import SimSession
from tests.support.sim_browser import authorize_query, new_pkce
from tests.support.sim_seeds import PHONE, person, world

PASSWORD = "vk-pass-1"


def to_password_screen(page: Page, sim_session: SimSession) -> None:
    """Ivanov (a VK ID account with a password) at «Введите пароль», come from МЭШ's client."""
    entry = person()
    entry["vkid"]["password"] = PASSWORD
    sim_session.seed(world(entry))
    query = authorize_query(new_pkce(), client_id="mes_vks", redirect_uri=sim_session.url("mes", "/sferum/callback"))
    page.goto(sim_session.url("vkid", "/authorize?" + urlencode(query)))
    page.get_by_label("Телефон или почта").fill(PHONE)
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Введите пароль", exact=True)).to_be_visible()


def test_the_password_field_is_named_for_screen_readers_but_shows_no_label(page: Page, sim_session: SimSession) -> None:
    """Above the field «Введите пароль» no stray «Пароль»: its label takes no more than a pixel."""
    to_password_screen(page, sim_session)
    label = page.locator("label[for=password]")
    assert label.text_content() == "Пароль"
    box = label.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    expect(page.get_by_label("Пароль", exact=True)).to_have_attribute("placeholder", "Введите пароль")


# The masked number's client rectangles: one line means one distinct top.
LINES_OF_NUMBER = """() => {
    const paragraph = [...document.querySelectorAll("main p")].find(p => p.textContent.includes("*"));
    const node = [...paragraph.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.includes("*"));
    const start = node.textContent.indexOf("+7");
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, node.textContent.length);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
}"""


def test_the_masked_number_stays_on_one_line_at_any_width(page: Page, sim_session: SimSession) -> None:
    """«Мы отправили SMS с кодом на номер +7 *** ** *67» wraps before the number, never inside it."""
    to_password_screen(page, sim_session)
    page.get_by_placeholder("Введите пароль", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Подтвердите номер", exact=True)).to_be_visible()
    for width in range(260, 480, 6):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate(LINES_OF_NUMBER) == 1, f"the number wraps at {width} px"
