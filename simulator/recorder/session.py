"""A recording: the simulator, a session prepared by «Дано» steps, a browser watched while a person works.

`Recording` is what `sferum-sim record` runs and what a test drives: a test uses `recording.page` as a
person uses the window, calls `settle()` where a person would pause, and reads `feature_text()`.

Between Playwright calls the recorder reads what the page captured (capture.py), in order: fields
typed wait for the click that submits them; a click (or a reload, or a fault switched in the console)
is matched to a «Когда» step (matching.py); the document it leads to, and the event log's gains, give
the «Тогда» checks to propose (proposing.py); the panel's buttons add a proposed check, undo the last
line, open a window for another person of the world (seats.py) or finish. Each window's page is watched
alike; what is done in one is written as its person's step, and a window whose page changed live (another
person's message, a join request) gets its checks proposed too. The scenario's text is rendered anew after
each change (writing.py).
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Download, Error, Page, Playwright, sync_playwright

from ..hosts import PLATFORMS, Hosts
from ..server import SimulatorServer
from ..testing.acts import Acts, Device, Open
from ..testing.browser import chromium_args, system_chromium
from ..testing.client import Message, SimSession, Simulator
from ..testing.personas import Persona, Personas
from ..testing.plugin import DEFAULT_SEED
from ..validation import SEXES, format_phone
from ..wire import SESSION_HEADER
from ..world import World
from . import downloads, panel
from .capture import (
    BINDING,
    OBSERVE,
    STATE_BINDING,
    Capture,
    Captured,
    Clicked,
    Command,
    Loaded,
    Opened,
    Place,
    Raw,
    Reloaded,
    Switched,
    Typed,
    Waited,
    WentBack,
)
from .capture import SCRIPT as CAPTURE_SCRIPT
from .library import GivenFailed, Library, LibraryError, load
from .matching import Entry, Matcher
from .proposing import Shown, propose
from .seats import ADMIN, STARTS_AT, USER, Seat, by_values, names, others, people_of, seat_down, second_browsers, view
from .trying import Tried, Trier
from .writing import Header, feature, platform_tags, under

WHO = {"teacher": "учитель", "student": "ученик", "parent": "родитель", "admin": "администратор"}
JOURNALS = ("mes", "eljur", "es")
# Where the browser may start besides the journal: МАХ's app, sferum.ru's cabinet, VK Мессенджер.
STARTS = ("max", "sferum", "messenger")
# Each journal's school as the repository's features seed it (fixtures/schools.json): its classes fit the steps.
SCHOOLS = {
    "mes": 'школа «МБОУ "Школа №51" Вахитовского района г. Казани»',
    "eljur": "школа «МАОУ «Лицей №2»»",
    "es": 'школа «МБОУ "Средняя школа №12" г. Тулы»',
}
ELJUR_STUDENT = "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг по телефону"
# The world a persona starts in when no «Дано» is given: sentences of the library for each case.
DEFAULT_GIVENS: dict[tuple[str, str], tuple[str, ...]] = {
    ("teacher", "mes"): ("учитель МЭШ, у которого есть учебный профиль Сферум",),
    ("student", "mes"): ("ученик младше 14 лет с учетной записью МЭШ",),
    ("student", "eljur"): (SCHOOLS["eljur"], ELJUR_STUDENT),
    ("parent", "eljur"): (SCHOOLS["eljur"], ELJUR_STUDENT, "его родитель с подтвержденной учетной записью Госуслуг"),
    **{
        (persona, "es"): (SCHOOLS["es"], f"{WHO[persona]} ЭШ, у которого есть VK ID с паролем и учебный профиль Сферум")
        for persona in ("teacher", "student", "parent")
    },
    **{("admin", journal): (SCHOOLS[journal], "у организации есть администратор на sferum.ru") for journal in JOURNALS},
}
WINDOW = {"width": 1366, "height": 900}
NAVIGATION_WAIT = 10.0  # seconds a click on a link or a submit button may take to bring its document
COUNTDOWN = re.compile(r"(\d\d):(\d\d)")  # «SMS придёт в течение 01:59»
PUMP = 25  # ms: Playwright delivers the page's messages while the sync API waits
LIVE_REFRESHES = "() => window.simLive ? window.simLive.refreshes : 0"  # simulator/static/live.js


class RecorderError(RuntimeError):
    """Something to tell the person, in Russian, before or instead of recording."""


@dataclass
class Options:
    persona: str = "teacher"
    journal: str = "mes"
    givens: Sequence[str] = ()  # empty: DEFAULT_GIVENS for the persona and journal
    sim_url: str | None = None
    headless: bool = False
    seed: int = DEFAULT_SEED
    title: str = "Записанный сценарий"
    env: Mapping[str, str] | None = None  # the browser's environment (a virtual screen's DISPLAY)
    start: str | None = None  # a platform of STARTS to open first; None: the journal (sferum.ru for admin)

    def given_sentences(self) -> tuple[str, ...]:
        if self.givens:
            return tuple(self.givens)
        if (self.persona, self.journal) not in DEFAULT_GIVENS:
            raise RecorderError(
                f"для «{WHO.get(self.persona, self.persona)}» в журнале {self.journal} нет готового мира: "
                "назовите его шагами «Дано» (--given «…», список: sferum-sim steps)"
            )
        return DEFAULT_GIVENS[(self.persona, self.journal)]

    @property
    def start_platform(self) -> str:
        if self.start is not None:
            return self.start
        return "sferum" if self.persona == "admin" else self.journal


@dataclass
class Pending:
    """The last action, until the page it led to (and the world's gains) are read."""

    entry: Entry | None
    navigates: bool
    cursor: int  # the event log's last id before it
    seat: Seat | None = None  # the window it was done in
    since: float = field(default_factory=time.monotonic)


class Recording:
    def __init__(
        self, options: Options, *, playwright: Playwright | None = None, browser: Browser | None = None
    ) -> None:
        """`playwright`: a running one to launch the browser with (one process runs a single sync Playwright);
        `browser`: a running browser to open the recording's own context in, left running at the end."""
        if options.persona not in WHO:
            raise RecorderError(f"нет такой персоны: {options.persona} (учитель teacher, ученик student, …)")
        if options.journal not in JOURNALS:
            raise RecorderError(f"нет такого журнала: {options.journal} (mes, eljur или es)")
        if options.start is not None and options.start not in STARTS:
            raise RecorderError(f"нет такого начала записи: {options.start} (max, sferum или messenger)")
        self.options = options
        self.who = WHO[options.persona]
        self.givens = list(options.given_sentences())
        self.library: Library = load()
        for text in self.givens:
            self.library.given(text)  # a sentence the library lacks is told before anything starts
        self.capture = Capture(Hosts())
        self.seats: list[Seat] = []  # the recording's windows, the first one first
        self.seat: Seat | None = None  # the window the person works in now
        self.queue: list[tuple[Seat, Captured]] = []  # what the windows captured, in order
        self.downloads: list[tuple[Seat, Download]] = []  # files the windows downloaded, not read yet
        self.entries: list[Entry] = []
        self.given_entries: list[str] = []  # «Дано» lines a switch before the first action added
        self.buffer: list[Raw] = []
        self.proposals: list[Entry] = []
        self.failing: list[tuple[str, str]] = []  # proposed checks that did not hold: sentence, why
        self.fixtures: dict[str, Any] = {}
        self.pending: Pending | None = None
        self.walked: set[str] = set()
        self.events: list[dict[str, Any]] = []
        self.messages: list[Message] = []
        self.switches: list[Switched] = []
        self.note = ""
        self.finished = False
        self.actor: Persona | None = None
        self.subject: Persona | None = None  # whom an administrator's steps call «пользователь»
        self.gosuslugi: tuple[str, str] | None = None  # the actor's Госуслуги login and password, if seeded
        self._accounts: dict[str, str] = {}
        self._accounts_read = False
        self._clock_delta = 0
        self._clock: tuple[datetime, float] | None = (
            None  # the session's now, and time.monotonic() then  # the session clock's base and since, as last read
        )
        self.countdown: tuple[int, datetime] | None = None  # seconds a shown countdown had left, and when
        self.start_cursor = 0
        self._server: SimulatorServer | None = None
        self._playwright: Playwright | None = None  # started by the recording, stopped when it closes
        self._given_playwright = playwright
        self._given_browser = browser
        self._browser: Browser | None = None
        self._browser_in_use: Browser | None = None
        self.sim: Simulator | None = None
        self._session: SimSession | None = None
        self._page: Page | None = None
        self._context: BrowserContext | None = None

    # -- lifetime ------------------------------------------------------------------------------------

    def __enter__(self) -> Recording:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def session(self) -> SimSession:
        assert self._session is not None, "the recording has not started"
        return self._session

    @property
    def page(self) -> Page:
        assert self._page is not None, "the recording has not started"
        return self._page

    def start(self) -> Recording:
        url = self.options.sim_url
        if not url:
            # People type codes at their own pace: the clock runs, and codes expire as they do in life.
            self._server = SimulatorServer(world=World(running_clock=True)).start()
            url = self._server.url
        self.sim = Simulator(url)
        self._session = self.sim.new_session(seed=self.options.seed)
        if self._given_browser is None and self._given_playwright is None:
            self._playwright = sync_playwright().start()
        device = self._device()
        browser = self._given_browser or self._launch(self._given_playwright or self._playwright, device)
        self._browser = None if self._given_browser is not None else browser
        self._browser_in_use = browser
        self._context = self._new_context(**device)
        self._page = self._context.new_page()
        main = self.seat = self.seats[0]
        main.page = self._page
        self.actor = self._prepare(self._page)
        main.word, main.persona, main.subject, main.gosuslugi = self.who, self.actor, self.subject, self.gosuslugi
        second_browsers(self.fixtures, self.seats)
        self.seats = [seat for seat in self.seats if seat.word]  # a browser a «Дано» step opened and left unnamed
        self.queue.clear()  # what the «Дано» steps did in their own browsers is the world before the scenario
        self._views()
        self.trier = Trier(self.library, self.fixtures, self.who, self.library.fixture)
        self._fetch_events()
        self.start_cursor = self._cursor()  # what the «Дано» steps made is the world before the scenario
        self.switches.clear()  # the «Дано» steps' own switches are in the «Дано» lines already
        start = self.session.url(self.options.start_platform, "/")
        main.start = Place(start, self.options.start_platform, None)
        self.page.goto(start)
        self.settle()
        return self

    @property
    def matcher(self) -> Matcher:
        """The steps of the window the person works in now, bound to its person."""
        assert self.seat is not None and self.seat.matcher is not None, "the recording has not started"
        return self.seat.matcher

    def _new_context(self, **settings: Any) -> BrowserContext:
        """A browser of one person's own (own cookies, the same session), its pages watched and its panel shown:
        the recording's first, one the panel opens for another person, and what the «Дано» steps get as
        `new_context` for a second browser."""
        assert self._browser_in_use is not None
        # A window's page follows the window as the person resizes it; headless, a laptop's screen.
        size: dict[str, Any] = {"no_viewport": True} if not self.options.headless else {"viewport": WINDOW}
        options: dict[str, Any] = {
            "extra_http_headers": {SESSION_HEADER: self.session.key},
            "locale": "ru-RU",
            "timezone_id": "Europe/Moscow",
            "accept_downloads": True,  # the administrator's statistics
            **size,
            **settings,
        }
        context = self._browser_in_use.new_context(**options)
        seat = Seat(context)
        self.seats.append(seat)
        context.expose_binding(BINDING, lambda _source, payload: self._take(seat, payload))
        context.expose_binding(STATE_BINDING, lambda _source: self.panel_state(seat))
        context.add_init_script(CAPTURE_SCRIPT)
        context.add_init_script(panel.SCRIPT)
        # A click that downloads a file loads no document: the file is what it showed (downloads.py).
        context.on("page", lambda page: page.on("download", lambda download: self.downloads.append((seat, download))))
        return context

    def _take(self, seat: Seat, payload: Any) -> None:
        if isinstance(payload, dict) and (captured := self.capture.parse(payload)) is not None:
            self.queue.append((seat, captured))

    def _views(self) -> None:
        """Each window's steps and matcher, as the steps' `page` now is (a window opened for the actor takes it)."""
        page = self.fixtures.get("page")
        for seat in self.seats:
            seat.library = view(self.library, seat, page)
            seat.matcher = Matcher(
                seat.library,
                seat.persona,
                self._codes,
                seat.word,
                seat.credentials,
                seat.subject,
                self._records,
                self._names,
            )
        self._accounts_read = False

    def _sit_down(self, word: str) -> None:
        """A window of its own for this person of the world, opened at where they start (the panel's button)."""
        waiting = others(self.fixtures, self.seats, self.subject)
        if word not in waiting:
            self.note = f"В мире нет человека «{word}», которому можно открыть окно"
            return
        persona = waiting[word]
        context = self._new_context()
        seat = self.seats[-1]
        seat.page, seat.word, seat.persona = context.new_page(), word, persona
        # Whom their steps name besides them: the scene's actor (the student the class teacher adds, the user invited).
        seat.subject = None if word == USER else (self.subject or self.actor)
        seat.subject_word = USER if word == ADMIN else self.who
        seat.gosuslugi = self.fixtures.get("gosuslugi_logins", {}).get(persona.key)
        seat_down(self.fixtures, word, seat.page, self.library.fixture)
        self._views()
        platform, path = (STARTS_AT[word], "/") if word in STARTS_AT else self._start_of(seat)
        url = self.session.url(platform, path)
        seat.start = Place(url, platform, None)
        self.seat = seat
        self.note = f"Открыто окно: {seat.title}"
        seat.page.goto(url)

    def _start_of(self, seat: Seat) -> tuple[str, str]:
        """Where a person of the scene starts: the address their own steps open first (the classmate's diary, the
        pupil's VK Мессенджер), those that name them before those whose group does; else their journal, or VK
        Мессенджер for one without any."""
        assert seat.library is not None and seat.persona is not None
        opening = [
            (not (acts.by is not None and isinstance(acts.by.who, str)), action)
            for _, acts in seat.library.acting("when")
            for action in acts.actions[:1]
            if acts.by is not None and isinstance(action, Open)
        ]
        if opening:
            first = min(opening, key=lambda found: found[0])[1]  # a step naming them outright, else the first
            return first.platform, first.path
        return (self.options.journal if seat.persona.ids.get("journal_account") else "messenger"), "/"

    def _device(self) -> dict[str, Any]:
        """The browser settings of the device a «Дано» step puts the person at (acts.Device: the app «Моя школа
        Журнал» on a phone), as Playwright's list of devices has them; none: a computer's window."""
        named = [name for name in map(self._device_of, self.givens) if name is not None]
        if not named:
            return {}
        playwright = self._given_playwright or self._playwright
        if playwright is None:
            raise RecorderError(f"окно устройства «{named[-1]}»: записи нужен Playwright со списком устройств")
        settings = {k: v for k, v in playwright.devices[named[-1]].items() if k != "default_browser_type"}
        return {**settings, "no_viewport": False}  # the device's screen, whatever the window

    def _device_of(self, given: str) -> str | None:
        """The device this «Дано» step puts the person at, if it says one."""
        step, _ = self.library.given(given)
        devices = [a.name for d in step.declarations if isinstance(d, Acts) for a in d.actions if isinstance(a, Device)]
        return devices[0] if devices else None

    def _launch(self, playwright: Playwright | None, device: Mapping[str, Any] | None = None) -> Browser:
        assert playwright is not None
        chromium = playwright.chromium
        size = (device or {}).get("viewport") or WINDOW  # a phone's window for a phone's screen
        window = [] if self.options.headless else [f"--window-size={size['width']},{size['height']}"]
        launch: dict[str, Any] = {"headless": self.options.headless, "args": [*chromium_args(), *window]}
        if self.options.env is not None:
            launch["env"] = dict(self.options.env)
        if not Path(chromium.executable_path).exists():
            # A window needs full Chromium; headless, the headless shell starts faster.
            found = system_chromium(headless=self.options.headless)
            if found is None:
                raise RecorderError(
                    "нет Chromium: установите его (scripts/ensure-browser.sh) или задайте SFERUM_SIM_CHROMIUM"
                )
            launch["executable_path"] = found
        return chromium.launch(**launch)

    def _prepare(self, page: Page) -> Persona | None:
        """Run the «Дано» steps against the session, as pytest would, and return who acts."""
        assert self.sim is not None
        fixtures = self.fixtures = {
            "sim": self.sim,
            "sim_session": self.session,
            "personas": Personas(self.options.seed),
            "page": page,
            "new_context": self._new_context,  # a second browser a «Дано» opens is a window of the recording
        }
        try:
            # A step that puts the person at a device is this window itself (`_device`), not run again.
            actor = self.library.run_givens([text for text in self.givens if self._device_of(text) is None], fixtures)
        except GivenFailed as error:
            raise RecorderError(str(error)) from error
        cast = fixtures.get("cast")
        administrator = getattr(cast, "people", {}).get(WHO["admin"]) if self.options.persona == "admin" else None
        if isinstance(administrator, Persona) and cast is not None:
            # The administrator is at the keyboard; the person the scene names («пользователь») is someone else,
            # and the administrator's steps work in this window (steps/sferum.py: the cast's admin page).
            self.subject = actor if isinstance(actor, Persona) and actor is not administrator else None
            actor, cast.admin_page = administrator, page
        if not isinstance(actor, Persona):
            return None
        # ЭлЖур's people sign in through Госуслуги, with an account of their own (steps/gosuslugi.py)
        self.gosuslugi = fixtures.get("gosuslugi_logins", {}).get(actor.key)
        return actor

    def close(self) -> None:
        closers = [
            *(seat.context.close for seat in self.seats[1:]),
            self._context.close if self._context else None,
            self._browser.close if self._browser else None,
            self._playwright.stop if self._playwright else None,
            self._session.delete if self._session else None,
            self.sim.close if self.sim else None,
            self._server.stop if self._server else None,
        ]
        for close in closers:
            if close is not None:
                with contextlib.suppress(Exception):  # what is already gone: the window the person closed
                    close()
        self._context = self._browser = self._playwright = None
        self._session = self.sim = self._server = None

    # -- the loop --------------------------------------------------------------------------------------

    def pump(self, ms: int = PUMP) -> bool:
        """Let the page's messages in; False once every page of the recording's first window is closed."""
        for seat in self.seats:
            if seat.page is not None and seat.page.is_closed():
                pages = [page for page in seat.context.pages if not page.is_closed()]
                seat.page = pages[-1] if pages else None  # the person closed a tab and goes on in another
        self._page = self.seats[0].page if self.seats else None
        if self._page is None:
            return False
        try:
            self._page.wait_for_timeout(ms)
        except Error:
            return False
        return True

    def settle(self) -> None:
        """Read what the person did since the last call, then wait for the page the last action leads to."""
        self.pump()
        self._drain()
        deadline = time.monotonic() + NAVIGATION_WAIT
        while self.pending is not None and self.pending.navigates and time.monotonic() < deadline:
            if self.downloads or not self.pump():
                break
            self._drain()
        if self.pending is not None:
            self._resolve(self._look())
        self._fetch_events()
        for switch in self.switches:
            self._switched(switch)
        self.switches.clear()
        moved = self._clock_moved()
        if moved:
            self._waited(moved)
        self._live_changes()
        self._show()

    def run(self, tick: float = 0.15) -> None:
        """Record until the panel's «Готово», the window closing, or Ctrl+C."""
        try:
            while not self.finished and self.pump(int(tick * 1000)):
                self.settle()
        except KeyboardInterrupt:
            pass
        if self.buffer:
            self._flush()

    def _drain(self) -> None:
        taken, self.queue = self.queue, []
        for seat, captured in taken:
            self._handle(seat, captured)

    def _handle(self, seat: Seat, captured: Captured) -> None:
        if isinstance(captured, Command):
            self._command(captured.name)
            return
        if seat is not self.seat:  # the person went over to another window
            if self.pending is not None and self.pending.seat is not None:
                self._resolve(self._look(self.pending.seat))
            if self.buffer:
                self._flush()  # fields typed there and left: kept as placeholders
            self.seat = seat
        if isinstance(captured, Typed):
            self.buffer = [raw for raw in self.buffer if not (isinstance(raw, Typed) and raw.label == captured.label)]
            self.buffer.append(captured)
        elif isinstance(captured, Clicked):
            self._countdown_waited()
            self._trigger(captured, navigates=captured.navigates)
        else:
            self._loaded(captured)

    def _loaded(self, loaded: Loaded) -> None:
        if loaded.place.platform:
            self.walked.add(loaded.place.platform)
        seat = self.seat
        assert seat is not None
        seat.live = 0  # a new document: nothing came live to it yet
        shown = Shown.of(loaded.place.platform, loaded.shown)
        if self.pending is not None and self.pending.navigates:
            self._resolve(shown)
        elif loaded.how == "reload":
            self._trigger(Reloaded(loaded.place), navigates=False)
            self._resolve(shown)
        elif loaded.how == "back_forward":
            self._trigger(WentBack(loaded.place), navigates=False)
            self._resolve(shown)
        elif not loaded.referrer:  # typed into the address bar (or the recorder's own first page)
            place = loaded.place
            if seat.start is not None:  # the recorder's own first page: the address it opened, wherever led
                place, seat.start = seat.start, None
            opened = Opened(place, loaded.redirected)
            if self.matcher.alone(opened) is not None:
                # A step of its own («открывает МАХ на компьютере»): written now, and what it shows is checked.
                self._trigger(opened, navigates=False)
                self._resolve(shown)
            else:  # the first action of a step still to come («входит в «Кабинет учителя»» opens МЭШ)
                self.buffer.append(opened)

    def _trigger(self, raw: Raw, *, navigates: bool) -> None:
        if self.pending is not None:
            self._resolve(None)  # the page it led to is gone already: only the world's gains are known
        current, self.buffer = [*self.buffer, raw], []
        seat = self.seat
        assert seat is not None
        new, replaced = self.matcher.match(current, self._own_steps(seat))
        if not replaced and all(entry.placeholder for entry in new) and self._continues(current):
            # How a step of more actions starts (the administrator's sign-in: «Войти», the phone, the code, …):
            # kept until its last action, rather than written as placeholders it might not take in again.
            self.buffer, self.proposals, self.failing, self.note = current, [], [], ""
            self.pending = Pending(None, navigates, self._cursor(), seat)
            return
        for entry in new:
            entry.who = seat.word
            by_values(entry, seat)
        if replaced:
            del self.entries[-replaced:]
        self.entries += new
        self.proposals, self.failing = [], []
        missing = [entry for entry in new if entry.placeholder]
        self.note = (
            f"Нет шага для: {'; '.join(str(e.locator) for e in missing)} — записано как «НЕТ ШАГА»" if missing else ""
        )
        last = new[-1]
        self.pending = Pending(None if last.placeholder else last, navigates, self._cursor(), seat)

    def _continues(self, raws: list[Raw]) -> bool:
        """Whether these actions are how a step of this window that says more actions starts."""
        for _, acts in self.matcher.library.acting("when"):
            for end in range(len(raws), len(acts.actions)):
                binding = self.matcher.bind(replace(acts, actions=acts.actions[:end]), raws)
                if binding is not None and len(binding.covered) == len(raws):
                    return True
        return False

    def _own_steps(self, seat: Seat) -> list[Entry]:
        """The last steps written, as far back as they are this window's person's (a step may take them in)."""
        start = len(self.entries)
        while start and self.entries[start - 1].who in (None, seat.word):
            start -= 1
        return self.entries[start:]

    def _close_buffer(self) -> None:
        """A check added in the middle of a step's actions: what was done so far is written first, as best it can."""
        clicks = [i for i, raw in enumerate(self.buffer) if isinstance(raw, Clicked)]
        if self.seat is None or not clicks:
            return
        done, self.buffer = self.buffer[: clicks[-1] + 1], self.buffer[clicks[-1] + 1 :]
        new, replaced = self.matcher.match(done, self._own_steps(self.seat))
        for entry in new:
            entry.who = self.seat.word
            by_values(entry, self.seat)
        if replaced:
            del self.entries[-replaced:]
        self.entries += new

    def _flush(self) -> None:
        """Fields typed with nothing after them: placeholders, so nothing done is lost."""
        self.entries += [self.matcher.placeholder(raw) for raw in self.buffer]
        self.buffer = []

    def _switched(self, raw: Switched) -> None:
        given = self.matcher.given_switch(raw)
        before_any = not any(entry.kind == "when" for entry in self.entries)
        if before_any and given is not None and given.step is not None:
            self.givens.append(given.step.write(given.values, self.who))
            return
        typed, self.buffer = self.buffer, []
        self._trigger(raw, navigates=False)
        if given is not None and self.entries and self.entries[-1].placeholder:
            # No «Когда» says it (a fault switched on mid-way): the «Дано» that does, where it happened.
            self.entries[-1] = given
            self.note = ""
        self._resolve(None)
        self.buffer = typed

    def _waited(self, seconds: int) -> None:
        """The clock moved: a step of its own, between what was done before and what is typed after."""
        self.countdown = None  # a countdown on the page ran out in this wait, or will be waited anew
        typed, self.buffer = self.buffer, []
        self._trigger(Waited(seconds), navigates=False)
        self._resolve(None)
        self.buffer = typed

    def _clock_now(self) -> datetime | None:
        """The session's virtual now; None when the session is gone."""
        if self._session is None:
            return None
        clock = self.session.snapshot("clock")["clock"]
        now, wall, running = datetime.fromisoformat(clock["now"]), time.monotonic(), bool(clock.get("running"))
        if self._clock is not None:
            # A running clock goes on with the wall clock: only what goes beyond that is the clock moved on.
            jump = (now - self._clock[0]).total_seconds() - ((wall - self._clock[1]) if running else 0)
            if jump >= 1:
                self._clock_delta += round(jump)
        self._clock = (now, wall)
        return now

    def _clock_moved(self) -> int:
        """Seconds the clock was moved on (the console's «часы») since it was last read."""
        self._clock_now()
        moved, self._clock_delta = self._clock_delta, 0
        return moved

    def _countdown_waited(self) -> None:
        """A countdown shown on the page ran out before this click: the scenario waits it out, in whole minutes
        (a frozen clock, as the written scenario runs with, never runs it out by itself)."""
        if self.countdown is None:
            return
        left, seen = self.countdown
        now = self._clock_now()
        self.countdown = None
        if now is not None and (now - seen).total_seconds() >= left:
            self._waited(math.ceil(left / 60) * 60)

    def _look(self, seat: Seat | None = None) -> Shown | None:
        """What a window's page shows now (after an action that loaded no new document); by default the current one."""
        page = (seat or self.seat or self.seats[0]).page
        if page is None or page.is_closed():
            return None
        try:
            found = page.evaluate(OBSERVE)
        except Error:
            return None
        return Shown.of(self.capture.hosts.platform_of(urlsplit(page.url).netloc), found)

    def _resolve(self, shown: Shown | None) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        self._fetch_events()
        gained = [e for e in self.events if e["id"] > pending.cursor and e["kind"] != "request"]
        entry = pending.entry
        if entry is not None and entry.reads:
            read = {group: (shown.testids.get(testid) if shown else None) for group, testid in entry.reads.items()}
            if all(read.values()):
                entry.values.update({group: str(value) for group, value in read.items()})
                entry.reads = {}
            elif entry in self.entries:  # the step's own words cannot be known: keep what was done, as placeholders
                index = self.entries.index(entry)
                self.entries[index : index + 1] = [self.matcher.placeholder(raw) for raw in entry.raws]
        seat = pending.seat or self.seats[0]
        self._note_countdown(shown)
        taken = [download for window, download in self.downloads if window is seat]
        self.downloads = [(window, download) for window, download in self.downloads if window is not seat]
        if taken:
            shown = self._downloaded(shown, taken[-1])
        tried = self._checks(seat, shown, gained)
        self.proposals = [t.entry for t in tried if t.passed]
        self.failing = [(t.sentence, t.failure) for t in tried if t.failure is not None]
        seat.proposed = {t.sentence for t in tried}

    def _checks(self, seat: Seat, shown: Shown | None, gained: list[dict[str, Any]]) -> list[Tried]:
        """The checks of what this window shows and the world gained, each run once now, as the scenario will run
        it: only those that hold are offered."""
        assert seat.library is not None
        recorded = [e for e in self.events if e["id"] > self.start_cursor and e["kind"] != "request"]
        proposed = propose(
            seat.library,
            shown,
            gained,
            who=seat.word,
            personal=self._personal(),
            journal=self.options.journal,
            recorded=recorded,
            people=self._names(),
        )
        for entry in proposed:
            entry.who = seat.word
            by_values(entry, seat)
        self.trier.typed(self.entries)
        return [self.trier.run(entry) for entry in proposed]

    def _names(self) -> dict[str, str]:
        """The scenario's people by the names screens show them, and the word each is called by."""
        actor = getattr(self.fixtures.get("scene"), "actor", None)
        word = self.who if actor is self.actor else USER  # an administrator's recording: the scene's user
        return names(self.seats, self.fixtures, (word, actor) if isinstance(actor, Persona) else None)

    def _downloaded(self, shown: Shown | None, download: Download) -> Shown | None:
        """What the page showed, with the file the click downloaded from it, its people said by whose they are."""
        try:
            path = Path(download.path())
        except Error:
            return shown  # the download failed: nothing more than the page to read
        actor = getattr(self.fixtures.get("scene"), "actor", None)
        word = self.who if actor is self.actor else USER
        people = people_of(self.seats, self.fixtures, (word, actor) if isinstance(actor, Persona) else None)
        profiles = {str(p.ids["profile_id"]): w for w, p in reversed(people) if p.ids.get("profile_id") is not None}
        # The scenario's actor first, the administrator last: as the hand-written scenarios list them.
        order = sorted(dict.fromkeys(word for word, _ in people), key=lambda word: word == ADMIN)
        return downloads.read(shown, path, download.suggested_filename, self._names(), profiles, order)

    def _live_changes(self) -> None:
        """A window whose page changed live since it was last read (another person's message, a join request):
        what it shows now is proposed too, the checks it was not offered yet."""
        for seat in self.seats:
            if seat.page is None or seat.page.is_closed() or self.pending is not None:
                continue
            try:
                refreshes = int(seat.page.evaluate(LIVE_REFRESHES))
            except Error:
                continue
            changed, seat.live = refreshes > seat.live, refreshes
            # The window worked in: what its page shows was proposed with the action (a late echo of it is no news).
            if not changed or seat is self.seat:
                continue
            tried = [t for t in self._checks(seat, self._look(seat), []) if t.sentence not in seat.proposed]
            seat.proposed |= {t.sentence for t in tried}
            self.proposals += [t.entry for t in tried if t.passed]
            self.failing += [(t.sentence, t.failure) for t in tried if t.failure is not None]

    def _note_countdown(self, shown: Shown | None) -> None:
        found = COUNTDOWN.search(shown.testids.get("countdown", "")) if shown is not None else None
        now = self._clock_now() if found else None
        self.countdown = (int(found.group(1)) * 60 + int(found.group(2)), now) if found and now else None

    def _command(self, name: str) -> None:
        if self.pending is not None:
            self._resolve(self._look())
        command, _, number = name.partition(":")
        if command == "check":
            index = int(number) if number.isdigit() else 0  # «Добавить проверку»: the first one proposed
            if index < len(self.proposals):
                self._close_buffer()
                self.entries.append(self.proposals.pop(index))
                self.note = ""
        elif command == "undo":
            if self.entries:
                removed = self.entries.pop()
                self.note = (
                    "Отменено: " + (removed.locator or "шаг") if removed.placeholder else "Последний шаг отменён"
                )
                self.proposals = []
        elif command == "person":
            self._sit_down(number)
        elif command == "finish":
            self.finished = True

    # -- the simulator's side --------------------------------------------------------------------------

    def _cursor(self) -> int:
        return int(self.events[-1]["id"]) if self.events else 0

    def _fetch_events(self) -> None:
        if self._session is None:
            return
        new = self.session.events(after=self._cursor())
        self.events += new
        if self.actor is not None and (not self._accounts_read or any(event["kind"] != "request" for event in new)):
            self._read_accounts()
        for event in new:
            kind = event["kind"]
            if kind == "request" and event.get("platform") and not str(event.get("path", "")).startswith("/_sim"):
                self.walked.add(str(event["platform"]))
            elif kind in ("fault_on", "fault_off"):
                self.switches.append(Switched(str(event["name"]), kind == "fault_on"))
            elif kind == "code_sent":
                self.messages = self.session.messages()

    def accounts(self) -> dict[str, str]:
        """The actor's credentials in the world (acts.ACCOUNT_WORDS): what a scenario names, never types."""
        return self._accounts

    def _read_accounts(self) -> None:
        # Read anew: a password set during the recording («Сохранить пароль») is the one typed next.
        world = self.session.snapshot("vkid_accounts", "gosuslugi_accounts") if self._session else {}
        accounts = world.get("vkid_accounts", [])
        for seat in self.seats:
            # A Госуслуги account registered during the recording («Регистрация») is typed like a seeded one.
            gosuslugi = seat.gosuslugi or _registered(seat.persona, world.get("gosuslugi_accounts", []))
            seat.accounts = _credentials(seat.persona, gosuslugi, accounts)
            # The number of a profile's duplicate («профиль-дублёр на другом номере»): the actor's, typed as theirs.
            duplicate = getattr(self.fixtures.get("cast"), "duplicate_phone", "")
            if duplicate and seat.persona is getattr(self.fixtures.get("scene"), "actor", None):
                seat.accounts["duplicate_phone"] = duplicate
        self._accounts = self.seats[0].accounts if self.seats else {}
        self._accounts_read = True

    def _records(self, kind: str) -> list[dict[str, Any]]:
        """The world's records of this kind now («lessons»): what an address typed by hand names by its id."""
        return list(self.session.snapshot(kind).get(kind, [])) if self._session is not None else []

    def _codes(self) -> dict[str, str]:
        """The codes sent, as the person types them, and the channel each came by (sms, email, call)."""
        return {_typed_code(message): message["channel"] for message in self.messages}

    def _personal(self) -> list[str]:
        people = {person.key: person for person in (self.actor, self.subject) if person is not None}
        people.update({seat.persona.key: seat.persona for seat in self.seats if seat.persona is not None})
        # Everyone the «Дано» steps put in the world: a classmate's name is no more the scenario's than one's own.
        people.update({person.key: person for _, person in people_of(self.seats, self.fixtures, None)})
        return [
            value
            for person in people.values()
            for value in (
                person.last_name,
                person.first_name,
                person.phone,
                format_phone(person.phone),
                person.email,
                person.login,
            )
            if value
        ]

    # -- what is shown -----------------------------------------------------------------------------

    def feature_text(self) -> str:
        tags = platform_tags(self.walked)
        description = (
            f"Записано командой sferum-sim record: {self.who}, {PLATFORMS[self.options.start_platform].title}."
        )
        return feature(Header(self.options.title, description, tags), self.givens, self.entries, self.who)

    def placeholders(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.placeholder]

    def panel_state(self, seat: Seat | None = None) -> dict[str, Any]:
        """What the panel of this window (by default the first) shows."""
        seat = seat or (self.seats[0] if self.seats else None)
        keyword = "И" if self.entries and self.entries[-1].kind == "then" else "Тогда"
        proposals = [
            f"{keyword} {p.step.write(p.values, p.who or self.who)}" for p in self.proposals if p.step is not None
        ]
        return {
            "text": self.feature_text(),
            "proposals": proposals,
            # What each check takes under it (a table, a doc string), shown with it before the person adds it.
            "attached": [
                "\n".join(line.removeprefix("  ") for line in under(p)) for p in self.proposals if p.step is not None
            ],
            "failing": [f"{keyword} {text} — не выполнена: {why}" for text, why in self.failing],
            "who": self._who_lines(seat),
            "codes": [_code_line(message) for message in self.messages[-3:]],
            "note": self.note,
            "undoable": bool(self.entries),
            # Other people of the world, each to sit down at a window of their own; the windows open now.
            "people": list(others(self.fixtures, self.seats, self.subject)) if self.seats else [],
            "windows": [s.title for s in self.seats if s.word] if len(self.seats) > 1 else [],
        }

    def _who_lines(self, seat: Seat | None) -> list[str]:
        actor = seat.persona if seat is not None else None
        title = seat.title if seat is not None else self.who
        if seat is None or actor is None:
            return [f"Вы — {title}"]
        lines = [f"Вы — {title}: {actor.full_name}", f"Логин: {actor.login}   Пароль: {actor.password}"]
        accounts = seat.accounts
        if "gosuslugi_login" in accounts:
            lines.append(f"Госуслуги: {accounts['gosuslugi_login']}   Пароль: {accounts['gosuslugi_password']}")
        if "vkid_password" in accounts:
            lines.append(f"VK ID: пароль {accounts['vkid_password']}")
        if "duplicate_phone" in accounts:
            lines.append(f"Другой номер (профиль-дублёр): {format_phone(accounts['duplicate_phone'])}")
        if "email_password" in accounts:
            lines.append(f"Профиль на почте: пароль {accounts['email_password']}")
        if "vkid_password" in accounts or "email_password" in accounts:
            lines.append(f"Новый пароль, если восстановите: {actor.new_password}")
        born = f"Дата рождения: {actor.birth_date.strftime('%d.%m.%Y')}   Пол: {SEXES.get(actor.sex, actor.sex)}"
        lines += [f"Телефон: {format_phone(actor.phone)}   Почта: {actor.email}", born]
        if seat.subject is not None:
            user = seat.subject
            lines.append(
                f"{seat.subject_word.capitalize()}: {user.full_name}   Телефон: {format_phone(user.phone)}   "
                f"Почта: {user.email}"
            )
        return lines

    def _show(self) -> None:
        for seat in self.seats:
            if seat.page is not None and not seat.page.is_closed():
                panel.show(seat.page, self.panel_state(seat))


def _registered(person: Persona | None, accounts: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The login and password of the person's Госуслуги account in the world, if they have one."""
    own = [a for a in accounts if person is not None and a.get("person_id") == person.key and a.get("password")]
    return (str(own[0]["login"]), str(own[0]["password"])) if own else None


def _credentials(
    person: Persona | None, gosuslugi: tuple[str, str] | None, accounts: list[dict[str, Any]]
) -> dict[str, str]:
    """A person's credentials in the world (acts.ACCOUNT_WORDS): what a scenario names, never types."""
    found: dict[str, str] = {}
    if gosuslugi is not None:
        found["gosuslugi_login"], found["gosuslugi_password"] = gosuslugi
    if person is not None:
        own = [a for a in accounts if a.get("phone") == person.phone and a.get("password")]
        if own:
            found["vkid_password"] = str(own[0]["password"])
            if own[0]["password"] == person.new_password:  # set by «Сохранить пароль»: «вводит новый пароль …»
                found["vkid_new_password"] = person.new_password
        # A child's profile on an e-mail alone (seed 002): its password, told apart from a phone account's.
        mailed = [a for a in accounts if a.get("email") == person.email and not a.get("phone")]
        if mailed and mailed[0].get("password"):
            found["email_password"] = str(mailed[0]["password"])
    return found


def _typed_code(message: Message) -> str:
    """What the person types for this message: the code, or a flash call's last four digits."""
    if message["channel"] == "call" and message["caller"]:
        return "".join(ch for ch in message["caller"] if ch.isdigit())[-4:]
    return message["code"]


def _code_line(message: Message) -> str:
    if message["channel"] == "call":
        return f"Звонок на {message['to']} с номера {message['caller']}: введите {_typed_code(message)}"
    what = "SMS" if message["channel"] == "sms" else "Письмо"
    return f"{what} на {message['to']}: код {message['code']}"


__all__ = ["DEFAULT_GIVENS", "LibraryError", "Options", "RecorderError", "Recording"]
