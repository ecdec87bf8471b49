"""pytest plugin of the trainer mode (`-p simulator.trainer.plugin --trainer=replay|guide`).

The real scenarios run unchanged, so a replay or a guide always shows today's screens; this
plugin only watches them through pytest-bdd's step hooks and Playwright's own calls:

- A step's element is known only when the step's code acts on it. The plugin wraps Playwright's
  `Locator` actions (click, fill, …) and `expect(locator)`: right before an action it lets the
  element become visible, scrolls to it and outlines it — the exact element Playwright is about to
  use, found by the step's own locator, with no guessing from the step's wording. Elements a
  «Тогда» step checks with `expect` are outlined after the check passed.
- Replay (`--trainer=replay`): before a step's first action the caption (the step's text) and the
  outline are on screen, then it waits for Enter (`--trainer-pause`) or a timer
  (`--trainer-step-delay`); a step without actions (a check) waits after it, showing the result.
- Guide (`--trainer=guide`): one screenshot per step — taken before the step's last action, when
  the form is filled and the button to press is outlined, or, for a check, after it passed.

A selected .feature file no test module of the project binds (a recorded one, a feature anywhere)
is collected as a module of its own (FeatureModule), beside the project's conftest.py files, so the
library's and the team's steps apply; a feature the project binds runs through the project's module.

«Дано» steps prepare the simulator's world and show nothing: they are the guide's «Исходные
данные», not numbered steps. Each scenario's record (steps, their screenshots and visible page
text, the persona and seed) is written as JSON to `--trainer-out`, for the guide renderer and tests.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Expect, Locator, Page
from pytest_bdd import scenarios
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from . import overlay

# Playwright's element actions: each is a moment the user would use an element.
ACTIONS = (
    "check",
    "clear",
    "click",
    "dblclick",
    "fill",
    "hover",
    "press",
    "press_sequentially",
    "select_option",
    "select_text",
    "set_checked",
    "set_input_files",
    "tap",
    "type",
    "uncheck",
)
FLOW_TAG = re.compile(r"[FE]\d\d")


def step_text(step: Step) -> str:
    """The step as a sentence: «учитель нажимает …» → «Учитель нажимает …»."""
    return step.name[:1].upper() + step.name[1:]


def caption(number: int, step: Step) -> str:
    return f"Шаг {number}. {step_text(step)}"


def is_precondition(step: Step) -> bool:
    return step.type == "given"


@dataclass
class StepRecord:
    number: int
    keyword: str
    kind: str  # action (Когда) | check (Тогда)
    text: str
    caption: str
    screenshot: str | None = None
    page_text: str = ""
    title: str = ""
    url: str = ""
    outlined: list[str] = field(default_factory=list)  # labels of the outlined elements
    overlay: dict[str, Any] = field(default_factory=dict)  # what the overlay showed in the picture
    error: str | None = None


@dataclass
class ScenarioRecord:
    index: int
    total: int
    nodeid: str
    feature_file: str
    feature_name: str
    feature_description: str
    name: str
    tags: list[str]
    flows: list[str]
    example: dict[str, str]
    preconditions: list[str] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    persona: dict[str, Any] | None = None  # who acts last: the scenario's actor
    people: list[dict[str, Any]] = field(default_factory=list)  # everyone who signs in, in order of appearance
    sim_seed: int | None = None
    base_seed: int | None = None
    passed: bool = False
    error: str | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sferum-trainer", "trainer mode: replay scenarios, generate guides")
    group.addoption("--trainer", choices=("replay", "guide"), help="replay slowly with captions, or record a guide")
    group.addoption("--trainer-out", type=Path, help="where scenario records and screenshots are written")
    group.addoption("--trainer-feature", action="append", default=[], help="run only these .feature files or folders")
    group.addoption("--trainer-scenario", help="run only scenarios whose name contains this, or with this tag (E02)")
    group.addoption("--trainer-pause", action="store_true", help="replay: wait for Enter before each step")
    group.addoption("--trainer-step-delay", type=float, default=0.0, help="replay: seconds to show each step")


def pytest_configure(config: pytest.Config) -> None:
    mode = config.getoption("--trainer")
    if mode:
        trainer = Trainer(config, mode)
        config.pluginmanager.register(trainer, "sferum_trainer")
        config.add_cleanup(trainer.unpatch)


# -- which scenarios -------------------------------------------------------------------------------


class FeatureModule(pytest.Module):
    """A .feature file as a test module: its scenarios bound as `scenarios(path)` in a module would."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(f"sferum_trainer_{self.path.stem}")
        module.__file__ = str(self.path)
        # pytest-bdd binds the scenarios into its caller's namespace: run the call in the module's own.
        code = compile("scenarios(path, features_base_dir=folder)", str(self.path), "exec")
        namespace = module.__dict__
        namespace.update(scenarios=scenarios, path=str(self.path), folder=str(self.path.parent))
        exec(code, namespace)
        return module


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FeatureModule | None:
    if file_path.suffix != ".feature" or not parent.config.getoption("--trainer"):
        return None
    selected = [Path(f).resolve() for f in parent.config.getoption("--trainer-feature")]
    path = file_path.resolve()
    if selected and not any(path == f or f in path.parents for f in selected):
        return None
    return FeatureModule.from_parent(parent, path=file_path)


def _feature_file(item: pytest.Item) -> Path | None:
    template = _template(item)
    return Path(template.feature.filename).resolve() if template is not None else None


def _bound_once(items: list[pytest.Item]) -> list[pytest.Item]:
    """The project's own module runs a feature it binds; the trainer's FeatureModule only the others."""
    bound = {
        feature
        for item in items
        if not isinstance(item.parent, FeatureModule) and (feature := _feature_file(item)) is not None
    }
    return [item for item in items if not (isinstance(item.parent, FeatureModule) and _feature_file(item) in bound)]


def _template(item: pytest.Item) -> ScenarioTemplate | None:
    return scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]


def _example(item: pytest.Item) -> dict[str, str]:
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}


def _wanted(item: pytest.Item, features: list[Path], scenario: str | None) -> bool:
    template = _template(item)
    if template is None:
        return False
    path = Path(template.feature.filename).resolve()
    if features and not any(path == f or f in path.parents for f in features):
        return False
    if not scenario:
        return True
    names = {template.name.casefold(), template.render(_example(item)).name.casefold()}
    tags = {t.casefold() for t in template.tags | template.feature.tags}
    wanted = scenario.casefold().lstrip("@")
    return wanted in tags or any(wanted in name for name in names)


# -- the trainer -----------------------------------------------------------------------------------


class Trainer:
    def __init__(self, config: pytest.Config, mode: str) -> None:
        self.config = config
        self.mode = mode
        self.out: Path | None = config.getoption("--trainer-out")
        self.pause: bool = config.getoption("--trainer-pause")
        self.delay: float = config.getoption("--trainer-step-delay")
        self.order: list[str] = []
        self.record: ScenarioRecord | None = None
        self.scenario: Scenario | None = None
        self.step: Step | None = None
        self.number = 0
        self.page: Page | None = None  # the page the scenario last used
        self.people: dict[int, Any] = {}  # everyone the scenario brought in, in order of appearance
        self.shown = False  # replay: this step was already shown and waited for
        self.acted = False  # this step used an element
        self.checked: list[Locator] = []
        self.shot: dict[str, Any] | None = None  # guide: the step's picture so far
        self.busy = False  # the trainer's own Playwright calls are not the scenario's
        self._originals: dict[str, Callable[..., Any]] = {}
        if self.out:
            self.out.mkdir(parents=True, exist_ok=True)
        self.patch()

    # Playwright, observed

    def patch(self) -> None:
        trainer = self

        def observe(original: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(original)
            def action(locator: Locator, *args: Any, **kwargs: Any) -> Any:
                if not trainer.busy:
                    with trainer.own_calls():
                        trainer.before_action(locator, kwargs)
                return original(locator, *args, **kwargs)

            return action

        for name in ACTIONS:
            self._originals[name] = getattr(Locator, name)
            setattr(Locator, name, observe(self._originals[name]))
        original_expect = Expect.__call__

        @functools.wraps(original_expect)
        def expect(this: Expect, actual: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(actual, Locator) and not trainer.busy:
                trainer.checked.append(actual)
                trainer.page = actual.page
            return original_expect(this, actual, *args, **kwargs)

        self._originals["__expect__"] = original_expect
        Expect.__call__ = expect  # type: ignore[method-assign, assignment]

    def unpatch(self) -> None:
        for name, original in self._originals.items():
            if name == "__expect__":
                Expect.__call__ = original  # type: ignore[method-assign]
            else:
                setattr(Locator, name, original)
        self._originals.clear()

    @contextlib.contextmanager
    def own_calls(self) -> Iterator[None]:
        self.busy = True
        try:
            yield
        finally:
            self.busy = False

    # the terminal

    @contextlib.contextmanager
    def terminal(self, stdin: bool = False) -> Iterator[None]:
        """The real terminal, past pytest's capture (as pdb gets it)."""
        capture = self.config.pluginmanager.getplugin("capturemanager")
        if capture is None:
            yield
            return
        capture.suspend(in_=stdin)
        try:
            yield
        finally:
            capture.resume()

    def say(self, line: str, *, transient: bool = False) -> None:
        """A line on stderr; on a terminal, a transient line is overwritten by the next one."""
        with self.terminal():
            tty = sys.stderr.isatty()
            prefix = "\r\033[K" if tty else ""
            print(prefix + line, file=sys.stderr, end="" if transient and tty else "\n", flush=True)

    def progress(self) -> str:
        assert self.record is not None and self.scenario is not None
        total = sum(not is_precondition(s) for s in self.scenario.steps)
        return f"[{self.record.index}/{self.record.total}] {self.record.feature_file} · «{self.record.name}» — шаг {self.number}/{total}"

    # pytest

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        features = [Path(f).resolve() for f in config.getoption("--trainer-feature")]
        scenario = config.getoption("--trainer-scenario")
        keep = [item for item in _bound_once(items) if _wanted(item, features, scenario)]
        if len(keep) != len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in keep])
            items[:] = keep
        self.order = [item.nodeid for item in items]

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
        node = request.node
        tags = sorted(scenario.tags | feature.tags)
        self.scenario = scenario
        self.record = ScenarioRecord(
            index=self.order.index(node.nodeid) + 1 if node.nodeid in self.order else 1,
            total=len(self.order) or 1,
            nodeid=node.nodeid,
            feature_file=feature.rel_filename,
            feature_name=feature.name,
            feature_description=feature.description,
            name=scenario.name,
            tags=tags,
            flows=[t for t in tags if FLOW_TAG.fullmatch(t)],
            example=_example(node),
        )
        self.number = 0
        self.page = None
        self.people = {}

    def meet(self, request: pytest.FixtureRequest) -> None:
        """Notes who the steps have brought in, after every step: a step may replace the actor outright."""
        for person in _people_now(request):
            self.people.setdefault(id(person), person)

    def pytest_bdd_before_step(self, step: Step) -> None:
        self.step = step
        self.shown = self.acted = False
        self.checked = []
        self.shot = None
        if not is_precondition(step):
            self.number += 1
            if self.mode == "replay":
                self.say(f"{self.progress()}: {step_text(step)}")
            else:
                self.say(self.progress(), transient=True)

    def pytest_bdd_before_step_call(self, step: Step, step_func_args: dict[str, Any]) -> None:
        page = step_func_args.get("page")
        if isinstance(page, Page):
            self.page = page
        if self.mode == "replay" and not is_precondition(step) and self.page is not None:
            with self.own_calls():
                overlay.clear(self.page)  # the previous step's outlines
                self.show_caption(self.page)

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step: Step, step_func_args: dict[str, Any]) -> None:
        assert self.record is not None
        self.meet(request)
        if is_precondition(step):
            self.record.preconditions.append(step_text(step))
            return
        page = step_func_args.get("page")
        if isinstance(page, Page) and not self.acted:
            self.page = page
        with self.own_calls():
            if self.mode == "replay" and not self.shown and self.page is not None:
                self.outline_checked(self.page)
                self.show_and_wait(self.page)
            if self.mode == "guide" and self.shot is None and self.page is not None:
                self.outline_checked(self.page)
                self.shot = self.capture(self.page)
        self.record.steps.append(self.step_record(step))

    def pytest_bdd_step_error(self, step: Step, exception: Exception) -> None:
        assert self.record is not None
        message = str(exception).strip().splitlines()[0][:500] if str(exception).strip() else type(exception).__name__
        self.record.error = f"{step_text(step)}: {message}"
        if not is_precondition(step):
            self.record.steps.append(self.step_record(step, error=message))

    def pytest_bdd_after_scenario(self, request: pytest.FixtureRequest) -> None:
        assert self.record is not None
        self.meet(request)
        actor = getattr(_fixture(request, "scene"), "actor", None)
        self.record.persona = _persona(actor) if actor is not None else None
        self.record.people = [_persona(person) for person in self.people.values()]
        self.record.sim_seed = _fixture(request, "sim_seed")
        self.record.base_seed = self.config.getoption("--sim-seed", None)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = self.record
        if record is None or report.nodeid != record.nodeid:
            return
        if report.failed:
            record.passed = False
            if record.error is None:
                record.error = str(report.longrepr).strip().splitlines()[-1][:500]
        elif report.when == "call":
            record.passed = record.error is None
        if report.when == "teardown":
            self.write(record)
            outcome = "готово" if record.passed else f"ОШИБКА — {record.error}"
            self.say(f"[{record.index}/{record.total}] {record.feature_file} · «{record.name}»: {outcome}")
            self.record = None

    # what a step shows

    def before_action(self, locator: Locator, kwargs: dict[str, Any]) -> None:
        step = self.step
        if step is None or is_precondition(step):
            return
        page = locator.page
        self.page = page
        if self.mode == "replay":
            self.show_caption(page)
        self.reveal(locator, kwargs)
        overlay.outline(locator, keep=self.acted)
        self.acted = True
        if self.mode == "replay" and not self.shown:
            self.show_and_wait(page)
        elif self.mode == "guide":
            self.shot = self.capture(page)

    def reveal(self, locator: Locator, kwargs: dict[str, Any]) -> None:
        """Wait, as the action itself will, for the element to show, and bring it into view."""
        if kwargs.get("force"):
            return
        timeout = kwargs.get("timeout")
        try:
            locator.wait_for(state="visible", timeout=timeout)
            locator.scroll_into_view_if_needed(timeout=timeout)
        except PlaywrightError:
            pass  # the action itself reports what is wrong with its element

    def outline_checked(self, page: Page) -> None:
        overlay.clear(page)
        for index, locator in enumerate(dict.fromkeys(self.checked)):
            if locator.page is page:
                overlay.outline(locator, keep=index > 0, every=True)

    def show_caption(self, page: Page) -> None:
        assert self.step is not None
        text = caption(self.number, self.step)
        overlay.install(page.context, text)
        overlay.show_caption(page, text, True)

    def show_and_wait(self, page: Page) -> None:
        self.shown = True
        self.show_caption(page)
        if self.out:
            self.shot = self.capture(page)
        if self.pause:
            with self.terminal(stdin=True):
                print("  Enter — следующий шаг", file=sys.stderr, end="", flush=True)
                if not sys.stdin.readline():
                    self.pause = False  # no terminal to answer: go on without pausing
                    print(" (ввод закрыт, дальше без пауз)", file=sys.stderr)
        elif self.delay > 0:
            page.wait_for_timeout(self.delay * 1000)  # keeps the headed browser responsive, unlike sleep

    def capture(self, page: Page) -> dict[str, Any] | None:
        """The step's picture and the page text visible in it."""
        if self.out is None or self.record is None:
            return None
        name = f"{self.record.index:03d}-{self.number:02d}.png"
        try:
            page.screenshot(path=self.out / name)
            text = page.locator("body").inner_text(timeout=2000)
            title = page.title()
        except PlaywrightError as error:
            self.say(f"  снимок шага {self.number} не сделан: {error}")
            return None
        shown = overlay.state(page)
        return {
            "screenshot": name,
            "page_text": text,
            "title": title,
            "url": page.url,
            "overlay": shown,
            "outlined": shown.get("outlined", []),
        }

    def step_record(self, step: Step, error: str | None = None) -> StepRecord:
        return StepRecord(
            number=self.number,
            keyword=step.keyword.strip(),
            kind="action" if step.type == "when" else "check",
            text=step_text(step),
            caption=caption(self.number, step),
            error=error,
            **(self.shot or {}),
        )

    def write(self, record: ScenarioRecord) -> None:
        if self.out:
            path = self.out / f"{record.index:03d}.json"
            path.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=1), encoding="utf-8")


def _fixture(request: pytest.FixtureRequest, name: str) -> Any:
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        return None


PERSONA_FIELDS = ("role", "full_name", "login", "password", "phone", "email", "birth_date")


def _persona(person: Any) -> dict[str, Any]:
    return {name: str(getattr(person, name)) for name in PERSONA_FIELDS if getattr(person, name, None)}


def _people_now(request: pytest.FixtureRequest) -> list[Any]:
    """Who the steps have brought in so far: the `scene`'s actor and those who acted before, the organisation
    scenarios' `cast` (an administrator, a classmate)."""
    scene = _fixture(request, "scene")
    others = getattr(_fixture(request, "cast"), "people", None) or {}
    actor = getattr(scene, "actor", None)
    return [*getattr(scene, "earlier", []), *others.values(), *([actor] if actor is not None else [])]
