"""A simulator others can reach: other sites cannot drive it, a token locks it, codes stay in their session."""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import SimulatorServer, app
from simulator import server as server_module
from simulator.cli import main
from simulator.hosts import ALL_HOST_NAMES, REAL_NAMES
from simulator.platforms.messenger.screens import _back
from simulator.testing import SimSession, Simulator, SimulatorError
from simulator.world import faults
from simulator.world.oauth import AuthRequest, s256
from tests.support.sim_browser import VKID_HOST

EVIL = "https://evil.example"
TOKEN = "t0ken-for-tests"


# -- other sites ----------------------------------------------------------------------------------


def test_another_site_cannot_reset_the_world(server: SimulatorServer, sim_session: SimSession) -> None:
    """The classic: a page posts text/plain to /reset, which needs no CORS preflight."""
    url = server.url + "/_sim/v1/reset"
    refused = httpx.post(url, content=b"x", headers={"Origin": EVIL, "Content-Type": "text/plain"})
    assert refused.status_code == 403 and refused.json()["error"] == "cross_site"
    fetched = httpx.post(url, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert fetched.status_code == 403 and fetched.json()["error"] == "cross_site"
    assert sim_session.snapshot()["key"] == sim_session.key  # still there


def test_a_control_plane_body_must_be_json(server: SimulatorServer, sim_session: SimSession) -> None:
    url = f"{server.url}/_sim/v1/sessions/{sim_session.key}/settings"
    plain = httpx.patch(url, content=b'{"phone_code_channel": "sms"}', headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415 and plain.json()["error"] == "unsupported_media_type"
    assert sim_session.snapshot()["settings"]["phone_code_channel"] == "call"


def test_the_simulators_own_pages_and_scripts_are_let_through(server: SimulatorServer) -> None:
    own = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    assert httpx.post(server.url + "/_sim/v1/sessions", json={}, headers=own).status_code == 201
    platform = {"Origin": f"http://mes.localhost:{server.port}", "Sec-Fetch-Site": "same-site"}
    assert httpx.get(server.url + "/_sim/v1/sessions", headers=platform).status_code == 200


def test_console_forms_refuse_another_site(server: SimulatorServer, sim_session: SimSession) -> None:
    form = f"{server.url}/_sim/console/{sim_session.key}/settings"
    data = {"name": "phone_code_channel", "value": "sms"}
    assert httpx.post(form, data=data, headers={"Origin": EVIL}).status_code == 403
    assert httpx.post(form, data=data, headers={"Origin": "null"}).status_code == 403
    assert sim_session.snapshot()["settings"]["phone_code_channel"] == "call"
    assert httpx.post(form, data=data, headers={"Origin": server.url}).status_code == 303


def test_a_link_from_another_site_opens_the_console_but_a_script_does_not(server: SimulatorServer) -> None:
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    assert httpx.get(server.url + "/_sim/", headers=link).status_code == 200
    script = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Origin": EVIL}
    assert httpx.get(server.url + "/_sim/", headers=script).status_code == 403
    assert httpx.get(server.url + "/_sim/v1/sessions", headers=link).status_code == 403


def test_session_keys_made_by_the_simulator_are_unguessable(sim: Simulator) -> None:
    keys = [sim.new_session() for _ in range(2)]
    for session in keys:
        assert re.fullmatch(r"s-[A-Za-z0-9_-]{20,}", session.key), session.key
        session.delete()


# -- origins: scheme, host and port -----------------------------------------------------------------

LOCAL_NAMES = [name for name in ALL_HOST_NAMES if name.endswith(".localhost")]
GUARDED_KEY = "guarded"
PARAMETERS = {"key": GUARDED_KEY, "name": "vpn", "to": "+79990000000"}


def state_changing_routes() -> list[tuple[str, str]]:
    """(method, path) of every route under /_sim that is not a read, from the application's own router."""
    application = app.create_app()
    routes = []
    for route in application.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if route.method in ("POST", "PUT", "PATCH", "DELETE") and path.startswith("/_sim"):
            routes.append((route.method, re.sub(r"{(\w+)}", lambda m: PARAMETERS[m[1]], path)))
    return sorted(set(routes))


STATE_CHANGING = state_changing_routes()


def hostile_origins(port: int) -> list[str]:
    """Origins that are not this simulator's: real platforms, port 80, another scheme or port, malformed."""
    return [
        *(f"{scheme}://{name}" for name in REAL_NAMES for scheme in ("https", "http")),
        *(f"http://{name}" for name in LOCAL_NAMES),
        "http://localhost",
        "http://127.0.0.1",
        f"https://127.0.0.1:{port}",
        f"https://mes.localhost:{port}",
        f"http://127.0.0.1:{port + 1}",
        f"http://mes.localhost:{port - 1}",
        f"http://id.vk.com:{port}",
        f"http://evil.localhost.example:{port}",
        f"http://127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}@evil.example",
        f"http://127.0.0.1:{port}.evil.example",
        f"ftp://127.0.0.1:{port}",
        "null",
        "",
    ]


def oracle_owns(origin: str, port: int, tls_port: int | None = None) -> bool:
    """Whether `origin` is one the simulator's pages are served under, judged by urllib, not by the guard."""
    try:
        url = urlsplit(origin)
        origin_port = url.port if url.port is not None else {"http": 80, "https": 443}.get(url.scheme)
    except ValueError:
        return False
    if url.path or url.query or url.fragment or url.username or origin_port is None:
        return False
    served = {("http", name, port) for name in (*LOCAL_NAMES, "localhost", "127.0.0.1")}
    if tls_port is not None:  # a browser maps the real names to the TLS listener: it still writes port 443
        served |= {("https", name, p) for name in REAL_NAMES for p in (443, tls_port)}
    return (url.scheme, url.hostname, origin_port) in served


@pytest.fixture(scope="module")
def guarded() -> Iterator[SimulatorServer]:
    """A simulator of its own, with a session holding a fault: what a forged request would change."""
    with SimulatorServer() as running:
        running.call(lambda: faults.set_fault(running.world.create(GUARDED_KEY), "vpn"))
        yield running


def world_state(server: SimulatorServer) -> object:
    return server.call(lambda: {key: session.snapshot() for key, session in server.world.sessions.items()})


def send(client: httpx.Client, method: str, path: str, origin: str) -> httpx.Response:
    """A forged request from a page of `origin`; the console takes a form, the control plane JSON."""
    if path.startswith("/_sim/v1"):
        return client.request(method, path, json={}, headers={"Origin": origin})
    return client.request(method, path, data={"on": "0", "name": "x"}, headers={"Origin": origin})


def test_the_state_changing_routes_are_found() -> None:
    assert ("POST", "/_sim/v1/reset") in STATE_CHANGING
    assert ("POST", f"/_sim/console/{GUARDED_KEY}/faults/vpn") in STATE_CHANGING
    assert len(STATE_CHANGING) >= 15


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING, ids=[f"{m} {p}" for m, p in STATE_CHANGING])
def test_no_hostile_origin_changes_anything(guarded: SimulatorServer, method: str, path: str) -> None:
    """Real platform names without the TLS listener, port 80, another scheme or port: each refused, nothing changed."""
    before = world_state(guarded)
    client = httpx.Client(base_url=guarded.url)
    for origin in hostile_origins(guarded.port):
        assert not oracle_owns(origin, guarded.port)
        response = send(client, method, path, origin)
        assert response.status_code == 403, f"{origin}: {response.status_code} {response.text}"
        if path.startswith("/_sim/v1"):
            assert response.json()["error"] == "cross_site"
        else:
            assert "с других сайтов" in response.text
    client.close()
    assert world_state(guarded) == before


origins = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}{port}",
    st.sampled_from(["http", "https", "HTTP", "ws"]),
    st.sampled_from([*LOCAL_NAMES, *REAL_NAMES, "localhost", "127.0.0.1", "MES.localhost", "evil.example"]),
    st.sampled_from(["", ":80", ":443", ":0", ":PORT", ":TLS", ":PORT1", ":99999"]),
)


@pytest.mark.parametrize("tls", [False, True], ids=["http only", "with the TLS listener"])
def test_only_the_simulators_own_origins_pass(tls: bool) -> None:
    """Random origins against a harmless write: refused exactly when a browser on them is not on the simulator."""
    with SimulatorServer(tls=tls) as server, httpx.Client(base_url=server.url) as client:
        server.call(lambda: server.world.create(GUARDED_KEY))
        path = f"/_sim/v1/sessions/{GUARDED_KEY}/settings"

        @settings(derandomize=True, max_examples=100, deadline=None, database=None)
        @given(template=origins)
        def check(template: str) -> None:
            origin = (
                template.replace(":PORT1", f":{server.port + 1}")
                .replace(":PORT", f":{server.port}")
                .replace(":TLS", f":{server.tls_port or 1}")
            )
            response = send(client, "PATCH", path, origin)
            if oracle_owns(origin, server.port, server.tls_port):
                assert response.status_code == 200, f"{origin}: {response.text}"
            else:
                assert response.status_code == 403, f"{origin}: {response.status_code} {response.text}"

        check()


def test_the_origin_a_browser_mapped_to_the_tls_listener_sends_passes() -> None:
    """https://id.vk.com is the simulator's own only while its TLS listener runs (the browser maps it there)."""
    for tls in (False, True):
        with SimulatorServer(tls=tls) as server:
            reset = httpx.post(server.url + "/_sim/v1/reset", headers={"Origin": "https://id.vk.com"})
            assert reset.status_code == (200 if tls else 403), reset.text


# -- the admin token ------------------------------------------------------------------------------


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimulatorServer]:
    """A simulator started with an admin token."""
    monkeypatch.setattr(server_module, "create_app", functools.partial(app.create_app, admin_token=TOKEN))
    with SimulatorServer() as running:
        yield running


def test_with_a_token_the_control_plane_and_console_need_it(locked: SimulatorServer) -> None:
    assert httpx.get(locked.url + "/_sim/v1/health").status_code == 200  # probes need no token
    for path in ("/_sim/v1/sessions", "/_sim/v1/sessions/default/outbox"):
        refused = httpx.get(locked.url + path)
        assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        wrong = httpx.get(locked.url + path, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert httpx.get(locked.url + path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    console = httpx.get(locked.url + "/_sim/")
    assert console.status_code == 401 and console.headers["WWW-Authenticate"].startswith("Basic")
    assert httpx.get(locked.url + "/_sim/", auth=("trainer", TOKEN)).status_code == 200
    assert httpx.get(locked.url + "/", headers={"Host": "mes.localhost"}).status_code == 200  # platforms stay open


def test_the_harness_client_passes_the_token_from_the_environment(
    locked: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SimulatorError) as refused:
        Simulator(locked.url).new_session()
    assert refused.value.status == 401
    monkeypatch.setenv("SFERUM_SIM_ADMIN_TOKEN", TOKEN)
    client = Simulator(locked.url)
    session = client.new_session(seed=1)
    session.settings(phone_code_channel="sms")
    assert session.snapshot()["settings"]["phone_code_channel"] == "sms"
    session.delete()
    client.close()


def test_the_plugin_runs_against_a_locked_simulator(
    locked: SimulatorServer, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SFERUM_SIM_ADMIN_TOKEN", TOKEN)
    pytester.makepyfile(
        """
        def test_seeds_and_reads(sim_session):
            sim_session.fix_code("+79990000000", "1234")
            assert sim_session.snapshot()["key"] == sim_session.key
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:xdist", f"--sim-url={locked.url}")
    result.assert_outcomes(passed=1)


# -- codes and tokens belong to their session -----------------------------------------------------


def issue_code(server: SimulatorServer, key: str) -> dict[str, str]:
    """A code of МЭШ's client issued in session `key`, and the exchange that would redeem it."""
    session = server.world.get(key)
    verifier = "v" * 43
    redirect = session.oauth.clients["mes_vks"].redirect_uris[0]
    request = AuthRequest("mes_vks", redirect, "s" * 32, s256(verifier), "phone")
    code = server.call(lambda: session.oauth.issue_code(request, 1, session.clock.now()))
    return {
        "grant_type": "authorization_code",
        "code": code.code,
        "code_verifier": verifier,
        "client_id": "mes_vks",
        "device_id": code.device_id,
        "redirect_uri": redirect,
    }


def test_a_code_or_token_is_refused_in_another_session(
    server: SimulatorServer, sim_session: SimSession, sim: Simulator
) -> None:
    other = sim.new_session()
    vkid = httpx.Client(base_url=server.url, headers={"Host": VKID_HOST})
    try:
        params = issue_code(server, sim_session.key)
        refused = vkid.post("/oauth2/auth", data=params, headers={"X-Sim-Session": other.key})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
        tokens = vkid.post("/oauth2/auth", data=params, headers={"X-Sim-Session": sim_session.key})
        assert tokens.status_code == 200  # in its own session the same code still works
        access = {"client_id": "mes_vks", "access_token": tokens.json()["access_token"]}
        info = vkid.post("/oauth2/user_info", data=access, headers={"X-Sim-Session": other.key})
        assert info.status_code == 401 and info.json()["error"] == "invalid_token"
        logout = vkid.post("/oauth2/logout", data=access, headers={"X-Sim-Session": other.key})
        assert logout.status_code == 401 and logout.json()["error"] == "invalid_token"
    finally:
        vkid.close()
        other.delete()


# -- back= ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example", "/\\evil.example", "//x"]
)
def test_back_never_leaves_the_origin(path: str) -> None:
    assert _back(base64.urlsafe_b64encode(path.encode()).decode()) == "/"


def test_back_keeps_a_path_of_the_origin() -> None:
    assert _back(base64.urlsafe_b64encode(b"/chats?x=1").decode()) == "/chats?x=1"


# -- seed files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{people: ", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"people": 5}', "people"),
        (b'{"people": [{"id": 5, "last_name": []}]}', ""),
        (b"\xff\xfe{}", "UTF-8"),
    ],
    ids=["not-json", "deep", "wrong-type", "wrong-field-type", "not-utf8"],
)
def test_a_bad_seed_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: str
) -> None:
    seed = tmp_path / "world.json"
    seed.write_bytes(content)
    assert main(["serve", "--port", "0", "--seed-file", str(seed)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(seed) in err and words in err and "Traceback" not in err


def test_a_missing_seed_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.json"
    assert main(["serve", "--seed-file", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err
