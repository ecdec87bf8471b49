"""simulator/codec.py: dataclasses to JSON and back by their type hints, every refusal naming its path."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Any, Literal

import pytest

from simulator.codec import Codec, CodecError, Rules, empty_is_none, encode, optional, rest


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Point:
    x: int
    y: float = 0.0


@dataclass
class Shape:
    name: str
    colour: Colour
    kind: Literal["circle", "square"]
    points: list[Point]
    made: datetime
    day: date
    closed: bool = False
    label: str | None = None
    tags: tuple[str, ...] = ()
    sizes: dict[str, int] = field(default_factory=dict)
    extra: Any = None
    note: str | None = field(default=None, metadata=optional())
    parent: Point | None = field(default=None, metadata=empty_is_none())


@dataclass
class Event:
    id: int
    details: dict[str, Any] = field(default_factory=dict, metadata=rest())


MOSCOW = timezone(timedelta(hours=3))
SHAPE = Shape(
    name="круг",
    colour=Colour.BLUE,
    kind="circle",
    points=[Point(1, 2.5), Point(3)],
    made=datetime(2024, 10, 16, 9, 0, tzinfo=MOSCOW),
    day=date(2024, 10, 16),
    tags=("a", "b"),
    sizes={"r": 4},
    extra={"free": [1, "two", None]},
)
# The same shape as JSON text, written by hand: what the codec must write and read.
SHAPE_JSON = """{"name": "круг", "colour": "blue", "kind": "circle", "points": [{"x": 1, "y": 2.5}, {"x": 3, "y": 0.0}],
 "made": "2024-10-16T09:00:00+03:00", "day": "2024-10-16", "closed": false, "label": null, "tags": ["a", "b"],
 "sizes": {"r": 4}, "extra": {"free": [1, "two", null]}, "parent": {}}"""

# A shape has 12 members: the most a strict document's object may have.
STRICT = Codec(Rules(string_max=10, items_max=12, free_depth=2, schema="the test schema"))
LENIENT = Codec(Rules(refuse_unknown=False, defaults_fill_absent=False))


def test_a_record_is_written_as_the_hand_written_json() -> None:
    assert encode(SHAPE) == json.loads(SHAPE_JSON)


def test_the_json_reads_back_into_the_same_record() -> None:
    assert Codec().decode(Shape, json.loads(SHAPE_JSON)) == SHAPE


def test_optional_and_empty_fields_when_present() -> None:
    shape = Codec().decode(Shape, {**json.loads(SHAPE_JSON), "note": "n", "parent": {"x": 5}})
    assert (shape.note, shape.parent) == ("n", Point(5))
    assert encode(shape)["note"] == "n" and encode(shape)["parent"] == {"x": 5, "y": 0.0}


def test_rest_members_sit_flat_beside_the_fields() -> None:
    event = Codec().decode(Event, {"id": 1, "method": "GET", "status": 200})
    assert event == Event(1, {"method": "GET", "status": 200})
    assert encode(event) == {"id": 1, "method": "GET", "status": 200}


def test_defaults_fill_absent_fields_unless_the_rules_say_otherwise() -> None:
    data = json.loads(SHAPE_JSON)
    for name in ("closed", "label", "tags", "sizes", "extra", "parent"):
        del data[name]
    assert Codec().decode(Shape, data).closed is False
    with pytest.raises(CodecError, match=r"^closed: missing$"):
        LENIENT.decode(Shape, data)
    assert LENIENT.decode(Point, {"x": 1, "y": 2}) == Point(1, 2)


def test_an_optional_field_may_be_absent_under_any_rules() -> None:
    data = json.loads(SHAPE_JSON)
    assert "note" not in data
    assert LENIENT.decode(Shape, data).note is None


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d.pop("name"), "name: missing"),
        (lambda d: d.update(name=5), "name: must be a string"),
        (lambda d: d.update(colour="green"), "colour: 'green' is not one of red, blue"),
        (lambda d: d.update(kind="oval"), "kind: 'oval' is not one of circle, square"),
        (lambda d: d.update(points={}), "points: must be an array"),
        (lambda d: d["points"][1].update(x=True), r"points\[1\].x: must be an integer"),
        (lambda d: d["points"][0].update(y="1"), r"points\[0\].y: must be a number"),
        (lambda d: d.update(made="2024-10-16T09:00:00"), "made: must be an ISO 8601 date-time with its UTC offset"),
        (lambda d: d.update(made="вчера"), "made: must be an ISO 8601 date-time with its UTC offset"),
        (lambda d: d.update(day="16.10.2024"), "day: must be an ISO 8601 date"),
        (lambda d: d.update(closed=1), "closed: must be true or false"),
        (lambda d: d.update(sizes={"r": "4"}), "sizes.r: must be an integer"),
        (lambda d: d.update(tags="ab"), "tags: must be an array"),
        (lambda d: d["points"][0].update(z=1), r"points\[0\].z: not a field of this schema"),
    ],
)
def test_a_wrong_value_is_refused_by_its_path(change: Any, complaint: str) -> None:
    data = json.loads(SHAPE_JSON)
    change(data)
    with pytest.raises(CodecError, match=f"^{complaint}$"):
        Codec().decode(Shape, data)


def test_unknown_members_are_skipped_when_the_rules_allow() -> None:
    assert LENIENT.decode(Point, {"x": 1, "y": 2, "z": 3}) == Point(1, 2)


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ({"name": "ten chars!!!"}, "name: longer than 10 characters"),
        ({"extra": list(range(13))}, "extra: more than 12 items"),
        ({"sizes": {str(n): n for n in range(13)}}, "sizes: more than 12 members"),
        ({"size": 1}, "more than 12 members"),
        ({"extra": [[["deep"]]]}, r"extra\[0\]\[0\]\[0\]: nested deeper than 2 levels"),
        ({"extra": {"k": "much too long"}}, "extra.k: longer than 10 characters"),
        ({"size": 1, "parent": None}, "size: not a field of the test schema"),
    ],
)
def test_the_limits_of_the_rules(value: dict[str, Any], complaint: str) -> None:
    data = {**json.loads(SHAPE_JSON), **value}
    if value.get("parent", {}) is None:
        del data["parent"]
    with pytest.raises(CodecError, match=f"^{complaint}$"):
        STRICT.decode(Shape, data)


def test_a_field_may_be_allowed_longer_strings() -> None:
    codec = Codec(Rules(string_max=2, long_strings={(Shape, "name"): 5}))
    data = {**json.loads(SHAPE_JSON), "name": "круги", "extra": None}
    assert codec.decode(Shape, data).name == "круги"
    with pytest.raises(CodecError, match=r"^label: longer than 2 characters$"):
        codec.decode(Shape, {**data, "label": "круги"})


def test_the_rules_name_their_own_error() -> None:
    class MineError(ValueError):
        pass

    with pytest.raises(MineError, match=r"^x: must be an integer$"):
        Codec(Rules(error=MineError)).decode(Point, {"x": "1"})


def test_a_hint_the_codec_cannot_read_is_a_programming_error() -> None:
    @dataclass
    class Either:
        value: int | str

    with pytest.raises(TypeError, match=r"X \| None"):
        Codec().decode(Either, {"value": 1})
