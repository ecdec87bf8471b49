"""The platforms the simulator plays, and which host name serves which: every platform is its own origin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlencode

LOCAL_SUFFIX = ".localhost"  # Chromium resolves every *.localhost name to the loopback


@dataclass(frozen=True)
class Platform:
    """One simulated platform: everything else (packages, hosts, tags, journal kinds) derives from it."""

    name: str  # its package in simulator/platforms/ and its scenarios' tag (@mes)
    title: str  # as the seeds name it, for people
    # The first name is the one links and redirects use; the others are aliases (real hostnames a
    # vendor's code may call, mapped to the simulator by the harness).
    hosts: tuple[str, ...]
    # An e-journal whose accounts link to Sferum profiles: how the scenarios name it («учетная запись ЭШ …»);
    # empty for any other platform. world.Journal and the steps' journal words follow it.
    journal: str = ""

    @property
    def real_names(self) -> tuple[str, ...]:
        """The production names (id.vk.com, …): what a vendor's unchanged code calls."""
        return tuple(name for name in self.hosts if not name.endswith(LOCAL_SUFFIX))


# One line a platform; `sferum-sim new-platform` appends to this table.
PLATFORM_TABLE: tuple[Platform, ...] = (
    Platform("mes", "МЭШ", ("mes.localhost", "school.mos.ru"), journal="МЭШ"),
    Platform("eljur", "ЭлЖур", ("eljur.localhost", "eljur.ru"), journal="ЭлЖур"),
    Platform("es", "АИС «Электронная школа»", ("es.localhost",), journal="ЭШ"),
    Platform("gosuslugi", "Госуслуги", ("gosuslugi.localhost", "esia.gosuslugi.ru")),
    Platform("vkid", "VK ID", ("id.localhost", "id.vk.com", "id.vk.ru")),
    Platform("max", "МАХ", ("max.localhost", "web.max.ru")),
    Platform("messenger", "Сферум в VK Мессенджере", ("messenger.localhost", "web.vk.me")),
    Platform("sferum", "sferum.ru", ("sferum.localhost", "sferum.ru", "www.sferum.ru")),
)
PLATFORMS: Mapping[str, Platform] = MappingProxyType({platform.name: platform for platform in PLATFORM_TABLE})
# Every name the simulator answers to, real and *.localhost: its certificate's names, the routed hosts.
ALL_HOST_NAMES: tuple[str, ...] = tuple(name for platform in PLATFORM_TABLE for name in platform.hosts)
# The production names (id.vk.com, …): what a vendor's unchanged code calls, mapped here under test.
REAL_NAMES: tuple[str, ...] = tuple(name for platform in PLATFORM_TABLE for name in platform.real_names)
# The e-journals (world.Journal's values): their accounts link to Sferum profiles.
JOURNALS: tuple[str, ...] = tuple(platform.name for platform in PLATFORM_TABLE if platform.journal)
# Each e-journal's word in the scenarios' sentences, by its name: {"es": "ЭШ", …}.
JOURNAL_WORDS: Mapping[str, str] = MappingProxyType({name: PLATFORMS[name].journal for name in JOURNALS})


@dataclass
class Hosts:
    scheme: str = "http"
    port: int | None = None
    names: dict[str, tuple[str, ...]] = field(default_factory=lambda: {p.name: p.hosts for p in PLATFORM_TABLE})

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
