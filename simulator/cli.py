"""`sferum-sim serve`: the simulator; `replay` and `guide`: the trainer mode; `report merge`: shards' reports as one;
`new-platform`: a new platform's folder, first screen and test; `steps`: the step library's catalogue;
`record`: a scenario recorded from clicks in a browser."""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeAlias

from .hosts import JOURNALS
from .wire import TOKEN_ENV
from .world.session import Limits

# Starting the command line imports nothing but argparse and the light modules above. Each command imports
# its machinery when it runs, inside `machinery(...)`: the container image installs the server's own
# dependencies only (Dockerfile, SERVER_DEPENDENCIES), and `--help` or `serve` must not need Playwright.

DISTRIBUTION = "sferum-sim"
OWN_PACKAGES = frozenset({"simulator", "sferum_sim_steps"})  # one of these missing is a broken install, not a choice
# The recorder's personas (`recorder.session.WHO`), named here so that `record --help` needs no browser driver.
RECORDED_PERSONAS = ("teacher", "student", "parent", "admin")

# A string: argparse's class takes no type parameter at run time, only in its stubs.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class MissingDependency(Exception):
    """A command needs packages this installation left out."""

    def __init__(self, command: str, requirements: list[str], module: str = "") -> None:
        super().__init__(", ".join(requirements) or module)
        self.command = command
        self.requirements = requirements  # the package's requirements not installed, as pip reads them
        self.module = module  # the module an import found missing, if one did

    def hint(self) -> str:
        if not self.requirements:  # a dependency of a dependency, or a checkout that was never installed
            return (
                f"sferum-sim {self.command}: этой команде нужен модуль {self.module}, а в этой установке его нет: "
                f"установите пакет, в котором он есть, или переустановите {DISTRIBUTION} с зависимостями"
            )
        names = ", ".join(re.split(r"[^A-Za-z0-9._-]", requirement)[0] for requirement in self.requirements)
        install = " ".join(shlex.quote(requirement) for requirement in self.requirements)
        return (
            f"sferum-sim {self.command}: этой команде нужны пакеты, которых в этой установке нет: {names} "
            f"(образ Docker, например, несёт только сервер). Установите их: pip install {install}"
        )


def missing_requirements() -> list[str]:
    """The package's own requirements (extras aside) that are not installed, as pip reads them."""
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return []  # run from a checkout that was never installed: no metadata to read them from
    missing = []
    for requirement in requirements:
        specifier, _, marker = requirement.partition(";")
        if "extra" in marker:
            continue
        specifier = "".join(specifier.split())
        name = re.match(r"[A-Za-z0-9._-]+", specifier)
        if name is None:
            continue
        try:
            importlib.metadata.distribution(name.group(0))
        except importlib.metadata.PackageNotFoundError:
            missing.append(specifier)
    return missing


@contextlib.contextmanager
def machinery(command: str, *, harness: bool = False) -> Iterator[None]:
    """Around a command's imports: a third-party module missing becomes `MissingDependency`, told in Russian.

    Only imports go inside, so an error raised while the command runs is never mistaken for a missing package.
    `harness`: the command runs the test harness (pytest, Playwright), in its own process or a child's, where
    a missing module would show only half-way through; so it starts only with every requirement installed.
    """
    if harness and (missing := missing_requirements()):
        raise MissingDependency(command, missing)
    try:
        yield
    except ModuleNotFoundError as error:
        module = (error.name or "").partition(".")[0]
        if not module or module in OWN_PACKAGES:
            raise
        raise MissingDependency(command, missing_requirements(), module) from error


def serve(args: argparse.Namespace) -> int:
    with machinery("serve"):
        from .serve import serve as run_server

    return run_server(args)


def replay(args: argparse.Namespace) -> int:
    with machinery("replay", harness=True):
        from .trainer import TrainerError
        from .trainer import replay as run_replay

    try:
        return run_replay(
            args.feature,
            args.scenario,
            pause=args.pause,
            step_delay=args.step_delay,
            slowmo=args.slowmo,
            screenshots=args.screenshots,
        )
    except TrainerError as error:
        print(f"sferum-sim replay: {error}", file=sys.stderr)
        return 2


def guide(args: argparse.Namespace) -> int:
    with machinery("guide", harness=True):
        from .trainer import TrainerError
        from .trainer import guide as run_guide

    try:
        return run_guide(args.features, args.output, args.scenario)
    except TrainerError as error:
        print(f"sferum-sim guide: {error}", file=sys.stderr)
        return 2


def merge_reports(args: argparse.Namespace) -> int:
    with machinery("report merge"):
        from .testing.reporting.merge import MergeError, merge

    try:
        written = merge([Path(d) for d in args.dirs], Path(args.output))
    except (MergeError, OSError, ValueError) as error:
        print(f"sferum-sim: cannot merge: {error}", file=sys.stderr)
        return 2
    print("Merged reports: " + ", ".join(map(str, written)))
    return 0


def new_platform(args: argparse.Namespace) -> int:
    with machinery("new-platform"):
        from .scaffold import ScaffoldError, create

    try:
        written = create(args.name, args.title)
    except (ScaffoldError, OSError) as error:
        print(f"sferum-sim new-platform: {error}", file=sys.stderr)
        return 2
    print("Written: " + ", ".join(map(str, written)))
    return 0


def step_catalogue(args: argparse.Namespace) -> int:
    with machinery("steps", harness=True):
        from .testing.step_catalogue import main as print_catalogue  # pytest-bdd and the whole library

    return print_catalogue(args.format, args.features)


def record(args: argparse.Namespace) -> int:
    with machinery("record", harness=True):
        from .recorder.cli import main as run_recorder  # Playwright

    return run_recorder(args)


def conformance(args: argparse.Namespace) -> int:
    with machinery("conformance", harness=True):
        from .conformance.runner import main as run_conformance  # Playwright

    return run_conformance(args)


def classroom(args: argparse.Namespace) -> int:
    with machinery("classroom", harness=True):
        from .classroom.run import main as run_classroom  # the step library, for the seats' «Дано» steps

    return run_classroom(args)


def add_classroom(commands: Subparsers) -> None:
    room = commands.add_parser(
        "classroom", help="a lesson: every trainee practises a scenario on a world of their own, the trainer watches"
    )
    room.add_argument("chosen", nargs="*", metavar="FEATURE|ID", help="a .feature file, or flow IDs such as F06 E02")
    room.add_argument(
        "--scenario", action="append", default=[], metavar="NAME", help="a scenario of the file (repeatable)"
    )
    room.add_argument("--seats", type=int, default=1, metavar="N", help="how many trainees (default 1)")
    room.add_argument("--features", default="features", metavar="DIR", help="where flow IDs are looked up")
    room.add_argument("--address", help="the address trainees reach this computer by (default: its own on the network)")
    room.add_argument("--host", default="0.0.0.0", help="where the platforms' ports listen (default all interfaces)")
    room.add_argument(
        "--port", type=int, default=8790, help="the room view's port; the platforms take the next eight (default 8790)"
    )
    room.add_argument(
        "--admin-token", metavar="TOKEN", help=f"the room view's password [${TOKEN_ENV}; default: made up]"
    )
    room.add_argument("--stuck-minutes", type=float, default=3.0, metavar="M", help="no progress this long is stuck")
    room.add_argument(
        "--out", metavar="DIR", help="seats.json, the seats' worlds as they change, the summary at the end"
    )
    room.add_argument("--resume", metavar="DIR", help="go on with the lesson kept in DIR (--out), same seats and links")
    room.add_argument("--guide", metavar="DIR", help="a guide written by `sferum-sim guide`: its pictures on the cards")
    room.set_defaults(func=classroom)


def add_serve(commands: Subparsers) -> None:
    run = commands.add_parser("serve", help="run the simulator")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8780)
    run.add_argument("--seed-file", help="JSON world to load into the default session")
    run.add_argument(
        "--admin-token",
        metavar="TOKEN",
        help="require `Authorization: Bearer TOKEN` on the control plane and the console (health stays open) "
        f"[${TOKEN_ENV}]",
    )
    run.add_argument(
        "--state",
        metavar="DIR",
        help="keep every session in DIR: restored at start, saved within a second of a change and on exit",
    )
    run.add_argument(
        "--max-browsers", type=int, default=Limits.browsers, metavar="N", help="browsers' state kept per session"
    )
    run.add_argument(
        "--browser-idle-hours",
        type=float,
        default=Limits.browser_idle.total_seconds() / 3600,
        metavar="H",
        help="a browser's state is forgotten after this long without a request",
    )
    run.add_argument(
        "--max-events", type=int, default=Limits.events, metavar="N", help="events kept per session (the newest)"
    )
    run.add_argument(
        "--tls-port",
        type=int,
        help="also serve HTTPS here, with a certificate made at start, "
        "so a browser mapping id.vk.com to it opens https://id.vk.com unchanged (needs the tls extra)",
    )
    run.add_argument("--access-log", action="store_true", help="log every request (one line each)")
    run.set_defaults(func=serve)


def add_replay(commands: Subparsers) -> None:
    show = commands.add_parser("replay", help="run a scenario slowly in a visible browser, with captions")
    show.add_argument("feature", metavar="FEATURE", help="a .feature file")
    show.add_argument("--scenario", metavar="NAME", help="a scenario's name (or part of it) or tag, e.g. E02")
    wait = show.add_mutually_exclusive_group()
    wait.add_argument("--pause", action="store_true", help="wait for Enter before each step")
    wait.add_argument("--step-delay", type=float, metavar="SECONDS", help="show each step this long (default 2)")
    show.add_argument(
        "--slowmo", type=int, default=300, metavar="MS", help="slow every browser action down (default 300)"
    )
    show.add_argument("--screenshots", metavar="DIR", help="also save a picture of each step as shown")
    show.set_defaults(func=replay)


def add_guide(commands: Subparsers) -> None:
    write = commands.add_parser("guide", help="write illustrated step-by-step instructions (HTML and PDF)")
    write.add_argument("features", nargs="+", metavar="FEATURE", help=".feature files or folders")
    write.add_argument("-o", "--output", default="reports/guides", metavar="DIR", help="default reports/guides")
    write.add_argument("--scenario", metavar="NAME", help="only scenarios with this name (or part of it) or tag")
    write.set_defaults(func=guide)


def add_report(commands: Subparsers) -> None:
    report = commands.add_parser("report", help="work with the reports of test runs").add_subparsers(
        dest="action", required=True
    )
    merge = report.add_parser("merge", help="merge the report directories of CI shards into one")
    merge.add_argument("dirs", nargs="+", metavar="DIR", help="a shard's --sim-report-dir")
    merge.add_argument("-o", "--output", default="reports", help="where the merged reports go (default: reports)")
    merge.set_defaults(func=merge_reports)


def add_new_platform(commands: Subparsers) -> None:
    scaffold = commands.add_parser(
        "new-platform",
        help="write a new platform's folder (URL table, first screen, templates), its test and table line",
    )
    scaffold.add_argument("name", metavar="NAME", help="the package, host (NAME.localhost) and tag, e.g. dnevnik")
    scaffold.add_argument("--title", required=True, help="the platform's name for people, as the instructions spell it")
    scaffold.set_defaults(func=new_platform)


def add_steps(commands: Subparsers) -> None:
    catalogue = commands.add_parser(
        "steps", help="print every Russian step of the library: keyword, pattern, an example, what it checks"
    )
    catalogue.add_argument(
        "--format",
        choices=("text", "markdown", "html", "vscode"),
        default="text",
        help="default text; vscode: a glue file of every step (the project's conftest.py ones too) that VS Code's "
        "Cucumber extension reads, for .vscode/cucumber_glue.py",
    )
    catalogue.add_argument(
        "--features",
        default="features",
        metavar="DIR",
        help="where the example sentences come from (default: features, when it exists)",
    )
    catalogue.set_defaults(func=step_catalogue)


def add_record(commands: Subparsers) -> None:
    record_parser = commands.add_parser(
        "record", help="record a scenario: click through the simulator in a browser, get a Russian .feature"
    )
    record_parser.add_argument(
        "-o", "--output", default="features/new.feature", metavar="FILE", help="default features/new.feature"
    )
    record_parser.add_argument(
        "--persona", choices=RECORDED_PERSONAS, default="teacher", help="who acts (default teacher)"
    )
    record_parser.add_argument(
        "--journal", choices=JOURNALS, default="mes", help="the e-journal the browser opens (default mes)"
    )
    record_parser.add_argument(
        "--start",
        choices=("max", "sferum", "messenger"),
        help="open МАХ, sferum.ru or VK Мессенджер first instead of the journal (the journal still names the world)",
    )
    record_parser.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="SENTENCE",
        help="a «Дано» sentence of the library that prepares the world (repeatable); default: one for the persona",
    )
    record_parser.add_argument("--sim-url", help="record against a running simulator instead of starting one")
    record_parser.add_argument("--title", default="Записанный сценарий", help="the feature's and the scenario's name")
    record_parser.add_argument("--headless", action="store_true", help="no window (for scripts driving the recorder)")
    record_parser.add_argument("--no-run", action="store_true", help="do not run the written scenario at the end")
    record_parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    record_parser.set_defaults(func=record)


def add_conformance(commands: Subparsers) -> None:
    check = commands.add_parser(
        "conformance",
        help="walk your own journal through every VK ID outcome in Chromium and report what it gets wrong",
    )
    check.add_argument("--journal-url", metavar="URL", help="the journal's page with the VK ID button")
    check.add_argument("--client-id", metavar="ID", help="the journal's VK ID client id (registered for you)")
    check.add_argument("--redirect-uri", metavar="URI", help="the journal's redirect URI, exactly as it sends it")
    check.add_argument("--sim-url", metavar="URL", help="a running simulator (default: one started here)")
    check.add_argument(
        "--sim-port", type=int, metavar="PORT", help="the port of the simulator started here (default 8780)"
    )
    check.add_argument("--login", metavar="TEXT", help="the button's text (default «Войти через VK ID»)")
    check.add_argument(
        "--signed-in",
        metavar="TEXT",
        help="what the journal shows once signed in; {first_name} and {last_name} are the person's "
        "(default «{first_name} {last_name}»)",
    )
    check.add_argument("--logout", metavar="TEXT", help="the sign-out button's text (default «Выйти»)")
    check.add_argument("--error-text", metavar="REGEX", help="words that make a page an error page for a person")
    check.add_argument("--config", metavar="FILE", help="the same as TOML, plus [outcomes.O13] overrides")
    check.add_argument("--only", metavar="O01,O05", help="only these outcomes")
    check.add_argument("--report-dir", metavar="DIR", help="where the reports go (default conformance-report)")
    check.add_argument("--headed", action="store_true", help="show the browser")
    check.set_defaults(func=conformance)


# The subcommands in the order `--help` lists them; a new one adds its parser here and imports its machinery
# inside its function, as the others do.
SUBCOMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_serve,
    add_replay,
    add_guide,
    add_report,
    add_new_platform,
    add_steps,
    add_record,
    add_conformance,
    add_classroom,
)


def parser() -> argparse.ArgumentParser:
    command_line = argparse.ArgumentParser(prog="sferum-sim", description=__doc__)
    commands = command_line.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(commands)
    return command_line


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except MissingDependency as missing:
        print(missing.hint(), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
