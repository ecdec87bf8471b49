"""`sferum-sim conformance`: start (or reach) the simulator, walk every outcome in Chromium, write the reports.

Each outcome runs in a session of its own — its person, its registered client, its faults, a fresh
browser context — so one outcome's state never decides another's. Exit 0: every outcome passed;
1: some failed; 2: the journal could not be reached or the configuration is wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserType, sync_playwright

from .. import tls
from ..hosts import REAL_NAMES
from ..server import SimulatorServer
from ..testing.browser import system_chromium
from ..testing.client import Simulator
from ..wire import SESSION_HEADER
from . import report, vkid_checks
from .config import Config, ConfigError, load
from .outcomes import OUTCOMES, Outcome
from .report import Result
from .walks import WALKS, Failed, NotApplicable, Person, Walk

STEP_TIMEOUT_MS = 20_000


def reachable(config: Config) -> None:
    """The journal's page answers; ConfigError (exit 2) says what to fix when it does not."""
    url, headers = httpx.URL(config.journal_url), {}
    if url.host == "localhost" or url.host.endswith(".localhost"):  # the loopback (RFC 6761), as Chromium has it
        url, headers = url.copy_with(host="127.0.0.1"), {"Host": url.netloc.decode()}
    try:
        answer = httpx.get(url, headers=headers, timeout=10)
    except httpx.HTTPError as error:
        raise ConfigError(
            f"Журнал по адресу {config.journal_url} не отвечает ({error.__class__.__name__}: {error}). "
            "Запустите журнал и проверьте --journal-url."
        ) from None
    if answer.status_code >= 500:
        raise ConfigError(
            f"Журнал по адресу {config.journal_url} отвечает {answer.status_code}: "
            "откройте страницу с кнопкой VK ID и исправьте её, прежде чем проверять исходы."
        )


@contextlib.contextmanager
def simulator(config: Config) -> Iterator[Simulator]:
    """The simulator the journal talks to: --sim-url's, or one started here on --sim-port."""
    if config.sim_url:
        try:
            client = Simulator(config.sim_url)
        except httpx.HTTPError as error:
            raise ConfigError(
                f"Симулятор по адресу {config.sim_url} не отвечает: {error}. Проверьте --sim-url."
            ) from None
        yield client
        client.close()
        return
    try:
        server = SimulatorServer(port=config.sim_port, tls=tls.available()).start()
    except RuntimeError as error:
        raise ConfigError(
            f"Симулятор не запустился на порту {config.sim_port}: {error.__cause__ or error}. "
            "Освободите порт или укажите другой в --sim-port (и тот же адрес VK ID в настройках журнала)."
        ) from None
    try:
        client = Simulator(server.url)
        yield client
        client.close()
    finally:
        server.stop()


def launch(chromium: BrowserType, config: Config, sim: Simulator) -> Browser:
    """Chromium that reaches https://id.vk.com at the simulator's HTTPS listener, when it has one."""
    args = ["--disable-background-networking", "--no-first-run"]
    if sim.tls:  # the journal may send the browser to VK ID's real names, unchanged from production
        rules = ", ".join(f"MAP {name} 127.0.0.1:{sim.tls['port']}" for name in REAL_NAMES)
        args += [f"--host-resolver-rules={rules}", f"--ignore-certificate-errors-spki-list={sim.tls['spki']}"]
    executable = system_chromium(headless=not config.headed)
    return chromium.launch(headless=not config.headed, executable_path=executable, args=args)


def check_one(browser: Browser, sim: Simulator, config: Config, outcome: Outcome, number: int) -> Result:
    started = time.monotonic()
    # A session per outcome; the world never gives two sessions' people one user_id, so the journal's
    # accounts from one outcome never stand in for another's person.
    session = sim.new_session()
    session.register_client(config.client_id, [config.redirect_uri], config.service_name)
    person = Person("Анна", "Соколова", f"+7900{number:07d}")
    context = browser.new_context(locale="ru-RU", extra_http_headers={SESSION_HEADER: session.key})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    walk = Walk(config, session, context, page, person)
    status: report.Status = "passed"
    try:
        WALKS[outcome.walk](walk)
        observed = f"как ожидалось; на странице: {walk.judged or walk.visible_text(200)}"
    except Failed as failure:
        status, observed = "failed", str(failure)
    except NotApplicable as reason:
        status, observed = "skipped", f"не применимо: {reason}"
    except Exception as error:  # Playwright's timeout or a closed page: what the person was left with
        status = "failed"
        observed = (
            f"человек застрял: {str(error).splitlines()[0]}; открыт {page.url}, на странице {walk.visible_text()}"
        )
    events = session.events()
    findings = vkid_checks.findings(events, config.redirect_uri)
    if findings and outcome.expects == "signed_in" and status == "passed":
        status, observed = "failed", "вход удался, но VK ID заметил ошибки протокола"
    shot = config.report_dir / f"{outcome.id}.png"
    try:
        shot.write_bytes(walk.picture or page.screenshot(full_page=True))
        picture: str | None = shot.name
    except Exception:  # a crashed page has no picture; the report says what was seen instead
        picture = None
    context.close()
    with contextlib.suppress(httpx.HTTPError):
        session.delete()
    return Result(
        outcome, status, observed, findings, vkid_checks.journal_requests(events), picture, time.monotonic() - started
    )


def run(config: Config) -> list[Result]:
    reachable(config)
    config.report_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    with simulator(config) as sim, sync_playwright() as playwright:
        browser = launch(playwright.chromium, config, sim)
        try:
            for number, outcome in enumerate(OUTCOMES, start=1):
                if config.skipped(outcome.id):
                    results.append(Result(outcome, "skipped", "пропущен настройкой (--only или skip)"))
                    continue
                result = check_one(browser, sim, config, outcome, number)
                print(f"{outcome.id} {report.STATUS_WORDS[result.status]:<11} {outcome.title}", flush=True)
                results.append(result)
        finally:
            browser.close()
    return results


def main(args: argparse.Namespace) -> int:
    try:
        config = load(args)
        started = time.monotonic()
        results = run(config)
    except ConfigError as error:
        print(f"sferum-sim conformance: {error}", file=sys.stderr)
        return 2
    written = report.write(results, config.report_dir, config.journal_url)
    failed = [r.outcome.id for r in results if r.status == "failed"]
    passed = sum(r.status == "passed" for r in results)
    print(
        f"Исходов: {len(results)}, пройдено {passed}, не пройдено {len(failed)}"
        + (f" ({', '.join(failed)})" if failed else "")
        + f"; {time.monotonic() - started:.0f} с. Отчёт: {Path(written[-1])}"
    )
    return 1 if failed else 0
