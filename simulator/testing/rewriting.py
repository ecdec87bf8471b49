"""pytest's assertion rewriting kept to the code whose `assert`s report a failure: the step library and tests.

pytest rewrites, on import, every module of every distribution that declares a pytest plugin: with this
plugin installed that is the whole simulator (server, world, platforms), Faker's providers, anyio (which
httpx imports) and platformdirs, none of which reports a failure through `assert`. Rewriting parses each module into an AST and compiles it again
at every run where bytecode is not cached ($PYTHONDONTWRITEBYTECODE, read-only installs, most CI images):
about a second of CPU before the first step. The step library (`steps`) and the user's own tests and
step modules stay rewritten, so their failed `assert`s still show both sides.

Relied on beyond pytest's documented API: `AssertionRewritingHook._must_rewrite`, the set of package
names marked for rewriting; tests/testing/test_rewriting.py names the pytest version when it goes.
"""

from __future__ import annotations

import sys
from typing import Final

# Imported by every run of the harness; their `assert`s are internal invariants, not test results. (respx stays
# rewritten: its `assert_all_called` reports through `assert`.) A plugin imported before this one — pytest loads
# them in the order the installed distributions are listed — has been rewritten already: see the README's
# options for a team's repository, which keep those plugins from loading at all.
UNREWRITTEN: Final = ("simulator", "faker", "anyio", "platformdirs")


def rewrite_only_checks() -> None:
    """Take UNREWRITTEN out of pytest's rewriting (a no-op outside pytest)."""
    for finder in sys.meta_path:
        marked = getattr(finder, "_must_rewrite", None)
        if type(finder).__name__ == "AssertionRewritingHook" and isinstance(marked, set):
            marked.difference_update(UNREWRITTEN)
