"""Who a scenario brings in, read from its fixtures: the persona sheet of a guide."""

from __future__ import annotations

import pytest

from .records import Persona

PERSONA_FIELDS = ("role", "full_name", "login", "password", "phone", "email", "birth_date")


def fixture(request: pytest.FixtureRequest, name: str) -> object:
    """A fixture's value, or None where the scenario has no such fixture."""
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        return None


def persona(person: object) -> Persona:
    """A person's sign-in as a guide lists it: only the fields the person has."""
    return {name: str(getattr(person, name)) for name in PERSONA_FIELDS if getattr(person, name, None)}


def people_now(request: pytest.FixtureRequest) -> list[object]:
    """Who the steps have brought in so far: the `scene`'s actor and those who acted before, the organisation
    scenarios' `cast` (an administrator, a classmate)."""
    scene = fixture(request, "scene")
    others = getattr(fixture(request, "cast"), "people", None) or {}
    actor = getattr(scene, "actor", None)
    return [*getattr(scene, "earlier", []), *others.values(), *([actor] if actor is not None else [])]
