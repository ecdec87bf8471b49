"""The end of the lesson: per trainee the steps done, the time, the mistakes and where help was needed; for the
room the hardest step and the most common mistake. HTML, and PDF printed by Chromium as the guides are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .progress import MISTAKE_NAMES
from .state import Classroom
from .views import minutes, templates


def summary(classroom: Classroom) -> dict[str, Any]:
    trainees = []
    hardest: Counter[str] = Counter()  # a step's sentence → seconds spent on it and help needed, weighed
    mistakes: Counter[str] = Counter()
    for seat in classroom.seats:
        progress = seat.progress
        if progress.stuck(classroom.stuck_after):
            progress.mark_stuck()
        by_number = {step.number: step for step in progress.steps}
        elapsed = (progress.finished_at or progress.wall_clock()) - progress.started
        for number, seconds in progress.durations.items():
            hardest[by_number[number].sentence] += int(seconds)
        if progress.current is not None:
            hardest[progress.current.sentence] += int(progress.on_step())
        for number in progress.helped:
            hardest[by_number[number].sentence] += 600  # a step someone needed help on outweighs a slow one
        mistakes.update(progress.mistakes)
        trainees.append(
            {
                "seat": seat.number,
                "name": seat.persona.name,
                "scenario": seat.exercise.title,
                "done": progress.done,
                "steps": len(progress.steps),
                "finished": progress.finished,
                "time": minutes(elapsed),
                "mistakes": {MISTAKE_NAMES[k]: n for k, n in sorted(progress.mistakes.items())},
                "helped": [by_number[n].sentence for n in sorted(progress.helped)],
            }
        )
    common = mistakes.most_common(1)
    return {
        "trainees": trainees,
        "hardest": hardest.most_common(1)[0][0] if hardest else None,
        "common_mistake": (MISTAKE_NAMES[common[0][0]], common[0][1]) if common else None,
    }


def write(classroom: Classroom) -> list[Path]:
    """summary.html and summary.pdf in the classroom's --out folder."""
    from ..trainer.guide import print_pdfs

    assert classroom.out is not None
    classroom.out.mkdir(parents=True, exist_ok=True)
    html = classroom.out / "summary.html"
    html.write_text(templates.get_template("summary.html").render(**summary(classroom)), encoding="utf-8")
    print_pdfs([html])
    return [html, html.with_suffix(".pdf")]
