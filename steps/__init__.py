"""The Russian step library: one module a platform, every one a pytest plugin.

A project enables it all with one line in its conftest.py: `pytest_plugins = ["sferum_sim_steps"]`.
"""

from __future__ import annotations

import pkgutil

# Step definitions are found only in plugins, so each module is one. The ones other modules import come
# first: pytest registers them before the import would make a second, unregistered copy.
SHARED = ["failures", "common", "vkid"]
MODULES = [*SHARED, *sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in SHARED)]
pytest_plugins = [f"{__name__}.{name}" for name in MODULES]
