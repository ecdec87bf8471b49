"""`sferum-sim classroom`: seats for a lesson, their links, the room view; the summary when the lesson ends."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from ..hosts import PLATFORMS
from ..recorder.library import LibraryError, load
from ..wire import TOKEN_ENV
from .hosts import InvalidAddress, check_address
from .lesson import LessonError, choose
from .server import ClassroomServer
from .state import SeatingError
from .summary import write

MAX_SEATS = 60


def own_address() -> str:
    """This machine's address on the network its default route leaves by (no packet is sent), else the loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only used to pick an interface
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def main(args: argparse.Namespace) -> int:
    if not 1 <= args.seats <= MAX_SEATS:
        print(f"sferum-sim classroom: мест — от 1 до {MAX_SEATS}", file=sys.stderr)
        return 2
    try:
        address = check_address(args.address or own_address())
        library = load()
        exercises = choose(args.chosen, args.scenario, features=Path(args.features), library=library)
    except (InvalidAddress, LessonError, LibraryError) as error:
        print(f"sferum-sim classroom: {error}", file=sys.stderr)
        return 2
    server = ClassroomServer(
        exercises,
        library,
        address=address,
        host=args.host,
        port=args.port,
        first_platform_port=args.port + 1 if args.port else 0,
        admin_token=args.admin_token or os.environ.get(TOKEN_ENV) or None,
        stuck_after=args.stuck_minutes * 60,
        out=Path(args.out) if args.out else None,
        guide=Path(args.guide) if args.guide else None,
    )
    try:
        server.start()
    except OSError as error:
        print(f"sferum-sim classroom: порт занят или недоступен: {error}", file=sys.stderr)
        return 2
    try:
        classroom = server.seat(args.seats)
    except SeatingError as error:
        server.stop()
        print(f"sferum-sim classroom: {error}", file=sys.stderr)
        return 2
    print(f"Вид класса для тренера: {server.room_url}")
    print(f"  пароль (токен администратора): {server.admin_token}")
    print("Платформы для учеников:")
    for name, port in classroom.hosts.ports.items():
        print(f"  {PLATFORMS[name].title:<26} http://{address}:{port}/")
    print("Ссылки мест:")
    for seat in classroom.seats_json():
        print(f"  {seat['seat']:>2}. {seat['name']:<40} {seat['link']}")
    if (written := classroom.write_seats()) is not None:
        print(f"Места записаны в {written}")
    print("Ctrl+C — закончить урок" + (f" и записать итог в {args.out}" if args.out else ""))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    if classroom.out is not None:
        paths = write(classroom)
        print("Итог урока: " + ", ".join(map(str, paths)))
    server.stop()
    return 0
