"""One table from domain error to wire error: every refusal of the world has an answer, the control plane lets
refusals pass to it rather than catching them one by one, and its OpenAPI document states the table's words."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import httpx

import simulator
from simulator import error_table
from simulator.errors import DomainError
from simulator.world import faults
from simulator.world.world import UnknownSession

CONTROL = Path(simulator.__file__).parent / "control"


def _every_domain_error() -> set[type[DomainError]]:
    for module in pkgutil.walk_packages(simulator.__path__, "simulator."):
        if module.name.startswith(("simulator.world", "simulator.clock", "simulator.validation")):
            importlib.import_module(module.name)
    found: set[type[DomainError]] = set()
    stack = [DomainError]
    while stack:
        for kind in stack.pop().__subclasses__():
            found.add(kind)
            stack.append(kind)
    return found


def test_every_domain_error_of_the_world_has_a_wire_error() -> None:
    kinds = _every_domain_error()
    assert len(kinds) >= 15  # the world's refusals were found, not an empty walk
    unanswered = []
    for kind in kinds:
        try:
            error_table.wire_error(kind.__new__(kind))
        except LookupError:
            unanswered.append(kind.__qualname__)
    assert unanswered == []


def test_a_kind_of_a_known_error_is_answered_as_its_parent_until_it_has_its_own_entry() -> None:
    class NarrowerFault(faults.UnknownFault):
        pass

    assert error_table.wire_error(NarrowerFault("x")) is error_table.TABLE[faults.UnknownFault]
    assert error_table.wire_error(NarrowerFault("x")).status == 404


def test_the_control_plane_catches_no_domain_error_by_hand() -> None:
    # Its handlers let refusals pass; routes.py answers them all from the table. Parsing a parameter
    # (a date-time named in the message) is the handlers' own concern and may still catch.
    names = {kind.__name__ for kind in _every_domain_error()} - {"ClockError"}
    caught: list[str] = []
    for path in CONTROL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                for one in types:
                    name = one.attr if isinstance(one, ast.Attribute) else getattr(one, "id", "")
                    if name in names:
                        caught.append(f"{path.name}:{node.lineno} {name}")
    assert caught == []


def test_a_refusal_reaches_the_wire_as_the_table_words_it(control: httpx.Client) -> None:
    # The wire as the control plane's users have always read it (docs/control-plane and its clients).
    missing = control.get("/sessions/no-such-session")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "unknown_session",
        "message": "no session 'no-such-session'; create it with POST /_sim/v1/sessions",
    }
    key = control.post("/sessions", json={}).json()["key"]
    try:
        fault = control.put(f"/sessions/{key}/faults/pigeon", json={})
        assert fault.status_code == 404
        assert fault.json() == {
            "error": "unknown_fault",
            "message": "no fault 'pigeon'; available: identity_unavailable, vpn, http_error",
        }
        param = control.put(f"/sessions/{key}/faults/http_error", json={"path": "/"})
        assert (param.status_code, param.json()["error"]) == (400, "invalid_parameter")
        assert param.json()["message"] == "http_error: platform is required"
        twice = control.post("/sessions", json={"key": key})
        assert (twice.status_code, twice.json()["error"]) == (409, "session_exists")
        client = control.post(f"/sessions/{key}/clients", json={"client_id": "x"})
        assert (client.status_code, client.json()["error"]) == (422, "invalid_client")
        seed = control.post(f"/sessions/{key}/seed", json={"people": "nobody"})
        assert (seed.status_code, seed.json()["error"]) == (422, "invalid_seed")
    finally:
        control.delete(f"/sessions/{key}")


def test_the_openapi_document_describes_each_code_in_the_tables_words(control: httpx.Client) -> None:
    document = control.get("/openapi.json").json()
    described = [
        (status, response["description"])
        for operation in (op for path in document["paths"].values() for op in path.values())
        for status, response in operation["responses"].items()
    ]
    for kind in (UnknownSession, faults.UnknownSetting, faults.UnknownFault):
        wire = error_table.TABLE[kind]
        said = f"{wire.code}: {wire.description}"
        assert any(status == str(wire.status) and said in text for status, text in described), said
