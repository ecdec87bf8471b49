"""bench/classroom.py in small: three trainees walk F06 over HTTP through a `sferum-sim classroom` process, by
their links and cookies alone, the room view subscribed. Every seat finishes, nothing errs, and every figure
the README quotes is there; the figures' values are not judged here (that is the bench's job, on a quiet machine).
"""

from __future__ import annotations

import pytest

from bench.classroom import Forms, bench_classroom, form_with

pytestmark = pytest.mark.slow  # a classroom process and its trainees


def test_three_trainees_finish_f06_through_one_classroom_process_without_an_error() -> None:
    result = bench_classroom(seats=3, pace=(0.0, 0.0))
    assert result["seats"] == 3
    assert result["errors"] == 0, result["error_kinds"]
    # Each seat's card was pushed at least once a step it read; the room saw every seat move.
    assert result["card_pushes"] >= 3 * 5 and result["room_pushes"] >= 3
    # Every page of the walk was timed: the join, the card, sign-in, VK ID's screens, «Привязать» and their redirects.
    assert result["pages"] >= 3 * 15
    for figure in ("page_p99_ms", "push_p99_ms", "server_rss_seated_mib", "server_rss_peak_mib"):
        assert result[figure] > 0, figure
    assert set(result["machine"]) >= {"cpus", "load_at_start", "load_before", "load_after", "busy"}


def test_a_form_is_submitted_as_a_browser_submits_it() -> None:
    page = (
        '<form method="post" action="/auth/code"><input type="hidden" name="flow" value="f&amp;1">'
        '<input name="code" value=""><input type="checkbox" name="remember">'
        '<button type="submit" name="action" value="go">Продолжить</button></form>'
        '<form action="/other"><button>Другое</button></form>'
    )
    form, button = form_with(page, "Продолжить")
    assert (form.action, form.method, form.fields, button) == (
        "/auth/code",
        "post",
        {"flow": "f&1", "code": ""},
        {"action": "go"},
    )
    parser = Forms()
    parser.feed(page)
    assert [f.buttons for f in parser.forms] == [[("Продолжить", "action", "go")], [("Другое", "", "")]]
