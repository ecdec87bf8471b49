"""The shared world model behind every platform."""

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
