"""The virtual clock keeps a year away from the calendar's ends, so nothing the world computes overflows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from simulator.clock import LATEST, MSK, Clock, ClockError
from simulator.world import Channel, World


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
    confirmation = session.send_code(Channel.SMS, "+79991234567")
    assert confirmation.expires_at > session.clock.now()
