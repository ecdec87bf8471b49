"""The conformance run's reports: report.html (Russian, for people), junit.xml (for CI), results.json (for scripts)."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .outcomes import Outcome

Status = Literal["passed", "failed", "skipped"]
STATUS_WORDS = {"passed": "пройден", "failed": "НЕ ПРОЙДЕН", "skipped": "пропущен"}


@dataclass
class Result:
    outcome: Outcome
    status: Status
    observed: str
    findings: list[str] = field(default_factory=list)  # the journal's protocol mistakes VK ID saw
    requests: list[str] = field(default_factory=list)  # the journal's calls VK ID answered
    screenshot: str | None = None  # a file name in the report's directory
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.outcome.id,
            "title": self.outcome.title,
            "status": self.status,
            "expected": self.outcome.expected,
            "observed": self.observed,
            "findings": self.findings,
            "vkid_saw": self.requests,
            "seconds": round(self.seconds, 1),
        }


def write(results: list[Result], directory: Path, journal_url: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "results.json", directory / "junit.xml", directory / "report.html"]
    document = {"journal_url": journal_url, "outcomes": [result.to_json() for result in results]}
    written[0].write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written[1].write_bytes(junit(results))
    written[2].write_text(page(results, journal_url), encoding="utf-8")
    return written


def junit(results: list[Result]) -> bytes:
    suite = ET.Element(
        "testsuite",
        name="sferum-sim conformance",
        tests=str(len(results)),
        failures=str(sum(r.status == "failed" for r in results)),
        skipped=str(sum(r.status == "skipped" for r in results)),
        time=f"{sum(r.seconds for r in results):.1f}",
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="conformance",
            name=f"{result.outcome.id} {result.outcome.title}",
            time=f"{result.seconds:.1f}",
        )
        if result.status == "failed":
            failure = ET.SubElement(case, "failure", message=result.observed)
            failure.text = "\n".join([result.observed, *result.findings, "", *result.requests])
        elif result.status == "skipped":
            ET.SubElement(case, "skipped", message=result.observed)
    written: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return written


def _section(result: Result) -> str:
    e = html.escape
    outcome = result.outcome
    findings = "".join(f"<li>{e(item)}</li>" for item in result.findings)
    requests = "".join(f"<li><code>{e(item)}</code></li>" for item in result.requests) or "<li>ничего</li>"
    picture = (
        f'<p><img src="{e(result.screenshot)}" alt="Снимок экрана: {e(outcome.id)}" width="640"></p>'
        if result.screenshot
        else ""
    )
    return f"""<section class="{result.status}" id="{e(outcome.id)}" data-status="{result.status}">
<h2>{e(outcome.id)} · {e(outcome.title)} — {STATUS_WORDS[result.status]}</h2>
<dl>
<dt>Что делает человек</dt><dd>{e(outcome.does)}</dd>
<dt>Что должен сделать журнал</dt><dd>{e(outcome.expected)}</dd>
<dt>Что показал журнал</dt><dd data-testid="observed">{e(result.observed)}</dd>
</dl>
{f'<h3>Ошибки протокола, замеченные VK ID</h3><ul class="findings">{findings}</ul>' if findings else ""}
<h3>Запросы журнала, которые видел VK ID</h3><ul>{requests}</ul>
{picture}
</section>"""


def page(results: list[Result], journal_url: str) -> str:
    failed = sum(r.status == "failed" for r in results)
    passed = sum(r.status == "passed" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    ordered = sorted(results, key=lambda r: (r.status != "failed", r.outcome.id))  # failures first
    summary = f"Пройдено {passed}, не пройдено {failed}, пропущено {skipped} из {len(results)}."
    return f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Проверка журнала: VK ID</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; }}
section {{ border-left: 6px solid #2e7d32; padding: .2em 1em; margin: 1.5em 0; background: #f6f8f6; }}
section.failed {{ border-color: #c62828; background: #fdf3f3; }}
section.skipped {{ border-color: #9e9e9e; background: #f5f5f5; }}
dt {{ font-weight: 600; }} dd {{ margin: 0 0 .5em 0; }} code {{ white-space: pre-wrap; }}
img {{ max-width: 100%; border: 1px solid #ccc; }}
</style></head>
<body>
<h1>Проверка журнала {html.escape(journal_url)} на исходах входа через VK ID</h1>
<p data-testid="summary">{summary}</p>
{"".join(_section(result) for result in ordered)}
</body></html>
"""
