"""Our cucumber.json as the npm Cucumber report viewers QA teams open show it, judged in the HTML they write.

cucumber-html-reporter and multiple-cucumber-html-reporter, at the versions tests/reporters/package-lock.json
pins (`make sdk` installs them), render the report of one tiny run: a scenario with a step screenshot, a data
table and a doc string, one whose fixture fails before the first step, one whose fixture fails after the
last. The pages are parsed, not searched for our own strings: a picture is an <img> whose data decodes as
a PNG, a table is cells of a table, a count is the number the viewer prints in its summary.
The same run checks where pytest-playwright's `--screenshot on` picture lands in our own reports.
"""

from __future__ import annotations

import base64
import json
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.support.tiny_projects import SEEDED_TEACHER_OPENS_MES, run_pytest

REPORTERS = Path(__file__).resolve().parents[1] / "reporters"
FEATURE = '''\
# language: ru
Функция: Отчёт для просмотрщиков npm

  Сценарий: Снимок, таблица и текст
    Дано учитель из сида
    Когда он открывает МЭШ
    И классы:
      | класс | учеников |
      | 10А   | 2        |
    Тогда письмо гласит:
      """
      Здравствуйте, коллеги
      """

  @broken_setup
  Сценарий: Фикстура падает при подготовке
    Тогда этот шаг ничего не делает

  @broken_teardown
  Сценарий: Фикстура падает при завершении
    Тогда этот шаг ничего не делает
'''
STEPS = (
    """
import pytest
from pytest_bdd import given, scenarios, then, when

scenarios("viewers.feature")


@pytest.fixture(autouse=True)
def broken_by_tag(request):
    if request.node.get_closest_marker("broken_setup"):
        raise RuntimeError("подготовка сломалась")
    yield
    if request.node.get_closest_marker("broken_teardown"):
        raise RuntimeError("завершение сломалось")

"""
    + SEEDED_TEACHER_OPENS_MES
    + """

@when("классы:")
def classes():
    pass  # takes no datatable: the reports show the table all the same


@then("письмо гласит:")
def letter(docstring):
    assert docstring.startswith("Здравствуйте")


@then("этот шаг ничего не делает")
def nothing():
    pass
"""
)
INI = """\
[pytest]
markers =
    broken_setup: a fixture fails before the first step
    broken_teardown: a fixture fails after the last step
addopts = -p no:cacheprovider -p no:randomly
disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true
"""
PICTURED = "Снимок, таблица и текст"
MCHR, CHR = "multiple-cucumber-html-reporter", "cucumber-html-reporter"
PANELS = {MCHR: ("x_panel", "x_title"), CHR: ("panel", "panel-heading")}  # a scenario's box and its heading
BROKEN = ("Фикстура падает при подготовке", "Фикстура падает при завершении")


# -- reading the viewers' pages ------------------------------------------------------------------


@dataclass
class Node:
    """An element of a parsed page: enough of a DOM to ask for elements by tag and class."""

    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(" ".join([*self.text_parts, *(child.text() for child in self.children)]).split())

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if child.tag == tag and (cls is None or cls in child.attrs.get("class", "").split()):
                found.append(child)
            found += child.find_all(tag, cls)
        return found


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        # The viewers' templates are not always well nested: close up to the nearest open element of the tag.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].text_parts.append(data)


def parse(path: Path) -> Node:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG that decodes: every chunk's CRC checked, its pixel data inflated and measured."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    position, header, pixels = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"a damaged {kind!r} chunk"
        header, pixels = (body, pixels) if kind == b"IHDR" else (header, pixels + body if kind == b"IDAT" else pixels)
        position += 12 + length
        if kind == b"IEND":
            break
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    # Each row: a filter byte, then the row's samples.
    assert len(zlib.decompress(pixels)) == height * (1 + (width * channels * depth + 7) // 8)
    return width, height


def data_url_bytes(url: str) -> bytes:
    head, _, data = url.partition(",")
    assert head.startswith("data:image/") and head.endswith(";base64"), head
    return base64.b64decode(data, validate=True)


# -- the run and its two renderings ----------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "Node.js runs the viewers: `make sdk` needs it (apt-get install nodejs npm)"
    assert (REPORTERS / "node_modules" / "cucumber-html-reporter").is_dir(), "`make sdk` installs tests/reporters"
    project = tmp_path_factory.mktemp("viewers")
    (project / "pytest.ini").write_text(INI, encoding="utf-8")
    (project / "viewers.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_viewers.py").write_text(STEPS, encoding="utf-8")
    run = run_pytest(
        project,
        "--sim-report-dir=report",
        "--step-screenshots=on",
        "--screenshot=on",
        "--tracing=on",
        "--output=pw",
    )
    assert "2 passed, 2 errors" in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]
    report = project / "report"
    shown = project / "viewers"
    render = subprocess.run(
        [node, str(REPORTERS / "render.js"), str(report / "cucumber.json"), str(shown)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert render.returncode == 0, render.stdout + render.stderr
    [feature_page] = (shown / "multiple" / "features").glob("*.html")
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    return {
        "project": project,
        "report": report,
        "tests": {test["name"]: test for test in results["tests"]},
        CHR: parse(shown / "cucumber-html-reporter.html"),
        MCHR: parse(feature_page),
        "multiple_index": parse(shown / "multiple" / "index.html"),
    }


def _scenario_panels(page: Node, viewer: str) -> dict[str, Node]:
    """Each scenario's panel (its heading, steps and pictures) by the scenario's name as the viewer prints it."""
    panel_class, heading_class = PANELS[viewer]
    panels = {}
    for panel in page.find_all("div", panel_class):
        headings = [child for child in panel.children if heading_class in child.attrs.get("class", "").split()]
        if not headings:
            continue
        if viewer == MCHR:  # <h2>Сценарий: <small>name</small></h2>
            names = [small.text() for h2 in headings[0].find_all("h2") for small in h2.find_all("small")]
        else:  # <div class="ellipsis" data-text="name">; a feature's heading has none
            names = [div.attrs["data-text"] for div in headings[0].find_all("div", "ellipsis")]
        if names:
            panels[names[0]] = panel
    return panels


def _pictures(rendered: dict[str, Any]) -> dict[str, bytes]:
    """Our two pictures of the scenario, as the files our report keeps: the step's and pytest-playwright's."""
    test = rendered["tests"][PICTURED]
    [step_shot] = {step["screenshot"] for step in test["steps"] if step["screenshot"]}  # the page never changed
    [final_shot] = test["artifacts"]["screenshots"]
    report = rendered["report"]
    return {"step": (report / step_shot).read_bytes(), "final": (report / final_shot).read_bytes()}


# -- what the viewers show ---------------------------------------------------------------------------


def test_screenshots_are_pictures_in_both_viewers(rendered: dict[str, Any]) -> None:
    for viewer in (MCHR, CHR):
        panel = _scenario_panels(rendered[viewer], viewer)[PICTURED]
        assert "download file" not in panel.text() and "Attachment" not in panel.text(), viewer
        assert not panel.find_all("object"), viewer  # how multiple-cucumber-html-reporter shows what it cannot
        images = panel.find_all("img")
        assert all(img.attrs["src"].startswith("data:image/png;base64,") for img in images), viewer
        # cucumber-html-reporter draws each picture twice: in the step and in the dialog that enlarges it.
        shown = [data_url_bytes(img.attrs["src"]) for img in images if img.attrs.get("id") != "my-ss-images"]
        # Three steps after the page opened, and the picture at the end.
        assert len(shown) == 4 and all(png_size(picture) == (1280, 720) for picture in shown), viewer
        ours = _pictures(rendered)
        assert shown == [ours["step"]] * 3 + [ours["final"]], viewer


def test_the_data_table_and_the_doc_string_are_shown(rendered: dict[str, Any]) -> None:
    for viewer in (MCHR, CHR):
        panel = _scenario_panels(rendered[viewer], viewer)[PICTURED]
        [table] = panel.find_all("table", "arguments")  # once: a viewer reading two fields would draw it twice
        rows = [[cell.text() for cell in row.children if cell.tag in ("th", "td")] for row in table.find_all("tr")]
        assert rows == [["класс", "учеников"], ["10А", "2"]], viewer
        assert "Здравствуйте, коллеги" in panel.text(), viewer


def test_fixture_errors_count_as_failed_scenarios_in_both_viewers(rendered: dict[str, Any]) -> None:
    # multiple-cucumber-html-reporter: the features table's counts, and each scenario's failure badge.
    [table] = [t for t in rendered["multiple_index"].find_all("table") if t.attrs.get("id") == "features-table"]
    headers = [cell.text() for cell in table.find_all("th")]
    [row] = [row for row in table.find_all("tr") if row.find_all("td")]
    counts = dict(zip(headers, [cell.text() for cell in row.find_all("td")], strict=True))
    assert (counts["Total"], counts["Passed"], counts["Failed"]) == ("3", "1", "2")
    panels = _scenario_panels(rendered[MCHR], MCHR)
    for name in BROKEN:
        assert panels[name].find_all("span", "failed-background"), name
    assert not panels[PICTURED].find_all("span", "failed-background")
    assert "подготовка сломалась" in panels[BROKEN[0]].text() and "завершение сломалось" in panels[BROKEN[1]].text()

    # cucumber-html-reporter: its summary cards, and the failed steps it counts in each scenario.
    cards = {
        card.find_all("h4")[0].text(): card.find_all("h5")[0].text() for card in rendered[CHR].find_all("div", "card")
    }
    assert (cards["All Scenarios"], cards["Passed Scenarios"], cards["Failed Scenarios"]) == ("3", "1", "2")
    panels = _scenario_panels(rendered[CHR], CHR)
    for name in BROKEN:
        assert panels[name].find_all("span", "label-danger"), name
    assert "подготовка сломалась" in panels[BROKEN[0]].text() and "завершение сломалось" in panels[BROKEN[1]].text()


# -- pytest-playwright's pictures and traces in our own reports -------------------------------------


def test_the_screenshot_option_lands_in_every_report_of_ours(rendered: dict[str, Any]) -> None:
    project, report = rendered["project"], rendered["report"]
    # The picture pytest-playwright took (its own folder), kept in the report directory.
    [taken] = (project / "pw").glob("*/test-finished-1.png")
    final = _pictures(rendered)["final"]
    assert final == taken.read_bytes() and png_size(final) == (1280, 720)
    [relative] = rendered["tests"][PICTURED]["artifacts"]["screenshots"]

    html = parse(report / "report.html")
    assert relative in [img.attrs.get("src") for img in html.find_all("img")]

    cucumber = json.loads((report / "cucumber.json").read_text(encoding="utf-8"))
    [scenario] = [s for f in cucumber for s in f["elements"] if s["name"] == PICTURED]
    [after] = scenario["after"]  # the hook the picture was taken in, as Cucumber's own screenshot hooks are
    assert after["result"]["status"] == "passed"
    assert [base64.b64decode(e["data"]) for e in after["embeddings"]] == [final]

    allure = [json.loads(p.read_text(encoding="utf-8")) for p in (report / "allure-results").glob("*-result.json")]
    [result] = [r for r in allure if r["name"] == PICTURED]
    pictures = [a for a in result["attachments"] if a["type"] == "image/png"]
    assert [(report / "allure-results" / a["source"]).read_bytes() for a in pictures] == [final]


def test_traces_and_pictures_are_named_after_the_scenario(rendered: dict[str, Any]) -> None:
    test = rendered["tests"][PICTURED]
    [trace] = test["artifacts"]["traces"]
    files = [trace, *test["artifacts"]["screenshots"], *(s["screenshot"] for s in test["steps"] if s["screenshot"])]
    for file in files:
        assert "Снимок-таблица-и-текст-" in file and " " not in file, file
    assert (rendered["report"] / trace).is_file()
