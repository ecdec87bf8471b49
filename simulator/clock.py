"""Virtual time: code expiry, resend countdowns and weekly statistics all read this clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

MSK = timezone(timedelta(hours=3), "MSK")
# Sessions start at a fixed instant so every run computes the same dates and countdowns.
DEFAULT_START = datetime(2024, 10, 16, 9, 0, tzinfo=MSK)


class Clock:
    """Frozen by default (advances only when told); `running` follows wall time from `start`."""

    def __init__(self, start: datetime = DEFAULT_START, *, running: bool = False) -> None:
        self.set(start, running=running)

    def set(self, start: datetime, *, running: bool = False) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=MSK)
        self._start = start
        self._offset = timedelta()
        self.running = running
        self._wall_start = time.monotonic()

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._wall_start) if self.running else timedelta()
        return self._start + self._offset + elapsed

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        try:
            offset = self._offset + timedelta(seconds=seconds)
            self._start + offset  # stays within the calendar
        except OverflowError:
            raise ValueError("that would move the clock past the year 9999") from None
        self._offset = offset
        return self.now()

    def to_json(self) -> dict[str, object]:
        return {"now": self.now().isoformat(), "running": self.running}
