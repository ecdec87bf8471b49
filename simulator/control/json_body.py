"""A control-plane request's JSON object, read within bounds: charset, nesting depth, size of numbers and, for
the large bodies (snapshots), how many values it holds — so what a body costs in memory is bounded by its size.

Nothing here scans the text with a backtracking pattern: a pattern over JSON strings keeps state per character
(a 2 MB string cost 280 MiB) and is quadratic on unterminated ones. The C parser reads the text once; nesting
is measured on what it built, and nesting too deep for it (Python's recursion limit) is refused the same way.
"""

from __future__ import annotations

import codecs
import functools
import json
import math
from typing import Any

MAX_DEPTH = 32  # seeds nest four levels, snapshots six
MAX_DIGITS = 64  # Python refuses int() beyond 4 300 digits, and nothing here counts past 2**64 anyway
# A body's values are bounded by its separators: every value of an array or object but the first follows a
# comma, and each array and object opens with a bracket. Counted in the raw bytes before parsing — at C speed,
# with no memory — so commas and brackets inside strings count too, which only makes the bound safer. A
# parsed value costs 30-80 bytes however short its text (`[],` is three bytes and a 56-byte list), so it is
# this count, not the body's size, that bounds what parsing a body of many tiny values builds.
VALUES_MAX = 4_000_000


class UnreadableJson(ValueError):
    """The body is not a JSON object the control plane reads; the message says why."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise UnreadableJson(f"a number has more than {MAX_DIGITS} digits")
    return int(text)


def _real(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise UnreadableJson(f"the number {text[:20]}… is too large")
    return number


def _constant(name: str) -> float:
    raise UnreadableJson(f"{name} is not a JSON number")


def values_at_most(raw: bytes | bytearray) -> int:
    """An upper bound of the JSON values in `raw`, from its separators (see VALUES_MAX)."""
    return raw.count(b",") + raw.count(b"[") + raw.count(b"{") + 1


def depth(value: object) -> int:
    """How deep arrays and objects nest in a parsed value, walked without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _too_deep() -> UnreadableJson:
    return UnreadableJson(f"the body nests arrays and objects deeper than {MAX_DEPTH} levels")


def parse(raw: bytes | bytearray, charset: str | None, *, max_values: int | None = None) -> dict[str, Any]:
    """The body as a JSON object; UnreadableJson if it is not one, or exceeds the bounds above.

    A bytearray is emptied once decoded, so a large body is not held twice while it is parsed.
    """
    if max_values is not None and values_at_most(raw) > max_values:
        raise UnreadableJson(f"the body holds more than {max_values} values")
    try:
        encoding = codecs.lookup(charset or "utf-8").name
    except LookupError:
        raise UnreadableJson(f"unknown charset {charset!r}") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableJson(f"the body is not {encoding} text") from None
    if isinstance(raw, bytearray):
        raw.clear()
    try:
        body = json.loads(text, parse_int=_integer, parse_float=_real, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise UnreadableJson(f"the body is not JSON: {error.msg}") from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(body, dict):
        raise UnreadableJson("the body must be a JSON object")
    if depth(body) > MAX_DEPTH:
        raise _too_deep()
    return body


def encode_in_pieces(document: dict[str, Any], size: int) -> list[bytes]:
    """`document` as compact JSON, UTF-8, in pieces of about `size` bytes (one large value may exceed it).

    Encoded member by member and array item by item, so no single call holds the interpreter for long
    (another thread, e.g. the server's loop, runs between them) and no string of the whole exists.
    """
    dumps = functools.partial(json.dumps, separators=(",", ":"))
    pieces: list[bytes] = []
    pending: list[str] = []
    pending_size = 0

    def add(text: str) -> None:
        nonlocal pending_size
        pending.append(text)
        pending_size += len(text)
        if pending_size >= size:
            pieces.append("".join(pending).encode())
            pending.clear()
            pending_size = 0

    add("{")
    for index, (name, value) in enumerate(document.items()):
        add(("," if index else "") + dumps(name) + ":")
        if isinstance(value, list):
            add("[")
            for position, item in enumerate(value):
                add(("," if position else "") + dumps(item))
            add("]")
        else:
            add(dumps(value))
    add("}")
    pieces.append("".join(pending).encode())
    return pieces
