"""Sferum messenger steps."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import then

from .common import Scene


@then("открывается Сферум с его учебным профилем")
def messenger_opens(page: Page, scene: Scene) -> None:
    expect(page.get_by_test_id("profile-name")).to_contain_text(f"{scene.actor.last_name} {scene.actor.first_name}")
