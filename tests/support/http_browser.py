"""A cookie-keeping HTTP "browser" for API tests of platforms that redirect between origins.

Every platform answers on the one simulator port; the Host header picks the platform, as the
browser context's host mapping does in the BDD suite.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from simulator import SimulatorServer
from simulator.hosts import Hosts
from simulator.web import SESSION_HEADER
from tests.support.sim_browser import Browser


class HttpBrowser(Browser):
    """sim_browser.Browser addressed by platform name: `get("eljur", "/diary")`, or by absolute URL."""

    def __init__(self, server: SimulatorServer, session_key: str) -> None:
        super().__init__(server.url)
        self.http.headers[SESSION_HEADER] = session_key
        self.hosts: Hosts = server.hosts  # knows the port: redirect URIs are compared whole

    def request(
        self, method: str, url: str, path: str | None = None, *, host: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """`url` may name a platform (`path` on its first host); otherwise as sim_browser.Browser."""
        if url in self.hosts.names:
            return super().request(method, path or "/", host=self.hosts.names[url][0], **kwargs)
        return super().request(method, url, host=host, **kwargs)


def location(response: httpx.Response) -> tuple[str, str, dict[str, str]]:
    """A redirect's (host, path, query)."""
    assert response.status_code in (302, 303), (response.status_code, response.text[:500])
    parts = urlsplit(response.headers["Location"])
    return parts.hostname or "", parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
