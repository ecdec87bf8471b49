"""`sferum-sim replay`: a real scenario headed under Xvfb, with the caption and outline in every picture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from simulator.testing.browser import system_chromium
from simulator.trainer import TrainerError, overlay
from simulator.trainer.runner import display

pytestmark = pytest.mark.slow  # the replay command and Chromium in other processes

ROOT = Path(__file__).resolve().parents[2]
FEATURE = ROOT / "features" / "mes_teacher_vkid.feature"
# E02's first scenario, by its name: E02 has another one («Подробнее...»).
SCENARIO = "не может получить идентификационные данные"
needs_screen = pytest.mark.skipif(
    not (os.environ.get("DISPLAY") or shutil.which("Xvfb")),
    reason="no screen (DISPLAY) and no Xvfb to open a headed browser on",
)


def replay(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", "replay", str(FEATURE), "--scenario", SCENARIO, "--slowmo", "0", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


@needs_screen
def test_replay_shows_each_steps_caption_and_element(tmp_path: Path) -> None:
    run = replay("--step-delay", "0", "--screenshots", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    record: dict[str, Any] = json.loads((tmp_path / "001.json").read_text(encoding="utf-8"))
    assert record["passed"] and len(record["steps"]) == 10
    for step in record["steps"]:
        assert (tmp_path / step["screenshot"]).read_bytes()[:4] == b"\x89PNG"
        # What the overlay showed when the picture was taken: the step's own text as the caption.
        assert step["overlay"]["caption"] == f"Шаг {step['number']}. {step['text']}"
        if step["kind"] == "action" and step["number"] != 8:  # step 8 switches a fault: no element
            assert step["overlay"]["boxes"] >= 1
    steps = {s["number"]: s for s in record["steps"]}
    assert steps[1]["overlay"]["outlined"] == ["Логин"]  # before the first action: the element about to be used
    assert steps[3]["overlay"]["outlined"] == ["Перейти к подключению"]
    error = "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные. Подробнее..."
    assert steps[5]["overlay"]["outlined"] == [error]  # a check: the element it checked, after the check
    assert "шаг 3/10: Нажимает «Перейти к подключению»" in run.stderr


@needs_screen
def test_pause_waits_for_enter_before_each_step() -> None:
    run = replay("--pause", stdin="\n" * 10)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr.count("Enter — следующий шаг") == 10


def test_without_a_screen_or_xvfb_it_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(TrainerError, match=r"Нет экрана.*Xvfb"), display():
        pass


def test_the_caption_is_invisible_to_the_scenarios_locators() -> None:
    """Steps search the page by text: the overlay's words must never be found or block a click."""

    def check(page: Page) -> None:
        page.set_content("<h1>Вход в VK ID</h1><button onclick=\"this.textContent='Нажата'\">Продолжить</button>")
        overlay.show_caption(page, "Шаг 1. Нажимает «Продолжить»", True)
        assert overlay.outline(page.get_by_role("button"), keep=False) == ["Продолжить"]
        assert page.get_by_text("Шаг 1").count() == 0 and page.get_by_text("Продолжить").count() == 1
        assert "Шаг" not in page.locator("body").inner_text()
        page.get_by_role("button").click(timeout=2000)  # the overlay lets clicks through
        assert overlay.state(page) == {"caption": "Шаг 1. Нажимает «Продолжить»", "outlined": ["Нажата"], "boxes": 1}

    in_own_browser(check)


def in_own_browser(check: Callable[[Page], None]) -> None:
    """Playwright's sync API in a thread of its own: this process's main thread keeps no event loop."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium
                path = None if Path(chromium.executable_path).exists() else system_chromium()
                browser = chromium.launch(executable_path=path)
                try:
                    check(browser.new_page())
                finally:
                    browser.close()
        except BaseException as error:  # reported in the test's own thread
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if failure:
        raise failure[0]
