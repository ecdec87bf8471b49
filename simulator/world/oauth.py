"""VK ID's OAuth 2.1 + PKCE state and rules: clients, authorization codes, tokens.

Every check a real VK ID makes is made here, and each failure carries VK ID's error code, so the
simulator's own journals and a vendor's relying party are held to the same protocol.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..errors import DomainError

CODE_TTL = timedelta(minutes=10)
ACCESS_TTL = timedelta(hours=1)
ID_TOKEN_TTL = ACCESS_TTL
ISSUER = "https://id.vk.com"
STATE_MIN = 32  # VK ID refuses a shorter state
STATE_RE = re.compile(r"[A-Za-z0-9_-]+")  # VK ID's documented state alphabet
DEFAULT_SCOPE = "vkid.personal_info"  # what VK ID grants when the request names no scope
# The accesses VK ID gives a web relying party without a separate agreement: the basic ones and the phone.
# Any other name a request holds is not granted (the grant's scope says what was), as VK ID does.
GRANTABLE_SCOPES = ("vkid.personal_info", "email", "phone")
VERIFIER_RE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class OAuthError(DomainError):
    """A protocol error in VK ID's shape: {error, error_description, state}."""

    def __init__(
        self, error: str, description: str, state: str | None = None, status: int = 400, *, redirectable: bool = True
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.state = state
        self.status = status
        # Without a known client and registered redirect_uri the user must not be sent anywhere.
        self.redirectable = redirectable

    def to_json(self) -> dict[str, str]:
        body = {"error": self.error, "error_description": self.description}
        if self.state is not None:
            body["state"] = self.state
        return body


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


# What VK ID's consent screen promises when a client names nothing else.
DEFAULT_BULLETS = (
    "VK Мессенджер и VK Звонки можно использовать для учебных коммуникаций",
    "Для этого используйте учебный профиль VK ID",
    "Ваш профиль ВКонтакте никто не увидит",
)


@dataclass(frozen=True)
class OAuthClient:
    """A relying party of VK ID: built by the platforms here, or read from JSON by `world.seed.parse_client`."""

    client_id: str
    redirect_uris: tuple[str, ...]
    service_name: str  # shown on the VK ID screen: «С сервисом «МЭШ ВКС» можно связать…»
    first_party: bool = False  # VK's own apps sign a signed-in user in without asking again
    bullets: tuple[str, ...] = DEFAULT_BULLETS
    # Signs this client's id_tokens (HS256), so the relying party can check them if it wants to.
    client_secret: str = field(default_factory=new_client_secret)


@dataclass
class AuthRequest:
    """A validated /authorize call, waiting for the user to finish signing in."""

    client_id: str
    redirect_uri: str
    state: str
    code_challenge: str
    scope: str


@dataclass
class AuthCode:
    code: str
    request: AuthRequest
    user_id: int
    device_id: str
    issued_at: datetime
    used: bool = False
    token: str | None = None  # the access token it was exchanged for, revoked if the code is replayed


@dataclass
class Token:
    access_token: str
    refresh_token: str
    client_id: str
    user_id: int
    scope: str
    device_id: str
    issued_at: datetime
    revoked: bool = False
    family: str = ""  # every token refreshed from one code shares it: a replay revokes them all
    rotated: bool = False  # spent by a refresh; presenting it again is a replay (RFC 9700 §4.14)


def safe_state(state: str | None) -> str | None:
    """The state if it may be echoed back; one outside VK ID's alphabet never is."""
    return state if state and STATE_RE.fullmatch(state) else None


def granted_scope(requested: str | None) -> str:
    """What an /authorize request is granted: the names it asks for that VK ID gives, or the default."""
    names = [name for name in dict.fromkeys((requested or "").split()) if name in GRANTABLE_SCOPES]
    return " ".join(names) or DEFAULT_SCOPE


def narrowed_scope(granted: str, requested: str | None, state: str | None) -> str:
    """A refresh's scope: the grant's, or the part of it the request names; never wider (RFC 6749 §6)."""
    if requested is None or not requested.strip():
        return granted
    names = list(dict.fromkeys(requested.split()))
    wider = [name for name in names if name not in granted.split()]
    if wider:
        raise OAuthError("invalid_scope", f"scope {' '.join(wider)} was not granted to this refresh token", state)
    return " ".join(names)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


def id_token(client: OAuthClient, user_id: int, now: datetime) -> str:
    """A JWT (HS256 with the client's secret) naming the user: what /oauth2/public_info reads."""
    claims = {
        "iss": ISSUER,
        "sub": str(user_id),
        "aud": client.client_id,
        "iat": int(now.timestamp()),
        "exp": int((now + ID_TOKEN_TTL).timestamp()),
    }
    return _signed(client, claims)


def _signed(client: OAuthClient, claims: dict[str, Any]) -> str:
    # Two sessions with the same seed and client secret would otherwise sign the same user's id_token in the
    # same second into one string; the id makes each id_token name the one session that issued it.
    claims = {**claims, "jti": secrets.token_urlsafe(16)}
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
    signature = hmac.new(client.client_secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _claims(token: str) -> dict[str, Any] | None:
    """An id_token's claims, unchecked: only for re-signing one this store issued itself."""
    try:
        body: Any = json.loads(_unb64(token.split(".")[1]))
    except (ValueError, UnicodeError, IndexError):
        return None
    return body if isinstance(body, dict) else None


def read_id_token(client: OAuthClient, token: str, now: datetime) -> dict[str, Any]:
    """The claims of an id_token this client was given; anything else is invalid_token."""
    invalid = OAuthError("invalid_token", "id_token is invalid", status=401)
    try:
        header, claims, signature = token.split(".")
        expected = hmac.new(client.client_secret.encode(), f"{header}.{claims}".encode("ascii"), hashlib.sha256)
        if not hmac.compare_digest(_unb64(signature), expected.digest()):
            raise invalid
        body: Any = json.loads(_unb64(claims))
    except (ValueError, UnicodeError):
        raise invalid from None
    if not isinstance(body, dict) or not isinstance(body.get("exp", 0), int | float):
        raise invalid
    if body.get("aud") != client.client_id or body.get("iss") != ISSUER:
        raise invalid
    if now.timestamp() >= body.get("exp", 0):
        raise OAuthError("invalid_token", "id_token has expired", status=401)
    return dict(body)


@dataclass
class OAuthStore:
    index: Callable[[str], None] = lambda token: None  # lets the world find a session by token
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # by access token
    refresh: dict[str, Token] = field(default_factory=dict)  # by refresh token
    # An id_token's times are the wall clock's (JWT libraries check them against it); its life on the
    # session's virtual clock is kept here, so advancing the session still expires it.
    id_tokens: dict[str, datetime] = field(default_factory=dict)

    def identities(self) -> list[str]:
        """Every code and token this store issued: each names this session alone."""
        return [*self.codes, *self.tokens, *self.refresh, *self.id_tokens]

    def issue_id_token(self, client: OAuthClient, user_id: int, wall_now: datetime, now: datetime) -> str:
        """An id_token for the user, its JWT times the wall clock's, its life kept on the session's clock."""
        token = id_token(client, user_id, wall_now)
        self.id_tokens[token] = now
        self.index(token)
        return token

    def id_token_issued_at(self, token: str, now: datetime) -> datetime:
        """When this store issued `token` (on the session's clock); invalid_token if it did not, or it expired."""
        issued_at = self.id_tokens.get(token)
        if issued_at is None:  # signed by another session holding the same client secret, or made up
            raise OAuthError("invalid_token", "id_token was not issued in this session", status=401)
        if now - issued_at >= ID_TOKEN_TTL:
            raise OAuthError("invalid_token", "id_token has expired", status=401)
        return issued_at

    def renew_identities(self) -> None:
        """New values for every code and token, the grants behind them unchanged: a copy of a session must
        not answer to the codes and tokens of the session it was copied from."""
        renamed: dict[str, str] = {}
        for token in self.tokens.values():
            renamed[token.access_token] = token.access_token = secrets.token_urlsafe(32)
            renamed[token.refresh_token] = token.refresh_token = secrets.token_urlsafe(32)
        self.tokens = {token.access_token: token for token in self.tokens.values()}
        self.refresh = {token.refresh_token: token for token in self.refresh.values()}
        codes = {}
        for code in self.codes.values():
            code.code = secrets.token_urlsafe(24)
            code.token = renamed.get(code.token) if code.token else None
            codes[code.code] = code
        self.codes = codes
        id_tokens = {}
        for signed, issued_at in self.id_tokens.items():
            claims = _claims(signed)
            client = self.clients.get(str(claims.get("aud"))) if claims else None
            if claims is not None and client is not None:  # one no client here can check is dropped
                id_tokens[_signed(client, claims)] = issued_at
        self.id_tokens = id_tokens

    def register(self, client: OAuthClient) -> OAuthClient:
        self.clients[client.client_id] = client
        return client

    def client(self, client_id: str | None, state: str | None = None) -> OAuthClient:
        if not client_id:
            raise OAuthError("invalid_request", "client_id is missing", state, redirectable=False)
        try:
            return self.clients[client_id]
        except KeyError:
            raise OAuthError(
                "invalid_client", f"unknown client_id {client_id}", state, 401, redirectable=False
            ) from None

    def authorize(self, params: dict[str, str]) -> AuthRequest:
        """Validate an /authorize call; raising here means the user is never sent back."""
        raw_state = params.get("state")
        state = safe_state(raw_state)  # echoed in errors only if it is in VK ID's alphabet
        client = self.client(params.get("client_id"), state)
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in client.redirect_uris:
            raise OAuthError(
                "invalid_request", "redirect_uri is not registered for this client", state, redirectable=False
            )
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "response_type must be code", state)
        if not raw_state or len(raw_state) < STATE_MIN:
            raise OAuthError("invalid_request", f"state must be at least {STATE_MIN} characters", state)
        if state is None:
            raise OAuthError("invalid_request", "state may hold only a-z, A-Z, 0-9, _ and -")
        challenge = params.get("code_challenge", "")
        if params.get("code_challenge_method", "").lower() != "s256":
            raise OAuthError("invalid_request", "code_challenge_method must be s256", state)
        if len(challenge) != 43:
            raise OAuthError("invalid_request", "code_challenge must be a base64url SHA-256 digest", state)
        return AuthRequest(client.client_id, redirect_uri, state, challenge, granted_scope(params.get("scope")))

    def issue_code(self, request: AuthRequest, user_id: int, now: datetime) -> AuthCode:
        code = AuthCode(
            code=secrets.token_urlsafe(24),
            request=request,
            user_id=user_id,
            device_id=secrets.token_urlsafe(16),
            issued_at=now,
        )
        self.codes[code.code] = code
        self.index(code.code)
        return code

    def exchange_code(self, params: dict[str, str], now: datetime) -> Token:
        state = params.get("state")
        client = self.client(params.get("client_id"), state)
        code = self.codes.get(params.get("code", ""))
        if code is None or code.request.client_id != client.client_id:
            raise OAuthError("invalid_grant", "authorization code is invalid", state)
        if code.used:
            # A replayed code may be stolen: what it was exchanged for stops working too (OAuth 2.1 §4.1.3).
            if code.token and (issued := self.tokens.get(code.token)):
                self.revoke_family(issued.family)
            raise OAuthError("invalid_grant", "authorization code has already been used", state)
        if now - code.issued_at > CODE_TTL:
            raise OAuthError("invalid_grant", "authorization code has expired", state)
        if params.get("redirect_uri") != code.request.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request", state)
        if params.get("device_id") != code.device_id:
            raise OAuthError("invalid_grant", "device_id does not match the authorization code", state)
        verifier = params.get("code_verifier", "")
        if not verifier:
            raise OAuthError("invalid_request", "code_verifier is missing", state)
        if not 43 <= len(verifier) <= 128 or not set(verifier) <= VERIFIER_RE_CHARS:
            raise OAuthError("invalid_request", "code_verifier must be 43-128 unreserved characters", state)
        if s256(verifier) != code.request.code_challenge:
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge", state)
        code.used = True
        token = self._issue_token(client.client_id, code.user_id, code.request.scope, code.device_id, now)
        code.token = token.access_token
        return token

    def refresh_token(self, params: dict[str, str], now: datetime) -> Token:
        state = params.get("state")
        client = self.client(params.get("client_id"), state)
        old = self.refresh.get(params.get("refresh_token", ""))
        if old is None or old.client_id != client.client_id:
            raise OAuthError("invalid_grant", "refresh token is invalid", state)
        if old.revoked:
            if old.rotated:  # a spent refresh token again: whoever holds the newer ones may have stolen it
                self.revoke_family(old.family)
            raise OAuthError("invalid_grant", "refresh token has been revoked", state)
        if params.get("device_id") != old.device_id:
            raise OAuthError("invalid_grant", "device_id does not match the refresh token", state)
        scope = narrowed_scope(old.scope, params.get("scope"), state)
        old.revoked = old.rotated = True  # rotation: a refresh token works once
        return self._issue_token(client.client_id, old.user_id, scope, old.device_id, now, old.family)

    def token(self, client_id: str | None, access_token: str | None, now: datetime) -> Token:
        client = self.client(client_id)
        token = self.tokens.get(access_token or "")
        if token is None or token.client_id != client.client_id:
            raise OAuthError("invalid_token", "access token is invalid", status=401)
        if token.revoked:
            raise OAuthError("invalid_token", "access token has been revoked", status=401)
        if now - token.issued_at > ACCESS_TTL:
            raise OAuthError("invalid_token", "access token has expired", status=401)
        return token

    def logout(self, token: Token) -> None:
        """/oauth2/logout: this access token and its refresh token stop working."""
        token.revoked = True

    def revoke(self, token: Token) -> None:
        """/oauth2/revoke: the user withdraws this client's access; every token they hold is dead."""
        for other in self.tokens.values():
            if other.client_id == token.client_id and other.user_id == token.user_id:
                other.revoked = True

    def revoke_family(self, family: str) -> None:
        """Every token descended from one authorization code stops working."""
        for token in self.tokens.values():
            if token.family == family:
                token.revoked = True

    def latest_scope(self, client_id: str, user_id: int) -> str:
        """The scope of the newest grant this user gave this client: what public_info may show."""
        grants = [t for t in self.tokens.values() if t.client_id == client_id and t.user_id == user_id]
        return max(grants, key=lambda t: t.issued_at).scope if grants else DEFAULT_SCOPE

    def _issue_token(
        self, client_id: str, user_id: int, scope: str, device_id: str, now: datetime, family: str | None = None
    ) -> Token:
        token = Token(
            access_token=secrets.token_urlsafe(32),
            refresh_token=secrets.token_urlsafe(32),
            client_id=client_id,
            user_id=user_id,
            scope=scope,
            device_id=device_id,
            issued_at=now,
            family=family or secrets.token_urlsafe(12),
        )
        self.tokens[token.access_token] = token
        self.refresh[token.refresh_token] = token
        self.index(token.access_token)
        self.index(token.refresh_token)
        return token
