"""«О том, как скачать МАХ, читайте здесь» (seed 000): «Скачать МАХ» and a page of its own for each store and computer."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession
from tests.support.http_browser import HttpBrowser, location

# Where МАХ comes from: the phone stores and the computers, as the page lists them, and each page's heading.
STORES = {"RuStore": "МАХ в RuStore", "App Store": "МАХ в App Store", "Google Play": "МАХ в Google Play"}
DESKTOP = {"Windows": "МАХ для Windows", "macOS": "МАХ для macOS"}


@pytest.fixture
def browser(server: SimulatorServer, sim_session: SimSession) -> Iterator[HttpBrowser]:
    client = HttpBrowser(server, sim_session.key)
    yield client
    client.close()


def links(page: str, testid: str) -> dict[str, str]:
    """label → href of the links in the list with this data-testid."""
    section = page.split(f'data-testid="{testid}"', 1)[1].split("</ul>", 1)[0]
    return {html.unescape(label): href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)}


def test_the_install_screen_leads_to_the_download_page(browser: HttpBrowser, sim_session: SimSession) -> None:
    """A number without МАХ: «здесь» and «Скачать МАХ» both open «Скачать МАХ», on МАХ's own origin."""
    browser.get("max", "/login")
    assert location(browser.post("max", "/login", data={"phone": "+79990001122"}))[1] == "/install"
    page = browser.get("max", "/install").text
    assert 'читайте <a href="/download">здесь</a>.' in page
    assert '<a class="button secondary" href="/download">Скачать МАХ</a>' in page
    assert "http://" not in page.split("<main", 1)[1] and "https://" not in page.split("<main", 1)[1]
    download = browser.get("max", "/download")
    assert download.status_code == 200 and "<h1>Скачать МАХ</h1>" in download.text
    assert 'href="/install">Назад</a>' in download.text  # back where the user came from
    assert sim_session.messages() == [] and sim_session.snapshot()["max_accounts"] == []


def test_every_store_and_computer_has_a_page_of_its_own(browser: HttpBrowser) -> None:
    page = browser.get("max", "/download").text
    stores, desktop = links(page, "stores"), links(page, "desktop")
    assert list(stores) == list(STORES) and list(desktop) == list(DESKTOP)
    for label, href in {**stores, **desktop}.items():
        assert href.startswith("/download/")  # simulated: nothing leaves the simulator
        where = browser.get("max", href)
        assert where.status_code == 200
        assert f"<h1>{({**STORES, **DESKTOP})[label]}</h1>" in where.text
        assert '<a class="button" href="/login">Открыть МАХ</a>' in where.text
        assert '<a class="button secondary" href="/download">Назад</a>' in where.text
        assert "При первой авторизации в МАХ укажите ваши настоящие ФИО." in where.text


@pytest.mark.parametrize("where", ["linux", "WINDOWS", "%3Cscript%3E", "x" * 3000])
def test_an_unknown_download_is_explained_in_russian(browser: HttpBrowser, where: str) -> None:
    response = browser.get("max", f"/download/{where}")
    assert response.status_code == 404
    assert "Такой версии МАХ нет" in response.text
    assert "<script>" not in response.text
