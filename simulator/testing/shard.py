"""`--shard=i/n`: this CI machine runs every n-th test, the same ones on every run."""

from __future__ import annotations

import re

import pytest


def parse(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)/(\d+)", value.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise pytest.UsageError(f"--shard wants i/n with 1 ≤ i ≤ n, e.g. 1/2; got {value!r}")
    return int(match[1]), int(match[2])


@pytest.hookimpl(trylast=True)  # after -m and -k deselected theirs: shards split what is left
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    value = config.getoption("--shard")
    if not value:
        return
    index, count = parse(value)
    # Round robin over tests sorted by id: balanced, and independent of file-system order.
    ordered = sorted(items, key=lambda item: item.nodeid)
    mine = {item.nodeid for item in ordered[index - 1 :: count]}
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in mine])
    items[:] = [item for item in items if item.nodeid in mine]
