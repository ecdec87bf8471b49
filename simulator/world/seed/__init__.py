"""Seeding a session from data: organisations, classes, people and their accounts.

The whole document is checked (`parse.parse_seed`) before anything is stored (`store.store_seed`), so a
refused seed changes nothing. The document's shape is typed in `schema` (`SeedDocument`, `PersonEntry`, …).

    {"organisations": [{"id": 216579624, "name": "…", "classes": ["10А"],
                        "lessons": [{"class": "10А", "subject": "Физика", "starts_at": "2024-10-16T10:00:00+03:00",
                                     "online": true}]}],
     "clients": [{"client_id": "…", "redirect_uris": ["…"], "service_name": "МЭШ ВКС",   # shown by VK ID
                  "bullets": ["…"], "client_secret": "…", "first_party": false}],      # all three optional
     "people": [{"id": "t1", "last_name": "…", "first_name": "…", "phone": "+7…",
                 "journal": {"journal": "mes", "role": "teacher", "login": "…", "password": "…",
                             "org": 216579624, "class": "10А",   # a student's class, a teacher's own
                             "classes": ["11А"],            # a teacher's further classes, taught
                             "children": ["s1"],            # a parent's children (person ids)
                             "contact_added": true},        # the class teacher entered a student's Госуслуги login
                 "vkid": {"password": null, "profile": true,    # a VK ID account, with a profile,
                          "code_channel": "call"},              # its phone confirmed by a call or "sms"
                 "max": {"profile": true},                      # a МАХ account, with a profile in МАХ
                 "gosuslugi": {"login": "phone", "password": "…", "confirmed": true},
                 "linked": "vkid",                              # already linked: "vkid" or "max"
                 "org_admin": 216579624,                        # the vkid profile administers it on sferum.ru
                 "duplicate": {"phone": "+7…", "classes": ["10А"]}}]}

`vkid.code_channel` says how VK ID sends this person the code confirming the phone when no password is
typed first: "call" (the last four digits of the calling number) or "sms"; left out, the session's setting
`phone_code_channel` decides. A number with no VK ID account, and an account after its password, always
get an SMS, as seeds 003 and 004 show.

`journal.class` is the class a student is in or a teacher leads; `journal.classes`, a teacher's only, the
further classes the teacher teaches. The teacher's profile gets each class's chat, the led class's first,
as seed 001's teacher has «10А · Общая беседа» and «11А · Общая беседа», and sees each class's lessons.

`organisations[].kind` is "school" (default), "kindergarten" or "supplementary". `org_admin` attaches
the person's VK ID profile to that organisation as its administrator (role "admin"): it signs in to
the organisation's cabinet on sferum.ru. `duplicate` is a second VK ID account on another phone with
its own profile («профиль-дублёр»), in the person's name, attached to no organisation but let into the
class chats of the journal account's organisation by the chats' invitation links.

Where a value may be left out, null means the same. A client id and its redirect URIs must be exactly
what the relying party sends: surrounding spaces and control characters are refused, not trimmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .parse import SeedContext, parse_client, parse_seed, registered_client
from .schema import (
    ClientEntry,
    CreatedIds,
    DuplicateEntry,
    GosuslugiEntry,
    InvalidClient,
    JournalEntry,
    LessonEntry,
    MaxEntry,
    OrganisationEntry,
    ParsedSeed,
    PersonEntry,
    SeedDocument,
    SeedError,
    SeedResult,
    VkIdEntry,
)
from .store import store_seed

if TYPE_CHECKING:
    from ..session import Session


def apply_seed(session: Session, doc: object) -> SeedResult:
    """Check `doc` against the session, then store it: all or nothing."""
    return store_seed(session, parse_seed(doc, SeedContext.of(session)))


__all__ = [
    "ClientEntry",
    "CreatedIds",
    "DuplicateEntry",
    "GosuslugiEntry",
    "InvalidClient",
    "JournalEntry",
    "LessonEntry",
    "MaxEntry",
    "OrganisationEntry",
    "ParsedSeed",
    "PersonEntry",
    "SeedContext",
    "SeedDocument",
    "SeedError",
    "SeedResult",
    "VkIdEntry",
    "apply_seed",
    "parse_client",
    "parse_seed",
    "registered_client",
    "store_seed",
]
