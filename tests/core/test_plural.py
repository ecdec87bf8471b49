"""Russian plural forms of counted nouns, as the chat lists print them."""

import pytest

from simulator.plural import MEMBERS, SUBSCRIBERS, count, plural


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 подписчиков"),
        (1, "1 подписчик"),
        (2, "2 подписчика"),
        (4, "4 подписчика"),
        (5, "5 подписчиков"),
        (11, "11 подписчиков"),
        (12, "12 подписчиков"),
        (14, "14 подписчиков"),
        (21, "21 подписчик"),
        (34, "34 подписчика"),
        (111, "111 подписчиков"),
        (112, "112 подписчиков"),
        (251, "251 подписчик"),
        (1004, "1004 подписчика"),
    ],
)
def test_subscribers(n: int, expected: str) -> None:
    assert count(n, SUBSCRIBERS) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "участник"), (3, "участника"), (15, "участников"), (20, "участников"), (24, "участника"), (37, "участников")],
)
def test_members(n: int, expected: str) -> None:
    assert plural(n, MEMBERS) == expected
