"""The control plane, fuzzed from its own OpenAPI document: no 5xx, and every answer as documented."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation, BaseSchema

from simulator import SimulatorServer
from simulator.wire import PREFIX
from simulator.world import World

pytestmark = pytest.mark.slow  # hundreds of generated requests

EXAMPLES = 60  # per operation and mode
SESSION = "fuzz-control"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    """A simulator of its own: the fuzzer resets the world and deletes sessions."""
    with SimulatorServer() as running:
        yield running


@pytest.fixture(scope="module")
def schema(server: SimulatorServer) -> BaseSchema:
    return schemathesis.openapi.from_url(server.url + PREFIX + "/openapi.json")


def operations(schema: BaseSchema) -> list[APIOperation]:
    return [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]


def has_inputs(operation: APIOperation) -> bool:
    return bool(operation.path_parameters or operation.query or operation.body)


def shorten_wait(case: schemathesis.Case) -> None:
    """No message is ever sent here, so a valid timeout (5 s when absent) would only pass time: make it 0."""
    query = case.query if isinstance(case.query, dict) else {}
    try:
        valid = 0 <= float(query.get("timeout", 5)) <= 30
    except (TypeError, ValueError):
        valid = False
    if valid:
        case.query = {**query, "timeout": "0"}


def keep_session(world: World) -> None:
    """The session generated requests may name; POST /reset or DELETE may have removed it."""
    if SESSION not in world.sessions:
        world.create(SESSION)


def test_the_control_plane_never_answers_a_server_error(server: SimulatorServer, schema: BaseSchema) -> None:
    """Valid and invalid requests to every operation: each answer is a documented status, type and shape."""
    sent = 0
    started = time.monotonic()
    http = requests.Session()  # one kept-alive connection for every request
    for operation in operations(schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
                continue  # nothing to make invalid

            @settings(
                derandomize=True,
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode), existing=st.booleans())
            def fuzz(case: schemathesis.Case, existing: bool) -> None:
                nonlocal sent
                server.call(keep_session, server.world)
                if existing and "key" in (case.path_parameters or {}):
                    case.path_parameters["key"] = SESSION  # reach the handler, not only the unknown-session 404
                if case.operation.path.endswith("/outbox/wait"):
                    shorten_wait(case)
                sent += 1
                case.call_and_validate(session=http, checks=CHECKS, timeout=10)

            fuzz()
    elapsed = time.monotonic() - started
    print(f"fuzzed the control plane: {sent} requests in {elapsed:.1f} s")
    assert sent >= 2000
