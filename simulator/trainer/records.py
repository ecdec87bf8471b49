"""What the trainer writes of a scenario for its guide: `<NNN>.json` in `--trainer-out`, read by guide.py.

The Gherkin of a scenario is the reporting's own records (reporting/records.py: FeatureRecord, ScenarioRecord,
StepRecord, as the evidence plugin makes them); a guide's records add what a handout shows — step numbers,
captions, the picture of each step and the text on it, who signs in — and are written by the same codec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..testing.reporting.records import FeatureRecord, JsonRecord, ScenarioRecord, StepRecord

StepKind = Literal["action", "check"]  # a «Когда» step acts; any other that is not a precondition checks
Persona = dict[str, str]  # the fields of a person a guide lists: role, full_name, login, password, …


def sentence(step: StepRecord) -> str:
    """The step as a sentence: «учитель нажимает …» → «Учитель нажимает …»."""
    return step.name[:1].upper() + step.name[1:]


def caption(number: int, step: StepRecord) -> str:
    return f"Шаг {number}. {sentence(step)}"


@dataclass(frozen=True)
class Shot:
    """A step's picture: the file in `--trainer-out`, the page's visible text and what the overlay showed."""

    screenshot: str
    page_text: str
    title: str
    url: str
    overlay: dict[str, Any]
    outlined: list[str]  # labels of the outlined elements


@dataclass
class GuideStep(JsonRecord):
    """One numbered step of a guide: an action (Когда) or a check (Тогда), with its picture."""

    number: int
    keyword: str
    kind: StepKind
    text: str
    caption: str
    screenshot: str | None = None
    page_text: str = ""
    title: str = ""
    url: str = ""
    outlined: list[str] = field(default_factory=list)
    overlay: dict[str, Any] = field(default_factory=dict)  # what the overlay showed in the picture
    error: str | None = None

    @classmethod
    def of(cls, step: StepRecord, number: int, kind: StepKind, shot: Shot | None) -> GuideStep:
        picture: dict[str, Any] = {}
        if shot is not None:
            picture = {
                "screenshot": shot.screenshot,
                "page_text": shot.page_text,
                "title": shot.title,
                "url": shot.url,
                "overlay": shot.overlay,
                "outlined": shot.outlined,
            }
        return cls(
            number=number,
            keyword=step.keyword,
            kind=kind,
            text=sentence(step),
            caption=caption(number, step),
            error=step.error,
            **picture,
        )


@dataclass
class GuideScenario(JsonRecord):
    """A scenario as its guide tells it; `passed` and `error` are known once it has run."""

    index: int  # its place in the run, from 1
    total: int
    nodeid: str
    feature_file: str  # relative to the features' folder
    feature_name: str
    feature_description: str
    name: str
    tags: list[str]
    flows: list[str]  # the flow and error IDs among the tags (F06, E02)
    example: dict[str, str]  # an outline's example row
    preconditions: list[str] = field(default_factory=list)  # the «Дано» steps, as sentences
    steps: list[GuideStep] = field(default_factory=list)
    persona: Persona | None = None  # who acts last: the scenario's actor
    people: list[Persona] = field(default_factory=list)  # everyone who signs in, in order of appearance
    sim_seed: int | None = None
    base_seed: int | None = None
    passed: bool = False
    error: str | None = None

    @classmethod
    def begin(
        cls,
        feature: FeatureRecord,
        scenario: ScenarioRecord,
        *,
        feature_file: str,
        place: tuple[int, int],
        nodeid: str,
        example: dict[str, str],
        flows: list[str],
    ) -> GuideScenario:
        index, total = place
        return cls(
            index=index,
            total=total,
            nodeid=nodeid,
            feature_file=feature_file,
            feature_name=feature.name,
            feature_description=feature.description,
            name=scenario.name,
            tags=sorted({*feature.tags, *scenario.tags}),
            flows=flows,
            example=example,
        )
