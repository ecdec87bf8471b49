"""The seed document's schema: any JSON in, a stored seed or a SeedError out, and a refusal changes nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.testing import SimSession
from simulator.world import SeedError, Session, apply_seed
from simulator.world.seed import SeedContext, SeedDocument, parse_client, parse_seed

ORG = 216579624


def full_document() -> SeedDocument:
    """A valid document using every part of the format: each of its values is a place to put garbage."""
    return {
        "organisations": [
            {
                "id": ORG,
                "name": "Школа №51",
                "kind": "school",
                "classes": ["10А", "6В", "11А"],
                "lessons": [
                    {"class": "10А", "subject": "Физика", "starts_at": "2024-10-16T10:00:00+03:00", "online": True}
                ],
            }
        ],
        "clients": [
            {
                "client_id": "journal",
                "redirect_uris": ["https://journal.example/cb"],
                "service_name": "Журнал",
                "bullets": ["Общение в Сферуме"],
                "client_secret": "s" * 32,
                "first_party": False,
            }
        ],
        "people": [
            {
                "id": "t1",
                "last_name": "Иванов",
                "first_name": "Иван",
                "patronymic": "Петрович",
                "birth_date": "1980-05-17",
                "sex": "male",
                "phone": "+79990000001",
                "email": "ivanov@example.ru",
                "journal": {
                    "journal": "mes",
                    "role": "teacher",
                    "login": "ivanov",
                    "password": "secret-1",
                    "org": ORG,
                    "class": "10А",
                    "classes": ["11А"],
                    "contact_added": True,
                },
                "vkid": {"password": None, "profile": True, "code_channel": "call"},
                "max": {"profile": False},
                "gosuslugi": {"login": "phone", "password": "secret-1", "confirmed": True},
                "linked": "vkid",
                "org_admin": ORG,
                "duplicate": {"phone": "+79990000002", "classes": ["10А"]},
            },
            {
                "id": "p1",
                "last_name": "Петрова",
                "first_name": "Анна",
                "birth_date": "1985-01-02",
                "sex": "female",
                "phone": "+79990000003",
                "journal": {
                    "journal": "mes",
                    "role": "parent",
                    "login": "petrova",
                    "password": "secret-2",
                    "org": ORG,
                    "children": ["s1"],
                },
                "max": {"profile": True},
                "linked": "max",
            },
            {
                "id": "s1",
                "last_name": "Петров",
                "first_name": "Пётр",
                "journal": {
                    "journal": "mes",
                    "role": "student",
                    "login": "petrov",
                    "password": "secret-3",
                    "org": ORG,
                    "class": "6В",
                },
            },
        ],
    }


def state(session: Session) -> str:
    """Everything the session holds, and where its id generator stands."""
    return json.dumps([session.snapshot(), repr(session.rng.getstate())], sort_keys=True, default=repr)


def refuse(doc: Any, path: str) -> SeedError:
    """Seeding `doc` is refused at `path`, and the session is as it was."""
    session = Session("s")
    before = state(session)
    with pytest.raises(SeedError) as refused:
        apply_seed(session, doc)
    assert refused.value.path == path, refused.value
    assert state(session) == before
    return refused.value


def changed(*keys: str | int, value: Any) -> dict[str, Any]:
    """The full document with the value at `keys` replaced."""
    doc: Any = copy.deepcopy(full_document())
    node = doc
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return dict(doc)


def test_the_full_document_is_valid() -> None:
    """Every part of the format at once is accepted, so each wrong value below is refused for itself."""
    session = Session("s")
    created = apply_seed(session, full_document())
    teacher = created["people"]["t1"]
    assert set(teacher) == {
        "journal_account",
        "vkid_id",
        "profile_id",
        "max_id",
        "gosuslugi_id",
        "duplicate_vkid_id",
        "duplicate_profile_id",
    }
    assert session.links["mes-t1"].profile_id == teacher["profile_id"]
    assert session.links["mes-p1"].via == "max"
    assert session.oauth.clients["journal"].client_secret == "s" * 32
    json.dumps(session.snapshot())


def test_a_teacher_gets_the_chats_and_lessons_of_every_class_taught() -> None:
    """Seed 001's teacher: the chat of the class led, then one of each further class, and their lessons."""
    doc: Any = full_document()
    doc["organisations"][0]["lessons"].append({"class": "11А", "subject": "Химия", "starts_at": "2024-10-16T11:00"})
    doc["people"][0]["journal"]["classes"] = ["11А", "10А", "11А"]  # the led class and a repeat add nothing
    session = Session("s")
    profile_id = apply_seed(session, doc)["people"]["t1"]["profile_id"]
    class_chats = [c.title for c in session.chats_of(profile_id) if c.class_id is not None]
    assert class_chats == ["10А · Общая беседа", "11А · Общая беседа"]
    teacher = session.journal_accounts["mes-t1"]
    assert [lesson.subject for lesson in session.lessons_of(teacher)] == ["Физика", "Химия"]
    student = session.journal_accounts["mes-s1"]
    assert session.lessons_of(student) == []  # 6В has no lessons: the teacher's classes are not everyone's


def test_parsing_reads_the_session_only_through_its_context() -> None:
    """parse_seed checks against a SeedContext; nothing is stored until store_seed."""
    session = Session("s")
    context = SeedContext.of(session)
    parsed = parse_seed(full_document(), context)
    assert [p.id for p in parsed.people] == ["t1", "p1", "s1"]
    assert session.people == {} and session.oauth.clients == {}
    with pytest.raises(SeedError, match="unknown organisation"):
        parse_seed({"people": [{"id": "x", "last_name": "Ли", "first_name": "Ян", "org_admin": ORG}]}, context)


WRONG_TYPES = {
    "classes a number": (changed("organisations", 0, "classes", value=5), "organisations[0].classes"),
    "class name a number": (changed("organisations", 0, "classes", 0, value=10), "organisations[0].classes"),
    "lessons a string": (changed("organisations", 0, "lessons", value="x"), "organisations[0].lessons"),
    "lessons a number": (changed("organisations", 0, "lessons", value=5), "organisations[0].lessons"),
    "lesson starts_at a number": (
        changed("organisations", 0, "lessons", 0, "starts_at", value=20241016),
        "organisations[0].lessons[0].starts_at",
    ),
    "online a string": (
        changed("organisations", 0, "lessons", 0, "online", value="no"),
        "organisations[0].lessons[0].online",
    ),
    "organisation id huge": (changed("organisations", 0, "id", value=10**400), "organisations[0].id"),
    "organisation id infinite": (changed("organisations", 0, "id", value=float("inf")), "organisations[0].id"),
    "organisation id true": (changed("organisations", 0, "id", value=True), "organisations[0].id"),
    "kind a list": (changed("organisations", 0, "kind", value=["school"]), "organisations[0].kind"),
    "role an object": (changed("people", 0, "journal", "role", value={}), "people[0].journal.role"),
    "journal name a list": (changed("people", 0, "journal", "journal", value=[]), "people[0].journal.journal"),
    "journal org a list": (changed("people", 0, "journal", "org", value=[ORG]), "people[0].journal.org"),
    "journal org true": (changed("people", 0, "journal", "org", value=True), "people[0].journal.org"),
    "journal org a float": (changed("people", 0, "journal", "org", value=float(ORG)), "people[0].journal.org"),
    "journal class a list": (changed("people", 0, "journal", "class", value=["10А"]), "people[0].journal.class"),
    "taught classes a string": (changed("people", 0, "journal", "classes", value="11А"), "people[0].journal.classes"),
    "a taught class a number": (changed("people", 0, "journal", "classes", value=[11]), "people[0].journal.classes"),
    "a taught class unknown": (changed("people", 0, "journal", "classes", value=["9Б"]), "people[0].journal.classes"),
    "a student's further classes": (
        changed("people", 2, "journal", "classes", value=["10А"]),
        "people[2].journal.classes",
    ),
    "children a number": (changed("people", 1, "journal", "children", value=5), "people[1].journal.children"),
    "a child a number": (changed("people", 1, "journal", "children", value=[5]), "people[1].journal.children"),
    "a child a list": (changed("people", 1, "journal", "children", value=[[]]), "people[1].journal.children"),
    "contact_added a string": (
        changed("people", 0, "journal", "contact_added", value="yes"),
        "people[0].journal.contact_added",
    ),
    "profile a string": (changed("people", 0, "vkid", "profile", value="yes"), "people[0].vkid.profile"),
    "vkid a list": (changed("people", 0, "vkid", value=[]), "people[0].vkid"),
    "code_channel a number": (changed("people", 0, "vkid", "code_channel", value=1), "people[0].vkid.code_channel"),
    "code_channel e-mail": (
        changed("people", 0, "vkid", "code_channel", value="email"),
        "people[0].vkid.code_channel",
    ),
    "linked a list": (changed("people", 0, "linked", value=[]), "people[0].linked"),
    "linked an object": (changed("people", 0, "linked", value={}), "people[0].linked"),
    "org_admin true": (changed("people", 0, "org_admin", value=True), "people[0].org_admin"),
    "org_admin a float": (changed("people", 0, "org_admin", value=float(ORG)), "people[0].org_admin"),
    "org_admin huge": (changed("people", 0, "org_admin", value=10**5000), "people[0].org_admin"),
    "birth date a number": (changed("people", 0, "birth_date", value=0), "people[0].birth_date"),
    "person id a huge float": (changed("people", 0, "id", value=1e308 * 10), "people[0].id"),
    "gosuslugi login a list": (changed("people", 0, "gosuslugi", "login", value=[]), "people[0].gosuslugi.login"),
    "confirmed a number": (changed("people", 0, "gosuslugi", "confirmed", value=1), "people[0].gosuslugi.confirmed"),
    "duplicate classes a string": (
        changed("people", 0, "duplicate", "classes", value="10А"),
        "people[0].duplicate.classes",
    ),
    "duplicate class a number": (
        changed("people", 0, "duplicate", "classes", value=[10]),
        "people[0].duplicate.classes",
    ),
    "bullets a string": (changed("clients", 0, "bullets", value="x"), "clients[0].bullets"),
    "first_party a string": (changed("clients", 0, "first_party", value="no"), "clients[0].first_party"),
    "client secret a number": (changed("clients", 0, "client_secret", value=10**20), "clients[0].client_secret"),
    "people an object": ({"people": {"t1": {}}}, "people"),
}


@pytest.mark.parametrize("doc, path", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_value_of_the_wrong_type_is_a_seed_error(doc: dict[str, Any], path: str) -> None:
    """A JSON value of the wrong type is refused where it stands, never crashed on, and nothing is stored."""
    refuse(doc, path)


def test_a_huge_number_is_shown_short_in_the_message() -> None:
    """Python will not print a 5000-digit number; the message says what it is instead."""
    error = refuse(changed("organisations", 0, "classes", 0, value=10**5000), "organisations[0].classes")
    assert "too long" in error.message


# -- clients ----------------------------------------------------------------------------------------

CLIENT = {"client_id": "journal", "redirect_uris": ["https://journal.example/cb"], "service_name": "Журнал"}


@pytest.mark.parametrize(
    "change, path",
    [
        ({"client_id": " journal"}, "client_id"),
        ({"client_id": "journal "}, "client_id"),
        ({"client_id": "jour\x00nal"}, "client_id"),
        ({"client_id": "journal\u200b"}, "client_id"),
        ({"redirect_uris": [" https://journal.example/cb"]}, "redirect_uris[0]"),
        ({"redirect_uris": ["https://journal.example/cb\n"]}, "redirect_uris[0]"),
        ({"redirect_uris": ["https://journal.example/c b"]}, "redirect_uris[0]"),
        ({"redirect_uris": ["https://"]}, "redirect_uris"),
    ],
)
def test_a_client_id_or_redirect_uri_with_spaces_or_control_characters_is_refused(
    change: dict[str, Any], path: str
) -> None:
    """A relying party sends its id and redirect URI exactly: trimming would register a client nobody calls."""
    with pytest.raises(SeedError) as refused:
        parse_client(CLIENT | change)
    assert refused.value.path == path
    refuse({"clients": [CLIENT | change]}, f"clients[0].{path}")


def test_a_parsed_client_keeps_its_values_and_draws_a_secret() -> None:
    client = parse_client(CLIENT | {"first_party": True})
    assert (client.client_id, client.redirect_uris, client.first_party) == (
        "journal",
        ("https://journal.example/cb",),
        True,
    )
    assert len(client.client_secret) >= 32 and parse_client(CLIENT).client_secret != client.client_secret


def test_registering_a_client_id_with_spaces_is_422_not_500(control: httpx.Client, sim_session: SimSession) -> None:
    """POST /clients reads its body with the seed's parse_client; the error names the field."""
    url = f"/sessions/{sim_session.key}/clients"
    response = control.post(url, json=CLIENT | {"client_id": " journal "})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_client"
    assert response.json()["message"].startswith("client_id: ")
    assert all(c["client_id"] != " journal " for c in sim_session.snapshot()["clients"])
    response = control.post(url, json=CLIENT | {"bullets": ["Общение"], "first_party": True})
    assert response.status_code == 201, response.text
    assert response.json()["bullets"] == ["Общение"] and response.json()["first_party"] is True


# -- any JSON at all --------------------------------------------------------------------------------

# Values near the valid ones make the property reach the deeper checks, not only the type checks.
NEAR_MISSES = st.sampled_from(
    [
        *(ORG, 1, 0, -1, 2**53, "10А", "6В", "mes", "teacher", "parent", "vkid", "max", "phone", "email"),
        *("t1", "s1", "+79990000001", "+79990000003", "1980-05-17", "2999-01-01", "male"),
        *("https://x.example/cb", " x ", ""),
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**53 - 2, max_value=10**400)
    | st.floats()
    | st.text(max_size=12)
    | NEAR_MISSES
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8) | NEAR_MISSES.map(str), inner, max_size=3)
    ),
    max_leaves=8,
)


def value_paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in a document a value stands, containers included."""
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        items: list[tuple[str | int, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        items = []
    for key, inner in items:
        paths += value_paths(inner, (*prefix, key))
    return paths


PATHS = value_paths(full_document())


def seeded_or_refused(doc: Any) -> None:
    """The only outcomes: stored (as JSON the control plane can answer) or refused with nothing stored."""
    session = Session("s")
    before = state(session)
    try:
        created = apply_seed(session, doc)
    except SeedError:
        assert state(session) == before
    else:
        json.dumps([created, session.snapshot()])


@pytest.mark.slow  # hundreds of generated documents
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PATHS), value=JSON, drop=st.booleans())
def test_any_json_in_any_place_is_stored_or_refused(place: tuple[str | int, ...], value: Any, drop: bool) -> None:
    """Each value of a valid document replaced (or a key dropped): success or SeedError, nothing else."""
    doc: Any = copy.deepcopy(full_document())
    node = doc
    for key in place[:-1]:
        node = node[key]
    if drop and isinstance(node, dict):
        del node[place[-1]]
    else:
        node[place[-1]] = value
    seeded_or_refused(doc)


@pytest.mark.slow  # hundreds of generated documents
@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(st.sampled_from(["organisations", "clients", "people", "x"]), JSON, max_size=3) | JSON)
def test_any_json_document_is_stored_or_refused(doc: Any) -> None:
    """Whole documents of arbitrary shape: success or SeedError, nothing else."""
    seeded_or_refused(doc)
