"""The world's shape: `Session` holds the tables and lookups, the rules live in one module per concern.

The imports are read from the source with `ast`, not from the modules themselves, so a rule that reaches
sideways into another concern fails here by name rather than as an import circle somewhere later.
"""

from __future__ import annotations

import ast
from pathlib import Path

from simulator.world import snapshot
from simulator.world.session import TABLES, Session, Tables

WORLD = Path(__file__).resolve().parent.parent.parent / "simulator" / "world"
# Each concern and the concerns below it that it may use: a journal link attaches the profile to its school
# (organisations), attaching builds the school's chats (chats), an invitation is sent (outbox), an online
# lesson's call is held in its class's chat (chats). Nothing else crosses.
BELOW = {
    "accounts": set(),
    "outbox": set(),
    "faults": set(),
    "chats": set(),
    "calls": {"chats"},
    "organisations": {"chats", "outbox"},
    "links": {"organisations", "chats"},
}


def world_imports(module: str) -> set[str]:
    """The modules of simulator/world/ that `module` imports (`from .x import …`, `from . import x`)."""
    tree = ast.parse((WORLD / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_each_rule_module_uses_the_session_and_only_the_concerns_below_it() -> None:
    concerns = set(BELOW)
    for module, allowed in BELOW.items():
        reached = world_imports(module) & concerns
        assert reached <= allowed, f"world/{module}.py imports {sorted(reached - allowed)} sideways"
        assert "session" in world_imports(module), f"world/{module}.py does not work on the session"


def test_the_session_module_knows_no_rule() -> None:
    assert world_imports("session") & set(BELOW) == set()


def test_every_rule_module_is_a_page_or_two() -> None:
    for module in [*BELOW, "session"]:
        lines = len((WORLD / f"{module}.py").read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"world/{module}.py has {lines} lines"


def test_a_session_holds_every_declared_table_empty_and_its_own() -> None:
    one, other = Session("one"), Session("other")
    declared = [t.name for t in TABLES]
    assert declared == list(Tables.__dataclass_fields__)
    for name in declared:
        assert getattr(one, name) in ({}, [])
        assert getattr(one, name) is not getattr(other, name), f"{name} is shared between sessions"


def test_the_snapshot_writes_every_declared_table() -> None:
    # A table added to `Tables` is in the snapshot without another list to update; one the snapshot does
    # not write would be lost on every save and restore.
    document = snapshot.dump(Session("s"))
    missing = [t.name for t in TABLES if t.name not in document]
    assert missing == []


def test_the_view_keeps_its_parts_and_their_order() -> None:
    # GET /_sim/v1/sessions/{key}'s parts, as the control plane has always answered them.
    expected = [
        "key", "seed", "clock", "organisations", "classes", "people", "journal_accounts", "vkid_accounts",
        "profiles", "links", "gosuslugi_accounts", "max_accounts", "lessons", "chats", "memberships",
        "chat_messages", "calls", "attachments", "invitations", "join_requests", "faults", "settings", "clients",
    ]  # fmt: skip
    assert list(Session("s").snapshot()) == expected
