"""One package per platform: routes (URL table), screens (one handler per screen), templates.

A package named after a platform of `hosts.PLATFORM_TABLE` is served on that platform's hosts; it exports
`ROUTES` and, when it signs users in with VK ID, `RELYING_PARTIES`.
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
