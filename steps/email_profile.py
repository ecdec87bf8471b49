"""A profile by e-mail (seed 002): the rule about age is told before anything is spent on it."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then

from simulator.testing.acts import Group, Text, checks


@then(parsers.re(r"ещё до ввода кода VK ID предупреждает: «(?P<text>.+)»$"))
@checks(Text("email-rule", Group("text")))
def email_rule_told_first(page: Page, text: str) -> None:
    """Checks the e-mail code screen, before any code is typed, notes exactly this text and offers «Войти по номеру телефона»."""
    expect(page.get_by_label("Код подтверждения")).to_have_value("")
    expect(page.get_by_role("note")).to_have_text(text)
    expect(page.get_by_role("button", name="Войти по номеру телефона", exact=True)).to_be_visible()
