"""Which scenarios the trainer runs: the selected features and scenarios, each once.

A selected .feature file no test module of the project binds (a recorded one, a feature anywhere) is
collected as a module of its own (FeatureModule), beside the project's conftest.py files, so the library's
and the team's steps apply; a feature the project binds runs through the project's module.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from ..testing import bdd


class FeatureModule(pytest.Module):
    """A .feature file as a test module: its scenarios bound as `scenarios(path)` in a module would."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(f"sferum_trainer_{self.path.stem}")
        module.__file__ = str(self.path)
        bdd.bind_scenarios(module, str(self.path), str(self.path.parent))
        return module


def within(path: Path, selected: list[Path]) -> bool:
    """Whether `path` is one of the selected files or inside one of the selected folders (none: all are)."""
    return not selected or any(path == f or f in path.parents for f in selected)


def feature_module(file_path: Path, parent: pytest.Collector) -> FeatureModule | None:
    """A selected .feature file as a module of its own, when the trainer runs."""
    if file_path.suffix != ".feature" or not parent.config.getoption("--trainer"):
        return None
    selected = [Path(f).resolve() for f in parent.config.getoption("--trainer-feature")]
    if not within(file_path.resolve(), selected):
        return None
    return FeatureModule.from_parent(parent, path=file_path)


def feature_file(item: pytest.Item) -> Path | None:
    template = bdd.template_of(item)
    return Path(template.feature.filename).resolve() if template is not None else None


def bound_once(items: list[pytest.Item]) -> list[pytest.Item]:
    """The project's own module runs a feature it binds; the trainer's FeatureModule only the others."""
    bound = {
        feature
        for item in items
        if not isinstance(item.parent, FeatureModule) and (feature := feature_file(item)) is not None
    }
    return [item for item in items if not (isinstance(item.parent, FeatureModule) and feature_file(item) in bound)]


def wanted(item: pytest.Item, features: list[Path], scenario: str | None) -> bool:
    """A scenario of the selected features whose name contains `scenario`, or tagged with it (E02, @E02)."""
    template = bdd.template_of(item)
    if template is None or not within(Path(template.feature.filename).resolve(), features):
        return False
    if not scenario:
        return True
    names = {template.name.casefold(), template.render(bdd.example_of(item)).name.casefold()}
    tags = {t.casefold() for t in template.tags | template.feature.tags}
    sought = scenario.casefold().lstrip("@")
    return sought in tags or any(sought in name for name in names)


def select(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the wanted scenarios of `items`, in place; the rest are reported deselected."""
    features = [Path(f).resolve() for f in config.getoption("--trainer-feature")]
    scenario = config.getoption("--trainer-scenario")
    keep = [item for item in bound_once(items) if wanted(item, features, scenario)]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
