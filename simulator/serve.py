"""`sferum-sim serve`: the simulator in the foreground, on plain HTTP and, with --tls-port, HTTPS too.

Only the server's own dependencies (aiohttp, Jinja2, openpyxl) are imported here: the container image has no others.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.log import access_logger

from . import tls
from .app import TLS, create_app, runner_options
from .control.handlers import STATE
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
        web.run_app(app, host=args.host, port=args.port, print=None, access_log=access_log, **runner_options(app))
        return _exit_status(app)
    if not tls.available():
        print("sferum-sim: --tls-port needs the `tls` extra: pip install 'sferum-sim[tls]'", file=sys.stderr)
        return 2
    certificate = tls.self_signed()
    app[TLS] = certificate.listener(args.tls_port)
    rules = ", ".join(f"MAP {name} {args.host}:{args.tls_port}" for name in REAL_NAMES)
    print(f"  {'HTTPS (real names)':<24} https://{args.host}:{args.tls_port}, certificate {certificate.cert_file}")
    print(f'  Chromium: --host-resolver-rules="{rules}" --ignore-certificate-errors-spki-list={certificate.spki}')
    asyncio.run(_serve_both(app, args.host, args.port, args.tls_port, certificate.context, access_log))
    return _exit_status(app)


def _exit_status(app: web.Application) -> int:
    """1 if --state DIR was left without some session's changes (the log has named them), else 0."""
    state = app.get(STATE)
    return 1 if state is not None and state()["status"] != "ok" else 0


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
    runner = web.AppRunner(app, access_log=access_log, **runner_options(app))
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    await web.TCPSite(runner, host, tls_port, ssl_context=context).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)  # exit as on Ctrl+C: cleanup saves
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
