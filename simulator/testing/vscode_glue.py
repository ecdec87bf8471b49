"""`sferum-sim steps --format vscode`: the step library as VS Code's Cucumber extension can read it.

The official extension (Cucumber for Visual Studio Code, through @cucumber/language-service) does not run
pytest-bdd: it reads decorators in Python files with a tree-sitter query. It takes `@given("…")` with one
plain string literal, reads a string that starts with «/» as a JavaScript regular expression, deletes «?P»
(so `(?P<name>…)` becomes a group matching «<name>»), and knows nothing of `parsers.re`, `r"…"` or f-strings.
The library's steps are written with those, so the extension finds most of them undefined.

The glue file written here has one stub a step: `@when("/^(?:…)$/")`, the step's pattern translated to the
JavaScript the extension runs — anchored as pytest-bdd's `fullmatch`, groups `(?<name>…)`, `\\w` and `\\b`
Cyrillic-aware (JavaScript's are ASCII-only), escaped characters as `\\xHH`, so the file is also valid Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# What pytest-bdd's `\w` matches in the features' Russian and English words (JavaScript's `\w` is [A-Za-z0-9_]).
WORD = "0-9A-Za-zА-яЁё_"
SPACE = " \\t\\n\\r\\f\\v\\u00a0"
CLASSES = {"d": "0-9", "w": WORD, "s": SPACE}
NEGATED = {"D": "0-9", "W": WORD, "S": SPACE}
BOUNDARY = f"(?:(?<=[{WORD}])(?![{WORD}])|(?<![{WORD}])(?=[{WORD}]))"
NOT_BOUNDARY = f"(?:(?<=[{WORD}])(?=[{WORD}])|(?<![{WORD}])(?![{WORD}]))"
# Escapes Python and JavaScript read alike, in a Python string literal and in a regular expression.
SHARED_ESCAPES = set("tnrfv")
# Written as `\xHH` when meant literally: a regex's own characters, the literal's quote and backslash.
METACHARACTERS = set('"\\[]{}()?*+.|^$-/')
QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")
SUPPORTED_FLAGS = re.IGNORECASE | re.DOTALL | re.MULTILINE | re.UNICODE | re.ASCII


class Untranslatable(ValueError):
    """A pattern the extension's JavaScript cannot express (inline flags, atomic groups, possessive repeats)."""


@dataclass(frozen=True)
class GlueStep:
    """One step definition: its decorator, the Python regex pytest-bdd fullmatches, where it is defined."""

    kind: str  # given, when, then, or step for any keyword
    regex: str
    flags: int
    module: str
    function: str
    summary: str


def _literal(char: str) -> str:
    """A character as an escape both languages read as that character."""
    code = ord(char)
    if code > 0xFFFF:
        raise Untranslatable(f"символ вне BMP: {char!r}")
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _plain(char: str, ignore_case: bool, in_class: bool) -> str:
    """A character the pattern means literally, both cases of a letter when the pattern ignores case."""
    special = char in METACHARACTERS or not 0x20 <= ord(char) <= 0xFFFF
    text = _literal(char) if special else char
    other = char.swapcase()
    if ignore_case and other != char and len(other) == 1:
        both = text + other
        return both if in_class else f"[{both}]"
    return text


def _in_class(pattern: str, at: int, opened: bool, ignore_case: bool) -> tuple[str, int, bool]:
    """The JavaScript for a character inside [...] at `at`; returns it, the next index, whether still inside."""
    char = pattern[at]
    if char == "]" and not opened:
        return "]", at + 1, False
    if char == "-" and not opened and pattern[at + 1 : at + 2] != "]":
        return "-", at + 1, True  # a range whose first end was an escape
    if pattern[at + 1 : at + 2] == "-" and pattern[at + 2 : at + 3] not in ("]", "\\", ""):
        low, high = pattern[at], pattern[at + 2]  # a range: both cases added whole, not letter by letter
        text = f"{_plain(low, False, True)}-{_plain(high, False, True)}"
        if ignore_case and low.swapcase() != low and high.swapcase() != high:
            text += f"{_plain(low.swapcase(), False, True)}-{_plain(high.swapcase(), False, True)}"
        return text, at + 3, True
    return _plain(char, ignore_case, True), at + 1, True


def _escape(letter: str, source: str, at: int, in_class: bool, flags: int) -> tuple[str, int]:
    """The JavaScript for the escape `\\letter` at `at` (the letter's index); returns it and the next index."""
    word = "0-9A-Za-z_" if flags & re.ASCII else WORD
    classes = {**CLASSES, "w": word}
    negated = {**NEGATED, "W": word}
    if letter in classes:
        return (classes[letter] if in_class else f"[{classes[letter]}]"), at + 1
    if letter in negated:
        if in_class:
            raise Untranslatable(f"\\{letter} внутри [...]")
        return f"[^{negated[letter]}]", at + 1
    if letter in SHARED_ESCAPES:
        return f"\\{letter}", at + 1
    if letter.isdigit():  # a back-reference or an octal escape: the same in both
        end = at + 1
        while end < len(source) and source[end].isdigit():
            end += 1
        return "\\" + source[at:end], end
    if letter == "x":
        return _literal(chr(int(source[at + 1 : at + 3], 16))), at + 3
    if letter == "u":
        return _literal(chr(int(source[at + 1 : at + 5], 16))), at + 5
    if letter == "U":
        return _literal(chr(int(source[at + 1 : at + 9], 16))), at + 9
    if letter == "N":
        end = source.index("}", at)
        import unicodedata  # only here: a named character is rare

        return _literal(unicodedata.lookup(source[at + 2 : end])), end + 1
    if in_class:
        return ("\\x08" if letter == "b" else _plain(letter, False, True)), at + 1
    anchors = {"A": "^", "Z": "$", "b": BOUNDARY, "B": NOT_BOUNDARY, "a": "\\x07"}
    if letter in anchors:
        return anchors[letter], at + 1
    if letter.isalpha():
        raise Untranslatable(f"неизвестная последовательность \\{letter}")
    return _plain(letter, False, False), at + 1


def _group(source: str, at: int, groups: list[str], ignore_case: bool) -> tuple[str, int]:
    """The JavaScript for the group opening at `at` (a «(»), numbering capture groups in `groups` by name;
    returns it and the next index. A group's name is copied as it is (no case folding)."""
    rest = source[at:]
    if rest.startswith("(?P<"):
        end = source.index(">", at)
        groups.append(source[at + 4 : end])
        return f"(?<{groups[-1]}>", end + 1
    if rest.startswith("(?P="):
        if ignore_case:  # Python compares the text again ignoring case, JavaScript without flags cannot
            raise Untranslatable("ссылка на группу без учёта регистра")
        end = source.index(")", at)
        # by number: «\\1» reads alike in both languages, JavaScript's «\\k<name>» is no Python escape
        return f"\\{groups.index(source[at + 4 : end]) + 1}", end + 1
    if rest.startswith("(?#"):
        return "", source.index(")", at) + 1
    if not rest.startswith("(?"):
        groups.append("")
        return "(", at + 1
    if rest.startswith(("(?:", "(?=", "(?!", "(?<=", "(?<!")):
        return "(", at + 1
    raise Untranslatable(f"группа {rest[:4]}… (флаги или атомарная группа)")


def to_javascript(pattern: str, flags: int = 0) -> str:
    """A Python regular expression as JavaScript that matches the same step sentences (no flags needed).

    Raises Untranslatable for what JavaScript without flags cannot say.
    """
    if flags & ~SUPPORTED_FLAGS or flags & re.VERBOSE:
        raise Untranslatable(f"флаги {re.RegexFlag(flags & ~SUPPORTED_FLAGS)!r}")
    ignore_case = bool(flags & re.IGNORECASE)
    out: list[str] = []
    groups: list[str] = []  # capture groups so far, by name ("" for an unnamed one)
    at, in_class, class_opened = 0, False, False
    after_quantifier = False
    while at < len(pattern):
        char = pattern[at]
        quantifier, opening = False, False
        if char == "\\":
            text, at = _escape(pattern[at + 1], pattern, at + 1, in_class, flags)
        elif in_class:
            text, at, in_class = _in_class(pattern, at, class_opened, ignore_case)
        elif char == "[":
            in_class, opening = True, True
            text = "[^" if pattern[at + 1 : at + 2] == "^" else "["
            at += len(text)
        elif char == "(":
            text, at = _group(pattern, at, groups, ignore_case)
        elif char == "{" and (found := QUANTIFIER.match(pattern, at)) and (found[1] or found[3]):
            low, comma, high = found.groups()
            text, at, quantifier = f"{{{low or 0}{comma}{high}}}", found.end(), True
        elif char in "*+?":
            if char == "+" and after_quantifier:
                raise Untranslatable("притяжательный повтор (*+, ++, ?+)")
            text, at, quantifier = char, at + 1, char != "?" or not after_quantifier
        elif char in ").|^$":
            text = "[^]" if char == "." and flags & re.DOTALL else char
            at += 1
        else:
            text = _plain(char, ignore_case, False)
            at += 1
        if text.startswith("P") and out and out[-1].endswith("?"):
            text = _literal("P") + text[1:]  # the extension deletes every «?P»
        out.append(text)
        after_quantifier, class_opened = quantifier, opening
    return "".join(out)


def stub_name(step: GlueStep, taken: set[str]) -> str:
    """`common_school`: the module's last part and the function, numbered when two steps share it."""
    name = f"{step.module.rsplit('.', 1)[-1]}_{step.function}"
    number = 2
    unique = name
    while unique in taken:
        unique, number = f"{name}_{number}", number + 1
    taken.add(unique)
    return unique


def render(steps: Iterable[GlueStep], command: str) -> str:
    """The glue file: a header, then a stub for every step (a comment for one the extension cannot read)."""
    lines = [
        '"""Step definitions as VS Code\'s Cucumber extension reads them: one stub for every step pytest-bdd runs.',
        "",
        f"Generated by `{command}`; do not edit.",
        "`cucumber.glue` in .vscode/settings.json names this file. Each pattern is the step's own, translated to the",
        "JavaScript the extension matches with (simulator/testing/vscode_glue.py); the comment above a stub names",
        "the step function pytest-bdd runs.",
        '"""',
        "",
        "from pytest_bdd import given, step, then, when",
    ]
    taken: set[str] = set()
    skipped = 0
    for each in steps:
        where = f"{each.module}.{each.function}"
        try:
            pattern = to_javascript(each.regex, each.flags)
        except Untranslatable as reason:
            lines += ["", f"# {where}: не для VS Code ({reason}): {each.regex!r}"]
            skipped += 1
            continue
        summary = f" — {each.summary}" if each.summary else ""
        lines += [
            "",
            "",
            f"# {where}{summary}",
            f'@{each.kind}("/^(?:{pattern})$/")',
            f"def {stub_name(each, taken)}() -> None: ...",
        ]
    if skipped:
        lines += ["", f"# {skipped} шаг(а/ов) без заглушки: их шаблон JavaScript не выразит"]
    return "\n".join(lines) + "\n"
