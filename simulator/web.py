"""What every platform's handlers share: templates, the test session of a request, browser state."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2
from aiohttp import web

from . import validation
from .hosts import Hosts
from .wire import SESSION_HEADER as SESSION_HEADER  # the handlers read it as sim.SESSION_HEADER
from .world import Session, World

User = TypeVar("User")
WORLD = web.AppKey("world", World)
HOSTS = web.AppKey("hosts", Hosts)

_here = Path(__file__).parent
_platforms = _here / "platforms"
templates = jinja2.Environment(
    loader=jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader(
                {
                    p.name: jinja2.FileSystemLoader(p / "templates")
                    for p in _platforms.iterdir()
                    if (p / "templates").is_dir()
                }
            ),
            jinja2.FileSystemLoader(_here / "templates"),
        ]
    ),
    autoescape=True,  # names typed by users are shown, never interpreted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def unbreakable(text: str) -> str:
    """A phone number on a screen never wraps inside itself: its spaces are no-break spaces.

    (A hyphen before a digit is no line-break opportunity, so «111-11-11» stays whole already.)
    """
    return text.replace(" ", "\u00a0")


templates.filters["phone"] = lambda value: unbreakable(validation.format_phone(value))  # «+7 199 111-11-11»
templates.filters["masked"] = lambda value: unbreakable(validation.mask_phone(value))  # «+7 *** ** *11»
templates.globals["SEXES"] = validation.SEXES


def world(request: web.Request) -> World:
    return request.config_dict[WORLD]


def hosts(request: web.Request) -> Hosts:
    return request.config_dict[HOSTS]


def session(request: web.Request) -> Session:
    """The test session a browser request belongs to: the harness sends its key in a header."""
    return world(request).get(request.headers.get(SESSION_HEADER))


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    html = templates.get_template(template).render(url=hosts(request).url, request=request, **context)
    return web.Response(text=html, status=status, content_type="text/html")


def redirect(location: str, status: int = 303) -> web.Response:
    """A redirect to return (aiohttp wants HTTP exceptions raised, not returned)."""
    return web.Response(status=status, headers={"Location": location})


def browser_state(request: web.Request, cookie: str) -> dict[str, Any]:
    """Server-side state behind one platform cookie (its value is a random handle)."""
    handle = request.cookies.get(cookie)
    state = session(request).web.get(f"{cookie}:{handle}") if handle else None
    return state if state is not None else {}


def save_browser_state(request: web.Request, response: web.StreamResponse, cookie: str, state: dict[str, Any]) -> None:
    handle = request.cookies.get(cookie)
    if not handle or f"{cookie}:{handle}" not in session(request).web:
        handle = secrets.token_urlsafe(16)
        response.set_cookie(cookie, handle, httponly=True, samesite="Lax", path="/")
    session(request).web[f"{cookie}:{handle}"] = state


class SignIn(Generic[User]):
    """Who is signed in to a platform: server-side state behind one cookie of the platform's origin."""

    def __init__(self, cookie: str, key: str, table: Callable[[Session], Mapping[Any, User]]) -> None:
        self.cookie = cookie
        self.key = key  # the state's entry naming the signed-in user …
        self.table = table  # … in this table of the session, e.g. its journal accounts

    def state(self, request: web.Request) -> dict[str, Any]:
        return browser_state(request, self.cookie)

    def respond(self, request: web.Request, response: web.StreamResponse, state: dict[str, Any]) -> web.StreamResponse:
        save_browser_state(request, response, self.cookie, state)
        return response

    def user(self, request: web.Request) -> User:
        """The signed-in user; anyone else is sent to the platform's sign-in page."""
        key = self.state(request).get(self.key)
        user = self.table(session(request)).get(key) if key else None
        if user is None:
            raise web.HTTPSeeOther("/")
        return user


class UnreadableForm(ValueError):
    """A posted body that is not the form it claims to be: broken multipart, unknown charset, bad UTF-8."""


async def form_lists(request: web.Request) -> dict[str, list[str]]:
    """The posted form's text fields with every value of each: a list of checkboxes of one name."""
    try:
        data = await request.post()
    except (ValueError, LookupError) as error:
        raise UnreadableForm(str(error)) from None
    fields: dict[str, list[str]] = {}
    for name, value in data.items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return fields


async def form(request: web.Request) -> dict[str, str]:
    """The posted form's text fields (files are ignored); every platform reads its forms here."""
    try:
        data = await request.post()
    except (ValueError, LookupError) as error:  # aiohttp's parsers raise these, UnicodeDecodeError included
        raise UnreadableForm(str(error)) from None
    return {k: v for k, v in data.items() if isinstance(v, str)}
