"""A posted body that is not the form it claims to be gets a clear 400 — a Russian page for people,
VK ID's JSON error for the OAuth endpoints — and changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.hosts import PLATFORMS
from simulator.platforms import installed
from simulator.testing import Personas, SimSession
from tests.support.sim_browser import MES_HOST, VKID_HOST, Browser, mes_authorize_url, start
from tests.support.sim_orgs import MESSENGER, SCHOOL, seed, sign_in_to

BROKEN = {
    "multipart-garbage": ("multipart/form-data; boundary=x", b"garbage\r\n--y"),
    "multipart-no-boundary": ("multipart/form-data", b"x"),
    "multipart-bad-utf8": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="login"\r\n\r\n\xff\r\n--x--\r\n',
    ),
    "unknown-charset": ("application/x-www-form-urlencoded; charset=nope", b"login=a"),
    "raw-bad-utf8": ("application/x-www-form-urlencoded", b"login=\xff"),
}


@pytest.mark.parametrize(("content_type", "body"), BROKEN.values(), ids=BROKEN.keys())
@pytest.mark.parametrize(
    "path", ["/oauth2/auth", "/oauth2/user_info", "/oauth2/public_info", "/oauth2/logout", "/oauth2/revoke"]
)
def test_the_oauth_endpoints_answer_vk_ids_json_error(
    http_browser: Browser, path: str, content_type: str, body: bytes
) -> None:
    response = http_browser.post(path, host=VKID_HOST, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(("content_type", "body"), BROKEN.values(), ids=BROKEN.keys())
def test_a_screen_answers_a_russian_page_and_stores_nothing(
    sim_session: SimSession, http_browser: Browser, content_type: str, body: bytes
) -> None:
    start(http_browser, mes_authorize_url(sim_session))
    before = sim_session.snapshot()
    for host, path in [(VKID_HOST, "/auth"), (MES_HOST, "/")]:
        response = http_browser.post(path, host=host, content=body, headers={"Content-Type": content_type})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/html")
        assert "Не удалось прочитать отправленную форму" in response.text
    assert sim_session.snapshot() == before
    assert sim_session.messages() == []


@pytest.mark.parametrize("path", ["/oauth2/auth", "/oauth2/user_info", "/oauth2/public_info", "/oauth2/revoke"])
def test_an_unknown_session_on_the_oauth_endpoints_is_vk_ids_json_error(http_browser: Browser, path: str) -> None:
    response = http_browser.post(path, host=VKID_HOST, data={"client_id": "x"}, headers={"X-Sim-Session": "nobody"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "unknown_session" and "nobody" in response.json()["error_description"]


# -- a part's headers broken ----------------------------------------------------------------------


def part(headers: bytes, name: bytes = b"login", body: bytes = b"v") -> bytes:
    """A multipart body (boundary x) of one part named `name` with these extra header lines."""
    disposition = b'Content-Disposition: form-data; name="' + name + b'"\r\n'
    return b"--x\r\n" + disposition + headers + b"\r\n" + body + b"\r\n--x--\r\n"


def file_part(filename: bytes, headers: bytes = b"") -> bytes:
    disposition = b'Content-Disposition: form-data; name="file"; ' + filename + b"\r\n"
    return b"--x\r\n" + disposition + b"Content-Type: text/plain\r\n" + headers + b"\r\nhello\r\n--x--\r\n"


BROKEN_PARTS = {
    "header-without-colon": part(b"Not A Header\r\n"),
    "header-name-with-space": part(b"Bad Name: v\r\n"),
    "nul-in-a-header": part(b"X-A: a\x00b\r\n"),
    "nul-in-the-filename": file_part(b'filename="a\x00b.txt"'),
    "500-headers": part(b"".join(b"X-H%d: v\r\n" % i for i in range(500))),
    "header-over-8-KiB": part(b"X-A: " + b"a" * 9000 + b"\r\n"),
    "unknown-transfer-encoding": part(b"Content-Transfer-Encoding: x-unknown\r\n"),
}
MULTIPART = "multipart/form-data; boundary=x"


def post_form_routes() -> list[tuple[str, str]]:
    """(host, path) of every route of every platform that takes a POST, its parameters filled with 1."""
    routes = set()
    for name, package in installed().items():
        for method, path, _ in package.ROUTES:
            if method in ("POST", "*"):
                routes.add((PLATFORMS[name].hosts[0], re.sub(r"{[^{}]+(?:{[^{}]*}[^{}]*)*}", "1", path)))
    return sorted(routes)


POST_ROUTES = post_form_routes()


def test_every_form_route_is_found() -> None:
    assert (VKID_HOST, "/oauth2/auth") in POST_ROUTES and (MESSENGER, "/chats/1") in POST_ROUTES
    assert len(POST_ROUTES) > 40 and all("{" not in path for _, path in POST_ROUTES)


@pytest.mark.parametrize("body", BROKEN_PARTS.values(), ids=BROKEN_PARTS.keys())
def test_a_broken_part_is_refused_on_every_form_and_stores_nothing(
    sim_session: SimSession, http_browser: Browser, body: bytes
) -> None:
    """Never a 5xx; where the form is read, 400 — VK ID's JSON error on /oauth2/, a Russian page elsewhere."""
    start(http_browser, mes_authorize_url(sim_session))
    before = sim_session.snapshot()
    refused = 0
    for host, path in POST_ROUTES:
        response = http_browser.post(path, host=host, content=body, headers={"Content-Type": MULTIPART})
        where = f"{host}{path}: {response.status_code} {response.text[:300]}"
        assert response.status_code < 500, where
        if path.startswith("/oauth2/"):
            assert response.status_code == 400 and response.json()["error"] == "invalid_request", where
            assert response.json()["error_description"].isprintable(), where
            refused += 1
        elif response.status_code >= 400:  # a refusal for people: a Russian page, whatever refused first
            assert response.headers["content-type"].startswith("text/html") and 'lang="ru"' in response.text, where
            refused += response.status_code == 400 and "Не удалось прочитать отправленную форму" in response.text
    assert refused >= 10
    assert sim_session.snapshot() == before
    assert sim_session.messages() == []


@pytest.fixture
def teacher_in_messenger(sim_session: SimSession, http_browser: Browser) -> str:
    """A teacher of 10А signed in to VK Мессенджер: the path of the class's chat, which takes files."""
    sim_session.seed({"organisations": [SCHOOL]})
    teacher: Any = seed(sim_session, Personas(41), "teacher", org=SCHOOL["id"], school_class="10А", linked="vkid")
    seed(sim_session, Personas(42), "student", org=SCHOOL["id"], school_class="10А", linked="vkid")
    sign_in_to(http_browser, MESSENGER, "/", teacher[0].phone)
    chat = next(c for c in sim_session.snapshot()["chats"] if c["title"].endswith("10А · Общая беседа"))
    return f"/chats/{chat['id']}"


@pytest.mark.parametrize(
    "body",
    [
        file_part(b'filename="a\x00b.txt"'),
        file_part(b'filename="a.txt"', b"".join(b"X-%d: v\r\n" % i for i in range(500))),
    ],
    ids=["nul-in-the-filename", "500-headers"],
)
def test_a_broken_upload_to_a_chat_is_refused_and_stores_nothing(
    sim_session: SimSession, http_browser: Browser, teacher_in_messenger: str, body: bytes
) -> None:
    refused = http_browser.post(teacher_in_messenger, host=MESSENGER, content=body, headers={"Content-Type": MULTIPART})
    assert refused.status_code == 400
    assert "Не удалось прочитать отправленную форму" in refused.text
    assert sim_session.snapshot()["chat_messages"] == []


def test_a_nul_in_an_encoded_filename_is_refused_at_the_field(
    sim_session: SimSession, http_browser: Browser, teacher_in_messenger: str
) -> None:
    """RFC 2231 lets a name spell %00 in a valid header: the name is refused, not repaired and kept."""
    body = file_part(b"filename*=UTF-8''a%00b.txt")
    refused = http_browser.post(teacher_in_messenger, host=MESSENGER, content=body, headers={"Content-Type": MULTIPART})
    assert refused.status_code == 422
    assert "Имя файла содержит недопустимые символы" in refused.text
    assert "\x00" not in refused.text
    assert sim_session.snapshot()["chat_messages"] == []
