"""`sferum-sim new-platform`: a new platform's folder, its first screen's test and its line in the platform table.

Also its first steps (steps/NAME.py) and a feature walking them (features/NAME.feature), so the project's own
rules hold at once: every library step is used by a feature, docs/steps.md and .vscode/cucumber_glue.py are
what `sferum-sim steps` writes (both are written again here).
"""

from __future__ import annotations

import html
import keyword
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .hosts import PLATFORMS

PROJECT = Path(__file__).resolve().parent.parent
TABLE_FILE = Path("simulator") / "hosts.py"
TABLE_START = "PLATFORM_TABLE: tuple[Platform, ...] = (\n"
# A package name that is also a host label: Chromium resolves NAME.localhost, Python imports NAME.
NAME = re.compile(r"[a-z][a-z0-9]{1,30}")
MAX_TITLE = 60  # the table line stays within the line length
# What `sferum-sim steps` writes, by the format that writes it: regenerated once the new steps exist.
GENERATED = {Path("docs") / "steps.md": "markdown", Path(".vscode") / "cucumber_glue.py": "vscode"}


class ScaffoldError(Exception):
    """The platform cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class NewPlatform:
    name: str
    title: str

    @property
    def host(self) -> str:
        return f"{self.name}.localhost"

    def files(self) -> dict[Path, str]:
        """Every new file, by its path in the project."""
        package = Path("simulator") / "platforms" / self.name
        values = {
            "name": self.name,
            "title": self.title,
            "title_html": html.escape(self.title),
            "title_literal": _literal(self.title),
            "title_html_literal": _literal(html.escape(self.title)),
            "opens": _literal(f"открывает главную страницу {self.title}"),
            "shown": _literal(f"открывается главная страница {self.title}"),
            "opens_sentence": f"открывает главную страницу {self.title}",
            "shown_sentence": f"открывается главная страница {self.title}",
        }
        return {
            package / "__init__.py": INIT.format(**values),
            package / "routes.py": ROUTES.format(**values),
            package / "screens.py": SCREENS.format(**values),
            package / "templates" / "layout.html": LAYOUT.format(**values),
            package / "templates" / "home.html": HOME.format(**values),
            Path("tests") / "platforms" / self.name / f"test_platform_{self.name}.py": TEST.format(**values),
            Path("steps") / f"{self.name}.py": STEPS.format(**values),
            Path("features") / f"{self.name}.feature": FEATURE.format(**values),
        }

    def table_line(self) -> str:
        return f"    Platform({_literal(self.name)}, {_literal(self.title)}, ({_literal(self.host)},)),\n"


def check(name: str, title: str, root: Path) -> NewPlatform:
    """The platform to make, once its name and title are known to fit."""
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r}: a platform's name is 2–31 lower-case Latin letters and digits, a letter first")
    if name in PLATFORMS or (root / "simulator" / "platforms" / name).exists():
        raise ScaffoldError(f"a platform {name!r} already exists")
    if not title.strip() or len(title) > MAX_TITLE or re.search(r"[{}%#\\\n]", title) or '"""' in title:
        raise ScaffoldError(f"a title is 1–{MAX_TITLE} characters on one line, without {{ }} % # or \\")
    return NewPlatform(name, title.strip())


def create(name: str, title: str, root: Path = PROJECT) -> list[Path]:
    """Write the platform's folder, test, steps and feature, add its table line, regenerate the step catalogue
    and the editor's glue; the paths written, the table's and the regenerated ones last."""
    platform = check(name, title, root)
    table_file = root / TABLE_FILE
    table = table_file.read_text(encoding="utf-8")
    start = table.find(TABLE_START)
    end = table.find("\n)\n", start)  # the table's closing parenthesis, alone on its line
    if start < 0 or end < 0:
        raise ScaffoldError(f"no `{TABLE_START.strip()}` … `)` table in {table_file}")
    written = []
    for path, text in platform.files().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        written.append(path)
    table_file.write_text(table[: end + 1] + platform.table_line() + table[end + 1 :], encoding="utf-8")
    return [*written, TABLE_FILE, *regenerate(root)]


def regenerate(root: Path) -> list[Path]:
    """docs/steps.md and .vscode/cucumber_glue.py as `sferum-sim steps` writes them, with the new steps in.

    In a process of its own: this one may have imported the step library before the new module existed, and
    the catalogue reads features/ and the project's conftest.py from the working directory.
    """
    written = []
    for path, output_format in GENERATED.items():
        command = [sys.executable, "-m", "simulator.cli", "steps", "--format", output_format]
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300, check=False)
        if result.returncode != 0:
            raise ScaffoldError(f"{path} was not regenerated: {result.stderr.strip()[-2000:]}")
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(result.stdout, encoding="utf-8")
        written.append(path)
    return written


def _literal(text: str) -> str:
    """A Python string literal as the formatter writes it: double quotes unless they would need escaping."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', '\\"') + '"'


INIT = '''\
"""{title}: its screens on its own origin, {name}.localhost."""

from .routes import ROUTES

__all__ = ["ROUTES"]
'''

ROUTES = '''\
"""{title} URLs."""

from . import screens

ROUTES = [
    ("GET", "/", screens.home),
]
'''

SCREENS = '''\
"""{title} screens: one handler per screen, named after what the user sees."""

from __future__ import annotations

from aiohttp import web

from ... import web as sim


async def home(request: web.Request) -> web.StreamResponse:
    """The first screen."""
    return sim.render(request, "{name}/home.html")
'''

LAYOUT = """\
{{% extends "base.html" %}}
{{% block platform %}}{name}{{% endblock %}}
{{% block title %}}{title_html}{{% endblock %}}
"""

HOME = """\
{{% extends "{name}/layout.html" %}}
{{% block body %}}
<main class="card centered" data-screen="{name}-home">
  <h1 data-testid="{name}-title">{title_html}</h1>
</main>
{{% endblock %}}
"""

TEST = '''\
"""{title}: the first screen, on the platform's own origin."""

from __future__ import annotations

from simulator.hosts import PLATFORMS
from tests.support.sim_browser import Browser


def test_the_first_screen_shows_the_platforms_title(http_browser: Browser) -> None:
    page = http_browser.get("/", host=PLATFORMS["{name}"].hosts[0])
    assert page.status_code == 200
    assert 'data-screen="{name}-home"' in page.text
    assert {title_html_literal} in page.text
'''

STEPS = '''\
"""{title} steps: the first screen. Each sentence reads like the seed's; grep steps/ before adding one."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import then, when

from simulator.testing import SimSession
from simulator.testing.acts import Open, Screen, acts, checks


@when({opens})
@acts(Open("{name}"))
def opens_{name}_home(page: Page, sim_session: SimSession) -> None:
    """Opens the platform's first screen by its address."""
    page.goto(sim_session.url("{name}", "/"))


@then({shown})
@checks(Screen("{name}-home"))
def {name}_home_shown(page: Page) -> None:
    """Checks the first screen is shown with the platform's title."""
    expect(page.locator('[data-screen="{name}-home"]')).to_be_visible()
    expect(page.get_by_test_id("{name}-title")).to_have_text({title_literal})
'''

FEATURE = """\
# language: ru
@{name}
Функция: {title}
  Первый экран платформы на её собственном адресе.

  Сценарий: Главная страница открывается
    Когда {opens_sentence}
    Тогда {shown_sentence}
"""
