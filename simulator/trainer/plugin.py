"""pytest plugin of the trainer mode (`-p simulator.trainer.plugin --trainer=replay|guide`).

The real scenarios run unchanged, so a replay or a guide always shows today's screens; this
plugin only watches them through pytest-bdd's step hooks and Playwright's own calls:

- A step's element is known only when the step's code acts on it. The plugin wraps Playwright's
  `Locator` actions (click, fill, …) and `expect(locator)` (watch.py): right before an action it lets
  the element become visible, scrolls to it and outlines it — the exact element Playwright is about to
  use, found by the step's own locator, with no guessing from the step's wording. Elements a
  «Тогда» step checks with `expect` are outlined after the check passed.
- Replay (`--trainer=replay`): before a step's first action the caption (the step's text) and the
  outline are on screen, then it waits for Enter (`--trainer-pause`) or a timer
  (`--trainer-step-delay`); a step without actions (a check) waits after it, showing the result.
- Guide (`--trainer=guide`): one screenshot per step — taken before the step's last action, when
  the form is filled and the button to press is outlined, or, for a check, after it passed.

Which scenarios run, and features no test module binds: selection.py. «Дано» steps prepare the
simulator's world and show nothing: they are the guide's «Исходные данные», not numbered steps. Each
scenario's record (records.py: steps, their screenshots and visible page text, the persona and seed) is
written as JSON to `--trainer-out`, for the guide renderer and tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from ..testing import bdd
from ..testing.evidence import evidence_for
from ..testing.reporting.records import ScenarioEvidence, StepRecord
from . import overlay, selection
from .people import fixture, people_now, persona
from .records import GuideScenario, GuideStep, Shot, caption, sentence
from .terminal import Terminal
from .watch import PlaywrightWatch

FLOW_TAG = re.compile(r"[FE]\d\d")


def is_precondition(step: bdd.Step) -> bool:
    return step.type == "given"


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
        config.add_cleanup(trainer.watch.unpatch)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> selection.FeatureModule | None:
    return selection.feature_module(file_path, parent)


class Trainer:
    def __init__(self, config: pytest.Config, mode: str) -> None:
        self.config = config
        self.mode = mode
        self.out: Path | None = config.getoption("--trainer-out")
        self.pause: bool = config.getoption("--trainer-pause")
        self.delay: float = config.getoption("--trainer-step-delay")
        self.terminal = Terminal(config)
        self.order: list[str] = []
        self.record: GuideScenario | None = None
        self.evidence: ScenarioEvidence | None = None  # the scenario's Gherkin, as the reports record it
        self.scenario: bdd.Scenario | None = None
        self.step: bdd.Step | None = None
        self.number = 0
        self.page: Page | None = None  # the page the scenario last used
        self.people: dict[int, object] = {}  # everyone the scenario brought in, in order of appearance
        self.shown = False  # replay: this step was already shown and waited for
        self.acted = False  # this step used an element
        self.checked: list[Locator] = []
        self.shot: Shot | None = None  # guide: the step's picture so far
        if self.out:
            self.out.mkdir(parents=True, exist_ok=True)
        self.watch = PlaywrightWatch(self.before_action, self.saw_check)
        self.watch.patch()

    def saw_check(self, locator: Locator) -> None:
        self.checked.append(locator)
        self.page = locator.page

    def progress(self) -> str:
        assert self.record is not None and self.scenario is not None
        total = sum(not is_precondition(s) for s in self.scenario.steps)
        return f"[{self.record.index}/{self.record.total}] {self.record.feature_file} · «{self.record.name}» — шаг {self.number}/{total}"

    def step_of(self, step: bdd.Step) -> StepRecord:
        """The reporting's record of a pytest-bdd step of the running scenario."""
        assert self.evidence is not None
        return next(record for record in self.evidence.steps if record.line == step.line_number)

    # pytest

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        selection.select(config, items)
        self.order = [item.nodeid for item in items]

    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: bdd.Feature, scenario: bdd.Scenario
    ) -> None:
        node = request.node
        evidence = self.evidence = evidence_for(scenario, self.config.rootpath).handed_over()
        tags = sorted({*evidence.feature.tags, *evidence.scenario.tags})
        self.scenario = scenario
        self.record = GuideScenario.begin(
            evidence.feature,
            evidence.scenario,
            feature_file=feature.rel_filename,
            place=(self.order.index(node.nodeid) + 1 if node.nodeid in self.order else 1, len(self.order) or 1),
            nodeid=node.nodeid,
            example=bdd.example_of(node),
            flows=[t for t in tags if FLOW_TAG.fullmatch(t)],
        )
        self.number = 0
        self.page = None
        self.people = {}

    def meet(self, request: pytest.FixtureRequest) -> None:
        """Notes who the steps have brought in, after every step: a step may replace the actor outright."""
        for person in people_now(request):
            self.people.setdefault(id(person), person)

    def pytest_bdd_before_step(self, step: bdd.Step) -> None:
        self.step = step
        self.shown = self.acted = False
        self.checked = []
        self.shot = None
        if not is_precondition(step):
            self.number += 1
            if self.mode == "replay":
                self.terminal.say(f"{self.progress()}: {sentence(self.step_of(step))}")
            else:
                self.terminal.say(self.progress(), transient=True)

    def pytest_bdd_before_step_call(self, step: bdd.Step, step_func_args: bdd.StepArguments) -> None:
        page = step_func_args.get("page")
        if isinstance(page, Page):
            self.page = page
        if self.mode == "replay" and not is_precondition(step) and self.page is not None:
            with self.watch.own_calls():
                overlay.clear(self.page)  # the previous step's outlines
                self.show_caption(self.page)

    def pytest_bdd_after_step(
        self, request: pytest.FixtureRequest, step: bdd.Step, step_func_args: bdd.StepArguments
    ) -> None:
        assert self.record is not None
        self.meet(request)
        record = self.step_of(step)
        record.status = "passed"
        if is_precondition(step):
            self.record.preconditions.append(sentence(record))
            return
        page = step_func_args.get("page")
        if isinstance(page, Page) and not self.acted:
            self.page = page
        with self.watch.own_calls():
            if self.mode == "replay" and not self.shown and self.page is not None:
                self.outline_checked(self.page)
                self.show_and_wait(self.page)
            if self.mode == "guide" and self.shot is None and self.page is not None:
                self.outline_checked(self.page)
                self.shot = self.capture(self.page)
        self.record.steps.append(self.guide_step(step, record))

    def pytest_bdd_step_error(self, step: bdd.Step, exception: Exception) -> None:
        assert self.record is not None
        record = self.step_of(step)
        message = str(exception).strip().splitlines()[0][:500] if str(exception).strip() else type(exception).__name__
        record.status, record.error = "failed", message
        self.record.error = f"{sentence(record)}: {message}"
        if not is_precondition(step):
            self.record.steps.append(self.guide_step(step, record))

    def pytest_bdd_after_scenario(self, request: pytest.FixtureRequest) -> None:
        assert self.record is not None
        self.meet(request)
        actor = getattr(fixture(request, "scene"), "actor", None)
        self.record.persona = persona(actor) if actor is not None else None
        self.record.people = [persona(person) for person in self.people.values()]
        seed = fixture(request, "sim_seed")
        self.record.sim_seed = seed if isinstance(seed, int) else None
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
            self.terminal.say(f"[{record.index}/{record.total}] {record.feature_file} · «{record.name}»: {outcome}")
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
        text = caption(self.number, self.step_of(self.step))
        overlay.install(page.context, text)
        overlay.show_caption(page, text, True)

    def show_and_wait(self, page: Page) -> None:
        self.shown = True
        self.show_caption(page)
        if self.out:
            self.shot = self.capture(page)
        if self.pause:
            self.pause = self.terminal.wait_for_enter()  # no terminal to answer: go on without pausing
        elif self.delay > 0:
            page.wait_for_timeout(self.delay * 1000)  # keeps the headed browser responsive, unlike sleep

    def capture(self, page: Page) -> Shot | None:
        """The step's picture and the page text visible in it."""
        if self.out is None or self.record is None:
            return None
        name = f"{self.record.index:03d}-{self.number:02d}.png"
        try:
            page.screenshot(path=self.out / name)
            text = page.locator("body").inner_text(timeout=2000)
            title = page.title()
        except PlaywrightError as error:
            self.terminal.say(f"  снимок шага {self.number} не сделан: {error}")
            return None
        shown = overlay.state(page)
        return Shot(name, text, title, page.url, shown, list(shown.get("outlined", [])))

    def guide_step(self, step: bdd.Step, record: StepRecord) -> GuideStep:
        return GuideStep.of(record, self.number, "action" if step.type == "when" else "check", self.shot)

    def write(self, record: GuideScenario) -> None:
        if self.out:
            path = self.out / f"{record.index:03d}.json"
            path.write_text(json.dumps(record.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
