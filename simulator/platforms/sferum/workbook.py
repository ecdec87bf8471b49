"""The administrator's Excel file: the weekly statistics and the per-user report, one sheet each.

openpyxl is imported by the first download, not with the simulator: it is ~80 ms of every start (the web
application's import), and most runs never download the file.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from ...world.statistics import WeeklyReport

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

STATISTICS = "Статистика"
USERS = "Пользователи"
STATISTICS_HEADER = ("Дата", "ФИО", "Связь с ЭЖ", "Кол-во сообщений за 7 дней", "Кол-во звонков за 7 дней")
# Seed 001 prints the per-user report's header so, «Тип пользы» included: a reader of the file keys on these words.
USERS_HEADER = ("Дата", "ID организации", "ID пользователя", "ФИО", "Тип пользы", "Связь с ЭИП")
DATE_FORMAT = "DD.MM.YYYY"


def filename(report: WeeklyReport) -> str:
    return f"sferum_statistics_{report.org_id}_{report.date.isoformat()}.xlsx"


def statistics_workbook(report: WeeklyReport) -> bytes:
    """A real .xlsx (Office Open XML), as Excel and LibreOffice open it."""
    from openpyxl import Workbook

    book = Workbook()
    weekly = book.create_sheet(STATISTICS)
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    weekly.append(STATISTICS_HEADER)
    for user in report.users:
        weekly.append([report.date, user.full_name, int(user.journal_linked), user.messages, user.calls])
    users = book.create_sheet(USERS)
    users.append(USERS_HEADER)
    for user in report.users:
        users.append(
            [report.date, report.org_id, user.profile_id, user.full_name, user.user_type, int(user.journal_linked)]
        )
    for sheet in (weekly, users):
        _tidy(sheet)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _tidy(sheet: Worksheet) -> None:
    """Bold header, dates as dates, columns wide enough to read."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.number_format = DATE_FORMAT
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(c.value)) for c in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10) + 2, 50)
    sheet.freeze_panes = "A2"
