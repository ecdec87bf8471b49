"""`sferum-sim conformance`: a vendor's own journal walked through every VK ID outcome, and a report of what it got wrong.

`config` reads the command line and the TOML file, `outcomes` lists what a person does and what a correct
journal must do, `vkid_checks` names the journal's protocol mistakes VK ID saw, `runner` walks the outcomes
in Chromium, `report` writes report.html, junit.xml and results.json; `api.check` does it all from Python.
"""

from .api import check
from .config import Config, ConfigError
from .outcomes import OUTCOMES, Outcome
from .report import Result

__all__ = ["OUTCOMES", "Config", "ConfigError", "Outcome", "Result", "check"]
