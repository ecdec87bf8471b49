"""The virtual clock keeps a year away from the calendar's ends, so nothing the world computes overflows."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

import pytest

from simulator.clock import LATEST, MSK, Clock, ClockError
from simulator.testing import SimSession, Simulator, SimulatorError
from simulator.world import Channel, World, outbox


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59+03:00", "9999-01-01T00:00:00", "0001-01-01T00:00:00"])
def test_a_time_at_the_calendars_ends_is_refused(at: str) -> None:
    clock = Clock()
    before = clock.now()
    with pytest.raises(ClockError, match="the clock keeps to the years"):
        clock.set(datetime.fromisoformat(at))
    assert clock.now() == before


def test_the_clock_does_not_advance_past_its_last_year() -> None:
    clock = Clock(LATEST - timedelta(days=1))
    with pytest.raises(ClockError, match="past the year 9998"):
        clock.advance(2 * 24 * 3600)
    with pytest.raises(ClockError, match="past the year"):
        clock.advance(10**12)  # beyond what timedelta holds
    assert clock.now() == LATEST - timedelta(days=1)


def test_on_the_last_day_a_code_is_sent_and_expires_within_the_calendar() -> None:
    session = World().get(None)
    session.clock.set(datetime(9998, 12, 30, 23, 0, tzinfo=MSK))
    confirmation = outbox.send_code(session, Channel.SMS, "+79991234567")
    assert confirmation.expires_at > session.clock.now()


@pytest.mark.parametrize(
    "clock",
    [{"now": "9999-12-31T23:59:59"}, {"now": "вчера"}, {"now": "2024-10-16T09:00:00", "running": "yes"}],
    ids=["year-9999", "not-a-date", "running-not-bool"],
)
def test_a_session_with_a_bad_clock_is_refused_and_not_created(sim: Simulator, clock: dict[str, object]) -> None:
    key = f"bad-clock-{zlib.crc32(repr(clock).encode())}"
    response = sim.http.post("/sessions", json={"key": key, "clock": clock})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameter"
    assert key not in sim.http.get("/sessions").json()["sessions"]


def test_a_session_starts_at_the_time_it_asks_for(sim: Simulator) -> None:
    response = sim.http.post("/sessions", json={"clock": {"now": "2025-09-01T08:30:00+03:00"}})
    assert response.status_code == 201
    assert response.json()["clock"]["now"] == "2025-09-01T08:30:00+03:00"
    sim.http.delete(f"/sessions/{response.json()['key']}")


def test_setting_the_clock_near_year_9999_is_refused(sim_session: SimSession) -> None:
    before = sim_session.snapshot()["clock"]
    with pytest.raises(SimulatorError, match="invalid_parameter: now: the clock keeps to the years"):
        sim_session.set_clock("9999-12-31T23:00:00+03:00")
    assert sim_session.snapshot()["clock"] == before
