"""`sferum-sim record`: click through the simulator in a browser, get a Russian Gherkin scenario."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..trainer.runner import TrainerError, display
from .library import LibraryError
from .session import Options, RecorderError, Recording
from .verify import run as run_feature
from .writing import PLACEHOLDER


@contextlib.contextmanager
def _screen(headless: bool) -> Iterator[Mapping[str, str] | None]:
    if headless:
        yield None
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or shutil.which("Xvfb")):
        raise RecorderError(
            "нет экрана: переменная DISPLAY не задана, и Xvfb не установлен (apt-get install xvfb); "
            "для записи из скрипта — --headless"
        )
    with display() as env:
        yield env


def main(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        print(f"sferum-sim record: {output} уже есть (--force — перезаписать)", file=sys.stderr)
        return 2
    options = Options(
        persona=args.persona,
        journal=args.journal,
        givens=args.given,
        sim_url=args.sim_url,
        headless=args.headless,
        title=args.title,
        start=args.start,
    )
    try:
        with _screen(args.headless) as env:
            options.env = env
            with Recording(options) as recording:
                console = f"{recording.sim.url if recording.sim else ''}/_sim/?session={recording.session.key}"
                try:  # Ctrl+C as soon as the recording is announced ends it too, not only once it runs
                    print(f"Консоль сессии (коды, сбои, часы): {console}", file=sys.stderr)
                    print(
                        "Запись идёт: работайте в окне браузера. «Добавить проверку» на панели — предложенная проверка, "
                        "«Готово» (или закрыть окно, или Ctrl+C) — конец записи.",
                        file=sys.stderr,
                    )
                    recording.run()
                except KeyboardInterrupt:
                    pass
                text = recording.feature_text()
                missing = recording.placeholders()
    except (RecorderError, LibraryError, TrainerError) as error:
        print(f"sferum-sim record: {error}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"Записано: {output}")
    if missing:
        lines = [n for n, line in enumerate(text.splitlines(), 1) if PLACEHOLDER in line]
        print(
            f"Для {len(missing)} действий в библиотеке нет шага — строки «{PLACEHOLDER}» ({', '.join(map(str, lines))}): "
            "напишите шаги или замените эти строки.",
            file=sys.stderr,
        )
    if args.no_run:
        return 0
    verdict = run_feature(output, sim_url=args.sim_url)
    print(verdict.describe(output))
    return 0 if verdict.passed else 1
