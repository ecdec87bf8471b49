"""Helpers of the organisation tests: a school and a kindergarten, people in them, VK ID sign-ins."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx

from simulator.testing import Personas, SimSession
from simulator.world.seed import OrganisationEntry
from tests.support.sim_browser import Browser, location, sign_in

MESSENGER = "messenger.localhost"
SFERUM = "sferum.localhost"
SCHOOL: OrganisationEntry = {"id": 216579624, "name": 'МБОУ "Школа №51"', "classes": ["10А", "11А"]}
KINDERGARTEN: OrganisationEntry = {"id": 216600007, "name": "МБДОУ «Детский сад №7»", "kind": "kindergarten"}


def seed(session: SimSession, personas: Personas, role: str, **entry: Any) -> tuple[Any, dict[str, Any]]:
    """One person with a VK ID profile; `entry` as in Persona.entry."""
    person = personas.make(role)
    entry.setdefault("vkid", True)
    entry.setdefault("profile", True)
    created = session.seed({"people": [person.entry(**entry)]})
    return person, created["people"][person.key]


def sign_in_to(browser: Browser, host: str, path: str, phone: str) -> httpx.Response:
    """Open `path` on a first-party platform, walk VK ID with `phone`, and follow the way back."""
    authorize = location(browser.get(path, host=host), 303)
    page = browser.get(sign_in(browser, authorize, phone))
    while page.status_code == 303:  # the callback, then the platform's own redirects
        page = browser.get(page.headers["location"], host=host)
    return page


def texts(page: httpx.Response, testid: str) -> list[str]:
    """The visible text of every element with this data-testid, whitespace collapsed."""
    found = re.findall(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', page.text, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()) for _, body in found]
