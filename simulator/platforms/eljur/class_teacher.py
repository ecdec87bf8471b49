"""«Мой класс»: the class teacher enters each student's phone or e-mail in the journal.

Seed 003: a child registers on Госуслуги with their own phone or e-mail, then «необходимо сообщить
классному руководителю номер телефона или e-mail с которым ребенок регистрировался, для добавления в
журнал, иначе они не смогут зайти». ЭлЖур lets a student in only with the Госуслуги account on that
phone or e-mail (rules.entry_refusal).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...validation import ValidationError
from ...world import Journal, JournalAccount, Role, Session, accounts

NOT_CLASS_TEACHER = "Раздел «Мой класс» доступен только классному руководителю."
NO_STUDENT = "Ученик не найден в вашем классе."
TAKEN = "Этот телефон или e-mail уже добавлен в журнал другому ученику. Проверьте, что ученик указал свой."


def students(session: Session, teacher: JournalAccount) -> list[JournalAccount]:
    """The class's students in the journal, by surname."""
    found = [
        a
        for a in session.journal_accounts.values()
        if a.journal == Journal.ELJUR and a.role is Role.STUDENT and a.class_id == teacher.class_id
    ]
    return sorted(found, key=lambda a: session.people[a.person_id].full_name)


def refusal(account: JournalAccount) -> str | None:
    """Why this account may not open «Мой класс», or None for a class teacher."""
    if account.role is not Role.TEACHER or account.class_id is None:
        return NOT_CLASS_TEACHER
    return None


def page(request: web.Request, account: JournalAccount, status: int = 200, **context: Any) -> web.Response:
    """The class list with each student's contact and a field to enter it; `account` is a class teacher."""
    session = sim.session(request)
    assert account.class_id is not None  # refusal() lets in only a class teacher
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("alert", None)
    context.setdefault("notice", None)
    return sim.render(
        request,
        "eljur/class.html",
        status,
        account=account,
        person=session.people[account.person_id],
        role="Учитель",
        school_class=session.classes[account.class_id],
        students=students(session, account),
        people=session.people,
        **context,
    )


async def add_contact(request: web.Request, account: JournalAccount) -> web.Response | str:
    """The student's phone or e-mail into the journal: the notice to show once stored, or the page with the error."""
    session = sim.session(request)
    student = session.journal_accounts.get(request.match_info["student_id"])
    if student is None or student not in students(session, account):
        return page(request, account, 404, alert=NO_STUDENT)
    data = await sim.form(request)
    field = f"contact-{student.id}"
    typed = {field: data.get("contact", "")}
    try:
        _, contact = validation.login(data.get("contact"), "contact")
    except ValidationError as error:
        return page(request, account, 422, errors={field: error.message}, values=typed)
    other = session.journal_by_contact(Journal.ELJUR, contact)
    if other is not None and other.id != student.id:
        return page(request, account, 422, errors={field: TAKEN}, values=typed)
    accounts.set_contact(session, student, contact)
    name = session.people[student.person_id].full_name
    return f"Телефон или e-mail ученика {name} добавлен в журнал: {shown(contact)}."


def shown(contact: str) -> str:
    """A contact as the journal prints it: the e-mail as is, the phone as «+7 999 123-45-67»."""
    return contact if "@" in contact else validation.format_phone(contact)
