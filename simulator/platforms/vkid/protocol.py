"""VK ID's OAuth 2.1 endpoints that relying parties call from their servers.

Parameters are read from the query string and the form body alike, as the official SDKs differ.
Server-to-server calls carry no test-session key: the code or token names its session.
"""

from __future__ import annotations

from aiohttp import web

from ... import web as sim
from ...world import Session
from ...world.oauth import ACCESS_TTL, OAuthError, Token


async def _params(request: web.Request) -> dict[str, str]:
    params = dict(request.query)
    if request.can_read_body:
        params.update(await sim.form(request))
    return params


def _session_for(request: web.Request, *tokens: str | None) -> Session | None:
    """The session that issued one of `tokens`; else the one the request names, if it names one."""
    for token in tokens:
        if token and (session := sim.world(request).by_token(token)):
            return session
    return sim.session(request) if sim.SESSION_HEADER in request.headers else None


def _error(error: OAuthError) -> web.Response:
    return web.json_response(error.to_json(), status=error.status)


def _token_json(token: Token, state: str | None) -> dict:
    body = {
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


async def token(request: web.Request) -> web.Response:
    """POST /oauth2/auth: grant_type=authorization_code (with PKCE) or refresh_token."""
    params = await _params(request)
    state, grant = params.get("state"), params.get("grant_type")
    if grant not in ("authorization_code", "refresh_token"):
        return _error(
            OAuthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token", state)
        )
    session = _session_for(request, params.get("code"), params.get("refresh_token"))
    if session is None:  # a code or token no session ever issued
        return _error(OAuthError("invalid_grant", "authorization code or refresh token is invalid", state))
    now = session.clock.now()
    try:
        if grant == "authorization_code":
            issued = session.oauth.exchange_code(params, now)
        else:
            issued = session.oauth.refresh_token(params, now)
    except OAuthError as error:
        return _error(error)
    return web.json_response(_token_json(issued, params.get("state")))


async def user_info(request: web.Request) -> web.Response:
    """POST /oauth2/user_info: the educational profile the user signed in with."""
    params = await _params(request)
    session = _session_for(request, params.get("access_token"))
    if session is None:
        return _error(OAuthError("invalid_token", "access token is invalid or revoked", status=401))
    try:
        issued = session.oauth.token(params.get("client_id"), params.get("access_token"), session.clock.now())
    except OAuthError as error:
        return _error(error)
    profile = session.profiles[issued.user_id]
    account = session.vkid_accounts[profile.vkid_id]
    user = {
        "user_id": str(profile.id),
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "patronymic": profile.patronymic or "",
        "sex": {"female": 1, "male": 2}[profile.sex],
        "birthday": profile.birth_date.strftime("%d.%m.%Y"),
        "verified": False,
    }
    if "phone" in issued.scope.split() and account.phone:
        user["phone"] = account.phone.lstrip("+")
    if "email" in issued.scope.split() and account.email:
        user["email"] = account.email
    return web.json_response({"user": user})
