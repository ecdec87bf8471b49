"""A control-plane request's JSON object, read within bounds: charset, nesting depth and size of numbers."""

from __future__ import annotations

import codecs
import json
import math
import re
from typing import Any

MAX_DEPTH = 32  # seeds nest four levels; deeper input would only reach the parser's recursion limit
MAX_DIGITS = 64  # Python refuses int() beyond 4 300 digits, and nothing here counts past 2**64 anyway
STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")


class UnreadableJson(ValueError):
    """The body is not a JSON object the control plane reads; the message says why."""


def _depth(text: str) -> int:
    """How deep arrays and objects nest, counted without parsing (so without recursion)."""
    deepest = depth = 0
    for bracket in BRACKETS.findall(STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


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


def parse(raw: bytes, charset: str | None) -> dict[str, Any]:
    """The body as a JSON object; UnreadableJson if it is not one, or exceeds the bounds above."""
    try:
        encoding = codecs.lookup(charset or "utf-8").name
    except LookupError:
        raise UnreadableJson(f"unknown charset {charset!r}") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableJson(f"the body is not {encoding} text") from None
    if _depth(text) > MAX_DEPTH:
        raise UnreadableJson(f"the body nests arrays and objects deeper than {MAX_DEPTH} levels")
    try:
        body = json.loads(text, parse_int=_integer, parse_float=_real, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise UnreadableJson(f"the body is not JSON: {error.msg}") from None
    if not isinstance(body, dict):
        raise UnreadableJson("the body must be a JSON object")
    return body
