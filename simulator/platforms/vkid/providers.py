"""Sign-in ways other than VK ID's own: OAuthList's OK and Mail buttons, One Tap's «Войти другим способом».

The web SDK sends them to /authorize with `provider=` (ok_ru, mail_ru; One Tap's alternative sends
`other`). The simulator plays VK ID alone, so rather than silently signing the person in with VK ID, or
doing nothing, it says so on a Russian page with a way on: the same request without the provider.
"""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from ... import web as sim

VKID = "vkid"
OTHER = "other"  # One Tap's «Войти другим способом»
# What each provider would have done, as the page names it.
NAMES = {
    "ok_ru": "вход через Одноклассники",
    "mail_ru": "вход через Почту Mail",
    OTHER: "вход другим способом (Одноклассники, Почта Mail)",
}
ALTERNATIVE_LABEL = "Войти другим способом"


def other_provider(request: web.Request, params: dict[str, str]) -> web.Response | None:
    """The page saying the simulator plays VK ID only, when /authorize names another provider; else None."""
    provider = params.get("provider")
    if not provider or provider == VKID:
        return None
    rest = {name: value for name, value in params.items() if name != "provider"}
    return sim.render(
        request,
        "vkid/other_provider.html",
        heading="Этот способ входа не моделируется",
        what=NAMES.get(provider, f"провайдер «{provider[:40]}»"),
        vkid_only="/authorize?" + urlencode(rest),
    )


def shown_providers(query: str) -> list[tuple[str, str]]:
    """One Tap's `providers=ok_ru,mail_ru`: the buttons it shows beside VK ID's, with their labels."""
    labels = {"ok_ru": "Одноклассники", "mail_ru": "Почта Mail"}
    return [(name, labels[name]) for name in dict.fromkeys(query.split(",")) if name in labels]
