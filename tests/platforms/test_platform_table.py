"""The platform table is the one list of platforms: hosts, journal kinds and packages follow it."""

from __future__ import annotations

import re

from sferum_sim_steps import common
from simulator.hosts import ALL_HOST_NAMES, JOURNAL_WORDS, JOURNALS, PLATFORM_TABLE, PLATFORMS, REAL_NAMES, Hosts
from simulator.platforms import installed
from simulator.world import Journal


def test_the_journal_kinds_are_the_tables_journals() -> None:
    """`Journal` stays an enum for the type checker; its values are the table's e-journals."""
    assert [journal.value for journal in Journal] == list(JOURNALS) == ["mes", "eljur", "es"]
    assert tuple(Journal) == (Journal.MES, Journal.ELJUR, Journal.ES)  # the names the type checker knows


def test_the_steps_name_each_journal_by_its_word_in_the_table() -> None:
    """A journal's word is said once, in its table line; the steps' sentences read it there."""
    assert dict(JOURNAL_WORDS) == {"mes": "МЭШ", "eljur": "ЭлЖур", "es": "ЭШ"}
    assert common.JOURNALS == {"МЭШ": "mes", "ЭлЖур": "eljur", "ЭШ": "es"}
    assert re.fullmatch(common.ANY_JOURNAL, "ЭлЖур") and not re.fullmatch(common.ANY_JOURNAL, "Дневник")


def test_names_and_hosts_are_unique() -> None:
    assert len(PLATFORMS) == len(PLATFORM_TABLE)
    assert len(set(ALL_HOST_NAMES)) == len(ALL_HOST_NAMES)


def test_every_platform_answers_on_a_local_name_first() -> None:
    """Links and redirects use the first name, which Chromium resolves to the loopback by itself."""
    for platform in PLATFORM_TABLE:
        assert platform.hosts[0].endswith(".localhost"), platform
    assert "id.vk.com" in REAL_NAMES and not any(name.endswith(".localhost") for name in REAL_NAMES)


def test_every_platform_has_its_package_and_hosts() -> None:
    assert list(installed()) == list(PLATFORMS)
    assert Hosts().names == {platform.name: platform.hosts for platform in PLATFORM_TABLE}
