"""A vendor's e-journal, cut down to what signs in with VK ID and links a Sferum profile.

Nothing here knows about the simulator: the browser is sent to https://id.vk.com/authorize and the
server calls https://id.vk.com/oauth2/… with httpx, with VK ID's published parameter names.
Under test, the sferum-sim plugin answers those names (see docs/vendors.md).
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

VKID = "https://id.vk.com"
CLIENT_ID = "journal_example"  # as registered with VK ID, with the redirect URI and the name below
SERVICE_NAME = "Электронный журнал «Пример»"  # VK ID shows it: «С сервисом «…» можно связать…»
COOKIE = "journal_session"

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
Result = tuple[str, list[tuple[str, str]], str | None]  # status, headers, HTML (None for a redirect)


class VkIdError(Exception):
    """VK ID refused a call: its `error` code and `error_description`."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass
class VkIdClient:
    """The journal's side of VK ID's OAuth 2.1 + PKCE."""

    client_id: str
    redirect_uri: str
    http: httpx.Client

    def authorize_url(self) -> tuple[str, dict[str, str]]:
        """Where to send the browser, and what to keep until it comes back."""
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(32)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "s256",
            "scope": "vkid.personal_info phone",
        }
        return f"{VKID}/authorize?{urlencode(query)}", {"state": state, "verifier": verifier}

    def exchange(self, code: str, device_id: str, state: str, verifier: str) -> dict[str, Any]:
        return self._post(
            "/oauth2/auth",
            grant_type="authorization_code",
            code=code,
            code_verifier=verifier,
            device_id=device_id,
            redirect_uri=self.redirect_uri,
            state=state,
        )

    def user_info(self, access_token: str) -> dict[str, Any]:
        return self._post("/oauth2/user_info", access_token=access_token)["user"]

    def logout(self, access_token: str) -> None:
        self._post("/oauth2/logout", access_token=access_token)

    def _post(self, path: str, **data: str) -> dict[str, Any]:
        body = self.http.post(f"{VKID}{path}", data={"client_id": self.client_id, **data}).json()
        if "error" in body:
            raise VkIdError(body["error"], body.get("error_description", ""))
        return body


@dataclass
class Account:
    login: str
    password: str
    name: str
    sferum_id: str | None = None  # VK ID's user_id of the linked educational profile
    sferum_name: str | None = None


class Journal:
    """The WSGI app: sign-in, a cabinet with «Привязать Сферум», and the VK ID callback."""

    def __init__(self, client_id: str, base_url: str, http: httpx.Client | None = None) -> None:
        self.base_url = base_url
        self.vkid = VkIdClient(client_id, f"{base_url}/vkid/callback", http or httpx.Client(timeout=10))
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, dict[str, Any]] = {}  # by cookie value

    def add_account(self, login: str, password: str, name: str) -> Account:
        self.accounts[login] = account = Account(login, password, name)
        return account

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        handle = SimpleCookie(environ.get("HTTP_COOKIE", "")).get(COOKIE)
        sid = handle.value if handle and handle.value in self.sessions else secrets.token_urlsafe(16)
        session = self.sessions.setdefault(sid, {})
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        form: dict[str, str] = {}
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(size).decode()))
        routes = {
            ("GET", "/"): self.sign_in_page,
            ("POST", "/login"): self.sign_in,
            ("POST", "/logout"): self.sign_out,
            ("GET", "/cabinet"): self.cabinet,
            ("POST", "/sferum/link"): self.link,
            ("POST", "/vkid/login"): self.vkid_login,
            ("GET", "/vkid/callback"): self.callback,
        }
        handler = routes.get((method, path))
        status, headers, body = (
            handler(session, query | form) if handler else ("404 Not Found", [], "Нет такой страницы")
        )
        headers = [*headers, ("Set-Cookie", f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax")]
        if body is not None:
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        start_response(status, headers)
        return [(body or "").encode()]

    # -- screens ------------------------------------------------------------------------------------

    @staticmethod
    def _page(title: str, content: str, status: str = "200 OK") -> Result:
        page = f"<!doctype html><html lang='ru'><meta charset='utf-8'><title>{title}</title><h1>{title}</h1>{content}</html>"
        return status, [], page

    @staticmethod
    def _go(location: str) -> Result:
        return "303 See Other", [("Location", location)], None

    def sign_in_page(self, session: dict, params: dict) -> Result:
        if session.get("login"):
            return self._go("/cabinet")
        error = session.pop("error", "")
        return self._page(
            "Электронный журнал",
            (f"<p role='alert'>{html.escape(error)}</p>" if error else "") + "<form method='post' action='/login'>"
            "<label>Логин <input name='login'></label><label>Пароль <input name='password' type='password'></label>"
            "<button>Войти</button></form>"
            "<form method='post' action='/vkid/login'><button>Войти через VK ID</button></form>",
        )

    def sign_in(self, session: dict, params: dict) -> Result:
        account = self.accounts.get(params.get("login", ""))
        if account is None or account.password != params.get("password"):
            session["error"] = "Неверный логин или пароль"
            return self._go("/")
        session["login"] = account.login
        return self._go("/cabinet")

    def sign_out(self, session: dict, params: dict) -> Result:
        session.clear()
        return self._go("/")

    def cabinet(self, session: dict, params: dict) -> Result:
        account = self.accounts.get(session.get("login", ""))
        if account is None:
            return self._go("/")
        error = session.pop("error", "")
        linked = (
            f"<p data-testid='sferum'>Сферум привязан: {html.escape(account.sferum_name or '')}</p>"
            if account.sferum_id
            else "<form method='post' action='/sferum/link'><button>Привязать Сферум</button></form>"
        )
        return self._page(
            f"Кабинет: {html.escape(account.name)}",
            (f"<p role='alert'>{html.escape(error)}</p>" if error else "")
            + linked
            + "<form method='post' action='/logout'><button>Выйти</button></form>",
        )

    def link(self, session: dict, params: dict) -> Result:
        if session.get("login") not in self.accounts:
            return self._go("/")
        return self._to_vkid(session, "link")

    def vkid_login(self, session: dict, params: dict) -> Result:
        return self._to_vkid(session, "login")

    def _to_vkid(self, session: dict, purpose: str) -> Result:
        url, pending = self.vkid.authorize_url()
        session["vkid"] = {**pending, "purpose": purpose}
        return self._go(url)

    def callback(self, session: dict, params: dict) -> Result:
        """VK ID sends the browser back here with code, state, device_id — or with an error."""
        pending = session.pop("vkid", None)
        back = "/cabinet" if session.get("login") else "/"
        if "error" in params:
            session["error"] = f"VK ID: {params['error']}: {params.get('error_description', '')}"
            return self._go(back)
        if pending is None or params.get("state") != pending["state"]:
            session["error"] = "Вход через VK ID устарел, начните заново"
            return self._go(back)
        try:
            tokens = self.vkid.exchange(
                params.get("code", ""), params.get("device_id", ""), pending["state"], pending["verifier"]
            )
            user = self.vkid.user_info(tokens["access_token"])
        except VkIdError as error:
            session["error"] = f"Не удалось привязать Сферум: {error}"
            return self._go(back)
        name = f"{user['first_name']} {user['last_name']}"
        if pending["purpose"] == "link":
            account = self.accounts[session["login"]]
            account.sferum_id, account.sferum_name = user["user_id"], name
            return self._go("/cabinet")
        account = next((a for a in self.accounts.values() if a.sferum_id == user["user_id"]), None)
        if account is None:
            session["error"] = f"Профиль {name} не привязан ни к одной учётной записи журнала"
            return self._go("/")
        session["login"] = account.login
        return self._go("/cabinet")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class JournalServer:
    """The journal on rp.localhost:<free port>, served from a thread: `with JournalServer(…) as server:`."""

    def __init__(self, client_id: str = CLIENT_ID, host: str = "rp.localhost") -> None:
        self._server = make_server("127.0.0.1", 0, lambda e, s: self.journal(e, s), _Server, _QuietHandler)
        self.url = f"http://{host}:{self._server.server_port}"
        self.journal = Journal(client_id, self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, name="journal", daemon=True)

    def __enter__(self) -> JournalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.journal.vkid.http.close()
