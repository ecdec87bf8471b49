"""Every platform route, fed random, broken and oversized requests, answers below 500 and in time."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import SESSION_HEADER, SimulatorServer
from simulator.hosts import PLATFORMS
from simulator.platforms import installed

pytestmark = pytest.mark.slow  # hundreds of generated requests

EXAMPLES = 1200
ANSWER_WITHIN = 5.0  # seconds: a request that takes longer counts as a hang
SESSION = "fuzz-routes"
# A school with a teacher in МЭШ who has a VK ID: enough for sign-in forms to find someone.
SEED = {
    "organisations": [{"id": 1, "name": "ГБОУ Школа № 1", "classes": ["10А"]}],
    "people": [
        {
            "id": "t1",
            "last_name": "Иванов",
            "first_name": "Иван",
            "birth_date": "1980-05-17",
            "sex": "male",
            "phone": "+79991234567",
            "journal": {"journal": "mes", "role": "teacher", "login": "ivanov", "password": "secret-1", "org": 1},
            "vkid": {"password": None, "profile": True},
        }
    ],
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Field names the screens and VK ID's protocol read, so random values reach the code behind them.
FIELDS = (
    "login", "password", "phone", "code", "client_id", "redirect_uri", "response_type", "state", "scope",
    "code_challenge", "code_challenge_method", "code_verifier", "grant_type", "device_id", "access_token",
    "refresh_token", "id_token", "token", "user_ids", "first_name", "last_name", "patronymic", "birth_date",
    "sex", "email", "org", "role", "chat", "text", "name", "value", "profile", "ticket", "account", "on",
    "channel", "next", "back", "action", "invitation", "class", "id",
)  # fmt: skip


@dataclass(frozen=True)
class Route:
    host: str
    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.host}{self.path}"


def every_route() -> list[Route]:
    """Each route of each platform's table, on the platform's first host; VK ID's also on id.vk.com."""
    routes = []
    for name, package in installed().items():
        hosts = PLATFORMS[name].hosts
        for method, path, _ in package.ROUTES:
            for host in hosts[:1] + (hosts[1:2] if path.startswith("/oauth2/") else ()):
                routes.append(Route(host, method, path))
    return routes


ROUTES = every_route()
texts = st.text(max_size=40) | st.sampled_from(["", "0", "-1", "1" * 30, "%00", "../..", "<script>", "null"])
fields = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), texts, max_size=6)


@st.composite
def paths(draw: st.DrawFn, route: Route) -> str:
    """The route's path with its {params} filled in, sometimes with a segment too many or a random one."""
    segment = st.text(min_size=1, max_size=12).map(lambda text: quote(text, safe="")) | st.integers().map(str)
    path = re.sub(r"{\w+}", lambda _: draw(segment), route.path)
    variant = draw(st.sampled_from(["as is", "as is", "as is", "extra segment", "random"]))
    if variant == "extra segment":
        path = path.rstrip("/") + "/" + draw(segment)
    elif variant == "random":
        path = "/" + "/".join(draw(st.lists(segment, max_size=3)))
    return path


# Header lines of a multipart part that are not valid HTTP headers, or too many or too long for aiohttp.
header_lines = st.binary(min_size=1, max_size=40).filter(lambda line: b"\r\n" not in line) | st.sampled_from(
    [b"No Colon", b"Bad Name: v", b"X-A: a\x00b", b": empty name", b"X-A: " + b"a" * 9000]
)


@st.composite
def broken_parts(draw: st.DrawFn) -> bytes:
    """A multipart form (boundary x) whose part carries broken headers: a NUL filename, hundreds of headers."""
    disposition = draw(
        st.sampled_from(
            [b'name="login"', b'name="file"; filename="a\x00b.txt"', b"name=\"file\"; filename*=UTF-8''a%00b.txt"]
        )
    )
    lines = draw(st.lists(header_lines, max_size=3))
    if draw(st.booleans()):
        lines += [b"X-H%d: v" % i for i in range(draw(st.integers(100, 600)))]
    head = b"Content-Disposition: form-data; " + disposition + b"".join(b"\r\n" + line for line in lines)
    return b"--x\r\n" + head + b"\r\n\r\nvalue\r\n--x--\r\n"


@st.composite
def bodies(draw: st.DrawFn) -> tuple[dict[str, str], bytes | dict[str, str] | None]:
    """(headers, body): a form, JSON, broken multipart or part headers, a wrong charset, more than the limit."""
    kind = draw(
        st.sampled_from(["none", "form", "form", "json", "multipart", "parts", "charset", "bytes", "oversized"])
    )
    if kind == "none":
        return {}, None
    if kind == "form":
        return {}, draw(fields)
    if kind == "json":
        text = draw(st.sampled_from(['{"a":', "[" * 5000, "1" * 5000, '{"login": "x"}', "null"]))
        return {"Content-Type": "application/json"}, text.encode()
    if kind == "multipart":
        boundary = draw(st.sampled_from(["x", "", "a" * 80]))
        return {"Content-Type": f"multipart/form-data; boundary={boundary}"}, draw(st.binary(max_size=200))
    if kind == "parts":
        return {"Content-Type": "multipart/form-data; boundary=x"}, draw(broken_parts())
    if kind == "charset":
        charset = draw(st.sampled_from(["nope", "utf-16", "latin-1", "utf-32", ""]))
        body = draw(st.binary(max_size=100))
        return {"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"}, body
    if kind == "oversized":
        return {"Content-Type": "application/x-www-form-urlencoded"}, b"login=" + b"x" * (65 * 1024)
    content_type = draw(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=30))
    return {"Content-Type": content_type}, draw(st.binary(max_size=200))


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    """A simulator of its own, with a seeded session, so the other tests' sessions are untouched."""
    with SimulatorServer() as running:
        with httpx.Client(base_url=running.url + "/_sim/v1") as control:
            control.post("/sessions", json={"key": SESSION}).raise_for_status()
            control.post(f"/sessions/{SESSION}/seed", json=SEED).raise_for_status()
        yield running


def test_no_route_answers_a_server_error_or_hangs(server: SimulatorServer) -> None:
    """Random, broken and oversized requests to every route: never a 5xx, always an answer in time."""
    sent = 0
    started = time.monotonic()
    client = httpx.Client(base_url=server.url, timeout=ANSWER_WITHIN, follow_redirects=False)

    @settings(
        derandomize=True,
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        nonlocal sent
        route = data.draw(st.sampled_from(ROUTES), label="route")
        method = route.method if route.method != "*" else data.draw(st.sampled_from(METHODS), label="method")
        if data.draw(st.integers(0, 9)) == 0:
            method = data.draw(st.sampled_from(METHODS), label="other method")
        headers, body = data.draw(bodies(), label="body")
        session = data.draw(st.sampled_from([SESSION, SESSION, None, "never-created", "a b/ё"]), label="session")
        sent_headers = {name.encode(): value.encode() for name, value in {"Host": route.host, **headers}.items()}
        if session is not None:
            sent_headers[SESSION_HEADER.encode()] = session.encode()  # UTF-8 bytes: httpx refuses non-ASCII str
        request = client.build_request(
            method,
            data.draw(paths(route), label="path"),
            params=data.draw(fields, label="query"),
            headers=sent_headers,
            **({"data": body} if isinstance(body, dict) else {"content": body}),
        )
        try:
            response = client.send(request)
        except httpx.TimeoutException:
            pytest.fail(f"{route}: no answer within {ANSWER_WITHIN:g} s")
        sent += 1
        assert response.status_code < 500, f"{route}: {response.status_code}\n{response.text}"

    with client:
        fuzz()
    elapsed = time.monotonic() - started
    print(f"fuzzed platform routes: {sent} requests to {len(ROUTES)} routes in {elapsed:.1f} s")
    assert sent >= 1000
