"""What the person does in each outcome, in Chromium, against the journal and VK ID's screens.

A walk drives the browser and judges what the person meets; it raises `Failed` with a Russian sentence
naming what the journal did wrong, or `NotApplicable` when the journal never reached the part tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.sync_api import BrowserContext, Locator, Page, Response

from ..hosts import PLATFORMS
from ..testing.client import SimSession
from .config import Config

VKID_HOSTS = frozenset(PLATFORMS["vkid"].hosts)
CODE_TTL_SECONDS = 600  # VK ID's authorization code lives ten minutes
ACCESS_TTL_SECONDS = 3600  # and its access token an hour
DEFAULT_DELAY = 8.0
# A journal telling the person that VK ID failed it may say so with a gateway status; any other 5xx is a crash.
GATEWAY_ANSWERS = frozenset(
    {502, 503, 504}
)  # O13: seconds VK ID stays silent; a journal's own timeout should be shorter


class Failed(AssertionError):
    """The journal did not behave; the message says how."""


class NotApplicable(Exception):
    """The journal never reached what this outcome tests (e.g. it never calls user_info)."""


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    phone: str

    def entry(self, channel: str) -> dict[str, Any]:
        """As a seed's `people` item: a VK ID account with an educational profile."""
        return {
            "id": "person",
            "last_name": self.last_name,
            "first_name": self.first_name,
            "patronymic": "Игоревна",
            "birth_date": "1985-04-12",
            "sex": "female",
            "phone": self.phone,
            "vkid": {"profile": True, "code_channel": channel},
        }


@dataclass
class Walk:
    """One outcome's browser, session and person, and the journal's pages seen so far."""

    config: Config
    session: SimSession
    context: BrowserContext
    page: Page
    person: Person
    shown: list[tuple[str, int]] = field(default_factory=list)  # the journal's pages: URL, status
    judged: str = ""  # what the page showed when the outcome was judged
    picture: bytes | None = None  # and how it looked
    returned: int = 0  # the index in `shown` of the first page after VK ID's last screen

    def __post_init__(self) -> None:
        self.page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        main = response.request.is_navigation_request() and response.frame == self.page.main_frame
        if main and urlsplit(response.url).hostname not in VKID_HOSTS:
            self.shown.append((response.url, response.status))

    # -- the journal ----------------------------------------------------------------------------

    @property
    def signed_in_text(self) -> str:
        return self.config.signed_in.format(first_name=self.person.first_name, last_name=self.person.last_name)

    def control(self, name: str) -> Locator:
        """A link or button by its text, as a person finds it."""
        page = self.page
        return page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name)).first

    def open_journal(self) -> None:
        self.page.goto(self.config.journal_url)

    def press_login(self) -> None:
        self.open_journal()
        login = self.control(self.config.login)
        if not login.count():
            raise Failed(f"на странице журнала нет кнопки или ссылки «{self.config.login}»")
        login.click()

    def expect_signed_in(self) -> None:
        text = self.signed_in_text
        try:
            self.page.get_by_text(text).first.wait_for(state="visible")
        except Exception:  # Playwright's timeout: told as what the person saw instead
            raise Failed(f"журнал не показал «{text}»; на странице: {self.visible_text()}") from None
        self.no_server_error()
        self.remember()

    def remember(self) -> None:
        """The page the outcome is judged by: its text and picture go into the report."""
        self.judged = self.visible_text(200)
        self.picture = self.page.screenshot(full_page=True)

    def no_server_error(self, since: int = 0) -> None:
        for url, status in self.shown[since:]:
            if status >= 500 and status not in GATEWAY_ANSWERS:
                raise Failed(f"журнал ответил {status} на {url}; на странице: {self.visible_text()}")

    def expect_refused(self, since: int = 0, *, reload: bool = True) -> None:
        """A clear error, no 5xx, no sign-in; then the journal shows its sign-in button again."""
        self.page.wait_for_load_state()
        self.remember()
        self.no_server_error(since)
        text = self.visible_text()
        if self.signed_in_text in text:
            raise Failed(f"журнал впустил человека («{self.signed_in_text}» на странице)")
        status = self.shown[-1][1] if self.shown[since:] else 200
        if status < 400 and not re.search(self.config.error_text, text, re.IGNORECASE):
            raise Failed(f"журнал не показал ошибку (ответ {status}, на странице: {text})")
        if reload:
            self.expect_signed_out()

    def expect_signed_out(self) -> None:
        self.open_journal()
        self.page.wait_for_load_state()
        if self.signed_in_text in self.visible_text():
            raise Failed(f"после перезагрузки {self.config.journal_url} человек всё ещё вошёл: сессия осталась")
        if not self.control(self.config.login).count():
            raise Failed(f"после перезагрузки {self.config.journal_url} нет кнопки «{self.config.login}»")

    def visible_text(self, limit: int = 400) -> str:
        try:
            text = " ".join(self.page.inner_text("body", timeout=5000).split())
        except Exception:  # a page with no body (a bare error) shows nothing
            text = ""
        return f"«{text[:limit]}{'…' if len(text) > limit else ''}»"

    # -- VK ID's screens ------------------------------------------------------------------------

    def screen(self, *names: str) -> str:
        """Wait for one of VK ID's screens and say which it is (a prefix: "code" is code-sms or code-call)."""
        selector = ", ".join(f"[data-screen^='{name}']" for name in names)
        try:
            self.page.wait_for_selector(selector)
        except Exception:
            raise Failed(
                f"VK ID не показал экран {' / '.join(names)}: открыт {self.page.url}, на странице {self.visible_text()}"
            ) from None
        return self.page.locator("[data-screen]").first.get_attribute("data-screen") or ""

    def button(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def sign_in(self, *, new: bool = False, wrong_first: bool = False, finish: str = "Продолжить") -> None:
        """From the journal's button to VK ID's last screen, and «Продолжить» (or «Отмена») there."""
        self.press_login()
        if self.screen("login", "profile") == "login":
            after = self.last_message_id()
            self.page.get_by_label("Телефон или почта").fill(self.person.phone)
            self.button("Продолжить")
            self.screen("code")
            code = self.session.wait_message(to=self.person.phone, after=after)["code"]
            if wrong_first:
                wrong = "".join(str((int(digit) + 1) % 10) for digit in code)
                self.page.locator("input[name=code]").fill(wrong)
                self.button("Продолжить")
                self.page.wait_for_selector("#code-error")
            self.page.locator("input[name=code]").fill(code)
            self.button("Продолжить")
            if new:
                self.screen("about")
                self.page.locator("#first_name").fill(self.person.first_name)
                self.page.locator("#last_name").fill(self.person.last_name)
                self.page.locator("#birth_date").fill("12.04.1985")
                self.page.locator("#sex").select_option("female")
                self.button("Продолжить")
            self.screen("profile")
        self.button("Создать учебный профиль" if new else "Продолжить в учебном профиле")
        self.screen("confirm")
        self.leave_vkid(finish)

    def leave_vkid(self, label: str) -> None:
        """The last press on VK ID: the journal's pages from here on are the answer to it."""
        self.returned = len(self.shown)
        self.button(label)

    def last_message_id(self) -> int:
        messages = self.session.messages()
        return int(messages[-1]["id"]) if messages else 0

    def back_to_journal(self) -> int:
        """Wait until VK ID has sent the browser back to the journal; the index of its first page seen."""
        self.page.wait_for_url(lambda url: urlsplit(url).hostname not in VKID_HOSTS)
        self.page.wait_for_load_state()
        return self.returned

    def held_redirect(self) -> str:
        """With the redirect held, VK ID's link back to the journal (the browser has not followed it)."""
        link = self.page.get_by_test_id("held-redirect")
        link.wait_for()
        return link.get_attribute("href") or ""

    def visit(self, url: str) -> int:
        since = len(self.shown)
        self.page.goto(url)
        self.page.wait_for_load_state()
        return since


def with_query(url: str, change: Callable[[dict[str, str]], object]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    change(query)
    return urlunsplit(parts._replace(query=urlencode(query)))


def calls(walk: Walk, endpoint: str, after: int = 0) -> list[dict[str, Any]]:
    return [e for e in walk.session.events(after) if e.get("kind") == "vkid_call" and e.get("endpoint") == endpoint]


def last_event_id(walk: Walk) -> int:
    events = walk.session.events()
    return int(events[-1]["id"]) if events else 0


# -- the walks, by the name an outcome gives ----------------------------------------------------


def existing_sms(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.sign_in()
    walk.back_to_journal()
    walk.expect_signed_in()


def existing_call(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("call")]})
    walk.sign_in()
    walk.back_to_journal()
    walk.expect_signed_in()


def new_number(walk: Walk) -> None:
    walk.sign_in(new=True)
    walk.back_to_journal()
    walk.expect_signed_in()


def second_sign_in(walk: Walk) -> None:
    existing_sms(walk)
    walk.context.clear_cookies(domain=urlsplit(walk.config.journal_url).hostname)
    walk.press_login()
    walk.screen("profile", "login")
    walk.button("Продолжить в учебном профиле")
    walk.screen("confirm")
    walk.leave_vkid("Продолжить")
    walk.back_to_journal()
    walk.expect_signed_in()


def consent_refused(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.sign_in(finish="Отмена")
    walk.expect_refused(walk.back_to_journal())


def identity_unavailable(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.session.fault("identity_unavailable")
    walk.press_login()
    walk.screen("login")
    walk.page.get_by_label("Телефон или почта").fill(walk.person.phone)
    walk.button("Продолжить")
    walk.page.get_by_test_id("alert").wait_for()
    walk.expect_signed_out()


def wrong_then_right_code(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.sign_in(wrong_first=True)
    walk.back_to_journal()
    walk.expect_signed_in()


def _held(walk: Walk) -> str:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.session.settings(vkid_redirect="hold")
    walk.sign_in()
    return walk.held_redirect()


def code_expired(walk: Walk) -> None:
    target = _held(walk)
    walk.session.advance(CODE_TTL_SECONDS + 1)
    walk.expect_refused(walk.visit(target))


def code_replay(walk: Walk) -> None:
    target = _held(walk)
    walk.visit(target)
    walk.expect_signed_in()
    walk.expect_refused(walk.visit(target), reload=False)


def forged_state(walk: Walk) -> None:
    target = with_query(_held(walk), lambda query: query.update(state="F" * 43))
    walk.expect_refused(walk.visit(target))


def missing_state(walk: Walk) -> None:
    target = with_query(_held(walk), lambda query: query.pop("state", None))
    walk.expect_refused(walk.visit(target))


def _token_fault(walk: Walk, status: int, delay: float = 0) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.session.fault("http_error", platform="vkid", path="/oauth2/auth", status=status, delay=delay)
    walk.sign_in()
    walk.expect_refused(walk.back_to_journal())


def token_failure(walk: Walk) -> None:
    _token_fault(walk, 500)


def token_timeout(walk: Walk) -> None:
    delay = walk.config.override("O13", "delay", DEFAULT_DELAY)
    walk.page.set_default_timeout((delay + 25) * 1000)
    _token_fault(walk, 504, delay)


def user_info_refused(walk: Walk) -> None:
    walk.session.seed({"people": [walk.person.entry("sms")]})
    walk.session.fault("http_error", platform="vkid", path="/oauth2/user_info", status=401)
    walk.sign_in()
    since = walk.back_to_journal()
    if not calls(walk, "/oauth2/user_info"):
        raise NotApplicable("журнал не вызывает /oauth2/user_info")
    walk.expect_refused(since)


def refresh(walk: Walk) -> None:
    existing_sms(walk)
    mark = last_event_id(walk)
    walk.session.advance(ACCESS_TTL_SECONDS + 1)
    walk.visit(walk.config.journal_url)
    seen = [e for e in walk.session.events(mark) if e.get("kind") == "vkid_call"]
    if not seen:
        raise NotApplicable("после истечения access token журнал не обращался к VK ID")
    refreshed = [e for e in seen if e.get("grant_type") == "refresh_token" and e.get("status") == 200]
    expired = [e for e in seen if e.get("status") == 401]
    if expired and not refreshed:
        raise Failed("access token истёк (VK ID ответил 401), а журнал не обновил его по refresh_token")
    walk.expect_signed_in()


def logout(walk: Walk) -> None:
    existing_sms(walk)
    mark = last_event_id(walk)
    control = walk.control(walk.config.logout)
    if not control.count():
        raise Failed(f"у вошедшего человека нет кнопки или ссылки «{walk.config.logout}»")
    control.click()
    walk.page.wait_for_load_state()
    walk.no_server_error()
    walk.expect_signed_out()
    ended = [
        e
        for e in walk.session.events(mark)
        if e.get("kind") == "vkid_call" and e.get("endpoint") in ("/oauth2/logout", "/oauth2/revoke")
    ]
    if not any(e.get("status") == 200 for e in ended):
        raise Failed("журнал не отозвал токен в VK ID при выходе (нет успешного /oauth2/logout или /oauth2/revoke)")


WALKS: dict[str, Callable[[Walk], None]] = {
    "existing_sms": existing_sms,
    "existing_call": existing_call,
    "new_number": new_number,
    "second_sign_in": second_sign_in,
    "consent_refused": consent_refused,
    "identity_unavailable": identity_unavailable,
    "wrong_then_right_code": wrong_then_right_code,
    "code_expired": code_expired,
    "code_replay": code_replay,
    "forged_state": forged_state,
    "missing_state": missing_state,
    "token_failure": token_failure,
    "token_timeout": token_timeout,
    "user_info_refused": user_info_refused,
    "refresh": refresh,
    "logout": logout,
}
__all__ = ["WALKS", "Failed", "NotApplicable", "Person", "Walk"]
