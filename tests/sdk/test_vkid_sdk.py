"""The official VK ID web SDK (@vkid/sdk, pinned in package.json) against the simulator, in Chromium.

`make test` installs it with `npm ci` in this folder; the SDK is served as published, from
node_modules. The journal's page lives at http://journal.example/ — a port-less name mapped to a local
server — because the SDK keeps its PKCE verifier in a cookie whose domain includes the page's port.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect

from simulator.hosts import REAL_NAMES
from simulator.testing import Persona, Personas, SimSession
from simulator.testing.browser import chromium_args, system_chromium
from simulator.testing.client import Simulator
from simulator.web import SESSION_HEADER

HERE = Path(__file__).parent
SDK_FILE = HERE / "node_modules" / "@vkid" / "sdk" / "dist-sdk" / "umd" / "index.js"
JOURNAL_HOST = "journal.example"
JOURNAL = f"http://{JOURNAL_HOST}"
APP_ID = "51234567"  # the SDK wants a numeric app id
SERVICE_NAME = "Электронный журнал «Пример»"
ONE_TAP_BUTTON = re.compile(r"^VK (Продолжить как .+|Войти с VK ID)$")

pytestmark = pytest.mark.skipif(not SDK_FILE.exists(), reason="run `npm ci` in tests/sdk (make test does)")


class JournalPage(BaseHTTPRequestHandler):
    """The journal's front-end: one page (and its /callback) and the SDK file, nothing on the server side."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/vkid-sdk.js":
            body, kind = SDK_FILE.read_bytes(), "text/javascript"
        elif url.path in ("/", "/callback"):
            mode = dict(part.partition("=")[::2] for part in url.query.split("&")).get("mode", "redirect")
            html = (HERE / "journal.html").read_text("utf-8").replace("{APP}", APP_ID).replace("{MODE}", mode)
            body, kind = html.encode(), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reports what matters."""


@pytest.fixture(scope="module")
def journal_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), JournalPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def sdk_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any], sim: Simulator, journal_port: int
) -> Iterator[Browser]:
    """Chromium that reaches https://id.vk.ru on the simulator and http://journal.example on the journal."""
    if not sim.tls:
        pytest.skip("the SDK calls https://id.vk.ru: needs the simulator's HTTPS listener (the tls extra)")
    real = {"target": f"{httpx.URL(sim.url).host}:{sim.tls['port']}", "spki": sim.tls["spki"]}
    plugin_args = set(chromium_args(REAL_NAMES, **real))
    args = [arg for arg in browser_type_launch_args.get("args", []) if arg not in plugin_args]
    args += chromium_args(REAL_NAMES, **real, relying_parties={JOURNAL_HOST: f"127.0.0.1:{journal_port}"})
    launch = {**browser_type_launch_args, "args": args}
    if "executable_path" in launch and (full := system_chromium(kind="full")):
        # The SDK keeps its PKCE verifier in a Secure cookie of http://journal.example; the headless shell
        # drops it despite --unsafely-treat-insecure-origin-as-secure, full Chromium keeps it.
        launch["executable_path"] = full
    browser = browser_type.launch(**launch)
    yield browser
    browser.close()


@pytest.fixture
def journal_page(sdk_browser: Browser, sim_session: SimSession) -> Iterator[Page]:
    """A tab of a fresh browser profile whose requests belong to this test's session."""
    sim_session.register_client(APP_ID, [f"{JOURNAL}/callback"], SERVICE_NAME)
    context = sdk_browser.new_context(extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU")
    context.set_default_timeout(30_000)  # Playwright's own default: a loaded CI machine opens popups slowly
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def teacher(sim_session: SimSession, personas: Personas) -> Persona:
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(journal=None, vkid=True, profile=True)]})
    sim_session.settings(phone_code_channel="sms")
    return person


def sign_in_at_vkid(vkid: Page, teacher: Persona, sim_session: SimSession) -> None:
    """VK ID's screens, as a teacher walks them the first time in this browser."""
    vkid.get_by_label("Телефон или почта").fill(teacher.phone)
    vkid.get_by_role("button", name="Продолжить").click()
    vkid.get_by_label("Код подтверждения").fill(sim_session.wait_message(to=teacher.phone)["code"])
    vkid.get_by_role("button", name="Продолжить").click()
    continue_in_profile(vkid)


def continue_in_profile(vkid: Page) -> None:
    vkid.get_by_role("button", name="Продолжить в учебном профиле").click()
    vkid.get_by_role("button", name="Продолжить", exact=True).click()


def widget_loaded(page: Page) -> None:
    """The One Tap button can be clicked as a person would: the SDK has shown its iframe, and drawn it.

    The iframe tells the SDK it has loaded; the SDK shows it 300 ms later (until then it is transparent
    and lets clicks through to the SDK's own placeholder). The iframe is another site's process: a click
    reaches it only once the browser has drawn a frame with it shown — before that the click lands on
    the iframe element of the page and nothing opens.
    """
    expect(page.locator("body")).to_have_attribute("data-widget", "loaded", timeout=30_000)
    expect(page.locator("[data-state]:has(iframe)")).to_have_attribute("data-state", "loaded")
    page.evaluate(DRAWN)


# Resolves after the browser has produced frames since the call: rAF callbacks run before a frame's paint.
DRAWN = (
    "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))))"
)


def assert_signed_in(page: Page, teacher: Persona) -> dict[str, Any]:
    """The page's chain exchangeCode → userInfo → publicInfo → refreshToken → logout went through."""
    expect(page.locator("body")).to_have_attribute("data-done", "yes", timeout=30_000)
    results: dict[str, Any] = page.evaluate("window.results")
    assert results["steps"] == ["payload", "tokens", "user", "public", "renewed", "logout"], results
    assert results["user"]["first_name"] == teacher.first_name and results["user"]["phone"]
    assert results["public"]["last_name"] == teacher.last_name[0]
    assert results["renewed"]["access_token"] != results["tokens"]["access_token"]
    assert results["logout"] == {"response": 1}
    return results


def test_redirect_mode_signs_in_and_the_sdk_completes_its_calls(
    journal_page: Page, teacher: Persona, sim_session: SimSession
) -> None:
    journal_page.goto(f"{JOURNAL}/?mode=redirect")
    journal_page.get_by_role("button", name="Войти через VK ID").click()
    journal_page.wait_for_url("https://id.vk.ru/auth**")
    sign_in_at_vkid(journal_page, teacher, sim_session)
    journal_page.wait_for_url(f"{JOURNAL}/callback?**")
    assert_signed_in(journal_page, teacher)


def test_new_tab_mode_hands_the_code_to_the_opener(
    journal_page: Page, teacher: Persona, sim_session: SimSession
) -> None:
    journal_page.goto(f"{JOURNAL}/?mode=new_tab")
    with journal_page.context.expect_page() as opened:
        journal_page.get_by_role("button", name="Войти через VK ID").click()
    sign_in_at_vkid(opened.value, teacher, sim_session)
    results = assert_signed_in(journal_page, teacher)
    assert results["payload"]["type"] == "code_v2"


@pytest.mark.parametrize("widget", ["one_tap", "floating_one_tap"])
def test_one_tap_signs_a_returning_user_in(
    journal_page: Page, teacher: Persona, sim_session: SimSession, widget: str
) -> None:
    journal_page.goto(f"{JOURNAL}/?mode=new_tab")  # a first sign-in: VK ID remembers this browser
    with journal_page.context.expect_page() as opened:
        journal_page.get_by_role("button", name="Войти через VK ID").click()
    sign_in_at_vkid(opened.value, teacher, sim_session)
    assert_signed_in(journal_page, teacher)

    journal_page.goto(f"{JOURNAL}/?mode={widget}")
    # «Продолжить как …» needs VK ID's cookie inside the iframe, a third-party context this Chromium
    # may refuse it in; then the button is «Войти с VK ID» and VK ID's own tab knows the user.
    widget_loaded(journal_page)
    button = journal_page.frame_locator("iframe").get_by_role("button", name=ONE_TAP_BUTTON)
    with journal_page.context.expect_page() as opened:
        button.click()
    continue_in_profile(opened.value)
    assert_signed_in(journal_page, teacher)
    assert journal_page.evaluate("window.results.widgetErrors") == []


def test_one_tap_offers_vkid_sign_in_to_a_new_browser(
    journal_page: Page, teacher: Persona, sim_session: SimSession
) -> None:
    journal_page.goto(f"{JOURNAL}/?mode=one_tap")
    widget_loaded(journal_page)
    with journal_page.context.expect_page() as opened:
        journal_page.frame_locator("iframe").get_by_role("button", name="Войти с VK ID").click()
    sign_in_at_vkid(opened.value, teacher, sim_session)
    assert_signed_in(journal_page, teacher)
