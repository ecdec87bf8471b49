"""Kindergartens and supplementary education: invitations, join requests and who is attached when."""

from __future__ import annotations

import pytest

from simulator.testing import Personas
from simulator.validation import ValidationError
from simulator.world import Role, SeedError, Session, apply_seed, links
from simulator.world import organisations as orgs
from simulator.world.chats import CHATS_DELAY
from simulator.world.models import Decision
from simulator.world.seed import OrganisationEntry
from simulator.world.statistics import weekly_report

KINDERGARTEN: OrganisationEntry = {"id": 216600007, "name": "МБДОУ «Детский сад №7»", "kind": "kindergarten"}
SCHOOL: OrganisationEntry = {"id": 216579624, "name": "Школа №51", "classes": ["10А"]}


@pytest.fixture
def world() -> Session:
    session = Session("orgs", seed=3)
    apply_seed(session, {"organisations": [KINDERGARTEN, SCHOOL]})
    return session


def user(world: Session, personas: Personas, role: str = "teacher"):
    person = personas.make(role)
    created = apply_seed(world, {"people": [person.entry(journal=None, vkid=True, profile=True)]})
    return person, world.profiles[created["people"][person.key]["profile_id"]]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8 (999) 123-45-67", "+79991234567"),
        ("Name@Example.ru", "name@example.ru"),
        ("id757843276", "id757843276"),
        ("757 843 276", "id757843276"),
    ],
)
def test_invitee_is_a_phone_an_email_or_a_profile_id(typed: str, stored: str) -> None:
    assert orgs.invitee(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "<b>кто-то</b>"])
def test_invitee_refuses_anything_else(typed: str) -> None:
    with pytest.raises(ValidationError):
        orgs.invitee(typed)


def test_an_accepted_invitation_attaches_and_builds_the_chats_later(world: Session) -> None:
    person, profile = user(world, Personas(1))
    org = world.organisations[KINDERGARTEN["id"]]
    invitation = orgs.invite(world, org, Role.TEACHER, person.phone)
    [sms] = world.messages(to=person.phone)
    assert org.name in sms.text and sms.code == ""
    assert orgs.invitations_for(world, profile) == [invitation]
    assert profile.org_ids == []
    orgs.answer(world, invitation, profile, accept=True)
    assert profile.org_ids == [org.id] and invitation.status is Decision.ACCEPTED
    assert world.chats_of(profile.id) == []  # Sferum is still building them
    world.clock.advance(CHATS_DELAY.total_seconds())
    assert sorted(c.title for c in world.chats_of(profile.id)) == [
        f"{org.name} · Объявления",
        f"{org.name} · Сотрудники",
        f"{org.name} · Учителя",
    ]
    assert [(u.profile_id, u.user_type, u.journal_linked) for u in weekly_report(world, org.id).users] == [
        (profile.id, "teacher", False)
    ]
    with pytest.raises(orgs.JoinError):  # answered once
        orgs.answer(world, invitation, profile, accept=False)


def test_an_invitation_by_profile_id_reaches_only_that_profile(world: Session) -> None:
    personas = Personas(2)
    _, invited = user(world, personas)
    _, other = user(world, personas, "parent")
    org = world.organisations[KINDERGARTEN["id"]]
    invitation = orgs.invite(world, org, Role.PARENT, f"id{invited.id}")
    assert world.outbox == []  # it lands in the messenger only
    assert orgs.invitations_for(world, other) == []
    with pytest.raises(orgs.JoinError):
        orgs.answer(world, invitation, other, accept=True)
    orgs.answer(world, invitation, invited, accept=False)
    assert invited.org_ids == [] and invitation.status is Decision.DECLINED


@pytest.mark.parametrize(
    ("to", "message"),
    [("id111111111", "Учебный профиль с таким ID не найден")],
)
def test_invitation_refusals_change_nothing(world: Session, to: str, message: str) -> None:
    with pytest.raises(orgs.JoinError, match=message):
        orgs.invite(world, world.organisations[KINDERGARTEN["id"]], Role.TEACHER, to)
    assert world.invitations == {} and world.outbox == []


def test_no_second_invitation_and_none_to_someone_attached(world: Session) -> None:
    person, profile = user(world, Personas(3))
    org = world.organisations[KINDERGARTEN["id"]]
    orgs.invite(world, org, Role.TEACHER, person.phone)
    with pytest.raises(orgs.JoinError, match="уже отправлено"):
        orgs.invite(world, org, Role.TEACHER, person.phone)
    orgs.answer(world, orgs.invitations_for(world, profile)[0], profile, accept=True)
    with pytest.raises(orgs.JoinError, match="уже прикреплён"):
        orgs.invite(world, org, Role.TEACHER, f"id{profile.id}")


def test_schools_attach_through_the_journal_only(world: Session) -> None:
    person, profile = user(world, Personas(4))
    school = world.organisations[SCHOOL["id"]]
    with pytest.raises(orgs.JoinError, match="через электронный журнал"):
        orgs.invite(world, school, Role.TEACHER, person.phone)
    with pytest.raises(orgs.JoinError, match="через электронный журнал"):
        orgs.request(world, school, profile, Role.TEACHER)
    assert orgs.search(world, "Школа") == []
    assert orgs.search(world, "детский") == [world.organisations[KINDERGARTEN["id"]]]
    assert orgs.search(world, str(KINDERGARTEN["id"])) == [world.organisations[KINDERGARTEN["id"]]]


@pytest.mark.parametrize("approve", [True, False])
def test_a_request_waits_for_the_administrator(world: Session, approve: bool) -> None:
    _, profile = user(world, Personas(5), "parent")
    org = world.organisations[KINDERGARTEN["id"]]
    join = orgs.request(world, org, profile, Role.PARENT)
    assert orgs.pending_requests(world, org.id) == [join]
    assert profile.org_ids == [] and world.attachment(profile.id, org.id) is None
    with pytest.raises(orgs.JoinError, match="уже подана"):
        orgs.request(world, org, profile, Role.PARENT)
    world.clock.advance(3600)
    orgs.decide(world, join, approve)
    assert orgs.pending_requests(world, org.id) == []
    assert join.status is (Decision.ACCEPTED if approve else Decision.DECLINED)
    assert profile.org_ids == ([org.id] if approve else [])
    attachment = world.attachment(profile.id, org.id)
    assert (attachment is not None) is approve
    if attachment:
        assert (attachment.role, attachment.via, attachment.since) == (Role.PARENT, "request", world.clock.now())
    with pytest.raises(orgs.JoinError, match="уже рассмотрена"):
        orgs.decide(world, join, not approve)


def test_a_request_needs_a_role(world: Session) -> None:
    _, profile = user(world, Personas(6))
    with pytest.raises(orgs.JoinError, match="Выберите тип пользователя"):
        orgs.request(world, world.organisations[KINDERGARTEN["id"]], profile, orgs.role_of("admin"))
    assert world.join_requests == {}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"org_admin": 999}, "people[0].org_admin"),
        ({"org_admin": [216600007]}, "people[0].org_admin"),
        ({"org_admin": 216600007, "vkid": None}, "people[0].org_admin"),
        ({"duplicate": {"phone": "+79990000001", "classes": ["10А"]}, "journal": None}, "people[0].duplicate"),
        ({"duplicate": {"phone": "+79990000001", "classes": ["5Я"]}}, "people[0].duplicate.classes"),
        ({"duplicate": {"phone": "не номер"}}, "people[0].duplicate.phone"),
    ],
)
def test_seed_refuses_bad_administrators_and_duplicates(world: Session, change: dict, path: str) -> None:
    person = Personas(7).make("teacher")
    entry = person.entry(org=SCHOOL["id"], school_class="10А", vkid=True, profile=True) | change
    entry = {k: v for k, v in entry.items() if v is not None}
    before = len(world.profiles)
    with pytest.raises(SeedError) as refused:
        apply_seed(world, {"people": [entry]})
    assert refused.value.path == path
    assert len(world.profiles) == before and world.attachments == []


def test_seed_duplicate_shares_no_number_with_another_account(world: Session) -> None:
    personas = Personas(8)
    first = personas.make("teacher")
    apply_seed(world, {"people": [first.entry(org=SCHOOL["id"], vkid=True, profile=True)]})
    second = personas.make("teacher")
    entry = second.entry(org=SCHOOL["id"], vkid=True, profile=True, duplicate={"phone": first.phone, "classes": []})
    with pytest.raises(SeedError, match="already signs in"):
        apply_seed(world, {"people": [entry]})


def test_relinking_an_account_moves_the_organisation_to_the_new_profile(world: Session) -> None:
    personas = Personas(9)
    teacher = personas.make("teacher")
    entry = teacher.entry(org=SCHOOL["id"], school_class="10А", vkid=True, profile=True, linked="vkid")
    created = apply_seed(world, {"people": [entry | {"duplicate": {"phone": personas.phone(), "classes": []}}]})
    ids = created["people"][teacher.key]
    old, new = world.profiles[ids["profile_id"]], world.profiles[ids["duplicate_profile_id"]]
    links.link(world, world.journal_accounts[ids["journal_account"]], new, via="vkid")
    assert old.org_ids == [] and world.attachment(old.id, SCHOOL["id"]) is None
    assert new.org_ids == [SCHOOL["id"]]
