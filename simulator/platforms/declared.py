"""What platform packages declare for one another: the clients one platform keeps of another.

A platform never imports another. A service names its own clients in its package (`ESIA_CLIENTS` for
Госуслуги, `MAX_SERVICES` for МАХ, `RELYING_PARTIES` for VK ID), and the platform serving them reads the
declarations of every installed package through `Declared`, on first use — by then every package is
imported, whatever the order of their imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Generic, TypeVar

Client = TypeVar("Client")


class Declared(Mapping[str, Client], Generic[Client]):
    """The objects every installed platform package lists under `attribute`, by `key`."""

    def __init__(self, attribute: str, key: Callable[[Client], str]) -> None:
        self.attribute = attribute
        self.key = key

    @cached_property
    def _by_key(self) -> dict[str, Client]:
        from . import installed  # the packages import this module: read them only once they all exist

        found: dict[str, Client] = {}
        for name, package in installed().items():
            for client in getattr(package, self.attribute, ()):
                if self.key(client) in found:
                    raise ValueError(f"{name}: a second {self.attribute} entry {self.key(client)!r}")
                found[self.key(client)] = client
        return found

    def __getitem__(self, key: str) -> Client:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)
