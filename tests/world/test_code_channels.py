"""Which channel brings VK ID's code, and how long each channel's countdown runs: the seeds' cases.

Seed 001 confirms a МЭШ teacher's sign-in «SMS-кодом или с помощью звонка» (a property of the person);
seeds 003 and 004 send an SMS after the password and to a number with no VK ID account («Введите код из
смс»). The session's setting `phone_code_channel` decides only for accounts that name no channel.
"""

from __future__ import annotations

import pytest

from simulator.world import Channel, Session, accounts, apply_seed, faults, outbox
from simulator.world.codes import countdown
from simulator.world.seed import SeedError
from tests.support.sim_seeds import PHONE, person, world

SECOND_PHONE = "+79990000002"


def seeded(*people: dict[str, object]) -> Session:
    session = Session("channels")
    apply_seed(session, world(*people))
    return session


def with_channel(channel: str | None, pid: str = "t1", phone: str = PHONE, login: str = "ivanov") -> dict[str, object]:
    entry = person(pid, phone=phone, login=login)
    entry["vkid"]["code_channel"] = channel
    return entry


def test_a_number_with_no_vkid_account_gets_an_sms_whatever_the_setting() -> None:
    session = Session("channels")
    for setting in ("call", "sms"):
        faults.change_settings(session, {"phone_code_channel": setting})
        assert accounts.phone_code_channel(session, None) is Channel.SMS


def test_after_a_password_the_number_is_confirmed_by_sms() -> None:
    session = seeded(with_channel("call"))
    account = session.vkid_by_login("phone", PHONE)
    assert account is not None
    assert accounts.phone_code_channel(session, account, after_password=True) is Channel.SMS
    assert accounts.phone_code_channel(session, account) is Channel.CALL


def test_one_world_holds_a_call_person_and_an_sms_person_at_once() -> None:
    """Seed 001's call and an SMS for another teacher, without touching the setting, in either of its values."""
    session = seeded(with_channel("call"), with_channel("sms", "t2", SECOND_PHONE, "petrov"))
    caller, texter = session.vkid_by_login("phone", PHONE), session.vkid_by_login("phone", SECOND_PHONE)
    assert caller is not None and texter is not None
    for setting in ("call", "sms"):
        faults.change_settings(session, {"phone_code_channel": setting})
        assert (accounts.phone_code_channel(session, caller), accounts.phone_code_channel(session, texter)) == (
            Channel.CALL,
            Channel.SMS,
        )


def test_an_account_that_names_no_channel_follows_the_setting() -> None:
    session = seeded(with_channel(None))
    account = session.vkid_by_login("phone", PHONE)
    assert account is not None and account.code_channel is None
    assert accounts.phone_code_channel(session, account) is Channel.CALL  # the setting's default
    faults.change_settings(session, {"phone_code_channel": "sms"})
    assert accounts.phone_code_channel(session, account) is Channel.SMS


def test_a_seeded_channel_is_kept_on_the_account_and_shown_in_the_snapshot() -> None:
    session = seeded(with_channel("sms"))
    [account] = session.snapshot()["vkid_accounts"]
    assert account["code_channel"] == "sms"


def test_a_code_channel_needs_a_phone() -> None:
    entry = with_channel("call", phone="")
    entry["email"] = "ivanov@example.ru"
    with pytest.raises(SeedError) as refused:
        apply_seed(Session("channels"), world(entry))
    assert refused.value.path == "people[0].vkid.code_channel"


@pytest.mark.parametrize(
    ("channel", "shown", "later", "shown_later"),
    [
        # «Звонок поступил в течение 00:56» (seed 001): a one-minute window, three seconds in.
        (Channel.CALL, "00:59", 3, "00:56"),
        # «SMS придёт в течение 01:59» (seeds 003, 004).
        (Channel.SMS, "01:59", 60, "00:59"),
        (Channel.EMAIL, "01:59", 119, "00:00"),
    ],
)
def test_each_channel_counts_down_its_own_window(channel: Channel, shown: str, later: int, shown_later: str) -> None:
    session = Session("windows")
    confirmation = outbox.send_code(session, channel, PHONE if channel is not Channel.EMAIL else "a@example.ru")
    assert countdown(confirmation.seconds_to_resend(session.clock.now())) == shown
    session.clock.advance(later)
    assert countdown(confirmation.seconds_to_resend(session.clock.now())) == shown_later


def test_a_new_call_may_be_asked_for_after_a_minute_an_sms_after_two() -> None:
    session = Session("windows")
    call, sms = outbox.send_code(session, Channel.CALL, PHONE), outbox.send_code(session, Channel.SMS, SECOND_PHONE)
    session.clock.advance(59)
    assert call.seconds_to_resend(session.clock.now()) == 0
    assert sms.seconds_to_resend(session.clock.now()) == 60
