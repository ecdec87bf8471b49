"""Trainer guides fit to print (readable text, the first step on the first page) and the console at 1 024 px.

The printed PDF is judged from outside: poppler's pdftoppm renders its pages and pdftotext reads them, so
what is measured is the paper, not the HTML the guide was printed from.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from simulator import SimulatorServer
from simulator.trainer.guide import PRINT, people_rows, persona_rows, templates

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
    html = templates.get_template("guide.html").render(r=record, steps=steps, people=[persona_rows(record["persona"])])
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


# -- the printed pages, measured ---------------------------------------------------------------------

INK = 250  # a row with any pixel darker than this (text, a picture, its frame, a tinted box) is not blank
LEAST_FILL = 0.40  # a page before the last with less than this share of inked rows is a half-empty page


@dataclass
class PrintedPage:
    fill: float  # the share of the page's pixel rows holding any ink, margins included
    text: str


def pgm_fill(path: Path) -> float:
    """The share of non-white pixel rows in a binary greyscale PGM (pdftoppm -gray)."""
    magic, width, height, _, pixels = path.read_bytes().split(maxsplit=4)
    assert magic == b"P5", path
    w, h = int(width), int(height)
    return sum(1 for row in range(h) if min(pixels[row * w : (row + 1) * w]) < INK) / h


def printed_pages(pdf: Path, work: Path) -> list[PrintedPage]:
    """Each page of the PDF as pdftoppm draws it and pdftotext reads it (poppler-utils, installed by make setup)."""
    for tool in ("pdftoppm", "pdftotext"):
        assert shutil.which(tool), f"{tool} missing: make setup installs poppler-utils (scripts/ensure-browser.sh)"
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(work / "page")], check=True, timeout=120)
    pictures = sorted(work.glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    pages = []
    for number, picture in enumerate(pictures, 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        pages.append(PrintedPage(pgm_fill(picture), text))
    return pages


def assert_well_filled(pages: list[PrintedPage], steps: int, *, first_step_on_first_page: bool = True) -> None:
    """No half-empty page before the last, the first step on the first page, a step on the last page.

    The first step fits under the data of one or two people; the sign-ins of more fill the first page themselves.
    """
    assert len(pages) >= 2, "a guide of several pictured steps takes more than one page"
    fills = [round(page.fill, 2) for page in pages]
    assert all(fill >= LEAST_FILL for fill in fills[:-1]), f"page fill: {fills}"
    if first_step_on_first_page:
        assert "Шаг 1." in pages[0].text, f"the first step starts on the first page (page fill: {fills})"
    assert re.search(rf"Шаг {steps}\.", pages[-1].text), "the last page holds the last step, not only the colophon"
    assert sum(len(re.findall(r"Шаг \d+\.", page.text)) for page in pages) == steps  # none lost, none twice


def screen_picture(browser: Browser) -> str:
    """A screenshot at a screen's proportions that looks like a platform's page: a bar, a card, words."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(
        "<body style='margin:0;font:16px sans-serif'><header style='background:#2563eb;color:#fff;height:56px'>МЭШ</header>"
        "<main style='width:420px;margin:80px auto;border:1px solid #cbd5e1;border-radius:8px;padding:24px'>"
        "<h1>Вход</h1><p>Логин</p><input><p>Пароль</p><input><p><button>Войти</button></p></main></body>"
    )
    picture = base64.b64encode(page.screenshot(type="png")).decode("ascii")
    page.close()
    return picture


PEOPLE = [
    {"role": "student", "full_name": "Рябов Христофор Эдуардович", "login": "iraidakonovalova", "password": "&7bLdyoS#F3i",
     "phone": "+79468746280", "email": "andronik_2005@yandex.ru", "birth_date": "2014-09-16"},
    {"role": "teacher", "full_name": "Кондратьева Вероника Ниловна", "login": "taisija2003", "password": "8CIpR4uq_yEP",
     "phone": "+79047447927", "email": "ljubomirveselov@hotmail.com", "birth_date": "1985-02-01"},
    {"role": "admin", "full_name": "Иванова Анна Петровна", "login": "ivanova", "password": "Qw3rty!x",
     "phone": "+79991234567", "email": "ivanova@example.ru", "birth_date": "1979-11-30"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("people", "steps"), [(1, 10), (2, 24), (3, 7)], ids=["one-person", "two-people", "three-people"]
)
def test_printed_guide_pages_are_filled_from_the_first_to_the_last(
    browser: Browser, tmp_path: Path, people: int, steps: int
) -> None:
    picture = screen_picture(browser)
    record: dict[str, Any] = {
        "name": "В одном мире учителю МЭШ поступает звонок, а ученику ЭлЖур без аккаунта VK — SMS",
        "feature_name": "Код VK ID приходит так, как это бывает у человека, а не по одной настройке на всех",
        "feature_description": "Вход по номеру телефона подтверждается SMS-кодом или с помощью звонка,\nкоторый поступит на указанный номер.",
        "tags": ["F06", "F15", "eljur", "mes", "vkid"],
        "preconditions": [
            "Школа «МАОУ «Лицей №2»»",
            "Ученик ЭлЖур младше 14 лет",
            "Учитель МЭШ, у которого есть профиль",
        ][: people + 1],
        "persona": PEOPLE[people - 1],
        "people": PEOPLE[:people],
        "sim_seed": 3975763429,
        "base_seed": 20241016,
        "feature_file": "features/vkid_channels.feature",
    }
    shown = [
        {"number": n, "text": f"Учитель нажимает кнопку номер {n}", "caption": f"Шаг {n}", "kind": "action",
         "image": picture, "title": "МЭШ", "outlined": ["Войти"]}
        for n in range(1, steps + 1)
    ]  # fmt: skip
    html = templates.get_template("guide.html").render(r=record, steps=shown, people=people_rows(record))
    page = browser.new_page()
    page.set_content(html)
    pdf = tmp_path / "guide.pdf"
    page.pdf(path=pdf, **PRINT)
    page.close()
    pages = printed_pages(pdf, tmp_path / "pages")
    assert_well_filled(pages, steps, first_step_on_first_page=people <= 2)
    for person in PEOPLE[:people]:  # every person's sign-in is printed, on the first page
        assert person["login"] in pages[0].text and person["password"] in pages[0].text
