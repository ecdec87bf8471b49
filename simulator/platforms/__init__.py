"""One package per platform: routes (URL table), screens (one handler per screen), templates.

A package named after a platform of `hosts.PLATFORM_TABLE` is served on that platform's hosts; it exports
`ROUTES` and the clients it keeps of other platforms: `RELYING_PARTIES` when it signs users in with VK ID,
`ESIA_CLIENTS` with Госуслуги, `MAX_SERVICES` when it links profiles in МАХ. No platform imports another
(tests/platforms/test_platform_imports.py): the code both sides share lives beside the packages (`relying_party.py`,
`esia_client.py`, `max_client.py`), and a platform serving clients reads the declarations (`declared.py`).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..hosts import PLATFORMS


def installed() -> dict[str, ModuleType]:
    """The platform packages present, in the order of the platform table."""
    here = Path(__file__).parent
    return {
        name: importlib.import_module(f"{__name__}.{name}")
        for name in PLATFORMS
        if (here / name / "__init__.py").is_file()
    }
