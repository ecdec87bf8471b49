"""VK ID's OAuth 2.1 endpoints that relying parties call from their servers.

Parameters are read from the query string and the form body alike, as the official SDKs differ.
Server-to-server calls need no test-session key: the code or token names its session (the
plugin's transports send the key anyway, so a made-up code is judged in the right session).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime
from typing import Any, Literal

from aiohttp import web
from multidict import MultiMapping

from ... import web as sim
from ...validation import mask_phone
from ...world import Session
from ...world.oauth import ACCESS_TTL, OAuthError, Token, read_id_token, safe_state
from .avatar import avatar_url

# The OAuth error an `http_error` status is told as: a refused token, a refused call, VK ID down.
FAULT_ERRORS = {401: "invalid_token", 403: "access_denied", 503: "temporarily_unavailable"}
# RFC 6749 §5.1: token answers must never be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def repeated(params: MultiMapping[Any]) -> str | None:
    """The first parameter named more than once: RFC 6749 §3.1 forbids it."""
    return next((name for name in params if len(params.getall(name)) > 1), None)


def _refusal(error: OAuthError) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps(error.to_json()), content_type="application/json")


async def _params(request: web.Request) -> dict[str, str]:
    params = dict(request.query)
    twice = repeated(request.query)
    if request.can_read_body:
        try:
            form = await sim.form(request)
        except sim.UnreadableForm as error:
            raise _refusal(OAuthError("invalid_request", f"the body is not a readable form: {error}")) from None
        twice = twice or repeated(await request.post()) or next((name for name in form if name in params), None)
        params.update(form)
    if twice:
        raise _refusal(OAuthError("invalid_request", f"{twice} is repeated"))
    if "state" in params and safe_state(params["state"]) is None:
        raise _refusal(OAuthError("invalid_request", "state may hold only a-z, A-Z, 0-9, _ and -"))
    return params


def wall_clock() -> datetime:
    """Real time, for the id_token's iat and exp: what a relying party's JWT library compares them with."""
    return datetime.now(UTC)


def _session_for(request: web.Request, *tokens: str | None) -> Session | None:
    """The session that issued one of `tokens`; else the one the request names, if it names one.

    A code or token is good only in its own session: a request naming another session is judged there,
    where nothing was issued under it, so it is refused exactly as a made-up one is.
    """
    named = request.headers.get(sim.SESSION_HEADER)
    for token in tokens:
        session = sim.world(request).by_token(token) if token else None
        if session is not None and named in (None, session.key):
            return session
    return sim.session(request) if named is not None else None


def _error(error: OAuthError) -> web.Response:
    response = web.json_response(error.to_json(), status=error.status)
    if error.status == 401:  # RFC 6750 §3: a refused token names the scheme and the reason
        description = error.description.replace('"', "'")
        response.headers["WWW-Authenticate"] = f'Bearer error="{error.error}", error_description="{description}"'
    return response


def _not_issued(description: str) -> web.Response:
    """A token no session issued, with no session named: VK ID's 401 for any invalid token."""
    return _error(OAuthError("invalid_token", description, status=401))


def _token_json(token: Token, state: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TTL.total_seconds()),
        "user_id": token.user_id,
        "scope": token.scope,
    }
    if state is not None:
        body["state"] = state
    return body


def _user(request: web.Request, session: Session, user_id: int, scope: str, *, masked: bool) -> dict[str, Any]:
    """VK ID's `user` object for an educational profile; public_info shows only its public part, masked."""
    profile = session.profiles[user_id]
    account = session.vkid_accounts.get(profile.vkid_id) if profile.vkid_id is not None else None
    user: dict[str, Any] = {
        "user_id": str(profile.id),
        "first_name": profile.first_name,
        "last_name": profile.last_name[:1] if masked else profile.last_name,
        "avatar": avatar_url(request, profile),
    }
    if not masked:
        user |= {
            "patronymic": profile.patronymic or "",
            "sex": {"female": 1, "male": 2}[profile.sex],
            "birthday": profile.birth_date.strftime("%d.%m.%Y"),
            "verified": False,
        }
    if "phone" in scope.split() and account and account.phone:
        user["phone"] = mask_phone(account.phone) if masked else account.phone.lstrip("+")
    if "email" in scope.split() and account and account.email:
        name, _, domain = account.email.partition("@")
        user["email"] = f"{name[0]}***@{domain}" if masked else account.email
    return user


async def _session_fault(
    request: web.Request, session: Session, params: dict[str, str], state: str | None
) -> web.Response | None:
    """The `http_error` a test set for this endpoint in the session the code or token belongs to, logged.

    Server-to-server calls name no session, so the platforms' fault middleware judges them in `default`;
    here the session that issued the code is the one whose faults apply, answered in VK ID's error shape.
    The call is logged when it arrives, before a delay: a caller that gives up (its own timeout) and a
    report read meanwhile still see that it came.
    """
    fault = session.fault("http_error")
    if fault is None or fault.params["platform"] != "vkid" or fault.params["path"] != request.path:
        return None
    status = int(fault.params["status"])
    answer = _note(
        session,
        request,
        params,
        _error(OAuthError(FAULT_ERRORS.get(status, "server_error"), f"HTTP {status}", state, status)),
    )
    await asyncio.sleep(float(fault.params.get("delay", 0)))  # a slow VK ID: the caller's timeout is what is tested
    return answer


def _note(session: Session, request: web.Request, params: dict[str, str], answer: web.Response) -> web.Response:
    """The call in the session's log: what the relying party's server asked VK ID and what it was told."""
    told: dict[str, Any] = {}
    if answer.status >= 400 and isinstance(answer.body, bytes):
        with contextlib.suppress(ValueError):
            told = json.loads(answer.body)
    session.record(
        "vkid_call",
        endpoint=request.path,
        grant_type=params.get("grant_type"),
        client_id=params.get("client_id", "")[:200],
        redirect_uri=params.get("redirect_uri", "")[:2048] or None,
        status=answer.status,
        error=told.get("error"),
        description=told.get("error_description"),
    )
    return answer


async def token(request: web.Request) -> web.Response:
    """POST /oauth2/auth: grant_type=authorization_code (with PKCE) or refresh_token."""
    params = await _params(request)
    state, grant = params.get("state"), params.get("grant_type")
    if not grant:  # RFC 6749 §5.2: a missing required parameter is invalid_request, whichever it is
        return _error(OAuthError("invalid_request", "grant_type is missing", state))
    if grant not in ("authorization_code", "refresh_token"):
        return _error(
            OAuthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token", state)
        )
    session = _session_for(request, params.get("code"), params.get("refresh_token"))
    if session is None:  # a code or token no session ever issued
        return _error(OAuthError("invalid_grant", "authorization code or refresh token is invalid", state))
    if faulty := await _session_fault(request, session, params, state):
        return faulty
    return _note(session, request, params, _exchange(session, params))


def _exchange(session: Session, params: dict[str, str]) -> web.Response:
    state, grant = params.get("state"), params.get("grant_type")
    now = session.clock.now()
    try:
        if grant == "authorization_code":
            issued = session.oauth.exchange_code(params, now)
        else:
            issued = session.oauth.refresh_token(params, now)
    except OAuthError as error:
        return _error(error)
    body = _token_json(issued, state)
    if grant == "authorization_code":  # VK ID gives an id_token with the first tokens only
        client = session.oauth.clients[issued.client_id]
        body["id_token"] = session.oauth.issue_id_token(client, issued.user_id, wall_clock(), now)
    return web.json_response(body, headers=NO_STORE)


async def user_info(request: web.Request) -> web.Response:
    """POST /oauth2/user_info: the educational profile the user signed in with."""
    params = await _params(request)
    session = _session_for(request, params.get("access_token"))
    if session is None:
        return _not_issued("access token is invalid or revoked")
    if faulty := await _session_fault(request, session, params, None):
        return faulty
    return _note(session, request, params, _user_info(request, session, params))


def _user_info(request: web.Request, session: Session, params: dict[str, str]) -> web.Response:
    try:
        issued = session.oauth.token(params.get("client_id"), params.get("access_token"), session.clock.now())
    except OAuthError as error:
        return _error(error)
    return web.json_response({"user": _user(request, session, issued.user_id, issued.scope, masked=False)})


async def public_info(request: web.Request) -> web.Response:
    """POST /oauth2/public_info: the same profile from an id_token, its phone and e-mail masked."""
    params = await _params(request)
    session = _session_for(request, params.get("id_token"))
    if session is None:
        return _not_issued("id_token is invalid")
    try:
        client = session.oauth.client(params.get("client_id"))
        presented = params.get("id_token", "")
        claims = read_id_token(client, presented, wall_clock())
        # A good signature is not enough: another session with the same client secret signs alike.
        session.oauth.id_token_issued_at(presented, session.clock.now())
        user_id = int(claims["sub"]) if str(claims.get("sub", "")).isdigit() else 0
        if user_id not in session.profiles:
            raise OAuthError("invalid_token", "id_token names no user of this session", status=401)
    except OAuthError as error:
        return _error(error)
    scope = session.oauth.latest_scope(client.client_id, user_id)
    return web.json_response({"user": _user(request, session, user_id, scope, masked=True)})


async def logout(request: web.Request) -> web.Response:
    """POST /oauth2/logout: this access token (and its refresh token) stop working."""
    return await _end(request, "logout")


async def revoke(request: web.Request) -> web.Response:
    """POST /oauth2/revoke: the user's grant to this client is withdrawn; all its tokens stop working."""
    return await _end(request, "revoke")


async def _end(request: web.Request, how: Literal["logout", "revoke"]) -> web.Response:
    params = await _params(request)
    # VK ID's SDKs send access_token=; RFC 7009 clients send token= (and may hint that it is a refresh token).
    presented = params.get("access_token") or params.get("token")
    session = _session_for(request, presented)
    if session is None:
        return _not_issued("access token is invalid or revoked")
    if faulty := await _session_fault(request, session, params, None):
        return faulty
    try:
        issued = _pair_of(session, params.get("client_id"), presented)
    except OAuthError as error:
        return _note(session, request, params, _error(error))
    if how == "logout":
        session.oauth.logout(issued)
    else:
        session.oauth.revoke(issued)
    return _note(session, request, params, web.json_response({"response": 1}))


def _pair_of(session: Session, client_id: str | None, presented: str | None) -> Token:
    """The token pair `presented` belongs to: its access token, or its refresh token (RFC 7009 allows either)."""
    pair = session.oauth.refresh.get(presented or "")
    if pair is None or presented in session.oauth.tokens:
        return session.oauth.token(client_id, presented, session.clock.now())
    if pair.client_id != session.oauth.client(client_id).client_id:
        raise OAuthError("invalid_token", "refresh token is invalid", status=401)
    if pair.revoked:
        raise OAuthError("invalid_token", "refresh token has been revoked", status=401)
    return pair
