"""What every platform's handlers share: templates, the test session of a request, browser state."""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from multidict import MultiDictProxy

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


# What aiohttp raises on a body a client broke on purpose, and nothing else: ValueError (bad boundary,
# UnicodeDecodeError, bad base64), LookupError (unknown charset), HttpProcessingError (a part's header
# that is not an HTTP header, a NUL in it, too many or too long headers), RequestPayloadError (a body
# whose Content-Encoding does not decode), RuntimeError (a part's unknown Content-(Transfer-)Encoding),
# zlib.error (a part's gzip that does not decode) and AssertionError (a multipart the reader's own
# checks refuse). Anything else reading a form raises is a bug, answered as one.
UNREADABLE_BODY: tuple[type[BaseException], ...] = (
    ValueError,
    LookupError,
    HttpProcessingError,
    RequestPayloadError,
    RuntimeError,
    zlib.error,
    AssertionError,
)


REASON_MAX = 200


def unreadable(error: BaseException) -> UnreadableForm:
    """The refusal of a body `error` was raised on, its reason on one line of printable ASCII.

    The reason reaches OAuth clients as error_description, and aiohttp's own texts quote the offending
    bytes (a NUL, a newline), which a client's log should not receive raw.
    """
    if isinstance(error, RequestPayloadError) and isinstance(error.__cause__, HttpProcessingError):
        error = error.__cause__  # the decoder's own words, without the wrapper's status line
    reason = error.message if isinstance(error, HttpProcessingError) else str(error)
    reason = " ".join(str(reason).split()).encode("unicode_escape").decode("ascii")
    return UnreadableForm(reason[:REASON_MAX] or type(error).__name__)


async def _posted(request: web.Request) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    try:
        return await request.post()
    except UNREADABLE_BODY as error:
        raise unreadable(error) from None


async def form_lists(request: web.Request) -> dict[str, list[str]]:
    """The posted form's text fields with every value of each: a list of checkboxes of one name."""
    fields: dict[str, list[str]] = {}
    for name, value in (await _posted(request)).items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return fields


async def form(request: web.Request) -> dict[str, str]:
    """The posted form's text fields (files are ignored); every platform reads its forms here."""
    return {k: v for k, v in (await _posted(request)).items() if isinstance(v, str)}
