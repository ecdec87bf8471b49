"""`sferum-sim replay`: a scenario step by step in a visible browser, for a trainer's audience.

Headed Chromium with pytest-playwright's --headed and --slowmo; the plugin (plugin.py) puts each
step's text on the page as a caption, outlines the element about to be used and waits for Enter or
a timer. With no screen (no DISPLAY), the browser opens on a virtual Xvfb screen: nothing is seen,
but `--screenshots DIR` keeps a picture of every step as shown.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .runner import Selection, display, own_root, pytest_command

DEFAULT_DELAY = 2.0  # seconds a step stays on screen when neither --pause nor --step-delay is given
NOTHING_SELECTED = 5  # pytest's exit code when no test ran


def replay(
    feature: str,
    scenario: str | None = None,
    *,
    pause: bool = False,
    step_delay: float | None = None,
    slowmo: int = 300,
    screenshots: str | None = None,
) -> int:
    selection = Selection.of([feature], scenario)
    args = ["--headed", f"--slowmo={slowmo}", "--trainer=replay"]
    args.append(
        "--trainer-pause" if pause else f"--trainer-step-delay={DEFAULT_DELAY if step_delay is None else step_delay}"
    )
    if screenshots:
        args.append(f"--trainer-out={Path(screenshots).resolve()}")
    with display() as env, own_root(selection) as root_args:
        try:
            code = subprocess.run(pytest_command(selection, *root_args, *args), cwd=selection.root, env=env).returncode
        except KeyboardInterrupt:  # Ctrl+C reaches pytest too; it closes the browser itself
            print("\nsferum-sim replay: остановлено", file=sys.stderr)
            return 130
    if code == NOTHING_SELECTED:
        print(f"sferum-sim replay: в {feature} нет сценария «{scenario}»", file=sys.stderr)
    return code
