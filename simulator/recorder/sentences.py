"""A step's sentence from its pattern: the regex read as a template, its named groups filled in.

The library's patterns are sentences with slots — `(?:{WHO} )?нажимает «(?P<label>[^«»]+)»` — so
the sentence is the pattern's literal text, each named group replaced by its value, each alternation
by its first branch (or the actor's word, where it is one), an optional part kept only when it holds
a value (or the actor's word, when the actor is to be named). The result is checked against the
pattern as pytest-bdd will match it, so a sentence that is written always finds its step.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Mapping
from typing import Any

with warnings.catch_warnings():  # the regex parser's old public name, deprecated but stable
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse


class Unwritable(ValueError):
    """The pattern has a part no value was given for (a free-text slot, a repetition)."""


VALUE = "value"
ACTOR = "actor"


def sentence(pattern: str, values: Mapping[str, str], *, actor: str | None = None, name_actor: bool = True) -> str:
    """The sentence of `pattern` with these group values; `actor` is the word for who acts (учитель …)."""
    parsed = sre_parse.parse(pattern)
    names = {index: name for name, index in parsed.state.groupdict.items()}
    text, _ = _render(list(parsed.data), _Context(values, names, actor, name_actor))
    match = re.fullmatch(pattern, text)
    if match is None or any(match.group(name) != value for name, value in values.items()):
        raise Unwritable(f"«{text}» does not read back through {pattern!r} with {dict(values)}")
    return text


def names_actor(pattern: str, values: Mapping[str, str], actor: str) -> str:
    """How the pattern names the actor: "required", "optional" or "never"."""
    try:
        named = sentence(pattern, values, actor=actor, name_actor=True)
        unnamed = sentence(pattern, values, actor=actor, name_actor=False)
    except Unwritable:
        return "never"
    if named != unnamed:
        return "optional"
    return "required" if re.search(rf"(?<!\w){re.escape(actor)}(?!\w)", named) else "never"


class _Context:
    def __init__(
        self, values: Mapping[str, str], names: Mapping[int, str], actor: str | None, name_actor: bool
    ) -> None:
        self.values = values
        self.names = names
        self.actor = actor
        self.name_actor = name_actor
        self.before = ""  # the sentence written so far, for a noun's form after a number


# A noun's form after a number, told by its last letter: «1 минута», «2 минуты», «5 минут»; «1 день», «2 дня», «7 дней».
# In the order they are looked for: «1 звонок» before «звонка», which is the form after 2 («2 звонка»), where
# «минута»'s «а» is the form after 1.
ENDINGS = (("ь", "к", "а"), ("ы", "и", "я", "а"), ("", "й", "в"))
AFTER_NUMBER = re.compile(r"(\d+) \w*$")


def _form(candidates: list[str], before: str) -> str | None:
    """The candidate that fits the number just written, if the sentence is at a noun after a number."""
    found = AFTER_NUMBER.search(before)
    if found is None:
        return None
    n = int(found.group(1))
    category = 2 if n % 100 in range(11, 15) else 0 if n % 10 == 1 else 1 if n % 10 in (2, 3, 4) else 2
    return next((c for ending in ENDINGS[category] for c in candidates if c[-1:] == ending), None)


def _render(items: list[tuple[Any, Any]], context: _Context) -> tuple[str, set[str]]:
    text: list[str] = []
    used: set[str] = set()
    start = context.before
    for op, av in items:
        part, why = _node(op, av, context)
        text.append(part)
        used |= why
        context.before = start + "".join(text)
    context.before = start
    return "".join(text), used


def _node(op: Any, av: Any, context: _Context) -> tuple[str, set[str]]:
    if op is sre_constants.LITERAL:
        return chr(av), set()
    if op is sre_constants.AT:
        return "", set()
    letters = _letters([(op, av)])
    if letters is not None:  # «не привязан[аы]»: the first, as an alternation's first branch («учетная запись»)
        return letters[0], set()
    if op is sre_constants.SUBPATTERN:
        group, _, _, inner = av
        name = context.names.get(group) if group is not None else None
        if name is not None and name in context.values:
            return context.values[name], {VALUE}
        return _render(list(inner), context)
    if op is sre_constants.BRANCH:
        return _branch(av[1], context)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, inner = av
        letters = _letters(list(inner))
        if low == 0 and high == 1 and letters is not None:  # «минут[аы]?»: the form the number before asks for
            return _form(["", *letters], context.before) or "", set()
        try:
            part, why = _render(list(inner), context)
        except Unwritable:
            if (low, high) != (0, 1):
                raise
            return "", set()  # an optional part with a free slot no value fills («размером N байт»): left out
        if low == 0 and high == 1:
            # An optional comma is the sentence's punctuation («ФИО, дату рождения,? пол»): kept.
            keep = VALUE in why or (ACTOR in why and context.name_actor) or (bool(part) and part.strip(",;") == "")
            return (part, why) if keep else ("", set())
        if low == high:
            return part * low, why
    raise Unwritable(f"no value for a free part of the pattern ({op})")


def _letters(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The letters of a one-letter class («[аы]»), None for anything else."""
    if len(items) != 1 or items[0][0] is not sre_constants.IN:
        return None
    inner = items[0][1]
    if not all(op is sre_constants.LITERAL for op, _ in inner):
        return None
    return [chr(code) for _, code in inner]


def _branch(alternatives: Collection[Any], context: _Context) -> tuple[str, set[str]]:
    rendered = []
    for alternative in alternatives:
        try:
            rendered.append(_render(list(alternative), context))
        except Unwritable:
            continue
    if not rendered:
        raise Unwritable("no branch of an alternation can be written")
    form = _form([text for text, _ in rendered], context.before)
    if form is not None:  # «(?:день|дня|дней)» after «7 »
        return next((t, w) for t, w in rendered if t == form)
    for text, why in rendered:
        if context.actor is not None and text == context.actor:
            return text, why | {ACTOR}
    # A branch that uses a value says more than one that does not: «(?:полученный код|код из письма)».
    return next(((t, w) for t, w in rendered if VALUE in w), rendered[0])
