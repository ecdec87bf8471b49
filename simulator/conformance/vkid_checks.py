"""The journal's protocol mistakes as VK ID saw them: PKCE, `state`, `redirect_uri`, scopes, refused calls.

Read from the outcome's session log (`vkid_authorize` for what the browser was sent with, `vkid_call` for
what the journal's server asked), so a mistake is named even when the journal hides it behind its own page.
"""

from __future__ import annotations

from typing import Any

# The scopes VK ID documents for the web (vkid.personal_info is the default).
KNOWN_SCOPES = frozenset({"vkid.personal_info", "phone", "email", "openid"})
STATE_MIN = 32


def authorize_findings(event: dict[str, Any], redirect_uri: str) -> list[str]:
    """What is wrong in one /authorize call the journal sent the browser to."""
    found = []
    if event.get("code_challenge_method", "").lower() != "s256":
        found.append(f"PKCE: code_challenge_method «{event.get('code_challenge_method')}», а нужен s256")
    elif event.get("code_challenge_length") != 43:
        found.append("PKCE: code_challenge не SHA-256 в base64url (43 символа)")
    if event.get("state_length", 0) < STATE_MIN:
        found.append(f"state длиной {event.get('state_length')} символов, а нужно не меньше {STATE_MIN}")
    elif not event.get("state_alphabet"):
        found.append("state содержит символы вне a-z A-Z 0-9 _ -")
    if event.get("redirect_uri") != redirect_uri:
        found.append(f"redirect_uri «{event.get('redirect_uri')}» не тот, что зарегистрирован: «{redirect_uri}»")
    unknown = sorted(set(str(event.get("scope") or "").split()) - KNOWN_SCOPES)
    if unknown:
        found.append(f"неизвестные VK ID scope: {', '.join(unknown)}")
    if event.get("error") and not found:
        found.append(f"VK ID отказал в /authorize: {event['error']}: {event.get('description')}")
    return found


def call_findings(event: dict[str, Any]) -> list[str]:
    """A server call VK ID refused for a reason that is the journal's own mistake."""
    description = str(event.get("description") or "")
    own = ("code_verifier", "redirect_uri", "device_id", "is repeated", "state may hold", "grant_type", "client")
    if event.get("status", 200) < 500 and any(word in description for word in own):
        return [f"{event.get('endpoint')}: {event.get('error')}: {description}"]
    return []


def findings(events: list[dict[str, Any]], redirect_uri: str) -> list[str]:
    found: list[str] = []
    for event in events:
        if event.get("kind") == "vkid_authorize":
            found += authorize_findings(event, redirect_uri)
        elif event.get("kind") == "vkid_call":
            found += call_findings(event)
    return list(dict.fromkeys(found))


def journal_requests(events: list[dict[str, Any]]) -> list[str]:
    """The journal's calls VK ID answered, one line each, for the report."""
    lines = []
    for event in events:
        if event.get("kind") == "vkid_authorize":
            verdict = f"отказ {event['error']}" if event.get("error") else "принят"
            lines.append(
                f"браузер → GET /authorize (client_id={event.get('client_id')}, scope={event.get('scope')!r}, "
                f"state: {event.get('state_length')} симв., PKCE {event.get('code_challenge_method')}) — {verdict}"
            )
        elif event.get("kind") == "vkid_call":
            grant = f" grant_type={event['grant_type']}" if event.get("grant_type") else ""
            error = f" {event['error']}: {event.get('description')}" if event.get("error") else ""
            lines.append(f"сервер → POST {event.get('endpoint')}{grant} — {event.get('status')}{error}")
        elif event.get("kind") == "vkid_access_denied":
            lines.append("VK ID → журнал: error=access_denied (человек нажал «Отмена»)")
    return lines
