"""«Тогда» checks to propose after an action: from what the page shows and what the world gained.

The page is read once a new document has loaded (or live, after an action that loaded none): its
heading (an open dialog's first), its notices and alerts, its text, its buttons. The world's gains are
the event log's entries since the action (a link made, a profile created). Every «Тогда» step that
declares checks (simulator/testing/acts.py) is tried against them; for each thing seen, the step that
says most about it is proposed («открывается «Вход в VK ID» с сервисом «МЭШ ВКС»» rather than
«открывается окно «Вход в VK ID»»). A step that takes a data table or a doc string gets it from the page as it
is now (a list's rows, a block's lines), so what it proposes is what the screen shows. A check that would name
the actor's own data is not proposed: the scenario runs later with another persona.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..hosts import PLATFORMS
from ..testing.acts import (
    Alert,
    Attends,
    CallStarted,
    Check,
    Checks,
    DocString,
    FieldAlert,
    FileSent,
    Gained,
    Group,
    Heading,
    Joined,
    Latest,
    LessonCall,
    Live,
    MadeChat,
    Notice,
    OnlyButton,
    People,
    RowCount,
    Screen,
    Shows,
    Table,
    Tally,
    Text,
    TypedBack,
    Unchanged,
    Where,
)
from .library import Library, LibraryStep, Unwritable
from .matching import Entry

# The order proposals are offered in: what went wrong or was announced first, the world last.
PROFILE = "profile:"  # a person of `people` by their profile's id («profile:17»), beside their names
RANK = {
    Alert: 0,
    FieldAlert: 0,
    Notice: 1,
    Heading: 2,
    Screen: 2,
    OnlyButton: 3,
    Shows: 3,
    Text: 1,
    Gained: 4,
    Unchanged: 4,
    Joined: 4,
    FileSent: 3,
    Table: 3,
    DocString: 3,
    Where: 3,
    Attends: 2,
    LessonCall: 4,
    TypedBack: 0,
    RowCount: 3,
    Live: 5,  # «… видит это без перезагрузки»: after what was seen
    People: 3,
    Latest: 3,
    Tally: 4,
    MadeChat: 4,
    CallStarted: 4,
}


@dataclass(frozen=True)
class Shown:
    """What a page showed (capture.OBSERVE's answer) and on which platform."""

    platform: str | None
    screen: str | None = None
    heading: str | None = None
    notices: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    text: str = ""
    buttons: tuple[str, ...] = ()
    testids: Mapping[str, str] = field(default_factory=dict)
    field_errors: tuple[tuple[str, str], ...] = ()  # (the field's label, its error)
    rows: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # testid → its list's rows' cells
    lines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # testid → its text, line by line
    current: tuple[str, ...] = ()  # testids of the elements marked as the person's own (aria-current=true)
    field_values: tuple[tuple[str, str], ...] = ()  # (the label of a field marked invalid, what it holds)
    live: int = 0  # how many times the page fetched itself live since it was loaded (simulator/static/live.js)

    @classmethod
    def of(cls, platform: str | None, found: Mapping[str, Any]) -> Shown:
        return cls(
            platform,
            found.get("screen"),
            found.get("heading") or None,
            tuple(found.get("notices") or ()),
            tuple(found.get("alerts") or ()),
            str(found.get("text") or ""),
            tuple(found.get("buttons") or ()),
            dict(found.get("testids") or {}),
            tuple((str(label), str(error)) for label, error in found.get("fieldErrors") or ()),
            {
                str(testid): tuple(tuple(map(str, row)) for row in rows)
                for testid, rows in (found.get("rows") or {}).items()
            },
            {str(testid): tuple(map(str, lines)) for testid, lines in (found.get("lines") or {}).items()},
            tuple(map(str, found.get("current") or ())),
            tuple((str(label), str(value)) for label, value in found.get("fieldValues") or ()),
            int(found.get("live") or 0),
        )


def _platform_name(platform: str | None) -> str | None:
    return PLATFORMS[platform].title if platform is not None and platform in PLATFORMS else None


def _bind(group: Group | None, value: str | None, values: dict[str, str]) -> bool:
    if value is None:
        return False
    if group is not None:
        values[group.name] = value
    return True


def _template(text: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", text)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^«»\\n]+?)" for i, p in enumerate(parts))
    return re.compile(pattern)


def _check(
    check: Check,
    shown: Shown | None,
    gained: Sequence[Mapping[str, Any]],
    journal: str | None,
    recorded: Sequence[Mapping[str, Any]] = (),
) -> tuple[dict[str, str], set[str], int] | None:
    """The group values, the things covered and the specificity of one check, if it holds."""
    values: dict[str, str] = {}
    if isinstance(check, Joined):
        return _joined(check, gained)
    if isinstance(check, Tally):
        writers = {e["profile"] for e in recorded if e["kind"] == "chat_message"}
        calls = [e for e in recorded if e["kind"] == "call_started" and e["profile"] in writers]
        return ({check.count.name: str(len(calls))}, {"world:calls"}, 1) if calls else None
    if isinstance(check, FileSent):
        return _file_sent(check, gained)
    if isinstance(check, Unchanged):
        if shown is None or (check.journal is not None and check.journal != journal):
            return None
        if bool(shown.alerts) != check.refused:
            return None
        if check.on is not None and check.on != shown.platform:
            return None
        if check.screens and shown.screen not in check.screens:
            return None
        if {event["kind"] for event in (gained if check.refused else recorded)} & set(check.kinds):
            return None
        return values, {f"unchanged:{kind}" for kind in check.kinds}, len(check.kinds) + (check.journal is not None)
    if isinstance(check, Gained):
        kinds = {event["kind"] for event in gained}
        event = next((e for e in gained if e["kind"] == check.kind and check.via in (None, e.get("via"))), None)
        ever = kinds | {e["kind"] for e in recorded}
        if event is None or not set(check.also) <= ever or set(check.without) & ever:
            return None
        channels = {e.get("channel") for e in [*recorded, *gained] if e["kind"] == "code_sent"}
        if check.sent is not None and check.sent not in channels:
            return None
        if check.journal is not None:
            journal = str(event.get("journal"))
            if not _bind(check.journal, check.names.get(journal) or _platform_name(journal), values):
                return None
        conditions = len(check.also) + len(check.without) + (check.via is not None) + (check.sent is not None)
        return values, {f"world:{check.kind}"}, 1 + conditions
    if shown is None:
        return None
    if isinstance(check, Live):
        return (values, {"live"}, 0) if shown.live > 0 else None
    if isinstance(check, Heading):
        if shown.heading is None:
            return None
        if isinstance(check.title, Group):
            return {check.title.name: shown.heading}, {"heading"}, 0
        return (values, {"heading"}, 1) if check.title == shown.heading else None
    if isinstance(check, Notice | Alert):
        texts = shown.notices if isinstance(check, Notice) else shown.alerts
        if check.on is not None and check.on != shown.platform:
            return None
        if not texts or not _bind(check.text, texts[0], values):
            return None
        if check.platform is not None and not _bind(check.platform, _platform_name(shown.platform), values):
            return None
        return values, {"notice" if isinstance(check, Notice) else "alert"}, int(check.on is not None)
    if isinstance(check, FieldAlert):
        if len(shown.field_errors) != 1:
            return None
        label, error = shown.field_errors[0]
        # The field's error is the screen's alert: this says more than «VK ID показывает ошибку «…»».
        return {check.label.name: label, check.text.name: error}, {"alert"}, 1
    if isinstance(check, Shows):
        match = _template(check.text).search(shown.text)
        return (match.groupdict(), {f"text:{check.text}"}, 1) if match else None
    if isinstance(check, Text):
        said = shown.testids.get(check.testid)
        return ({**check.values, check.text.name: said}, {f"testid:{check.testid}"}, 1) if said else None
    if isinstance(check, Screen):
        if shown.screen != check.name or not all(testid in shown.testids for testid in check.present):
            return None
        read = {group: shown.testids.get(testid) for group, testid in check.reads.items()}
        if not all(read.values()):
            return None
        values = {**check.values, **{g: str(v) for g, v in read.items()}}
        return values, {"screen", "heading"}, 2 + len(read) + len(check.present)
    if isinstance(check, Where):
        if shown.screen not in check.screens or not all(testid in shown.testids for testid in check.present):
            return None
        return dict(check.values), {f"present:{testid}" for testid in check.present}, 1 + len(check.present)
    if isinstance(check, Table | DocString):
        return None  # what the step takes under it: read by `attachment`
    if isinstance(check, People | Latest | MadeChat | CallStarted):
        return None  # a list's rows, and who they are the recording's to say: read by `_listed`, `_made`, `_call`
    if isinstance(check, RowCount):
        counted = [row for row in shown.rows.get(check.testid, ()) if row]
        counts = [(row[0], found) for row in counted if (found := re.search(rf"{check.word}: (\d+)", " ".join(row)))]
        if len(counts) != 1:
            return None
        return {check.title.name: counts[0][0], check.count.name: counts[0][1].group(1)}, {f"count:{check.testid}"}, 1
    if isinstance(check, Attends | LessonCall | TypedBack):
        return None  # whose word they take is the person's at the keyboard: read by `_by_person`
    if len(shown.buttons) != 1:  # OnlyButton
        return None
    return {check.label.name: shown.buttons[0]}, {"button"}, 0


def _file_sent(check: FileSent, gained: Sequence[Mapping[str, Any]]) -> tuple[dict[str, str], set[str], int] | None:
    sent = [e for e in gained if e["kind"] == "chat_message" and e.get("file")]
    if len(sent) != 1:
        return None
    name, content_type = str(sent[0]["file"]), str(sent[0].get("file_type") or "")
    if check.picture is not None and check.picture != content_type.startswith("image/"):
        return None
    values = {check.name.name: name}
    if check.content_type is not None:
        if not content_type:
            return None
        values[check.content_type.name] = content_type
    # A picture is a file too: the step that says it is one says more.
    return values, {"world:file" if check.world else "chat:file"}, 1 + (check.picture is not None)


def _joined(check: Joined, gained: Sequence[Mapping[str, Any]]) -> tuple[dict[str, str], set[str], int] | None:
    joined = [
        (event.get("org"), chat) for event in gained if event["kind"] == "chats_joined" for chat in event["chats"]
    ]
    channels = [(org, chat["title"]) for org, chat in joined if chat["kind"] == "channel"]
    others = [chat["title"] for _, chat in joined if chat["kind"] != "channel"]
    if len(channels) != 1 or len(others) != 1:
        return None
    org, title = channels[0]
    prefix = f"{org} · "
    if not title.startswith(prefix):
        return None
    return {check.channel.name: title.removeprefix(prefix), check.chat.name: others[0]}, {"world:chats_joined"}, 1


CALL_EVENTS = ("call_started", "call_joined", "call_left")


def _by_person(
    check: Attends | LessonCall | TypedBack,
    shown: Shown | None,
    gained: Sequence[Mapping[str, Any]],
    recorded: Sequence[Mapping[str, Any]],
    who: str,
) -> tuple[dict[str, str], set[str], int] | None:
    """Checks of what the person at the keyboard did or typed: the actor's word `who` is theirs."""
    if isinstance(check, LessonCall):
        return _lesson_call(check, gained, recorded, who)
    if shown is None:
        return None
    if isinstance(check, Attends):
        participants = shown.rows.get("call-participant", ())
        if len(participants) != 1 or "call-participant" not in shown.current:
            return None
        return {check.who.name: who}, {"participants"}, 1
    if len(shown.field_values) != 1:  # TypedBack: the one field the person got wrong
        return None
    label, value = shown.field_values[0]
    return {check.label.name: label, check.value.name: value}, {"typed-back"}, 1


def _call(
    check: CallStarted, recorded: Sequence[Mapping[str, Any]], people: Mapping[str, str]
) -> tuple[dict[str, str], set[str], int] | None:
    """The one call started in a chat in the recording: who started it and who came into it, by the words the steps
    call them."""
    started = [e for e in recorded if e["kind"] == "call_started" and e.get("lesson") is None]
    if len(started) != 1:
        return None
    call = started[0]["call"]
    profiles = [
        started[0]["profile"],
        *(e["profile"] for e in recorded if e["kind"] == "call_joined" and e["call"] == call),
    ]
    words = [people.get(f"{PROFILE}{profile}") for profile in dict.fromkeys(profiles)]
    if None in words:
        return None
    starter = str(words[0])
    return (
        {check.starter.name: check.forms.get(starter, starter), check.who.name: ", ".join(map(str, words))},
        {"world:call"},
        1,
    )


def _made(
    check: MadeChat, recorded: Sequence[Mapping[str, Any]], people: Mapping[str, str]
) -> tuple[dict[str, str], set[str], int] | None:
    """The chat made by hand in the recording and the one person added to it, by the words the steps call them."""
    made = [e for e in recorded if e["kind"] == "chat_created"]
    added = [e for e in recorded if e["kind"] == "chat_members_added"]
    if len(made) != 1 or len(added) != 1 or added[0]["chat"] != made[0]["chat"] or len(added[0]["profiles"]) != 1:
        return None
    maker, member = (people.get(f"{PROFILE}{profile}") for profile in (made[0]["profile"], added[0]["profiles"][0]))
    if not maker or not member:
        return None
    return {check.maker.name: maker, check.added.name: member}, {"world:chat_created"}, 1


def _listed(
    check: People | Latest, shown: Shown | None, people: Mapping[str, str]
) -> tuple[dict[str, str], set[str], int] | None:
    """The people the screen lists, by the words the steps call them, if it lists only people of the scenario; or
    the last of the elements it shows with the testid."""
    rows = shown.rows.get(check.testid, ()) if shown is not None else ()
    if isinstance(check, Latest):
        return ({check.text.name: " ".join(rows[-1])}, {f"latest:{check.testid}"}, 1) if rows else None
    words = [people.get(row[0]) for row in rows if row]
    if not words or None in words:
        return None
    if check.any_order:
        known = list(dict.fromkeys(people.values()))
        words.sort(key=lambda word: known.index(word) if word in known else len(known))
    return {check.who.name: ", ".join(word for word in words if word)}, {f"people:{check.testid}"}, 1


def _lesson_call(
    check: LessonCall, gained: Sequence[Mapping[str, Any]], recorded: Sequence[Mapping[str, Any]], who: str
) -> tuple[dict[str, str], set[str], int] | None:
    """The online lesson's call the last action joined or left, if the actor alone was ever in it."""
    lessons = {e["call"] for e in recorded if e["kind"] in CALL_EVENTS and e.get("lesson") is not None}
    changed = {e["call"] for e in gained if e["kind"] in CALL_EVENTS} & lessons
    if len(changed) != 1:
        return None
    call = changed.pop()
    present = {
        e["profile"]: e["kind"] != "call_left" for e in recorded if e["kind"] in CALL_EVENTS and e["call"] == call
    }
    if any(present.values()) == check.ended:
        return None
    if check.who is None:  # who is in it: another check of the declaration names them
        return dict(check.values), {"world:call"}, 1 + len(check.values)
    # One person at the keyboard: a call joined by one profile alone is the actor's (the check run says whose).
    if len(present) != 1:
        return None
    return {**check.values, check.who.name: who}, {"world:call"}, 1 + len(check.values)


@dataclass(frozen=True)
class Attached:
    """What a step takes under its sentence, read off the page: a data table (its header first) or a doc string."""

    datatable: tuple[tuple[str, ...], ...] = ()
    docstring: str | None = None

    def texts(self) -> list[str]:
        return [cell for row in self.datatable[1:] for cell in row] + ([self.docstring] if self.docstring else [])


def attachment(check: Table | DocString, shown: Shown | None) -> Attached | None:
    """The table or doc string the page gives this check now; None when it gives none (nothing listed, a row with
    another number of cells than the header names, an element not shown)."""
    if shown is None:
        return None
    if isinstance(check, DocString):
        if not all(testid in shown.lines for testid in check.testids):
            return None
        lines = [line for testid in check.testids for line in shown.lines[testid]]
        return Attached(docstring="\n".join(lines)) if lines else None
    rows = shown.rows.get(check.testid, ())
    if not rows or any(len(row) != len(check.header) for row in rows):
        return None
    return Attached(datatable=(check.header, *rows))


@dataclass(frozen=True)
class _Candidate:
    step: LibraryStep
    values: dict[str, str]
    covers: frozenset[str]
    specificity: int
    rank: int
    order: int
    attached: Attached


def propose(
    library: Library,
    shown: Shown | None,
    gained: Sequence[Mapping[str, Any]],
    *,
    who: str,
    personal: Collection[str] = (),
    journal: str | None = None,
    recorded: Sequence[Mapping[str, Any]] = (),
    people: Mapping[str, str] | None = None,
) -> list[Entry]:
    """The «Тогда» entries worth proposing, in the order they are offered; `recorded`: the event log since the
    recording started, for checks whose precondition is the whole scenario's; `people`: the scenario's people
    by the names screens show them, and the word the steps call each by."""
    candidates = []
    for order, (step, declaration) in enumerate(library.checking()):
        found = _all(declaration, shown, gained, journal, recorded, who, people or {})
        if found is None:
            continue
        values, covers, specificity, attached = found
        said = [*values.values(), *attached.texts()]
        if any(secret and secret in value for value in said for secret in personal):
            continue
        try:
            step.write(values, who)
        except Unwritable:
            continue
        rank = min(RANK[type(check)] for check in declaration.checks)
        candidates.append(_Candidate(step, values, frozenset(covers), specificity, rank, order, attached))
    chosen: list[_Candidate] = []
    covered: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: (-c.specificity, c.order)):
        if not candidate.covers <= covered:
            chosen.append(candidate)
            covered |= candidate.covers
    chosen.sort(key=lambda c: (c.rank, c.order))
    return [
        Entry("then", c.step, c.values, datatable=c.attached.datatable, docstring=c.attached.docstring) for c in chosen
    ]


def _all(
    declaration: Checks,
    shown: Shown | None,
    gained: Sequence[Mapping[str, Any]],
    journal: str | None,
    recorded: Sequence[Mapping[str, Any]],
    who: str = "",
    people: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], set[str], int, Attached] | None:
    values: dict[str, str] = {}
    covers: set[str] = set()
    specificity = 0
    attached = Attached()
    for check in declaration.checks:
        if isinstance(check, Table | DocString):
            read = attachment(check, shown)
            if read is None:
                return None
            attached = Attached(read.datatable or attached.datatable, read.docstring or attached.docstring)
            covers.add(f"rows:{check.testid}" if isinstance(check, Table) else f"lines:{'+'.join(check.testids)}")
            specificity += 1
            continue
        if isinstance(check, Attends | LessonCall | TypedBack):
            found = _by_person(check, shown, gained, recorded, who)
        elif isinstance(check, People | Latest):
            found = _listed(check, shown, people or {})
        elif isinstance(check, MadeChat):
            found = _made(check, recorded, people or {})
        elif isinstance(check, CallStarted):
            found = _call(check, recorded, people or {})
        else:
            found = _check(check, shown, gained, journal, recorded)
        if found is None:
            return None
        values.update(found[0])
        covers |= found[1]
        specificity += found[2]
    return values, covers, specificity, attached
