"""Which Chromium the plugin launches: the headless shell for headless runs, full Chromium for a window."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from simulator.testing import browser
from simulator.testing.browser import SYSTEM_CHROMIUMS, SYSTEM_SHELLS, system_chromium
from simulator.testing.browser_fixtures import browser_choice

SHELL = SYSTEM_SHELLS[0]
FULL = SYSTEM_CHROMIUMS[0]


@pytest.fixture
def on_disk(monkeypatch: pytest.MonkeyPatch):
    """Pretend exactly these binaries are installed, and no $SFERUM_SIM_CHROMIUM / PWDEBUG."""
    monkeypatch.delenv(browser.ENV, raising=False)
    monkeypatch.delenv("PWDEBUG", raising=False)

    def install(*paths: str) -> None:
        monkeypatch.setattr(browser, "installed", lambda candidate: candidate if candidate in paths else None)

    return install


@pytest.mark.parametrize(
    ("headless", "kind", "expected"),
    [
        (True, "auto", SHELL),
        (False, "auto", FULL),
        (True, "full", FULL),
        (True, "shell", SHELL),
        (False, "shell", SHELL),  # asked for by name; the launch options refuse it for a window
    ],
)
def test_both_installed(on_disk, headless: bool, kind: str, expected: str) -> None:
    on_disk(SHELL, FULL)
    assert system_chromium(headless=headless, kind=kind) == expected


def test_without_the_shell_auto_falls_back_to_full_chromium(on_disk) -> None:
    on_disk(FULL)
    assert system_chromium(headless=True) == FULL
    assert system_chromium(headless=True, kind="shell") is None


def test_without_full_chromium_a_window_gets_nothing(on_disk) -> None:
    on_disk(SHELL)
    assert system_chromium(headless=False) is None
    assert system_chromium(headless=True, kind="full") is None


def test_callers_that_say_nothing_get_full_chromium(on_disk) -> None:
    """replay, guides and ensure-browser.sh call it without arguments: a browser that can show a window."""
    on_disk(SHELL, FULL)
    assert system_chromium() == FULL


def test_the_environment_variable_wins(on_disk, monkeypatch: pytest.MonkeyPatch) -> None:
    on_disk(SHELL, FULL)
    monkeypatch.setenv(browser.ENV, "/opt/chrome/chrome")
    assert system_chromium(headless=True, kind="shell") == "/opt/chrome/chrome"


def test_an_unknown_kind_is_refused(on_disk) -> None:
    with pytest.raises(ValueError, match="one of auto, shell, full"):
        system_chromium(kind="chrome")


def test_launch_options(on_disk) -> None:
    on_disk(SHELL, FULL)
    assert browser_choice({}, "auto", own_browser=False) == {"executable_path": SHELL}
    assert browser_choice({"headless": False}, "auto", own_browser=False) == {"executable_path": FULL}
    assert browser_choice({}, "full", own_browser=False) == {"executable_path": FULL}
    # Playwright's own download runs its own headless shell already; full Chromium is its "chromium" channel.
    assert browser_choice({}, "auto", own_browser=True) == {}
    assert browser_choice({}, "full", own_browser=True) == {"channel": "chromium"}
    assert browser_choice({"headless": False}, "full", own_browser=True) == {}
    # What the command line named already wins.
    assert browser_choice({"channel": "chrome"}, "full", own_browser=False) == {}
    assert browser_choice({"executable_path": "/x"}, "auto", own_browser=False) == {}


def test_launch_options_refuse_the_shell_for_a_window_or_when_missing(on_disk, monkeypatch) -> None:
    on_disk(FULL)
    with pytest.raises(pytest.UsageError, match="no window"):
        browser_choice({"headless": False}, "shell", own_browser=False)
    with pytest.raises(pytest.UsageError, match="apt-get install chromium-headless-shell"):
        browser_choice({}, "shell", own_browser=False)
    monkeypatch.setenv("PWDEBUG", "1")  # Playwright's inspector opens a window
    assert browser_choice({}, "auto", own_browser=False) == {"executable_path": FULL}


def test_a_channel_of_playwrights_download_falls_back_to_the_system_chromium(on_disk) -> None:
    on_disk(SHELL, FULL)
    # No download: the system's Chromium of the channel's kind, the channel dropped.
    assert browser_choice({"channel": "chromium"}, "auto", own_browser=False) == {
        "channel": None,
        "executable_path": FULL,
    }
    shell = browser_choice({"channel": "chromium-headless-shell"}, "auto", own_browser=False)
    assert shell == {"channel": None, "executable_path": SHELL}
    # With the download, or for a branded channel, the channel stays as named.
    assert browser_choice({"channel": "chromium"}, "auto", own_browser=True) == {}
    assert browser_choice({"channel": "msedge"}, "auto", own_browser=False) == {}
    on_disk()  # nothing to fall back on: Playwright says what is missing
    assert browser_choice({"channel": "chromium"}, "auto", own_browser=False) == {}


def test_video_gets_an_ffmpeg_linked_where_playwright_looks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "browsers" / "ffmpeg-1" / "ffmpeg-linux"
    system = tmp_path / "usr-bin-ffmpeg"
    system.write_text("#!/bin/sh\n", encoding="utf-8")
    system.chmod(0o755)
    monkeypatch.setattr(browser, "playwright_ffmpeg", lambda: target)
    monkeypatch.setattr(browser, "available_ffmpeg", lambda: str(system))
    note = browser.ensure_video_ffmpeg()
    assert target.resolve() == system.resolve() and os.access(target, os.X_OK)
    assert note is not None and str(system) in note
    assert browser.ensure_video_ffmpeg() is None  # linked once: nothing more to say
    assert [p.name for p in target.parent.iterdir()] == ["ffmpeg-linux"]  # no temporary link left


def test_video_without_any_ffmpeg_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(browser, "playwright_ffmpeg", lambda: tmp_path / "ffmpeg-1" / "ffmpeg-linux")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(browser.VideoError, match=r"apt-get install ffmpeg[\s\S]*pip install imageio-ffmpeg"):
        browser.ensure_video_ffmpeg()
