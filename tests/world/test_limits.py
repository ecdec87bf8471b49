"""Bounded memory: browsers' server-side state expires, the event log keeps its newest entries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.world import Session, World
from simulator.world.session import BrowserStates, Limits


class WallClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_used_browser_goes_past_the_cap() -> None:
    states = BrowserStates(Limits(browsers=2), WallClock())
    states["a"] = {"n": 1}
    states["b"] = {"n": 2}
    assert states.get("a") == {"n": 1}  # a use: now "b" is the least recent
    states["c"] = {"n": 3}
    assert "b" not in states and "a" in states and "c" in states and len(states) == 2


def test_an_idle_browser_is_forgotten() -> None:
    clock = WallClock()
    states = BrowserStates(Limits(browser_idle=timedelta(hours=1)), clock)
    states["old"] = {}
    clock.now += 1800
    states["recent"] = {}
    clock.now += 1801
    assert states.get("old") is None and "old" not in states
    assert states.get("recent") == {}


def test_the_event_log_keeps_the_newest_and_ids_keep_counting() -> None:
    session = Session("s", limits=Limits(events=3))
    for n in range(5):
        session.record("tick", n=n)
    assert [e["id"] for e in session.events_after(0)] == [3, 4, 5]
    assert [e["id"] for e in session.events_after(3)] == [4, 5]
    assert session.events_after(5) == [] and session.events_after(99) == []
    session.record("tick", n=5)
    assert [e["n"] for e in session.events_after(4)] == [4, 5]


def test_the_worlds_limits_reach_every_session() -> None:
    world = World(limits=Limits(browsers=5, events=7))
    assert world.get("default").limits == world.create("other").limits == Limits(browsers=5, events=7)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Limits(events=0)


def test_events_after_an_id_beyond_any_kept_are_none() -> None:
    """`after` far past the last id (a client's guess, or 10**30) is an empty list, not an error."""
    session = Session("e")
    session.record("x")
    assert session.events_after(10**30) == [] and session.events_after(session.last_event_id) == []
    assert [e["id"] for e in session.events_after(0)] == [session.last_event_id]
