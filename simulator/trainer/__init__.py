"""Trainer mode: replay scenarios slowly in a visible browser and turn them into illustrated guides.

- `replay` (replay.py): one scenario, headed, a caption and an outline before each step;
- `guide` (guide.py): a Russian «Шаг N.» instruction per scenario, HTML and PDF;
- plugin.py: the pytest plugin both run the real scenarios with; overlay.py: what it draws.

The simulator's console for live sessions is simulator/console/.
"""

from .guide import guide
from .replay import replay
from .runner import Selection, TrainerError

__all__ = ["Selection", "TrainerError", "guide", "replay"]
