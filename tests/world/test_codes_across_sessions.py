"""A code one session sends is never a code another session of the world would still accept.

Sessions seeded alike draw the same codes; the world makes the second one draw again from its own generator.
What a seed draws is read from a session alone in a world of its own, never from the sessions under test.
"""

from __future__ import annotations

from simulator.world import Channel, Session, World, outbox
from simulator.world.snapshot import dump, load
from tests.support.sim_seeds import PHONE

SEED = 42
OTHER_PHONE = "+79990000002"


def lone_draws(channel: Channel, count: int, seed: int = SEED) -> list[str]:
    """The codes `seed` draws one after another when no other session holds any."""
    world = World()
    session = world.create("alone", seed=seed)
    return [outbox.send_code(session, channel, PHONE).code for _ in range(count)]


def twins(channel: Channel = Channel.SMS) -> tuple[Session, Session, str]:
    """Two sessions of one world seeded alike, and the code the first has just sent."""
    world = World()
    first, second = world.create("first", seed=SEED), world.create("second", seed=SEED)
    return first, second, outbox.send_code(first, channel, PHONE).code


def test_two_sessions_seeded_alike_draw_the_same_code_alone() -> None:
    """The premise: apart, two sessions with one seed send the same code — the collision the world prevents."""
    assert lone_draws(Channel.SMS, 1) == lone_draws(Channel.SMS, 1)
    assert lone_draws(Channel.SMS, 1) != lone_draws(Channel.SMS, 1, seed=SEED + 1)


def test_the_second_session_draws_again_from_its_own_generator() -> None:
    """Its code differs from the first's and is the seed's next draw: a seeded run stays reproducible."""
    first_draw, second_draw = lone_draws(Channel.SMS, 2)
    assert first_draw != second_draw  # else the redraw could not be told from a coincidence
    _, second, held = twins()
    assert held == first_draw
    sent = outbox.send_code(second, Channel.SMS, OTHER_PHONE)
    assert sent.code == second_draw
    assert second.outbox[-1].code == second_draw and held not in second.outbox[-1].text


def test_a_flash_call_s_four_digits_are_drawn_again_and_the_caller_ends_in_them() -> None:
    """A call also draws its caller's number, so the redraw is not a lone session's second code; it is the
    same on every run, and the caller's number ends in it, not in the code the other session holds."""
    codes = []
    for _ in range(2):
        _, second, held = twins(Channel.CALL)
        assert held == lone_draws(Channel.CALL, 1)[0]
        sent = outbox.send_code(second, Channel.CALL, PHONE)
        assert sent.code != held and sent.code.isdigit() and len(sent.code) == 4
        caller = (second.outbox[-1].caller or "").replace("-", "")
        assert caller.endswith(sent.code) and not caller.endswith(held)
        codes.append(sent.code)
    assert codes[0] == codes[1]


def test_a_code_no_longer_valid_elsewhere_may_be_drawn() -> None:
    """Used, blocked or expired by its own session's clock, the first session's code frees the draw."""
    first_draw = lone_draws(Channel.SMS, 1)[0]

    first, second, held = twins()
    first.confirmations[1].check(held, first.clock.now())
    assert outbox.send_code(second, Channel.SMS, PHONE).code == first_draw

    first, second, held = twins()
    first.clock.advance(5 * 60)
    assert outbox.send_code(second, Channel.SMS, PHONE).code == first_draw

    first, second, held = twins()
    first.confirmations[1].blocked = True
    assert outbox.send_code(second, Channel.SMS, PHONE).code == first_draw


def test_codes_of_another_length_do_not_count() -> None:
    """A six-digit SMS code and a four-digit call code are never equal: the call is the seed's own first draw."""
    _, second, _ = twins(Channel.SMS)
    assert outbox.send_code(second, Channel.CALL, PHONE).code == lone_draws(Channel.CALL, 1)[0]


def test_fixed_codes_stay_as_fixed_in_every_session() -> None:
    """A fixed code is the user's explicit choice: two sessions fixing one code both send it."""
    world = World()
    first, second = world.create("first", seed=SEED), world.create("second", seed=SEED + 1)
    for session in (first, second):
        outbox.fix_code(session, PHONE, "246810")
    assert outbox.send_code(first, Channel.SMS, PHONE).code == "246810"
    assert outbox.send_code(second, Channel.SMS, PHONE).code == "246810"
    # And a drawn code steers clear of a fixed one still valid elsewhere.
    outbox.unfix_codes(second, PHONE)
    assert outbox.send_code(second, Channel.SMS, PHONE).code != "246810"


def test_a_reset_session_and_a_restored_copy_draw_clear_of_the_others() -> None:
    """Every way a session enters the world — created, reset, restored from a snapshot — draws clear."""
    first_draw, second_draw = lone_draws(Channel.SMS, 2)
    world = World()
    first = world.create("first", seed=SEED)
    world.create("second", seed=SEED)
    assert outbox.send_code(first, Channel.SMS, PHONE).code == first_draw
    reset = world.reset("second")
    assert outbox.send_code(reset, Channel.SMS, PHONE).code == second_draw

    copy = load(dump(world.create("third", seed=SEED)), key="copy")
    world.restore(copy)
    # first_draw and second_draw are both held now: the copy's generator moves on past both.
    assert outbox.send_code(copy, Channel.SMS, PHONE).code not in {first_draw, second_draw}


def test_resent_codes_within_one_session_are_untouched() -> None:
    """Only other sessions are avoided: a session's own earlier codes follow the seed as before."""
    world = World()
    session = world.create("first", seed=SEED)
    draws = [outbox.send_code(session, Channel.SMS, PHONE).code for _ in range(3)]
    assert draws == lone_draws(Channel.SMS, 3)
