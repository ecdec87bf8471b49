"""A run's process ends without CPython's last garbage collection of everything the run imported and built.

At exit CPython clears its modules and then collects the reference cycles left. With the simulator, Playwright
and the step library loaded (~1 300 modules, ~140 000 objects the collector tracks) that one collection takes
0.15–0.25 s of every run, after its last test (measured on `pytest features -m F06`, the team's repository of
`bench/runners`). Freezing the heap at exit moves those objects out of the collector's reach, and the operating
system frees the process's memory as it does anyway.

Only at the interpreter's exit (an atexit handler): a program that calls pytest.main and goes on keeps its
collector. Handlers registered before it (logging's flush, coverage's save, weakref finalizers) still run after it.
"""

from __future__ import annotations

import atexit
import gc

_registered = False


def skip_last_collection_at_exit() -> None:
    """Freeze the heap when the interpreter exits; once a process, however many runs it holds."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
