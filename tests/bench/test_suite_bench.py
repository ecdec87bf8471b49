"""`python -m bench suite`: the variants interleaved, and the screenshots' cost paired round by round."""

from __future__ import annotations

import pytest

from bench import suite


def test_every_screenshot_is_paired_with_the_reports_of_its_own_round(monkeypatch: pytest.MonkeyPatch) -> None:
    walls = {
        "bare": iter([100.0, 100.0, 100.0]),
        "reports": iter([110.0, 120.0, 100.0]),
        "reports_every_screenshot": iter([121.0, 126.0, 130.0]),
    }
    by_arguments = {tuple(arguments): name for name, arguments in suite.VARIANTS.items()}
    monkeypatch.setattr(suite, "_run", lambda arguments: next(walls[by_arguments[tuple(arguments)]]))
    result = suite.bench_suite(rounds=3, variants=["bare", "reports", "reports_every_screenshot"])
    # rounds: 121/110 = 1.1, 126/120 = 1.05, 130/100 = 1.3 — the median round, not the ratio of medians
    assert result["every_screenshot_over_reports"] == 1.1
    assert result["every_screenshot_over_reports_spread"] == [1.05, 1.3]
    assert result["every_screenshot_target_met"] is True
    assert result["reports_over_bare"] == 1.1


def test_unknown_variants_are_refused() -> None:
    with pytest.raises(SystemExit, match="unknown suite variants"):
        suite.bench_suite(rounds=1, variants=["bare", "everything"])
