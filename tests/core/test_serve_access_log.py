"""`sferum-sim serve` logs no line per request unless --access-log asks for it."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.log import access_logger

from simulator import cli


@pytest.mark.parametrize(("flags", "expected"), [([], None), (["--access-log"], access_logger)])
def test_access_log(monkeypatch: pytest.MonkeyPatch, flags: list[str], expected: object) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr(web, "run_app", lambda app, **options: started.update(options))
    assert cli.main(["serve", "--port", "0", *flags]) == 0
    assert started["access_log"] is expected
