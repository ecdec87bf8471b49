"""Trainer guides fit to print (readable text, the first step on the first page) and the console at 1 024 px."""

from __future__ import annotations

import base64
from typing import Any

from playwright.sync_api import Browser

from simulator import SimulatorServer
from simulator.trainer.guide import persona_rows, templates

MM = 96 / 25.4  # CSS pixels in a millimetre
A4_CONTENT_HEIGHT = (297 - 2 * 14) * MM  # the guide prints A4 with 14 mm margins
A4_CONTENT_WIDTH = (210 - 2 * 14) * MM
TEN_POINTS = 10 * 96 / 72


def test_the_console_buttons_stay_inside_their_cards_at_1024_px(server: SimulatorServer, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(server.url + "/_sim/")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('section button')].filter(button => {
            const card = button.closest('section').getBoundingClientRect();
            const box = button.getBoundingClientRect();
            return box.right > card.right + 0.5 || box.left < card.left - 0.5;
        }).map(button => button.textContent.trim())"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # no sideways scrolling
    page.close()


def test_a_printed_guide_starts_on_its_first_page_in_readable_text(browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content("<div style='width:1280px;height:900px;background:#dbeafe'></div>")
    picture = base64.b64encode(page.screenshot(type="png")).decode("ascii")  # a screen's proportions
    record: dict[str, Any] = {
        "name": "Учитель привязывает профиль",
        "feature_name": "Функция: привязка",
        "feature_description": "Описание функции в две строки,\nкак в файле сценария.",
        "tags": ["F06", "vkid"],
        "preconditions": ["Учитель есть в МЭШ", "У него есть профиль Сферум"],
        "persona": {"role": "teacher", "full_name": "Иванова Анна Петровна", "phone": "+7 999 123-45-67"},
        "sim_seed": 1,
        "base_seed": 2,
        "feature_file": "features/x.feature",
    }
    steps = [
        {
            "number": n,
            "text": f"Шаг номер {n}",
            "caption": "Экран МЭШ",
            "kind": "action",
            "image": picture,
            "title": "МЭШ",
            "outlined": ["Войти"],
        }
        for n in range(1, 4)
    ]
    html = templates.get_template("guide.html").render(r=record, steps=steps, persona=persona_rows(record["persona"]))
    page.set_viewport_size({"width": round(A4_CONTENT_WIDTH), "height": round(A4_CONTENT_HEIGHT)})
    page.emulate_media(media="print")
    page.set_content(html)
    first_step = page.locator(".step").first.bounding_box()
    assert first_step is not None and first_step["y"] + first_step["height"] < A4_CONTENT_HEIGHT
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('body *')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert smallest >= TEN_POINTS - 0.01
    step_style = page.evaluate("getComputedStyle(document.querySelector('.step')).breakInside")
    paragraph = page.evaluate(
        "[getComputedStyle(document.querySelector('p')).orphans, getComputedStyle(document.querySelector('p')).widows]"
    )
    assert step_style == "avoid" and paragraph == ["3", "3"]
    page.close()
