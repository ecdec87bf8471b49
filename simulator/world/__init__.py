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
from .seed import SeedError, apply_seed
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
    "Role",
    "SeedError",
    "Session",
    "SferumProfile",
    "UnknownSession",
    "VkIdAccount",
    "World",
    "apply_seed",
]
