"""`sferum-sim guide`: illustrated Russian instructions, one per scenario, as HTML and PDF.

The scenarios run headless with the trainer plugin (see plugin.py), which records every step's
screenshot and visible text. Here the records become handouts in the style of the seed documents:
«Шаг N. …» headings, one picture per step with the used element outlined. The HTML carries its
pictures inline (base64), so it can be mailed or opened offline; the PDF is Chromium's own print of
that HTML. Files per scenario, in the output folder:

    <feature>-<NN>-<flows>.html / .pdf    the handout
    <feature>-<NN>-<flows>.json           its data: steps, captions, page text of each picture
    <feature>-<NN>-<flows>/NN.png         the pictures, for slides
    index.html                            every guide of the run
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from .runner import Selection, TrainerError, own_root, pytest_command

ROLES = {"teacher": "учитель", "student": "ученик", "parent": "родитель", "admin": "администратор"}
PERSONA_FIELDS = (
    ("role", "Роль"),
    ("full_name", "ФИО"),
    ("login", "Логин в журнале"),
    ("password", "Пароль в журнале"),
    ("phone", "Телефон"),
    ("email", "Почта"),
    ("birth_date", "Дата рождения"),
)

# How Chromium prints a guide; templates/guide.html lays its pages out for this paper and these margins.
PRINT: dict[str, Any] = {
    "format": "A4",
    "print_background": True,
    "margin": {"top": "14mm", "bottom": "14mm", "left": "14mm", "right": "14mm"},
}

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # step texts and page labels are data, never markup
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def slug(record: dict[str, Any], number: int) -> str:
    """`mes_teacher_vkid-03-E02`: the feature file, the scenario's place in the run, its flows."""
    return "-".join([Path(record["feature_file"]).stem, f"{number:02d}", *record["flows"]])


def persona_rows(persona: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not persona:
        return []
    values = {**persona, "role": ROLES.get(persona.get("role", ""), persona.get("role", ""))}
    return [(title, values[key]) for key, title in PERSONA_FIELDS if values.get(key)]


def people_rows(record: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """The sign-in of everyone in the scenario, in order of appearance (a record without `people`: its actor)."""
    people = record.get("people") or ([record["persona"]] if record.get("persona") else [])
    return [rows for person in people if (rows := persona_rows(person))]


def write_guide(record: dict[str, Any], work: Path, out: Path, name: str) -> Path:
    """The guide's HTML, its data and its pictures; returns the HTML's path."""
    pictures = out / name
    shutil.rmtree(pictures, ignore_errors=True)
    pictures.mkdir(parents=True)
    steps = []
    for step in record["steps"]:
        image = None
        if step.get("screenshot"):
            source = work / step["screenshot"]
            target = pictures / f"{step['number']:02d}.png"
            shutil.copyfile(source, target)
            step = {**step, "screenshot": f"{name}/{target.name}"}
            image = base64.b64encode(target.read_bytes()).decode("ascii")
        steps.append({**step, "image": image})
    data = {**record, "guide": name, "steps": [{k: v for k, v in s.items() if k != "image"} for s in steps]}
    (out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    html = templates.get_template("guide.html").render(r=record, steps=steps, people=people_rows(record))
    path = out / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def print_pdfs(pages: list[Path]) -> None:
    """Each HTML printed to PDF by Chromium (headless: Chromium prints only there)."""
    from playwright.sync_api import sync_playwright

    from ..testing.browser import chromium_args, system_chromium

    with sync_playwright() as playwright:
        chromium = playwright.chromium
        options: dict[str, Any] = {"args": chromium_args()}
        if not Path(chromium.executable_path).exists() and (found := system_chromium()):
            options["executable_path"] = found
        browser = chromium.launch(**options)
        try:
            page = browser.new_page(locale="ru-RU")
            for number, html in enumerate(pages, 1):
                print(f"PDF {number}/{len(pages)}: {html.with_suffix('.pdf').name}", file=sys.stderr, flush=True)
                page.goto(html.as_uri())
                page.pdf(path=html.with_suffix(".pdf"), **PRINT)
        finally:
            browser.close()


def guide(features: list[str], out: str, scenario: str | None = None) -> int:
    selection = Selection.of(features, scenario)
    target = Path(out).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sferum-guide-") as folder:
        work = Path(folder)
        log = work / "pytest.log"
        print(f"sferum-sim guide: сценарии из {', '.join(str(f) for f in selection.features)}", file=sys.stderr)
        with log.open("w", encoding="utf-8") as stdout, own_root(selection) as root_args:
            run = subprocess.run(
                pytest_command(selection, *root_args, "--trainer=guide", f"--trainer-out={work}"),
                cwd=selection.root,
                stdout=stdout,  # stderr stays the terminal's: the progress lines
            )
        records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(work.glob("*.json"))]
        if not records:
            print(log.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
            raise TrainerError("ни один сценарий не выполнен: проверьте путь и --scenario")
        written: list[tuple[dict[str, Any], str]] = []
        failed = [r for r in records if not r["passed"]]
        per_feature: dict[str, int] = {}
        for record in records:
            per_feature[record["feature_file"]] = per_feature.get(record["feature_file"], 0) + 1
            if record["passed"]:
                name = slug(record, per_feature[record["feature_file"]])
                write_guide(record, work, target, name)
                written.append((record, name))
        print_pdfs([target / f"{name}.html" for _, name in written])
        index = templates.get_template("index.html").render(guides=written, failed=failed)
        (target / "index.html").write_text(index, encoding="utf-8")
        for record in failed:
            print(f"не удалось: {record['feature_file']} · «{record['name']}»: {record['error']}", file=sys.stderr)
        ok = not failed and run.returncode == 0
        if not ok:
            print(log.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
    print(f"Инструкций: {len(written)} (HTML и PDF) в {target}; оглавление: {target / 'index.html'}", file=sys.stderr)
    return 0 if ok else 1
