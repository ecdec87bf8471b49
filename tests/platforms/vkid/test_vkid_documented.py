"""VK ID as its documentation and web SDK describe it, where a journal could meet a difference: HEAD wherever GET
is answered, and the SDK's other sign-in ways (OAuthList's OK and Mail, One Tap's «Войти другим способом»)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from aiohttp import web

from simulator.app import create_app
from simulator.testing import SimSession
from simulator.wire import PREFIX
from tests.platforms.vkid.vendor_journal import authorize
from tests.support.sim_browser import new_pkce

JOURNAL = "https://journal.example"  # the vendor's REDIRECT_URI's origin
# The live pages' event stream is held open until the world changes: HEAD would be held the same way, so it
# stays GET alone (a page's EventSource only ever GETs it).
STREAMS = {"/_live/events"}


def _routes(app: web.Application, host: str = "*") -> list[tuple[str, str, set[str]]]:
    """Every resource of the app and of each host's sub-app: (host, path, methods)."""
    found = []
    for resource in app.router.resources():
        sub = getattr(resource, "_app", None)
        if sub is not None:
            found += _routes(sub, str(getattr(getattr(resource, "_rule", None), "_domain", "?")))
            continue
        found.append((host, resource.canonical, {route.method for route in resource}))
    return found


def test_every_get_route_answers_head() -> None:
    """RFC 9110 §9.3.2: HEAD is GET without the body; a link checker or a journal's probe uses it."""
    routes = _routes(create_app())
    assert any(path == "/authorize" for _, path, _ in routes)  # the hosts' sub-apps were walked
    without = [(host, path) for host, path, methods in routes if "GET" in methods and "HEAD" not in methods]
    assert [(host, path) for host, path in without if path not in STREAMS] == []


@pytest.mark.parametrize(
    "host, path",
    [("id.vk.com", "/authorize"), ("id.vk.com", PREFIX + "/health"), ("id.vk.com", "/_static/style.css")],
)
def test_head_answers_as_get_without_a_body(vkid_api: httpx.Client, host: str, path: str) -> None:
    got = vkid_api.get(path, headers={"Host": host})
    head = vkid_api.head(path, headers={"Host": host})
    assert head.status_code == got.status_code and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


class _Links(HTMLParser):
    """The page's links and its alert's text, read as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, str] = {}
        self.alert = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self._in, self._href = "a", attributes.get("href") or ""
        elif attributes.get("role") == "alert":
            self._in = "alert"

    def handle_data(self, data: str) -> None:
        if self._in == "a":
            self.links[data.strip()] = self._href
        elif self._in == "alert":
            self.alert += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None if tag in ("a", "p") else self._in


@pytest.mark.parametrize(
    "provider, named",
    [("ok_ru", "Одноклассники"), ("mail_ru", "Почту Mail"), ("other", "другим способом")],
)
def test_another_provider_is_told_plainly_and_vk_id_goes_on(
    client: dict[str, Any],
    vkid: httpx.Client,
    sim_session: SimSession,
    provider: str,
    named: str,
) -> None:
    """OAuthList's OK and Mail and One Tap's alternative reach /authorize with provider=: never a silent no-op."""
    query = authorize(new_pkce(), provider=provider)
    page = vkid.get("/authorize", params=query)
    assert page.status_code == 200 and 'lang="ru"' in page.text
    read = _Links()
    read.feed(page.text)
    assert "Симулятор играет только VK ID" in read.alert and named in read.alert
    onward = urlsplit(read.links["Продолжить с VK ID"])
    assert onward.path == "/authorize"
    assert {k: v[0] for k, v in parse_qs(onward.query).items()} == {k: v for k, v in query.items() if k != "provider"}
    assert vkid.get(read.links["Продолжить с VK ID"]).headers["location"] == "/auth"  # VK ID's own sign-in


def test_provider_vkid_is_vk_ids_own_sign_in(client: dict[str, Any], vkid: httpx.Client) -> None:
    assert vkid.get("/authorize", params=authorize(new_pkce(), provider="vkid")).headers["location"] == "/auth"


def test_one_tap_shows_ok_mail_and_another_way_when_asked(client: dict[str, Any], vkid: httpx.Client) -> None:
    base = {"app_id": "vendor_journal", "redirect_uri": JOURNAL + "/vkid/callback", "origin": JOURNAL}
    plain = vkid.get("/button_one_tap_auth", params=base).text
    assert "data-provider" not in plain.split("<script>")[0]
    asked = vkid.get(
        "/button_one_tap_auth", params={**base, "providers": "ok_ru,mail_ru", "show_alternative_login": "1"}
    ).text
    buttons = asked.split("<script>")[0]
    for provider, label in [("ok_ru", "Одноклассники"), ("mail_ru", "Почта Mail"), ("other", "Войти другим способом")]:
        assert f'data-provider="{provider}">{label}</button>' in buttons
