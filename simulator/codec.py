"""Dataclasses as JSON and back, by their type hints: one codec for every record the simulator writes and reads.

`encode(record)` gives the JSON value; `Codec(rules).decode(Record, value)` checks a JSON value against the
record's type hints and builds it, or raises an error naming the path at fault ("tests[0].steps[2].line: must
be an integer"). What a document may hold differs by where it comes from, and is said in `Rules`: a snapshot
from a stranger's PUT refuses unknown fields and long strings, a report's results.json skips fields a newer
version added.

A field's `metadata` may say how it travels (see `optional`, `rest`, `empty_is_none`); everything else is read
from the hints: str, int, float, bool, Literal, Enum, date, zone-aware datetime, list, tuple, dict with
string keys, `X | None`, nested dataclasses, and `Any` (any JSON value, within the limits).

Reading is planned once per class (resolving string annotations is the costly part: a session of 10 000
people holds 10 000 of each entity), so a document is walked by small closures, not by hints.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, NoReturn, TypeAlias, TypeVar

T = TypeVar("T")
# A JSON value as `json.loads` gives it: its shape is checked by whoever reads it.
Json: TypeAlias = Any
Decoder: TypeAlias = Callable[[object, str], object]

META = "sferum_sim.codec"


class CodecError(ValueError):
    """A JSON value that is not the record it should be; the message starts with the path at fault."""


# -- how a field travels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRule:
    omit_none: bool = False  # left out when None, so older readers see the shape they know; may be absent
    rest: bool = False  # a dict holding every member no other field names, flat beside them
    empty_is_none: bool = False  # None is written as {} and {} read as None: a shape kept from older files


def optional() -> dict[str, FieldRule]:
    """A field written only when it is not None, and read as None when absent: one newer files add."""
    return {META: FieldRule(omit_none=True)}


def rest() -> dict[str, FieldRule]:
    """A dict field whose members sit flat beside the record's other fields (the event log's details)."""
    return {META: FieldRule(rest=True)}


def empty_is_none() -> dict[str, FieldRule]:
    """An optional record written as {} rather than null."""
    return {META: FieldRule(empty_is_none=True)}


def _rule(f: dataclasses.Field[Any]) -> FieldRule:
    rule = f.metadata.get(META)
    return rule if isinstance(rule, FieldRule) else FieldRule()


# -- writing --------------------------------------------------------------------------------------------


def encode(value: object) -> Json:
    """A dataclass (and what it holds) as JSON values: dates in ISO 8601, enums by their value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Json] = {}
        for f in dataclasses.fields(value):
            item, rule = getattr(value, f.name), _rule(f)
            if rule.rest:
                data.update((str(k), encode(v)) for k, v in item.items())
            elif item is None and rule.omit_none:
                continue
            elif item is None and rule.empty_is_none:
                data[f.name] = {}
            else:
                data[f.name] = encode(item)
        return data
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


# -- reading --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What a document may hold, by where it comes from."""

    error: type[ValueError] = CodecError  # raised with the path and the problem
    refuse_unknown: bool = True  # a member no field names is refused (else skipped)
    defaults_fill_absent: bool = True  # a field with a default may be left out (else it must be there)
    schema: str = "this schema"  # named when an unknown member is refused
    string_max: int | None = None
    # Fields whose strings may be longer than `string_max`: (class, field name) → their longest.
    long_strings: Mapping[tuple[type[Any], str], int] = field(default_factory=dict)
    items_max: int | None = None  # members of one object, items of one array
    free_depth: int = 16  # nesting of a value typed `Any`


@dataclass(frozen=True)
class FieldPlan:
    name: str
    decode: Decoder
    required: bool
    rule: FieldRule


_HINTS: dict[type[Any], tuple[tuple[str, Any, bool], ...]] = {}


def entity_fields(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """Each field of a dataclass: its name, its resolved type, whether it has no default. Resolved once a class."""
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = tuple(
            (f.name, hints[f.name], f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in dataclasses.fields(cls)
        )
    return _HINTS[cls]


class Codec:
    """Reads JSON values into dataclasses under one set of `Rules`."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()
        self._plans: dict[type[Any], tuple[tuple[FieldPlan, ...], frozenset[str], str | None]] = {}

    def decode(self, cls: type[T], value: object, path: str = "") -> T:
        """`value` as a `cls`, every field checked against its type hint; the error names the path at fault."""
        return typing.cast(T, self._decoder(cls)(value, path))

    def value(self, kind: type[T], value: object, path: str) -> T:
        """One scalar (or any hinted value) of `kind`, checked."""
        return typing.cast(T, self._decoder(kind)(value, path))

    def fail(self, path: str, problem: str) -> NoReturn:
        raise self.rules.error(f"{path}: {problem}" if path else problem)

    def wrong(self, path: str, expected: str) -> NoReturn:
        self.fail(path, f"must be {expected}")

    # -- the shapes ---------------------------------------------------------------------------------

    def members(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.wrong(path, "an object")
        limit = self.rules.items_max
        if limit is not None and len(value) > limit:
            self.fail(path, f"more than {limit} members")
        return value

    def items(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.wrong(path, "an array")
        limit = self.rules.items_max
        if limit is not None and len(value) > limit:
            self.fail(path, f"more than {limit} items")
        return value

    def string(self, value: object, path: str, longest: int | None = None) -> str:
        if type(value) is not str:
            self.wrong(path, "a string")
        limit = longest if longest is not None else self.rules.string_max
        if limit is not None and len(value) > limit:
            self.fail(path, f"longer than {limit} characters")
        return value

    def only(self, data: Mapping[str, object], known: frozenset[str] | set[str], path: str) -> None:
        """Every member of `data` is one of `known` (when the rules refuse unknown members)."""
        if self.rules.refuse_unknown and not known.issuperset(data):
            unknown = sorted(set(data) - known)
            self.fail(_join(path, unknown[0][:40]), f"not a field of {self.rules.schema}")

    def free(self, value: object, path: str) -> object:
        """A value of no fixed shape within the limits, walked without recursion (a file's nesting is unbounded)."""
        stack: list[tuple[object, str, int]] = [(value, path, 0)]
        while stack:
            item, where, depth = stack.pop()
            if depth > self.rules.free_depth:
                self.fail(where, f"nested deeper than {self.rules.free_depth} levels")
            if isinstance(item, str):
                self.string(item, where)
            elif isinstance(item, dict):
                members = self.members(item, where).items()
                stack.extend((v, _join(where, self.string(k, where)[:40]), depth + 1) for k, v in members)
            elif isinstance(item, list):
                stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(self.items(item, where)))
        return value

    # -- planning -----------------------------------------------------------------------------------

    def _decoder(self, hint: Any, longest: int | None = None) -> Decoder:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if len(inner) != 1:
                raise TypeError(f"the codec reads `X | None` only, not {hint!r}")
            decode_inner = self._decoder(inner[0], longest)
            return lambda value, path: None if value is None else decode_inner(value, path)
        if origin is list or origin is tuple:
            item = self._decoder(args[0])
            if origin is list:
                return lambda value, path: [item(v, f"{path}[{i}]") for i, v in enumerate(self.items(value, path))]
            return lambda value, path: tuple(item(v, f"{path}[{i}]") for i, v in enumerate(self.items(value, path)))
        if origin is dict:
            member = self._decoder(args[1])
            return lambda value, path: {
                self.string(k, path): member(v, _join(path, k)) for k, v in self.members(value, path).items()
            }
        if origin is Literal:
            return self._choice(args)
        if hint is Any:
            return self.free
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return lambda value, path: self._entity(hint, value, path)
        if hint is str:
            return lambda value, path: self.string(value, path, longest)
        if isinstance(hint, type):
            return self._scalar(hint)
        raise TypeError(f"the codec cannot read {hint!r}")

    def _choice(self, allowed: tuple[object, ...]) -> Decoder:
        def choice(value: object, path: str) -> object:
            if value not in allowed or type(value) is not type(allowed[0]):
                self.fail(path, f"{str(value)[:40]!r} is not one of {', '.join(map(str, allowed))}")
            return value

        return choice

    def _scalar(self, kind: type[Any]) -> Decoder:
        if issubclass(kind, Enum):
            allowed = ", ".join(str(m.value) for m in kind)

            def member(value: object, path: str) -> object:
                try:
                    return kind(value)
                except ValueError:
                    self.fail(path, f"{str(value)[:40]!r} is not one of {allowed}")

            return member
        if kind is datetime:
            return self._moment
        if kind is date:
            return self._day
        if kind is float:
            return lambda value, path: value if type(value) in (int, float) else self.wrong(path, "a number")
        names = {int: "an integer", bool: "true or false"}
        if kind in names:
            name = names[kind]
            return lambda value, path: value if type(value) is kind else self.wrong(path, name)
        raise TypeError(f"the codec cannot read a {kind!r}")

    def _moment(self, value: object, path: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.wrong(path, "an ISO 8601 date-time with its UTC offset")
        return moment

    def _day(self, value: object, path: str) -> date:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            self.wrong(path, "an ISO 8601 date")
        return day

    def _plan(self, cls: type[Any]) -> tuple[tuple[FieldPlan, ...], frozenset[str], str | None]:
        if cls not in self._plans:
            rules = {f.name: _rule(f) for f in dataclasses.fields(cls)}
            plans = []
            for name, hint, no_default in entity_fields(cls):
                longest = self.rules.long_strings.get((cls, name))
                rule = rules[name]
                required = (no_default or not self.rules.defaults_fill_absent) and not rule.omit_none
                plans.append(FieldPlan(name, self._decoder(hint, longest), required and not rule.rest, rule))
            rest = next((plan.name for plan in plans if plan.rule.rest), None)
            known = frozenset(plan.name for plan in plans if not plan.rule.rest)
            self._plans[cls] = (tuple(plans), known, rest)
        return self._plans[cls]

    def _entity(self, cls: type[T], value: object, path: str) -> T:
        data = self.members(value, path)
        plans, known, rest = self._plan(cls)
        if rest is None:
            self.only(data, known, path)
        kwargs: dict[str, Any] = {}
        for plan in plans:
            name = plan.name
            if plan.rule.rest:
                kwargs[name] = {k: self.free(v, _join(path, k)) for k, v in data.items() if k not in known}
            elif name in data:
                item = data[name]
                if plan.rule.empty_is_none and item == {}:
                    kwargs[name] = None
                else:
                    kwargs[name] = plan.decode(item, _join(path, name))
            elif plan.required:
                self.fail(_join(path, name), "missing")
        return cls(**kwargs)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
