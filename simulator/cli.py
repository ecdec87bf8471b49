"""`sferum-sim serve`: the simulator; `replay` and `guide`: the trainer mode; `report merge`: shards' reports as one;
`new-platform`: a new platform's folder, first screen and test; `steps`: the step library's catalogue;
`record`: a scenario recorded from clicks in a browser."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.log import access_logger

from . import tls
from .app import TLS, create_app
from .hosts import PLATFORMS, REAL_NAMES, Hosts
from .platforms import installed
from .wire import TOKEN_ENV
from .world import DEFAULT, SeedError, World, apply_seed
from .world.session import Limits


def serve(args: argparse.Namespace) -> int:
    try:
        limits = Limits(args.max_browsers, timedelta(hours=args.browser_idle_hours), args.max_events)
    except ValueError as error:
        print(f"sferum-sim: {error}", file=sys.stderr)
        return 2
    world = World(running_clock=True, limits=limits)  # people at the keyboard need codes that expire in real time
    hosts = Hosts(port=args.port)
    app = create_app(world, hosts, admin_token=args.admin_token or os.environ.get(TOKEN_ENV) or None)
    if args.seed_file:
        problem = _seed(world, args.seed_file)
        if problem is not None:
            print(f"sferum-sim: cannot seed from {args.seed_file}: {problem}", file=sys.stderr)
            return 2
    if args.state and not _keep_state(app, world, Path(args.state)):
        return 2
    print(f"sferum-sim on http://{args.host}:{args.port}")
    for name in installed():
        print(f"  {PLATFORMS[name].title:<24} {hosts.origin(name)}")
    print(f"  {'control plane':<24} http://{args.host}:{args.port}/_sim/v1/health")
    print(f"  {'console':<24} http://{args.host}:{args.port}/_sim/")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # A line a request costs time under a test suite's load; --access-log when one is wanted.
    access_log = access_logger if args.access_log else None
    if not args.tls_port:
        web.run_app(app, host=args.host, port=args.port, print=None, access_log=access_log)
        return 0
    if not tls.available():
        print("sferum-sim: --tls-port needs the `tls` extra: pip install 'sferum-sim[tls]'", file=sys.stderr)
        return 2
    certificate = tls.self_signed()
    app[TLS] = {"port": args.tls_port, "spki": certificate.spki}
    rules = ", ".join(f"MAP {name} {args.host}:{args.tls_port}" for name in REAL_NAMES)
    print(f"  {'HTTPS (real names)':<24} https://{args.host}:{args.tls_port}, certificate {certificate.cert_file}")
    print(f'  Chromium: --host-resolver-rules="{rules}" --ignore-certificate-errors-spki-list={certificate.spki}')
    asyncio.run(_serve_both(app, args.host, args.port, args.tls_port, certificate.context, access_log))
    return 0


def _seed(world: World, seed_file: str) -> str | None:
    """Load a seed file into the default session; what is wrong with it, on one line, if anything is."""
    try:
        apply_seed(world.get(DEFAULT), json.loads(Path(seed_file).read_text(encoding="utf-8")))
    except SeedError as error:
        return _one_line(str(error))
    except json.JSONDecodeError as error:
        return f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    except RecursionError:
        return "nested too deeply"
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except OSError as error:
        return _one_line(error.strerror or str(error))
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _keep_state(app: web.Application, world: World, directory: Path) -> bool:
    """Restore the sessions saved in `directory` and keep saving them there; False if it cannot be used."""
    from .state import StateDirectory, StateError

    state = StateDirectory(directory, world)
    try:
        restored = state.restore()
    except StateError as error:
        print(f"sferum-sim: --state: {error}", file=sys.stderr)
        return False
    state.attach(app)
    print(f"  sessions kept in {directory}: {len(restored)} restored")
    return True


async def _serve_both(
    app: web.Application,
    host: str,
    port: int,
    tls_port: int,
    context: ssl.SSLContext,
    access_log: logging.Logger | None,
) -> None:
    """Plain HTTP and HTTPS from one app (web.run_app takes a single TLS setting for all sites)."""
    runner = web.AppRunner(app, access_log=access_log)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    await web.TCPSite(runner, host, tls_port, ssl_context=context).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)  # exit as on Ctrl+C: cleanup saves
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def replay(args: argparse.Namespace) -> int:
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
    from .trainer import TrainerError
    from .trainer import guide as run_guide

    try:
        return run_guide(args.features, args.output, args.scenario)
    except TrainerError as error:
        print(f"sferum-sim guide: {error}", file=sys.stderr)
        return 2


def merge_reports(args: argparse.Namespace) -> int:
    from .testing.reporting.merge import (  # the server alone needs none of the harness
        MergeError,
        merge,
    )

    try:
        written = merge([Path(d) for d in args.dirs], Path(args.output))
    except (MergeError, OSError, ValueError) as error:
        print(f"sferum-sim: cannot merge: {error}", file=sys.stderr)
        return 2
    print("Merged reports: " + ", ".join(map(str, written)))
    return 0


def new_platform(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, create

    try:
        written = create(args.name, args.title)
    except (ScaffoldError, OSError) as error:
        print(f"sferum-sim new-platform: {error}", file=sys.stderr)
        return 2
    print("Written: " + ", ".join(map(str, written)))
    return 0


def step_catalogue(args: argparse.Namespace) -> int:
    from .testing.step_catalogue import main as print_catalogue  # imports pytest-bdd and the whole library

    return print_catalogue(args.format, args.features)


def add_record_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from .recorder.cli import add_parser  # the recorder's own arguments; it imports Playwright only when run

    add_parser(commands)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sferum-sim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
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
    write = commands.add_parser("guide", help="write illustrated step-by-step instructions (HTML and PDF)")
    write.add_argument("features", nargs="+", metavar="FEATURE", help=".feature files or folders")
    write.add_argument("-o", "--output", default="reports/guides", metavar="DIR", help="default reports/guides")
    write.add_argument("--scenario", metavar="NAME", help="only scenarios with this name (or part of it) or tag")
    write.set_defaults(func=guide)

    report = commands.add_parser("report", help="work with the reports of test runs").add_subparsers(
        dest="action", required=True
    )
    merge = report.add_parser("merge", help="merge the report directories of CI shards into one")
    merge.add_argument("dirs", nargs="+", metavar="DIR", help="a shard's --sim-report-dir")
    merge.add_argument("-o", "--output", default="reports", help="where the merged reports go (default: reports)")
    merge.set_defaults(func=merge_reports)
    scaffold = commands.add_parser(
        "new-platform",
        help="write a new platform's folder (URL table, first screen, templates), its test and table line",
    )
    scaffold.add_argument("name", metavar="NAME", help="the package, host (NAME.localhost) and tag, e.g. dnevnik")
    scaffold.add_argument("--title", required=True, help="the platform's name for people, as the instructions spell it")
    scaffold.set_defaults(func=new_platform)
    catalogue = commands.add_parser(
        "steps", help="print every Russian step of the library: keyword, pattern, an example, what it checks"
    )
    catalogue.add_argument("--format", choices=("text", "markdown", "html"), default="text", help="default text")
    catalogue.add_argument(
        "--features",
        default="features",
        metavar="DIR",
        help="where the example sentences come from (default: features, when it exists)",
    )
    catalogue.set_defaults(func=step_catalogue)
    add_record_parser(commands)
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    return command(args)


if __name__ == "__main__":
    sys.exit(main())
