"""Which host name serves which platform: every platform is its own origin, as in production."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

# platform → (title, host names). The first name is the one links and redirects use; the others
# are aliases (real hostnames a vendor's code may call, mapped to the simulator by the harness).
PLATFORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mes": ("МЭШ", ("mes.localhost", "school.mos.ru")),
    "eljur": ("ЭлЖур", ("eljur.localhost", "eljur.ru")),
    "es": ("АИС «Электронная школа»", ("es.localhost",)),
    "gosuslugi": ("Госуслуги", ("gosuslugi.localhost", "esia.gosuslugi.ru")),
    "vkid": ("VK ID", ("id.localhost", "id.vk.com", "id.vk.ru")),
    "max": ("МАХ", ("max.localhost", "web.max.ru")),
    "messenger": ("Сферум в VK Мессенджере", ("messenger.localhost", "web.vk.me")),
    "sferum": ("sferum.ru", ("sferum.localhost", "sferum.ru", "www.sferum.ru")),
}
# The production names (id.vk.com, …): what a vendor's unchanged code calls, mapped here under test.
REAL_NAMES: tuple[str, ...] = tuple(n for _, names in PLATFORMS.values() for n in names if not n.endswith(".localhost"))


@dataclass
class Hosts:
    scheme: str = "http"
    port: int | None = None
    names: dict[str, tuple[str, ...]] = field(default_factory=lambda: {k: v[1] for k, v in PLATFORMS.items()})

    def origin(self, platform: str) -> str:
        host = self.names[platform][0]
        default = {"http": 80, "https": 443}[self.scheme]
        port = "" if self.port in (None, default) else f":{self.port}"
        return f"{self.scheme}://{host}{port}"

    def url(self, platform: str, path: str = "/", query: dict[str, str] | None = None) -> str:
        return self.origin(platform) + path + (f"?{urlencode(query)}" if query else "")

    def platform_of(self, host: str) -> str | None:
        host = host.lower().partition(":")[0]
        for platform, names in self.names.items():
            if host in names:
                return platform
        return None
