"""Virtual time: code expiry, resend countdowns and weekly statistics all read this clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

from .errors import DomainError

MSK = timezone(timedelta(hours=3), "MSK")
# Sessions start at a fixed instant so every run computes the same dates and countdowns.
DEFAULT_START = datetime(2024, 10, 16, 9, 0, tzinfo=MSK)
# The world looks up to a year ahead (token lifetimes) and back (weekly statistics, ages): the
# clock keeps a year away from the ends of the calendar so no date the world computes overflows.
EARLIEST = datetime(2, 1, 1, tzinfo=MSK)
LATEST = datetime(9998, 12, 31, tzinfo=MSK)


class ClockError(DomainError, ValueError):
    """A time the clock cannot show; the message says why."""


def within_calendar(start: datetime) -> datetime:
    """`start` as the clock would keep it (Moscow time when naive), or ClockError."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=MSK)
    if not EARLIEST <= start <= LATEST:
        raise ClockError(f"the clock keeps to the years {EARLIEST.year} to {LATEST.year}")
    return start


class Clock:
    """Frozen by default (advances only when told); `running` follows wall time from `start`.

    A clock is kept (`to_snapshot`) as its base — what it read at one wall-clock instant — and whether it
    runs, never as its reading: a running clock that nobody touches is then saved once, not every second.
    """

    def __init__(self, start: datetime = DEFAULT_START, *, running: bool = False) -> None:
        self.set(start, running=running)

    @classmethod
    def resumed(cls, base: datetime, since: datetime, *, running: bool) -> Clock:
        """A clock that read `base` at the wall-clock instant `since`: a running one has gone on since then."""
        clock = cls(base, running=running)
        if since.tzinfo is None:
            raise ClockError("since must carry its UTC offset")
        # A wall clock set back since then must not move the virtual one back: it resumes from `base`.
        elapsed = max(0.0, time.time() - since.timestamp())
        clock._wall_start -= elapsed
        clock._wall_epoch = since.timestamp()
        return clock

    def set(self, start: datetime, *, running: bool = False) -> None:
        self._start = within_calendar(start)
        self._offset = timedelta()
        self.running = running
        self._wall_start = time.monotonic()  # elapsed time is measured on the monotonic clock …
        self._wall_epoch = time.time()  # … and the same instant on the wall clock is what a snapshot keeps

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._wall_start) if self.running else timedelta()
        return self._start + self._offset + elapsed

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ClockError("the clock only moves forward")
        try:
            offset = self._offset + timedelta(seconds=seconds)
            if self._start + offset > LATEST:
                raise OverflowError
        except OverflowError:
            raise ClockError(f"that would move the clock past the year {LATEST.year}") from None
        self._offset = offset
        return self.now()

    def to_json(self) -> dict[str, object]:
        return {"now": self.now().isoformat(), "running": self.running}

    def to_snapshot(self) -> dict[str, object]:
        """The base (`now` as read at the wall-clock instant `since`) and the rate: unchanged until someone
        sets or advances the clock, however long it runs."""
        since = datetime.fromtimestamp(self._wall_epoch, UTC).isoformat()
        return {"now": (self._start + self._offset).isoformat(), "running": self.running, "since": since}
