"""From what the person did to the library's «Когда» steps that say it.

Each «Когда» step declares its actions (simulator/testing/acts.py). When the person clicks (or reloads,
or a fault is switched), the actions since the last step — fields typed, an address opened, then the
click — are bound to every declaration: the declaration's last action to the click, its fields to
fields typed, its constants and the actor's own data (phone, login, a code the simulator sent) to what
was typed. The binding that covers most of what was done, and then says most about it (constants
beat regex groups: «вводит свой номер телефона …» beats «вводит «+7…» в поле …»), wins. A step that
declares several clicks («переходит в «Мой паспорт» и открывает вкладку «Безопасность»») may take in
the steps written just before it. What no step covers is written as a marked placeholder with the
Playwright locator of what was done.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..testing.acts import (
    Action,
    Actor,
    Acts,
    Anything,
    Attach,
    Chosen,
    Click,
    Code,
    Fill,
    Group,
    Named,
    Open,
    Own,
    Reload,
    Subject,
    Switch,
    Value,
    Wait,
    Wrong,
)
from ..testing.personas import Persona
from .capture import Clicked, Opened, Raw, Reloaded, Switched, Typed, Waited, WentBack
from .library import Library, LibraryStep, Unwritable

MERGE_DEPTH = 5  # how many steps written just before a click a multi-click step may take in (sferum.ru's sign-in)
READ_LATER = "…"  # stands for a group read from the page after the step, while checking it can be written
ROW = "|"  # a binding's value under «|label» is a row of the step's data table (acts.Own), not a regex group
REPEAT = "times"  # a step's group that says how many times in a row it was done («(?P<times>\d+ раза? )?»)
CHOSEN = "~"  # a binding's value under «~name» is what the person made up (acts.Chosen), not a regex group
UNTYPED_ROW = 2  # what a table row for a field nobody typed into costs a binding: below a constant's or a group's


@dataclass
class Entry:
    """A line of the scenario: a library step with its values, or a placeholder for an action no step covers."""

    kind: str  # given | when | then
    step: LibraryStep | None
    values: dict[str, str] = field(default_factory=dict)
    raws: tuple[Raw, ...] = ()
    reads: Mapping[str, str] = field(default_factory=dict)  # groups still to read after the step → data-testid
    locator: str | None = None  # a placeholder's Playwright code
    table: tuple[tuple[str, str], ...] = ()  # the step's data table: a field's label, the value typed there
    datatable: tuple[tuple[str, ...], ...] = ()  # a check's data table as the page listed it, its header first
    docstring: str | None = None  # a check's doc string as the page showed it
    who: str | None = None  # the word for whoever did it, in whose browser (None: the recording's actor)

    @property
    def placeholder(self) -> bool:
        return self.step is None


@dataclass(frozen=True)
class Binding:
    covered: frozenset[int]  # indexes of the raws the declaration stands for
    values: dict[str, str]
    specificity: int


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


PERSONAL = (
    "phone",
    "email",
    "login",
    "password",
    "new_password",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
)


def actor_has(actor: Persona, attribute: str, typed: str, accounts: Mapping[str, str] | None = None) -> bool:
    """Whether what was typed is this attribute of the actor (or a credential of their accounts), as typed."""
    value = (accounts or {}).get(attribute) or getattr(actor, attribute, None)
    if value is None or value == "":
        return False
    if isinstance(value, date):
        return typed.strip() in (value.isoformat(), value.strftime("%d.%m.%Y"))
    if attribute == "phone":
        return len(_digits(typed)) >= 10 and _digits(typed)[-10:] == _digits(str(value))[-10:]
    if attribute == "email":
        return typed.strip().casefold() == str(value).casefold()
    return typed.strip() == str(value)


class Matcher:
    def __init__(
        self,
        library: Library,
        actor: Persona | None,
        codes: Callable[[], Mapping[str, str]],
        who: str,
        accounts: Callable[[], Mapping[str, str]] = dict,
        subject: Persona | None = None,
        records: Callable[[str], Sequence[Mapping[str, Any]]] = lambda _kind: (),
        people: Callable[[], Mapping[str, str]] = dict,
    ) -> None:
        """`codes`: the codes sent so far, as typed, and the channel each came by (sms, email, call);
        `accounts`: the actor's credentials in the world now (acts.ACCOUNT_WORDS), read when matching;
        `subject`: the person the steps call «пользователь», when someone else acts (acts.Subject);
        `records`: the world's records of a kind now (its snapshot's list: «lessons»), for an address typed;
        `people`: the scenario's people by the names screens show them, and the word the steps call each by."""
        self.library = library
        self.actor = actor
        self.subject = subject
        self.codes = codes
        self.who = who
        self.accounts = accounts
        self.records = records
        self.people = people

    def personal(self, typed: str) -> bool:
        """Whether what was typed is the actor's own (a persona field, an account's credential) or a code sent:
        a scenario says such a value by whose it is, never by the literal, which another persona would not have."""
        if not typed.strip():
            return False
        if typed.strip() in self.codes():
            return True
        if self.subject is not None and any(actor_has(self.subject, name, typed) for name in PERSONAL):
            return True
        if self.actor is None:
            return False
        accounts = self.accounts()
        return any(actor_has(self.actor, name, typed, accounts) for name in (*PERSONAL, *accounts))

    # values

    def _value(self, declared: Value | str, typed: str, values: dict[str, str]) -> int | None:
        """Specificity of a declared value matching what was done (binding groups into `values`), None if not."""
        if isinstance(declared, Group):
            if declared.name in values and values[declared.name] != typed:
                return None
            values[declared.name] = typed
            return 0
        if isinstance(declared, Actor):
            found = self.actor is not None and actor_has(self.actor, declared.attribute, typed, self.accounts())
            return 1 if found else None
        if isinstance(declared, Subject):
            return 1 if self.subject is not None and actor_has(self.subject, declared.attribute, typed) else None
        if isinstance(declared, Anything):
            return 0  # whatever it says: the step names it otherwise
        if isinstance(declared, Code):
            channel = self.codes().get(typed.strip())
            if channel is None or declared.channel not in (None, channel):
                return None
            return 1 + (declared.channel is not None)  # «код из письма» says more than «полученный код»
        if isinstance(declared, Wrong):
            return 1 if self._wrong(declared, typed) else None
        if isinstance(declared, Named):  # the longest name of the scenario's people the label starts with
            named = [(name, word) for name, word in self.people().items() if typed.startswith(name)]
            if not named:
                return None
            word = max(named, key=lambda found: len(found[0]))[1]
            return None if self._value(declared.group, declared.forms.get(word, word), values) is None else 1
        if isinstance(declared, Chosen):  # anything, the same each time the declaration names it
            if values.setdefault(CHOSEN + declared.name, typed) != typed:
                return None
            return 1
        return 1 if declared == typed else None

    def _wrong(self, declared: Wrong, typed: str) -> bool:
        """Typed where the actor's credential goes, and none that the recorder knows the actor has now."""
        if self.actor is None or not typed.strip():
            return False
        accounts = self.accounts()
        known = [name for name in declared.attributes if name in accounts or getattr(self.actor, name, None)]
        return bool(known) and not any(actor_has(self.actor, name, typed, accounts) for name in known)

    def _action(self, action: Action, raw: Raw, values: dict[str, str]) -> int | None:
        if isinstance(action, Click) and isinstance(raw, Clicked):
            if action.role is None and raw.role not in ("button", "link"):
                return None
            if action.role is not None and action.role != raw.role:
                return None
            if action.within is not None and action.within != raw.within:
                return None
            label = self._value(action.label, raw.label, values)
            return None if label is None else label + (action.role is not None) + (action.within is not None)
        if isinstance(action, Attach) and isinstance(raw, Typed):
            if raw.control != "file" or raw.label != action.label or not raw.value:
                return None
            if self._value(action.name, raw.value, values) is None:
                return None
            word = action.picture if raw.chosen.startswith("image/") else action.other
            if action.kind is not None and self._value(action.kind, word, values) is None:
                return None
            said = _file_size(raw.size, action.units)
            if said is not None and action.size is not None and action.unit is not None:
                values[action.size.name], values[action.unit.name] = said
            return 1
        if isinstance(action, Fill) and isinstance(raw, Typed) and raw.control == "file":
            return None  # a file is chosen, not typed: only an Attach says it
        if isinstance(action, Fill) and isinstance(raw, Typed) and isinstance(action.value, Own):
            if not isinstance(action.label, str) or action.label != raw.label or self.actor is None:
                return None
            if not actor_has(self.actor, action.value.attribute, raw.value):
                # Not the actor's own: a row of the table, as the person read it (a select's option by its label).
                values[ROW + raw.label] = raw.chosen if raw.control == "select" else raw.value
            return 0  # below Actor's 1: a step that says «his own» beats a table that lists nothing
        if isinstance(action, Fill) and isinstance(raw, Typed):
            if isinstance(action.value, Group) and self.personal(raw.value):
                return None  # «вводит «+7922…» в поле …» would tie the scenario to this persona
            label = self._value(action.label, raw.label, values)
            # A step chooses a select's option by what it reads («как «Педагог»»), the world knows its value.
            typed = raw.chosen if raw.control == "select" and isinstance(action.value, Group) else raw.value
            value = self._value(action.value, typed, values) if label is not None else None
            return None if label is None or value is None else label + value
        if isinstance(action, Open) and isinstance(raw, Opened):
            if raw.place.platform != action.platform:
                return None
            if action.records:
                return self._record_path(action, raw.place.path, values)
            # The platform's root sends the browser on to a screen of its own («/» → «/login»): still the root.
            return 2 if raw.place.path == action.path or (raw.redirected and action.path == "/") else None
        if isinstance(action, Reload) and isinstance(raw, Reloaded):
            return 1
        if isinstance(action, Switch) and isinstance(raw, Switched):
            return 2 if (raw.fault, raw.on) == (action.fault, action.on) else None
        if isinstance(action, Wait) and isinstance(raw, Waited):
            if raw.seconds <= 0 or raw.seconds % action.unit:
                return None
            bound = self._value(action.amount, str(raw.seconds // action.unit), values)
            return None if bound is None else 1 + len(str(action.unit))  # the larger unit says it shorter
        return None

    def _record_path(self, action: Open, path: str, values: dict[str, str]) -> int | None:
        """An address with records' ids in it («/lessons/4»): each group takes the field of its record that the
        step names it by (the lesson's subject); None when the path is another or names no such record."""
        parts = re.split(r"\{(\w+)\}", action.path)
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
        found = re.fullmatch(pattern, path)
        if found is None:
            return None
        for group, typed in found.groupdict().items():
            kind, name = action.records[group]
            record = next((r for r in self.records(kind) if str(r.get("id")) == typed), None)
            if record is None or self._value(Group(group), str(record[name]), values) is None:
                return None
        return 2

    def bind(self, acts: Acts, raws: Sequence[Raw]) -> Binding | None:
        """The best binding of the declaration to `raws`: its last action is the last raw; clicks keep their order."""
        best: Binding | None = None
        for binding in self._bindings(acts, raws):
            if best is None or (len(binding.covered), binding.specificity) > (len(best.covered), best.specificity):
                best = binding
        return best

    def _bindings(self, acts: Acts, raws: Sequence[Raw]) -> Iterator[Binding]:
        actions = acts.actions
        if not actions or not raws:
            return
        last = len(raws) - 1

        def extend(i: int, used: dict[int, int], values: dict[str, str], score: int) -> Iterator[Binding]:
            if i == len(actions):
                if not used:
                    return
                first = min(used.values())
                screen = getattr(raws[first], "place", None)
                if acts.screen is not None and (screen is None or screen.screen != acts.screen):
                    return
                said = len(acts.values)  # a way of doing it that has words of its own says more
                yield Binding(
                    frozenset(used.values()), {**values, **acts.values}, score + (2 if acts.screen else 0) + said
                )
                return
            action = actions[i]
            if i == len(actions) - 1:
                candidates = [last] if last not in used.values() else []
            else:
                ordered = isinstance(action, Click)
                floor = max((j for a, j in used.items() if isinstance(actions[a], Click)), default=-1)
                candidates = [j for j in range(last) if j not in used.values() and (not ordered or j > floor)]
            for j in candidates:
                trial = dict(values)
                got = self._action(action, raws[j], trial)
                if got is not None:
                    yield from extend(i + 1, {**used, i: j}, trial, score + got)
            if isinstance(action, Fill) and action.value == "" and i < len(actions) - 1:
                yield from extend(i + 1, used, values, score)  # a field left empty: nobody typed into it
            if isinstance(action, Fill) and isinstance(action.value, Own) and isinstance(action.label, str):
                # Not typed into: the form's field stays empty, a row of the table where the actor has a value. Such a
                # row is the step's guess, not what was done: a step that says just the fields typed («вводит «…» в
                # поле «Имя» …») is the better account of one bad value sent in a form that was not filled in.
                own = getattr(self.actor, action.value.attribute, None) if self.actor is not None else None
                if own:
                    yield from extend(i + 1, used, {**values, ROW + action.label: ""}, score - UNTYPED_ROW)
                else:
                    yield from extend(i + 1, used, values, score)

        yield from extend(0, {}, {}, 0)

    # steps

    def _writable(self, step: LibraryStep, values: Mapping[str, str], reads: Mapping[str, str]) -> bool:
        groups, rows = split_rows(values)
        if any(isinstance(fill.value, Own) for fill in _fills(step)) and not rows:
            return False  # a table step with no row says nothing the step without a table does not
        try:
            step.write({**groups, **dict.fromkeys(reads, READ_LATER)}, self.who)
        except Unwritable:
            return False
        return True

    def match(self, current: Sequence[Raw], earlier: Sequence[Entry]) -> tuple[list[Entry], int]:
        """The entries for the actions since the last step, ending with a trigger (a click, …), and how many
        of the `earlier` entries (the last ones written) they replace."""
        mergeable = 0
        for entry in reversed(earlier):
            if mergeable == MERGE_DEPTH or entry.kind != "when" or not entry.raws or entry.reads:
                break
            mergeable += 1
        best: tuple[tuple[int, int, int], LibraryStep, Acts, Binding, int] | None = None
        for depth in range(mergeable + 1):
            before = [raw for entry in earlier[len(earlier) - depth :] for raw in entry.raws]
            raws = [*before, *current]
            for step, acts in self.library.acting("when"):
                binding = self.bind(acts, raws)
                if binding is None or not set(range(len(before))) <= binding.covered:
                    continue
                if not self._writable(step, binding.values, acts.reads):
                    continue
                score = (len(binding.covered), binding.specificity, -depth)
                if best is None or score > best[0]:
                    best = (score, step, acts, binding, depth)
        if best is None:
            return [self.placeholder(raw) for raw in current], 0
        _, step, acts, binding, depth = best
        before = [raw for entry in earlier[len(earlier) - depth :] for raw in entry.raws]
        raws = [*before, *current]
        left = [self.alone(raw) or self.placeholder(raw) for i, raw in enumerate(raws) if i not in binding.covered]
        taken = tuple(raw for i, raw in enumerate(raws) if i in binding.covered)
        groups, rows = split_rows(binding.values)
        entry = Entry("when", step, groups, taken, dict(acts.reads), table=rows)
        again = self.again(entry, earlier[-1]) if earlier and not left and depth == 0 else None
        return ([again], 1) if again is not None else ([*left, entry], depth)

    def again(self, entry: Entry, last: Entry) -> Entry | None:
        """The step just written, done once more right after it: one line that says how many times, where the
        step's pattern has a group for it («4 раза вводит неверный пароль …»)."""
        step = entry.step
        if step is None or last.step is not step or last.kind != "when" or last.table or entry.table:
            return None
        if REPEAT not in re.compile(step.pattern).groupindex:
            return None
        if {k: v for k, v in last.values.items() if k != REPEAT} != entry.values:
            return None
        count = int(last.values.get(REPEAT, "1 ").split()[0]) + 1
        for times in _times(count):
            values = {**entry.values, REPEAT: times}
            if self._writable(step, values, {}):
                return Entry("when", step, values, (*last.raws, *entry.raws))
        return None

    def alone(self, raw: Raw) -> Entry | None:
        """The «Когда» step that is this one action by itself («открывает МАХ на компьютере»), if there is one."""
        for step, acts in self.library.acting("when"):
            if len(acts.actions) != 1:
                continue
            binding = self.bind(acts, [raw])
            if binding is not None and self._writable(step, binding.values, acts.reads):
                return Entry("when", step, dict(binding.values), (raw,), dict(acts.reads))
        return None

    def given_switch(self, raw: Switched) -> Entry | None:
        """A fault switched before anything was done: a «Дано» step may say it."""
        for step, acts in self.library.acting("given"):
            binding = self.bind(acts, [raw])
            if binding is not None and self._writable(step, binding.values, {}):
                return Entry("given", step, dict(binding.values), (raw,))
        return None

    def placeholder(self, raw: Raw) -> Entry:
        return Entry("when", None, {}, (raw,), locator=locator(raw))


MEGABYTE = 1024 * 1024


def _file_size(size: int | None, units: tuple[str, str]) -> tuple[str, str] | None:
    """A file's size as a step says it, where it matters (acts.Attach): empty, or whole megabytes rounded up."""
    if size == 0:
        return "0", units[0]
    if size is not None and size >= MEGABYTE:
        return str(-(-size // MEGABYTE)), units[1]
    return None


def _times(count: int) -> tuple[str, str]:
    """«2 раза », «5 раз »: the form the number asks for first, the other for a pattern that has only that one."""
    few = count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
    said = (f"{count} раза ", f"{count} раз ")
    return said if few else said[::-1]


def split_rows(values: Mapping[str, str]) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """A binding's regex groups, and its data table's rows (acts.Own) in the order they were bound."""
    groups = {name: value for name, value in values.items() if not name.startswith((ROW, CHOSEN))}
    rows = tuple((name.removeprefix(ROW), value) for name, value in values.items() if name.startswith(ROW))
    return groups, rows


def _fills(step: LibraryStep) -> list[Fill]:
    return [a for d in step.declarations if isinstance(d, Acts) for a in d.actions if isinstance(a, Fill)]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def locator(raw: Raw) -> str:
    """What was done, as the Playwright code a new step would run."""
    if isinstance(raw, Clicked):
        role = raw.role if raw.role in ("button", "link", "checkbox", "radio", "tab") else "button"
        area = f'page.get_by_role("navigation", name={_quoted(raw.within)})' if raw.within else "page"
        return f"{area}.get_by_role({_quoted(role)}, name={_quoted(raw.label)}, exact=True).click()"
    if isinstance(raw, Typed):
        value = "<пароль>" if raw.secret else raw.value
        if raw.control == "file":
            return f"page.get_by_label({_quoted(raw.label)}, exact=True).set_input_files({_quoted(value)})"
        action = "select_option" if raw.control == "select" else "fill"
        return f"page.get_by_label({_quoted(raw.label)}, exact=True).{action}({_quoted(value)})"
    if isinstance(raw, Opened):
        platform = raw.place.platform
        target = (
            f"sim_session.url({_quoted(platform)}, {_quoted(raw.place.path)})" if platform else _quoted(raw.place.url)
        )
        return f"page.goto({target})"
    if isinstance(raw, Reloaded):
        return "page.reload()"
    if isinstance(raw, WentBack):
        return "page.go_back()"
    if isinstance(raw, Waited):
        return f"sim_session.advance({raw.seconds})"
    return f"sim_session.{'fault' if raw.on else 'clear_fault'}({_quoted(raw.fault)})"
