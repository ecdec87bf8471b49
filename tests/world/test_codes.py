"""One-time confirmation codes: outbox.send_code, Confirmation.check, resend and the call channel."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from simulator.world import Channel, Session, outbox
from simulator.world.codes import (
    MAX_ATTEMPTS,
    Confirmation,
    ExpiredCode,
    TooManyAttempts,
    UsedCode,
    WrongCode,
    countdown,
    resend_refusal,
)
from tests.support.sim_seeds import PHONE


def wrong(code: str) -> str:
    """A code of the same length that is not `code`."""
    return "".join("1" if c != "1" else "2" for c in code)


def sent(channel: Channel = Channel.SMS, seed: int = 0) -> tuple[Session, Confirmation]:
    """A new session and the code it has just sent to PHONE."""
    session = Session("codes", seed=seed)
    return session, outbox.send_code(session, channel, PHONE)


def test_the_right_code_works_once() -> None:
    """The code is accepted, then refused as used with the users' message."""
    session, confirmation = sent()
    confirmation.check(confirmation.code, session.clock.now())
    assert confirmation.used
    with pytest.raises(UsedCode) as refused:
        confirmation.check(confirmation.code, session.clock.now())
    assert str(refused.value).startswith("Этот код уже использован")


def test_a_wrong_code_tells_how_many_attempts_are_left() -> None:
    """Each wrong code counts down «Осталось попыток»."""
    session, confirmation = sent()
    for left in range(MAX_ATTEMPTS - 1, 0, -1):
        with pytest.raises(WrongCode, match=f"Неверный код. Осталось попыток: {left}$"):
            confirmation.check(wrong(confirmation.code), session.clock.now())
    assert confirmation.attempts == MAX_ATTEMPTS - 1 and not confirmation.blocked


def test_five_wrong_codes_block_even_the_right_one() -> None:
    """The fifth wrong code blocks the confirmation; then the right code is refused too."""
    session, confirmation = sent()
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(WrongCode):
            confirmation.check(wrong(confirmation.code), session.clock.now())
    with pytest.raises(TooManyAttempts, match="Превышено число попыток"):
        confirmation.check(wrong(confirmation.code), session.clock.now())
    with pytest.raises(TooManyAttempts):
        confirmation.check(confirmation.code, session.clock.now())
    assert not confirmation.used


def test_a_code_expires_after_five_minutes_of_session_time() -> None:
    """Just before five minutes it works; from five minutes on it is expired."""
    session, confirmation = sent()
    session.clock.advance(5 * 60)
    with pytest.raises(ExpiredCode, match="Срок действия кода истёк"):
        confirmation.check(confirmation.code, session.clock.now())
    _, fresh = sent()
    fresh.check(fresh.code, fresh.sent_at + timedelta(minutes=5) - timedelta(seconds=1))
    assert fresh.used


def test_resend_is_refused_with_a_countdown_until_119_seconds() -> None:
    """Right after sending: «…через 01:59»; after 60 s «00:59»; at 119 s a new code may be asked for."""
    session, confirmation = sent()
    refusal = resend_refusal(confirmation, session.clock.now())
    assert refusal is not None and str(refusal) == "Новый код можно запросить через 01:59"
    session.clock.advance(60)
    assert str(resend_refusal(confirmation, session.clock.now())) == "Новый код можно запросить через 00:59"
    session.clock.advance(59)
    assert resend_refusal(confirmation, session.clock.now()) is None


def test_resend_is_still_refused_half_a_second_before_119_seconds() -> None:
    """At 118.5 s the resend time (119 s) has not come: the refusal shows «00:01»."""
    _session, confirmation = sent()
    now = confirmation.resend_at - timedelta(milliseconds=500)
    assert now < confirmation.resend_at
    refusal = resend_refusal(confirmation, now)
    assert refusal is not None and str(refusal).endswith("00:01")


def test_countdown_is_minutes_and_seconds() -> None:
    """119 → «01:59», 0 → «00:00», 600 → «10:00»."""
    assert [countdown(s) for s in (119, 0, 600, 61)] == ["01:59", "00:00", "10:00", "01:01"]


@pytest.mark.parametrize("channel, length", [(Channel.SMS, 6), (Channel.CALL, 4), (Channel.EMAIL, 6)])
def test_each_channel_has_its_code_length(channel: Channel, length: int) -> None:
    """SMS and e-mail codes have six digits, a flash call four."""
    _, confirmation = sent(channel)
    assert re.fullmatch(rf"\d{{{length}}}", confirmation.code)


def test_a_flash_call_comes_from_a_number_ending_in_the_code() -> None:
    """The outbox holds the caller; its last four digits are the code."""
    session, confirmation = sent(Channel.CALL)
    message = session.outbox[-1]
    assert message.channel == Channel.CALL and message.caller is not None
    assert re.sub(r"\D", "", message.caller)[-4:] == confirmation.code
    assert message.text == f"Входящий звонок с номера {message.caller}"


def test_an_sms_carries_its_code_in_the_text() -> None:
    """The SMS text shows the code, as the user reads it."""
    session, confirmation = sent(Channel.SMS)
    assert session.outbox[-1].text == f"VK ID: код подтверждения {confirmation.code}. Никому его не сообщайте."


def codes_for(seed: int, n: int = 5) -> list[str]:
    """The first `n` SMS codes a session with this seed sends."""
    session = Session("codes", seed=seed)
    return [outbox.send_code(session, Channel.SMS, PHONE).code for _ in range(n)]


def test_codes_are_deterministic_for_a_seed_and_differ_for_another() -> None:
    """The same seed replays the same codes; another seed gives other codes."""
    assert codes_for(11) == codes_for(11)
    assert codes_for(11) != codes_for(12)


def test_a_fixed_code_applies_to_its_recipient_only() -> None:
    """codes.fixed[(to, length)] is used for that recipient; others keep seeded random codes."""
    session = Session("codes", seed=3)
    session.codes.fixed[(PHONE, 6)] = "424242"
    assert outbox.send_code(session, Channel.SMS, PHONE).code == "424242"
    assert outbox.send_code(session, Channel.SMS, PHONE).code == "424242"
    assert outbox.send_code(session, Channel.SMS, "+79990000000").code != "424242"


def test_fixed_codes_are_kept_per_length_so_calls_and_sms_each_take_their_own() -> None:
    """A six-digit fixed code serves SMS and e-mail; a flash call takes the four-digit one, or a random one."""
    session = Session("codes")
    session.codes.fixed[(PHONE, 6)] = "123456"
    call = outbox.send_code(session, Channel.CALL, PHONE)
    assert len(call.code) == 4 and call.code != "3456"
    session.codes.fixed[(PHONE, 4)] = "9876"
    assert outbox.send_code(session, Channel.CALL, PHONE).code == "9876"
    assert outbox.send_code(session, Channel.SMS, PHONE).code == "123456"


def test_every_send_is_a_new_confirmation_in_the_outbox() -> None:
    """Confirmations and outbox ids count up from 1."""
    session = Session("codes")
    first, second = outbox.send_code(session, Channel.SMS, PHONE), outbox.send_code(session, Channel.EMAIL, "a@b.ru")
    assert (first.id, second.id) == (1, 2)
    assert [(m.id, m.channel, m.to) for m in session.outbox] == [(1, Channel.SMS, PHONE), (2, Channel.EMAIL, "a@b.ru")]
