"""The shared world model behind every platform.

`session.Session` holds one test session's tables (declared once, in `session.Tables`), its event log and
the lookups over them. The rules that change them take the session, one module per concern: `accounts`,
`links`, `organisations`, `chats` (with `calls`), `outbox` and `faults`; a concern uses only those below it
(tests/world/test_world_layers.py).
"""

from .models import (
    Channel,
    Journal,
    JournalAccount,
    Link,
    Organisation,
    Person,
    Role,
    SferumProfile,
    VkIdAccount,
)
from .seed import PersonEntry, SeedDocument, SeedError, apply_seed, parse_client
from .session import Session
from .world import DEFAULT, UnknownSession, World

__all__ = [
    "DEFAULT",
    "Channel",
    "Journal",
    "JournalAccount",
    "Link",
    "Organisation",
    "Person",
    "PersonEntry",
    "Role",
    "SeedDocument",
    "SeedError",
    "Session",
    "SferumProfile",
    "UnknownSession",
    "VkIdAccount",
    "World",
    "apply_seed",
    "parse_client",
]
