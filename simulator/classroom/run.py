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
from ..plural import count
from ..recorder.library import LibraryError, load
from ..state import StateError
from ..wire import TOKEN_ENV
from . import saving
from .hosts import InvalidAddress, check_address
from .lesson import LessonError, choose
from .server import ClassroomServer
from .state import SeatingError
from .summary import write
from .views import SEATS

MAX_SEATS = 60


def own_address() -> str:
    """This machine's address on the network its default route leaves by (no packet is sent), else the loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only used to pick an interface
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def _lesson(args: argparse.Namespace) -> tuple[saving.Choice, saving.Saved | None]:
    """What the lesson practises: the command's own choice, or the one a resumed lesson was started with."""
    if args.resume:
        if args.chosen or args.out:
            raise saving.ResumeError("с --resume DIR сценарии и --out не указываются: урок продолжается из DIR")
        saved = saving.read(Path(args.resume))
        return saved.choice, saved
    if not args.chosen:
        raise LessonError("укажите файл .feature или ID сценариев, например F06 E02 (или --resume DIR)")
    if not 1 <= args.seats <= MAX_SEATS:
        raise LessonError(f"мест — от 1 до {MAX_SEATS}")
    if args.out:
        saving.refuse_to_overwrite(Path(args.out))
    return saving.Choice(tuple(args.chosen), tuple(args.scenario), args.features), None


def main(args: argparse.Namespace) -> int:
    try:
        choice, saved = _lesson(args)
        address = check_address(saved.address if saved else args.address or own_address())
        library = load()
        exercises = choose(list(choice.chosen), list(choice.scenarios), features=Path(choice.features), library=library)
        if saved is not None and tuple(e.title for e in exercises) != saved.titles:
            raise saving.ResumeError("сценарии урока с тех пор изменились: урок не продолжить, начните новый")
    except (InvalidAddress, LessonError, LibraryError, saving.ResumeError) as error:
        print(f"sferum-sim classroom: {error}", file=sys.stderr)
        return 2
    port = saved.port if saved else args.port
    server = ClassroomServer(
        exercises,
        library,
        address=address,
        host=args.host,
        port=port,
        first_platform_port=port + 1 if port else 0,
        ports=saved.ports if saved else None,
        admin_token=(saved.admin_token if saved else args.admin_token) or os.environ.get(TOKEN_ENV) or None,
        stuck_after=args.stuck_minutes * 60,
        out=Path(args.resume or args.out) if (args.resume or args.out) else None,
        guide=Path(args.guide) if args.guide else None,
        choice=choice,
        resumed=saved,
    )
    try:
        server.start()
    except (OSError, StateError) as error:
        print(f"sferum-sim classroom: порт занят или папка урока недоступна: {error}", file=sys.stderr)
        return 2
    try:
        classroom = server.resume() if saved else server.seat(args.seats)
    except (SeatingError, saving.ResumeError) as error:
        server.stop()
        print(f"sferum-sim classroom: {error}", file=sys.stderr)
        return 2
    if saved is not None:
        print(f"Урок продолжается из {args.resume}: {count(len(classroom.seats), SEATS)}, ссылки прежние")
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
    if classroom.out is not None:
        print(f"Миры мест сохраняются в {classroom.out}: продолжить после перезапуска — --resume {classroom.out}")
    print("Ctrl+C — закончить урок" + (f" и записать итог в {classroom.out}" if classroom.out else ""))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    if classroom.out is not None:
        paths = write(classroom)
        print("Итог урока: " + ", ".join(map(str, paths)))
    server.stop()
    return 0
