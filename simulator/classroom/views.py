"""The classroom's templates (simulator/classroom/templates/), escaped like every page of the simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from .. import web as sim
from ..plural import Forms, count

SEATS: Forms = ("место", "места", "мест")  # «3 места», «20 мест»

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # trainees' names and anything typed are shown, never interpreted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def minutes(seconds: float) -> str:
    """«4:05» — minutes and seconds on a step."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


templates.filters["minutes"] = minutes
templates.filters["seats"] = lambda n: count(n, SEATS)
templates.filters["phone"] = sim.templates.filters["phone"]  # «+7 199 111-11-11», as the platforms show it


def page(template: str, status: int = 200, **context: Any) -> web.Response:
    html = templates.get_template(template).render(**context)
    return web.Response(text=html, status=status, content_type="text/html", headers={"Cache-Control": "no-store"})


def refusal(request: web.Request, status: int, error: str, message: str) -> web.Response:
    """A refusal: JSON for a client that asks for it, a Russian page for people."""
    if "application/json" in request.headers.get("Accept", "") or request.path.startswith("/_sim/"):
        return web.json_response({"error": error, "message": message}, status=status)
    return page("refused.html", status, message=message)
