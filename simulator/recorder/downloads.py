"""A file a click downloaded, read as what that click showed: the administrator's statistics workbook.

A download loads no new document, so the page the person sees is the one they clicked on; the recorder reads
the file instead, and adds it to what the page shows (`proposing.Shown`): its name under the testid
`download`, each sheet's rows under `sheet:<name>` (its header row apart, as the step names it), so the steps
that check a downloaded file declare it as they declare a page's text and lists (acts.Text, acts.Table).

The workbook names people, by «Фамилия Имя» and by the ID of their educational profile: such a cell is written
as the person the steps call by that word («{учитель}»), as the statistics steps read them (steps/sferum.py),
never as the literal, which another persona would not have. Rows of people come in the order the scenario knows
them (`order`: its actor first, the administrator last), not the file's (by name, which differs from persona to
persona); the statistics steps take them in any order.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from .proposing import Shown

NAME = "download"  # the testid a downloaded file's name is read under
SHEET = "sheet:"  # the prefix of the testid a workbook's sheet is read under


def cell(value: Any) -> str:
    """A cell as the statistics steps print it: a date as «16.10.2024», nothing as an empty cell."""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def said(header: str, value: str, names: Mapping[str, str], profiles: Mapping[str, str]) -> str:
    """A cell as a scenario writes it: a person of the scenario as «{word}», anything else as it is."""
    word = profiles.get(value) if header.startswith("ID") else names.get(value)
    return f"{{{word}}}" if word else value


def read(
    shown: Shown | None,
    path: Path,
    filename: str,
    names: Mapping[str, str],
    profiles: Mapping[str, str],
    order: Sequence[str] = (),
) -> Shown | None:
    """What the page showed, with the file downloaded from it: `names` are the scenario's people by the names the
    file may show («Фамилия Имя»), `profiles` by their profile's ID, each with the word the steps call them."""
    rows = sheets(path, names, profiles, order) if filename.endswith(".xlsx") else {}
    base = shown or Shown(None)
    return replace(base, testids={**base.testids, NAME: filename}, rows={**base.rows, **rows})


def sheets(
    path: Path, names: Mapping[str, str], profiles: Mapping[str, str], order: Sequence[str] = ()
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each sheet's rows under its testid, the header row apart; none from a file that is no workbook."""
    from openpyxl import load_workbook  # only a statistics download reads one: not imported with every recording
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Playwright keeps a download under a name without an extension, which openpyxl refuses: read as bytes.
        book = load_workbook(BytesIO(path.read_bytes()), read_only=True)
    except (InvalidFileException, OSError, ValueError, KeyError, zipfile.BadZipFile):
        return {}
    rows = {}
    for sheet in book.worksheets:
        header, *body = [tuple(cell(v) for v in row) for row in sheet.iter_rows(values_only=True)] or [()]
        written = [
            tuple(said(h, value, names, profiles) for h, value in zip(header, row, strict=False)) for row in body
        ]
        rows[SHEET + sheet.title] = tuple(sorted(written, key=lambda row: _place(row, order)))
    book.close()
    return rows


def _place(row: tuple[str, ...], order: Sequence[str]) -> int:
    """Where a row of a person comes: their word's place in `order`; anything else after them, as it was."""
    words = [value[1:-1] for value in row if value.startswith("{") and value.endswith("}")]
    return next((order.index(word) for word in words if word in order), len(order))


__all__ = ["NAME", "SHEET", "cell", "read", "said", "sheets"]
