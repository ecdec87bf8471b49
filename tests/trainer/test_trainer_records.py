"""The trainer's records: a guide's scenario and steps made from the reporting's records, in the JSON guides keep."""

from __future__ import annotations

import json

import pytest

from simulator.testing.reporting.records import FeatureRecord, RecordError, ScenarioRecord, StepRecord
from simulator.trainer.records import GuideScenario, GuideStep, Shot

FEATURE = FeatureRecord(
    keyword="Функция",
    name="Вход учителя",
    file="features/mes_teacher_vkid.feature",
    line=2,
    description="Учитель входит через VK ID.",
    tags=["mes"],
    language="ru",
)
SCENARIO = ScenarioRecord(keyword="Сценарий", name="Неверный код", line=9, description="", tags=["E02", "vkid"])


def scenario() -> GuideScenario:
    record = GuideScenario.begin(
        FEATURE,
        SCENARIO,
        feature_file="mes_teacher_vkid.feature",
        place=(2, 3),
        nodeid="features/test_features.py::test_неверный_код",
        example={},
        flows=["E02"],
    )
    step = StepRecord(keyword="Когда", name="учитель вводит код «0000»", line=12, status="passed")
    shot = Shot("002-01.png", "Введите код", "VK ID", "http://id.localhost/auth", {"boxes": 1}, ["Продолжить"])
    record.steps.append(GuideStep.of(step, 1, "action", shot))
    record.preconditions.append("Учитель МЭШ")
    record.persona = {"role": "teacher", "login": "ivanova"}
    record.people = [record.persona]
    return record


def test_a_guide_is_written_in_the_shape_guides_have_kept() -> None:
    data = json.loads(json.dumps(scenario().to_json(), ensure_ascii=False))
    assert list(data) == [
        "index", "total", "nodeid", "feature_file", "feature_name", "feature_description", "name", "tags", "flows",
        "example", "preconditions", "steps", "persona", "people", "sim_seed", "base_seed", "passed", "error",
    ]  # fmt: skip
    assert (data["feature_name"], data["feature_description"]) == ("Вход учителя", "Учитель входит через VK ID.")
    assert data["tags"] == ["E02", "mes", "vkid"]  # the feature's and the scenario's, in one sorted list
    assert data["steps"] == [
        {
            "number": 1,
            "keyword": "Когда",
            "kind": "action",
            "text": "Учитель вводит код «0000»",
            "caption": "Шаг 1. Учитель вводит код «0000»",
            "screenshot": "002-01.png",
            "page_text": "Введите код",
            "title": "VK ID",
            "url": "http://id.localhost/auth",
            "outlined": ["Продолжить"],
            "overlay": {"boxes": 1},
            "error": None,
        }
    ]


def test_a_failed_step_without_a_picture() -> None:
    step = StepRecord(keyword="Тогда", name="видна ошибка", line=13, status="failed", error="нет ошибки")
    guide_step = GuideStep.of(step, 2, "check", None)
    assert (guide_step.screenshot, guide_step.error, guide_step.outlined) == (None, "нет ошибки", [])


def test_a_guide_reads_back_and_refuses_another_shape() -> None:
    data = scenario().to_json()
    assert GuideScenario.from_json(data) == scenario()
    data["steps"][0]["kind"] = "look"
    with pytest.raises(RecordError, match=r"^steps\[0\]\.kind: 'look' is not one of action, check$"):
        GuideScenario.from_json(data)
