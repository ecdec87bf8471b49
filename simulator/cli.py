"""`sferum-sim serve`: the simulator as a standalone server; `sferum-sim report merge`: shards' reports as one."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from aiohttp import web

from .app import create_app
from .hosts import PLATFORMS, Hosts
from .platforms import installed
from .world import DEFAULT, SeedError, World, apply_seed


def serve(args: argparse.Namespace) -> int:
    world = World(running_clock=True)  # people at the keyboard need codes that expire in real time
    hosts = Hosts(port=args.port)
    app = create_app(world, hosts)
    if args.seed_file:
        try:
            apply_seed(world.get(DEFAULT), json.loads(Path(args.seed_file).read_text(encoding="utf-8")))
        except (OSError, ValueError, SeedError) as error:
            print(f"sferum-sim: cannot seed from {args.seed_file}: {error}", file=sys.stderr)
            return 2
    print(f"sferum-sim on http://{args.host}:{args.port}")
    for name in installed():
        print(f"  {PLATFORMS[name][0]:<24} {hosts.origin(name)}")
    print(f"  {'control plane':<24} http://{args.host}:{args.port}/_sim/v1/health")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    web.run_app(app, host=args.host, port=args.port, print=None)
    return 0


def merge_reports(args: argparse.Namespace) -> int:
    from .testing.reporting.merge import MergeError, merge  # the server alone needs none of the harness

    try:
        written = merge([Path(d) for d in args.dirs], Path(args.output))
    except (MergeError, OSError, ValueError) as error:
        print(f"sferum-sim: cannot merge: {error}", file=sys.stderr)
        return 2
    print("Merged reports: " + ", ".join(map(str, written)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sferum-sim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the simulator")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8780)
    run.add_argument("--seed-file", help="JSON world to load into the default session")
    run.set_defaults(func=serve)
    report = commands.add_parser("report", help="work with the reports of test runs").add_subparsers(dest="action", required=True)
    merge = report.add_parser("merge", help="merge the report directories of CI shards into one")
    merge.add_argument("dirs", nargs="+", metavar="DIR", help="a shard's --sim-report-dir")
    merge.add_argument("-o", "--output", default="reports", help="where the merged reports go (default: reports)")
    merge.set_defaults(func=merge_reports)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
