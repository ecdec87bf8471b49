"""The console at /_sim/ in Chromium at a phone's width and three screens': it reads at every one.

Every console page is opened — found from the console's own GET routes and the links they show — with
a session full of long values, and measured in the page: nothing scrolls the document sideways, and no
text box is narrower than its longest word (a word broken across lines, one letter a line at worst).
A full-page screenshot of each page at each width is kept in reports/console-layout/.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from simulator import SimulatorServer
from simulator.console import ROUTES
from simulator.testing import SimSession, Simulator
from simulator.world import outbox
from simulator.world.models import Channel
from tests.support.sim_browser import Browser as HttpBrowser
from tests.support.sim_browser import mes_authorize_url, sign_in
from tests.support.sim_seeds import PHONE, person, world

WIDTHS = (390, 1024, 1440, 1920)
SHOTS = Path(__file__).resolve().parents[2] / "reports" / "console-layout"

# Values as long as the simulator takes them, without a space or hyphen to break at: a session key
# (64 characters), an e-mail, a journal login, a path of an HTTP fault.
LONG_KEY = hashlib.sha256(b"console-layout").hexdigest()
LONG_EMAIL = "konstantin.preobrazhensky." + "x" * 60 + "@example-school-district.ru"
LONG_LOGIN = "petrov_" + "q" * 56
LONG_PATH = "/sferum/callback/" + "a" * 400
SECOND_PHONE = "+79990000002"

# Whether the document scrolls sideways.
DOCUMENT_WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"

# Every element with text of its own whose box is narrower than its longest word. The word is measured
# in the element's font with canvas measureText (letter spacing included); the box is the nearest
# ancestor that is not an inline box, its content width (the scrolled width if it scrolls sideways).
# A word is what the browser may not break: a run without spaces, split after a hyphen — the whole
# text where white-space forbids wrapping.
NARROW_TEXT = r"""() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(element.tagName)) continue;
    const texts = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!texts.length || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== 'visible' || style.clipPath !== 'none' || style.clip !== 'auto') continue;
    let box = element;
    while (getComputedStyle(box).display === 'inline' && box.parentElement) box = box.parentElement;
    const boxStyle = getComputedStyle(box);
    const scrolls = ['auto', 'scroll'].includes(boxStyle.overflowX);
    const padding = parseFloat(boxStyle.paddingLeft) + parseFloat(boxStyle.paddingRight);
    const room = (scrolls ? box.scrollWidth : box.clientWidth) - padding;
    canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    canvas.letterSpacing = style.letterSpacing === 'normal' ? '0px' : style.letterSpacing;
    const unbreakable = ['nowrap', 'pre'].includes(style.whiteSpace);
    for (const node of texts) {
      const words = unbreakable ? node.textContent.split('\n')
        : node.textContent.split(/\s+/).flatMap(word => word.split(/(?<=[-\u2010])(?=\S)/));
      for (const word of words.map(w => w.trim()).filter(Boolean)) {
        const width = canvas.measureText(word).width;
        if (width > room + 1) {
          found.push({tag: element.tagName.toLowerCase(), cls: element.className, word: word.slice(0, 60),
                      word_width: Math.round(width), box_width: Math.round(room)});
        }
      }
    }
  }
  return found;
}"""


def console_paths() -> set[str]:
    """The paths of the console's pages: its GET routes."""
    return {path for method, path, _ in ROUTES if method == "GET"}


@pytest.fixture(scope="module")
def sessions(server: SimulatorServer, sim: Simulator) -> Iterator[dict[str, SimSession]]:
    """A session with something in every part of the page, long values included, and an empty one."""
    full = sim.new_session(LONG_KEY, seed=390)
    empty = sim.new_session(seed=391)
    long_person = person("t2", phone=SECOND_PHONE, login=LONG_LOGIN, vkid=False)
    long_person |= {"email": LONG_EMAIL, "last_name": "Константинопольская-Преображенская"}
    full.seed(world({**person(), "linked": "vkid"}, long_person))
    walk = HttpBrowser(server.url, full)
    sign_in(walk, mes_authorize_url(full), PHONE)  # a code by call
    walk.close()
    for channel, to in ((Channel.SMS, SECOND_PHONE), (Channel.EMAIL, LONG_EMAIL)):
        server.call(lambda channel=channel, to=to: outbox.send_code(server.world.get(full.key), channel, to))
    full.fault("vpn")
    full.fault("http_error", platform="mes", path=LONG_PATH, status=503)
    yield {"full": full, "empty": empty}
    for session in (full, empty):
        session.delete()


class Tab:
    """One browser page that goes only where it is sent: a page's own reload («Обновлять каждые 3 с»)
    is refused, so it cannot replace the page in the middle of a measurement."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.sent_to: str | None = None
        page.route("**/*", self._only_where_sent)

    def _only_where_sent(self, route: Route) -> None:
        if route.request.is_navigation_request() and route.request.url != self.sent_to:
            route.abort()
        else:
            route.continue_()

    def open(self, url: str) -> None:
        self.sent_to = url
        try:
            self.page.goto(url)
        finally:
            self.sent_to = None


@pytest.fixture(scope="module")
def shots() -> Path:
    """reports/console-layout/, emptied: only this run's pictures."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    return SHOTS


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    yield Tab(context.new_page())
    context.close()


@pytest.fixture(scope="module")
def console_urls(server: SimulatorServer, sessions: dict[str, SimSession], tab: Tab) -> list[str]:
    """Every console page of the module's sessions: the GET routes, the pages they link to, and the page
    of a session that does not exist; each once, as the browser ends up on it."""
    ours = {"default", *(session.key for session in sessions.values())}
    paths = console_paths()
    queue = [server.url + path for path in sorted(paths)]
    queue.append(server.url + "/_sim/?" + urlencode({"session": "no-such-session"}))
    seen: set[str] = set()
    found: list[str] = []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        tab.open(url)
        landed = tab.page.url
        if landed in found:
            continue
        found.append(landed)
        for link in tab.page.evaluate("() => [...document.links].map(a => a.href)"):
            parts = urlsplit(link)
            session = parse_qs(parts.query).get("session", ["default"])[0]
            if parts.netloc == urlsplit(server.url).netloc and parts.path in paths and session in ours:
                queue.append(link)
    return found


def shot_name(url: str, sessions: dict[str, SimSession], width: int) -> str:
    """A file name that says which page: the session's role in this module instead of its key."""
    parts = urlsplit(url)
    name = parts.path + ("?" + parts.query if parts.query else "")
    for role, session in sessions.items():
        name = name.replace(session.key, role)
    return f"{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-') or 'root'}-{width}.png"


def test_the_pages_found_include_every_part_of_a_full_session(
    console_urls: list[str], sessions: dict[str, SimSession], tab: Tab
) -> None:
    """The measured pages are the ones with the long values: the checks below have something to check."""
    full = sessions["full"]
    assert any(parse_qs(urlsplit(url).query).get("session") == [full.key] for url in console_urls)
    assert any("watch=1" in url for url in console_urls)
    assert any("no-such-session" in url for url in console_urls)
    tab.open(next(url for url in console_urls if url.endswith("session=" + full.key)))
    assert tab.page.get_by_test_id("code").count() == len(full.messages()) == 3
    for text in (LONG_KEY, LONG_EMAIL, LONG_LOGIN, LONG_PATH, "включён — выключить"):
        assert tab.page.get_by_text(text).count() >= 1, text


@pytest.mark.parametrize("width", WIDTHS)
def test_every_console_page_reads_at_this_width(
    width: int, console_urls: list[str], sessions: dict[str, SimSession], tab: Tab, shots: Path
) -> None:
    tab.page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, Any] = {}
    for url in console_urls:
        tab.open(url)
        tab.page.screenshot(path=shots / shot_name(url, sessions, width), full_page=True)
        scroll_width, client_width = tab.page.evaluate(DOCUMENT_WIDTHS)
        narrow = tab.page.evaluate(NARROW_TEXT)
        if scroll_width > client_width or narrow:
            problems[shot_name(url, sessions, width)] = {"document": [scroll_width, client_width], "narrow": narrow}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
