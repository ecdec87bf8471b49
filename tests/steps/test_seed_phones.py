"""The steps' phone rule is held to the seeds' own examples, so the steps expect what the seeds print."""

from __future__ import annotations

from pathlib import Path

import pytest

from sferum_sim_steps.common import seed_masked_phone, seed_phone

SEED_003 = sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("003_*.txt"))
# Seed 003's literal examples: the number +71991111111 and the number an SMS went to.
FORMATTED = "Используйте пароль, указанный при регистрации с телефоном +7 199 111-11-11"
MASKED = "Мы отправили SMS с кодом на номер +7 *** ** *11"


def test_the_rule_prints_seed_003s_number_as_the_seed_does() -> None:
    assert f"Используйте пароль, указанный при регистрации с телефоном {seed_phone('+71991111111')}" == FORMATTED
    assert f"Мы отправили SMS с кодом на номер {seed_masked_phone('+71991111111')}" == MASKED


def test_the_rule_groups_any_number_alike() -> None:
    assert seed_phone("+79161234567") == "+7 916 123-45-67"
    assert seed_masked_phone("+79161234567") == "+7 *** ** *67"


@pytest.mark.skipif(not SEED_003, reason="the seeds are not beside this checkout")
def test_the_examples_are_seed_003s_own_words() -> None:
    text = SEED_003[0].read_text(encoding="utf-8")
    assert FORMATTED in text and MASKED in text


@pytest.mark.parametrize("phone", ["89161234567", "+7916123456", "+7 916 123-45-67"])
def test_the_rule_refuses_what_is_not_a_stored_number(phone: str) -> None:
    with pytest.raises(AssertionError):
        seed_phone(phone)
