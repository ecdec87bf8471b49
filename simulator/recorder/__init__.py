"""`sferum-sim record`: a person clicks through the simulator, the recorder writes the Russian scenario.

- capture.py: what the page reports (clicks, fields typed, documents loaded), through one binding;
- matching.py: those actions to the library's «Когда» steps, by what the steps declare they do;
- proposing.py: «Тогда» checks from what the page shows and the world gained;
- writing.py: the `.feature` text; sentences.py: a step's sentence from its pattern;
- panel.py: the live panel in the browser; session.py: the recording itself; verify.py: the run at the end;
- cli.py: the command.
"""

from .session import DEFAULT_GIVENS, Options, RecorderError, Recording
from .verify import Verdict
from .verify import run as run_feature

__all__ = ["DEFAULT_GIVENS", "Options", "RecorderError", "Recording", "Verdict", "run_feature"]
