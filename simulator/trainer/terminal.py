"""The trainer's lines on the real terminal, past pytest's capture (as pdb gets it)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import pytest


class Terminal:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @contextlib.contextmanager
    def claimed(self, stdin: bool = False) -> Iterator[None]:
        """The real terminal (and its input, when `stdin`) for the duration, pytest's capture suspended."""
        capture = self.config.pluginmanager.getplugin("capturemanager")
        if capture is None:
            yield
            return
        capture.suspend(in_=stdin)
        try:
            yield
        finally:
            capture.resume()

    def say(self, line: str, *, transient: bool = False) -> None:
        """A line on stderr; on a terminal, a transient line is overwritten by the next one."""
        with self.claimed():
            tty = sys.stderr.isatty()
            prefix = "\r\033[K" if tty else ""
            print(prefix + line, file=sys.stderr, end="" if transient and tty else "\n", flush=True)

    def wait_for_enter(self) -> bool:
        """Waits for Enter; False when there is no terminal to answer (input closed)."""
        with self.claimed(stdin=True):
            print("  Enter — следующий шаг", file=sys.stderr, end="", flush=True)
            if sys.stdin.readline():
                return True
            print(" (ввод закрыт, дальше без пауз)", file=sys.stderr)
            return False
