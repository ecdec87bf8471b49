"""Per-step evidence of a BDD scenario: a trace group, a screenshot and the simulator's events per step.

Each is gathered only when something reads it: the trace groups while pytest-playwright records a trace
(--tracing on or retain-on-failure), the simulator's events when reports are written (--sim-report-dir).

pytest-bdd calls the hooks below around every Gherkin step. What they gather (a `ScenarioEvidence` of
reporting/records.py, as plain data) rides on the test's report (`report.sferum_sim`), which
pytest-xdist serialises with the report, so the controller gets
every worker's per-step detail. Screenshots are files in the report directory, not report data:
workers and the controller share it, and a shard's directory travels whole to the merge.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import inspect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest
from playwright.sync_api import Error as PlaywrightError

from . import bdd
from .bdd import scenario_of
from .reporting.layout import slug
from .reporting.records import (
    BrowserInfo,
    FeatureRecord,
    ScenarioEvidence,
    ScenarioRecord,
    SimulatorEvent,
    StepRecord,
    StepStatus,
)

try:  # allure-pytest-bdd is optional; without it the attachment calls below do nothing
    import allure

    HAS_ALLURE = True
    PNG = allure.attachment_type.PNG
except ImportError:  # pragma: no cover
    HAS_ALLURE = False

POLICIES = ("off", "only-on-failure", "on")
# PNG: the one picture format every report viewer shows inline (multiple-cucumber-html-reporter shows only
# image/png, cucumber-html-reporter image/png and image/gif, any other type as a download). The simulator's
# flat screens cost little for it: 1.25 times a JPEG's bytes at quality 70 and about its capture time.
SCREENSHOT_TYPE: Final = "png"
# Fixtures whose value tells what the browser shows; fetched early when a step asks for them, so the
# first step that opens the page has its trace group too.
BROWSER_FIXTURES = ("page", "context")
# Counts what can change the picture of a document: DOM changes, typing, scrolling, focus. A step after
# which the page holds the same document (no frames in it) with the same count as at the last screenshot
# shows that same picture: the file is referenced again instead of captured anew (a capture waits for the
# browser to draw a frame, ~25 ms here).
CHANGES = "Symbol.for('sferum-sim.changes')"
CHANGE_COUNTER = f"""(() => {{
  const key = {CHANGES};
  if (key in window) return;
  Object.defineProperty(window, key, {{ value: 0, writable: true, enumerable: false }});
  const count = () => {{ window[key] += 1; }};
  new MutationObserver(count).observe(document, {{ subtree: true, childList: true, attributes: true, characterData: true }});
  for (const type of ["input", "change", "scroll", "focusin", "focusout", "toggle", "resize"])
    addEventListener(type, count, {{ capture: true, passive: true }});
}})();"""
READ_CHANGES = f"() => [location.href, performance.timeOrigin, window[{CHANGES}] ?? -1]"
# The same read as one DevTools message on the capture's session (Playwright's evaluate adds its own world
# look-up and serialisation, ~2 ms a step), once the document has loaded: a step whose click opened a page
# ends while the page still arrives, and its picture is then the page it opened, not the half of it parsed
# so far (which the next step would capture again). A document that does not load in 2 s is read as it is.
READ_CHANGES_WHEN_LOADED = f"""(() => {{
  const read = {READ_CHANGES};
  if (document.readyState === "complete") return read();
  return new Promise(done => {{
    addEventListener("load", () => done(read()), {{ once: true }});
    setTimeout(() => done(read()), 2000);
  }});
}})()"""


@dataclass
class Evidence:
    """What one scenario's steps left behind so far."""

    feature: FeatureRecord
    scenario: ScenarioRecord
    pending: list[StepRecord]  # the scenario's steps, as written, not run yet
    steps: list[StepRecord] = field(default_factory=list)
    started: float = 0.0
    grouped: Any = None  # the browser context whose trace has this step's group open
    # Steps run before any page existed: their trace groups are written once a context appears.
    ungrouped: list[str] = field(default_factory=list)
    events_seen: int = 0
    browser: BrowserInfo | None = None
    # The last screenshot: its file and what the page was when it was taken.
    shot: str | None = None
    shot_image: bytes = b""
    shot_state: Any = None
    # A DevTools session on the page last captured (Chromium): its screenshots are one round trip.
    capture_page: Any = None
    capture_session: Any = None

    def handed_over(self) -> ScenarioEvidence:
        """The scenario's record: the steps run so far, then the ones never reached."""
        return ScenarioEvidence(
            feature=self.feature,
            scenario=self.scenario,
            steps=self.steps + self.pending[len(self.steps) :],
            browser=self.browser,
        )


EVIDENCE = pytest.StashKey[Evidence]()


def _feature(feature: bdd.Feature, root: Path) -> FeatureRecord:
    path = Path(feature.filename)
    return FeatureRecord(
        keyword=feature.keyword,
        name=feature.name or feature.rel_filename,
        file=str(path.relative_to(root)) if path.is_relative_to(root) else feature.rel_filename,
        line=feature.line_number,
        description=feature.description or "",
        tags=sorted(feature.tags),
        language=feature.language,
    )


def _scenario(scenario: bdd.Scenario) -> ScenarioRecord:
    return ScenarioRecord(
        keyword=scenario.keyword,
        name=scenario.name,
        line=scenario.line_number,
        description=scenario.description or "",
        tags=sorted(scenario.tags),
    )


def _step(step: bdd.Step) -> StepRecord:
    table = step.datatable.raw() if step.datatable is not None else None
    return StepRecord(
        keyword=step.keyword.strip(),
        name=step.name,
        line=step.line_number,
        rows=[[str(cell) for cell in row] for row in table] if table is not None else None,
        doc_string=step.docstring,
    )


def step_title(step: bdd.Step) -> str:
    """A step as the feature file writes it: «Дано …», «Когда …»."""
    return f"{step.keyword.strip()} {step.name}"


def evidence_for(scenario: bdd.Scenario, root: Path) -> Evidence:
    """A scenario's record before any step ran."""
    return Evidence(
        feature=_feature(scenario.feature, root),
        scenario=_scenario(scenario),
        pending=[_step(step) for step in scenario.steps],
    )


@functools.cache
def _location(func: bdd.StepFunction, root: Path) -> str | None:
    """Where the step is defined (file:line), for Cucumber's `match.location`: read once per step function."""
    try:
        path = Path(inspect.getsourcefile(func) or "")
        line = inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        return None
    return f"{path.relative_to(root) if path.is_relative_to(root) else path}:{line}"


class EvidencePlugin:
    """pytest-bdd hooks that record each step; registered by the sferum-sim plugin."""

    def __init__(self, config: pytest.Config, report_dir: Path | None) -> None:
        self.policy: str = config.getoption("--step-screenshots")
        self.report_dir = report_dir
        # pytest-playwright's --tracing: without a trace being recorded, a group is a round trip for nothing.
        self.tracing = config.getoption("--tracing", default="off") not in ("off", None)
        # The session's event log is read after every step only for the reports, which alone show it.
        self.events = report_dir is not None
        self.root = config.rootpath

    # -- fixtures already alive in the test -----------------------------------------------------

    @staticmethod
    def _active(request: pytest.FixtureRequest, name: str) -> Any:
        """A fixture's value if the test has it already; never creates one (a step may not need a page)."""
        return request.getfixturevalue(name) if name in request.fixturenames else None

    def _context(self, request: pytest.FixtureRequest, step_func: bdd.StepFunction | None) -> Any:
        wanted = set(inspect.signature(step_func).parameters) if step_func else set()
        for name in BROWSER_FIXTURES:
            if name in wanted and name not in request.fixturenames:
                request.getfixturevalue(name)
        page = self._active(request, "page")
        return page.context if page is not None else self._active(request, "context")

    # -- pytest-bdd hooks -------------------------------------------------------------------------

    @pytest.hookimpl
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: bdd.Feature, scenario: bdd.Scenario
    ) -> None:
        request.node.stash[EVIDENCE] = evidence_for(scenario, self.root)

    @pytest.hookimpl
    def pytest_bdd_before_step(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        step_func: bdd.StepFunction,
    ) -> None:
        evidence = request.node.stash.get(EVIDENCE, None)
        if evidence is None:
            return
        evidence.started = time.perf_counter()  # opening the page the step asks for is part of the step
        context = self._context(request, step_func)
        if context is not None and evidence.browser is None and context.browser is not None:
            evidence.browser = BrowserInfo(name=context.browser.browser_type.name, version=context.browser.version)
            if self.policy == "on":  # the documents the scenario opens from now on count their changes
                context.add_init_script(CHANGE_COUNTER)
        if self.tracing:
            self._group(evidence, context, step_title(step))
        record = evidence.pending[len(evidence.steps)]
        record.location = _location(step_func, self.root)

    @staticmethod
    def _group(evidence: Evidence, context: Any, title: str) -> None:
        """Open the step's trace group; a step before any page existed gets its group once a context does."""
        if context is None:
            evidence.ungrouped.append(title)
            return
        # Steps that needed no page still belong in the trace: an empty group each, before this step's.
        for earlier in evidence.ungrouped:
            with contextlib.suppress(PlaywrightError):
                context.tracing.group(earlier)
                context.tracing.group_end()
        evidence.ungrouped.clear()
        # One group per step: the trace viewer then lists «Дано …», «Когда …», «Тогда …» with their actions inside.
        context.tracing.group(title)
        evidence.grouped = context

    # tryfirst: inside allure's own step, so a screenshot attaches to the step rather than the scenario
    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_after_step(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        step_func: bdd.StepFunction,
        step_func_args: bdd.StepArguments,
    ) -> None:
        self._finish(request, "passed", None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_error(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        step_func: bdd.StepFunction,
        step_func_args: bdd.StepArguments,
        exception: Exception,
    ) -> None:
        self._finish(request, "failed", exception)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_func_lookup_error(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        exception: Exception,
    ) -> None:
        evidence = request.node.stash.get(EVIDENCE, None)
        if evidence is not None:
            evidence.started = time.perf_counter()
            self._finish(request, "undefined", exception)

    def _finish(self, request: pytest.FixtureRequest, status: StepStatus, error: BaseException | None) -> None:
        evidence = request.node.stash.get(EVIDENCE, None)
        if evidence is None:
            return
        record = evidence.pending[len(evidence.steps)]
        record.duration = time.perf_counter() - evidence.started
        record.status = status
        if error is not None:
            record.error = f"{type(error).__name__}: {error}".strip()
        if self._wants_screenshot(status):
            record.screenshot = self._screenshot(request, evidence, len(evidence.steps) + 1, status)
        if evidence.grouped is not None:
            with contextlib.suppress(PlaywrightError):  # the step closed its own context: nothing left to group
                evidence.grouped.tracing.group_end()
            evidence.grouped = None
        if self.events:
            record.events = self._events(request, evidence)
        evidence.steps.append(record)

    def _wants_screenshot(self, status: StepStatus) -> bool:
        return self.policy == "on" or (self.policy == "only-on-failure" and status != "passed")

    def _screenshot(
        self, request: pytest.FixtureRequest, evidence: Evidence, number: int, status: StepStatus
    ) -> str | None:
        """The viewport as a PNG, written once under the report directory; Allure gets the same picture.

        A passed step that changed nothing on the page since the last screenshot shows that one again.
        """
        page = self._active(request, "page")
        if page is None or page.is_closed():
            return None
        state = self._page_state(page, evidence) if status == "passed" else None
        if state is not None and state == evidence.shot_state:
            if HAS_ALLURE:
                allure.attach(evidence.shot_image, name=f"шаг {number}", attachment_type=PNG)
            return evidence.shot
        try:
            image = self._capture(page, evidence, status)
        except PlaywrightError:  # a crashed page must not hide the step's own error
            return None
        if HAS_ALLURE:  # Allure's results folder holds its own copies: its readers look nowhere else
            allure.attach(image, name=f"шаг {number}", attachment_type=PNG)
        evidence.shot, evidence.shot_image, evidence.shot_state = None, image, state
        if self.report_dir is None:
            return None
        relative = (
            Path("evidence")
            / slug(request.node.nodeid, evidence.scenario.name)
            / f"{number:02d}-{status}.{SCREENSHOT_TYPE}"
        )
        file = self.report_dir / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(image)
        evidence.shot = relative.as_posix()
        return evidence.shot

    @staticmethod
    def _capture(page: Any, evidence: Evidence, status: StepStatus) -> bytes:
        """The viewport as a PNG, byte for byte what `page.screenshot(type="png", caret="initial")` gives.

        After a passed step, on Chromium, straight through DevTools' Page.captureScreenshot: the same call
        Playwright makes, without the round trips it adds around it (caret, fonts, layout metrics) — one
        request instead of five. After a failed step, through Playwright with its timeout: a page that
        stopped answering must not stop the run.
        """
        if status == "passed":
            session = EvidencePlugin._capture_session(page, evidence)
            if session is not None:
                answer = session.send("Page.captureScreenshot", {"format": SCREENSHOT_TYPE})
                return base64.b64decode(answer["data"])
        # caret="initial": hiding the caret means adding and removing a style, a change of the page itself
        image: bytes = page.screenshot(type=SCREENSHOT_TYPE, caret="initial", timeout=5000)
        return image

    @staticmethod
    def _capture_session(page: Any, evidence: Evidence) -> Any:
        """The page's DevTools session, opened once a page; None where the browser has none (not Chromium)."""
        if evidence.capture_page is not page:
            evidence.capture_page, evidence.capture_session = page, None
            browser = page.context.browser
            if browser is not None and browser.browser_type.name == "chromium":
                with contextlib.suppress(PlaywrightError):
                    evidence.capture_session = page.context.new_cdp_session(page)
        return evidence.capture_session

    @staticmethod
    def _page_state(page: Any, evidence: Evidence) -> Any:
        """The page's document and its count of changes, or None when unknown (a frame, a page navigating)."""
        if len(page.frames) > 1:  # another frame's document changes unseen by the counter of this one
            return None
        session = EvidencePlugin._capture_session(page, evidence)
        try:
            if session is None:  # the same expression: Playwright awaits the promise too
                state = page.evaluate(READ_CHANGES_WHEN_LOADED)
            else:  # the main world's context, where the counter was installed (the default one)
                answer = session.send(
                    "Runtime.evaluate",
                    {"expression": READ_CHANGES_WHEN_LOADED, "returnByValue": True, "awaitPromise": True},
                )
                if "exceptionDetails" in answer:
                    return None
                state = answer["result"]["value"]
        except PlaywrightError:
            return None
        return state if state[2] >= 0 else None

    def _events(self, request: pytest.FixtureRequest, evidence: Evidence) -> list[SimulatorEvent]:
        """What the simulator did during the step: the session's event log since the last step."""
        session = self._active(request, "sim_session")
        if session is None:
            return []
        try:
            log = session.events(after=evidence.events_seen)
        except Exception:  # the log is evidence; a simulator that went away fails the test elsewhere
            return []
        events = [SimulatorEvent.from_json(event) for event in log]  # an event of another shape is a bug: say so
        if events:
            evidence.events_seen = events[-1].id
        return events

    # -- hand the evidence to the report ----------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        evidence = item.stash.get(EVIDENCE, None)
        if evidence is None and report.when == "setup" and not report.passed:
            # A fixture failed (or skipped) before the first step: the scenario and its steps, none run, still report.
            scenario = scenario_of(item)
            if scenario is not None:
                report.sferum_sim = evidence_for(scenario, self.root).handed_over().to_json()
        elif evidence is not None and report.when == "call":
            # A plain attribute: xdist serialises a report's __dict__, so it reaches the controller intact.
            report.sferum_sim = evidence.handed_over().to_json()
        return report
