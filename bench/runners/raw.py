"""The floor: the F06 scenario of f06.feature.in as a plain Playwright script, the same clicks and checks.

`python -m bench.runners.raw JOB.json` runs the job's scenarios one after another in one browser, a
fresh context each (as pytest-playwright gives every test), and prints the milliseconds of each as JSON.
It talks to the control plane with httpx directly: no pytest, no plugin, no step matching, no evidence.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect, sync_playwright

SESSION_HEADER = "X-Sim-Session"
# `python -m bench startup` names a file here: the script's start-up stages, as the plugin's marks are written.
MARKS = os.environ.get("SFERUM_SIM_STARTUP_LOG")


def mark(name: str) -> None:
    """The wall clock and CPU seconds at a stage of the start, once a stage (see simulator/testing/startup.py)."""
    if MARKS and name not in marked:
        marked.add(name)
        with open(MARKS, "a", encoding="utf-8") as log:
            log.write(json.dumps({"mark": name, "wall": time.time(), "cpu": time.process_time()}) + "\n")


marked: set[str] = set()
mark("imported")


def scenario(browser: Browser, control: httpx.Client, job: dict[str, Any], person: dict[str, Any]) -> None:
    mark("first_session_start")
    session = control.post("/sessions", json={"seed": 0}).json()
    mark("first_session")
    key, port = session["key"], job["port"]
    path = f"/sessions/{key}"
    try:
        control.post(f"{path}/seed", json={"organisations": [job["school"]]}).raise_for_status()
        created = control.post(f"{path}/seed", json={"people": [person]}).json()
        ids = created["people"][person["id"]]
        profiles_before = len(control.get(path).json()["profiles"])
        control.patch(f"{path}/settings", json={"phone_code_channel": "sms"}).raise_for_status()
        mark("first_context_start")
        context = browser.new_context(
            extra_http_headers={SESSION_HEADER: key}, locale="ru-RU", timezone_id="Europe/Moscow"
        )
        mark("first_context")
        page = context.new_page()
        walk(page, control, path, port, person, ids, profiles_before)
        context.close()
    finally:
        control.delete(path)


def walk(
    page: Page, control: httpx.Client, path: str, port: int, person: dict[str, Any], ids: dict[str, Any], before: int
) -> None:
    account = person["journal"]
    page.goto(f"http://mes.localhost:{port}/")
    page.get_by_label("Логин").fill(account["login"])
    page.get_by_label("Пароль").fill(account["password"])
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("cabinet")).to_have_text("Кабинет учителя")
    sferum_link(page).click()
    expect(page.get_by_role("heading", name="Мессенджер не подключен", exact=True)).to_be_visible()
    button(page, "Перейти к подключению").click()
    expect(page.get_by_role("heading", name="Вход в VK ID")).to_be_visible()
    expect(page.get_by_text("С сервисом «МЭШ ВКС» можно связать свой учебный профиль")).to_be_visible()
    page.get_by_label("Телефон или почта").fill(person["phone"])
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_text("Мы отправили SMS с кодом на номер")).to_be_visible()
    message = control.get(f"{path}/outbox/wait", params={"to": person["phone"], "after": 0}).json()
    page.get_by_label("Код подтверждения").fill(message["code"])
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Проверьте учетные данные")).to_be_visible()
    expect(page.get_by_test_id("account")).to_contain_text(person["first_name"])
    expect(page.get_by_role("button", name="Продолжить в учебном профиле", exact=True)).to_be_visible()
    button(page, "Продолжить в учебном профиле").click()
    expect(page.get_by_test_id("profile")).to_contain_text(person["last_name"])
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Добавление профиля Сферум", exact=True)).to_be_visible()
    button(page, "Привязать").click()
    expect(page.get_by_text("Учебный профиль Сферум привязан к вашей учетной записи МЭШ.", exact=True)).to_be_visible()
    links = [link for link in control.get(f"{path}/links").json()["links"] if link["person_id"] == person["id"]]
    expect(page.get_by_test_id("sferum-status")).to_contain_text(f"id {links[0]['profile_id']}")
    mes_links = [link for link in links if link["journal"] == "mes"]
    assert [(link["profile_id"], link["via"]) for link in mes_links] == [(ids["profile_id"], "vkid")]
    assert len(control.get(path).json()["profiles"]) == before
    sferum_link(page).click()
    name = f"{person['last_name']} {person['first_name']}"
    expect(page.get_by_test_id("profile-name")).to_contain_text(name)


def sferum_link(page: Page) -> Any:
    return page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум")


def button(page: Page, label: str) -> Any:
    return page.get_by_role("button", name=label, exact=True).or_(page.get_by_role("link", name=label, exact=True))


def main(job_file: str) -> None:
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    job["port"] = int(re.sub(r".*:(\d+).*", r"\1", job["url"]))
    times: list[float] = []
    mark("driver_ready_start")
    with sync_playwright() as playwright, httpx.Client(base_url=f"{job['url']}/_sim/v1", timeout=40) as control:
        mark("driver_ready")
        mark("browser_launched_start")
        browser = playwright.chromium.launch(executable_path=job["executable"], args=job["args"])
        mark("browser_launched")
        for person in job["people"]:
            started = time.perf_counter()
            scenario(browser, control, job, person)
            times.append((time.perf_counter() - started) * 1000)
        mark("tests_done")
        browser.close()
    print(json.dumps(times))


if __name__ == "__main__":
    main(sys.argv[1])
