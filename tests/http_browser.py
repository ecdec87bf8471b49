"""A cookie-keeping HTTP "browser" for API tests of platforms that redirect between origins.

Every platform answers on the one simulator port; the Host header picks the platform, as the
browser context's host mapping does in the BDD suite.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from simulator import SimulatorServer
from simulator.hosts import Hosts
from simulator.web import SESSION_HEADER


class HttpBrowser:
    def __init__(self, server: SimulatorServer, session_key: str) -> None:
        self.hosts: Hosts = server.hosts  # knows the port: redirect URIs are compared whole
        self.http = httpx.Client(base_url=server.url, headers={SESSION_HEADER: session_key}, timeout=10)

    def request(self, method: str, platform_or_url: str, path: str = "/", **kwargs) -> httpx.Response:
        """`request("GET", "eljur", "/diary")` or `request("GET", "http://eljur.localhost:1234/diary")`."""
        if "://" in platform_or_url:
            parts = urlsplit(platform_or_url)
            host, path = parts.hostname, parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            host = self.hosts.names[platform_or_url][0]
        return self.http.request(method, path, headers={"Host": host}, **kwargs)

    def get(self, *args, **kwargs) -> httpx.Response:
        return self.request("GET", *args, **kwargs)

    def post(self, *args, **kwargs) -> httpx.Response:
        return self.request("POST", *args, **kwargs)

    def close(self) -> None:
        self.http.close()


def location(response: httpx.Response) -> tuple[str, str, dict[str, str]]:
    """A redirect's (host, path, query)."""
    assert response.status_code in (302, 303), (response.status_code, response.text[:500])
    parts = urlsplit(response.headers["Location"])
    return parts.hostname or "", parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
