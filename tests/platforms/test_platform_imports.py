"""No platform imports another: each keeps its clients of the others in its own package.

Read from the source with `ast`, so an import inside a function or under TYPE_CHECKING counts as much as one
at the top; relative imports are resolved against the importing module's package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from simulator.hosts import PLATFORMS
from simulator.platforms import installed
from simulator.platforms.gosuslugi import esia
from simulator.platforms.max import link

PLATFORMS_DIR = Path(__file__).resolve().parent.parent.parent / "simulator" / "platforms"
PREFIX = "simulator.platforms."


def _module_name(path: Path) -> str:
    parts = path.relative_to(PLATFORMS_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `source` imports (as `module`), absolute: `from ..max import link` in
    simulator.platforms.mes.screens is simulator.platforms.max.link (and simulator.platforms.max)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def platform_of(module: str) -> str | None:
    """The platform package a module belongs to, if any."""
    if not module.startswith(PREFIX):
        return None
    name = module[len(PREFIX) :].partition(".")[0]
    return name if name in PLATFORMS else None


def foreign_imports(path: Path) -> list[str]:
    """The other platforms' modules a platform module imports."""
    module = _module_name(path)
    own = platform_of(module)
    imported = imported_modules(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    return sorted(name for name in imported if platform_of(name) not in (None, own))


def test_the_reader_finds_an_import_of_another_platform() -> None:
    """The check itself: relative, absolute and nested imports of another platform are seen, one's own are not."""
    module = "simulator.platforms.mes.screens"
    source = (
        "from ..max import link as max_link\n"
        "from . import passport\n"
        "from .. import relying_party\n"
        "def later():\n"
        "    import simulator.platforms.eljur.rules\n"
    )
    found = {name for name in imported_modules(source, module) if platform_of(name) not in (None, "mes")}
    assert found == {"simulator.platforms.max", "simulator.platforms.max.link", "simulator.platforms.eljur.rules"}


@pytest.mark.parametrize(
    "path", sorted(PLATFORMS_DIR.glob("*/**/*.py")), ids=lambda path: str(path.relative_to(PLATFORMS_DIR))
)
def test_no_platform_imports_another(path: Path) -> None:
    assert foreign_imports(path) == [], f"{path.relative_to(PLATFORMS_DIR)} imports another platform"


def test_every_platform_package_is_read() -> None:
    """The parametrised check above covers every installed platform's folder."""
    read = {path.relative_to(PLATFORMS_DIR).parts[0] for path in PLATFORMS_DIR.glob("*/**/*.py")}
    assert set(installed()) <= read


def test_the_clients_are_the_ones_their_packages_declare() -> None:
    """Госуслуги serves ЭлЖур's client and МАХ answers МЭШ's service, each declared by the client's own package."""
    assert {client_id: client.platform for client_id, client in esia.CLIENTS.items()} == {"eljur": "eljur"}
    assert {service_id: service.callback for service_id, service in link.SERVICES.items()} == {
        "mes": "/sferum/max/callback"
    }
