"""A VK ID password allows five tries, as a code does; the fifth wrong one locks it for half an hour."""

from __future__ import annotations

import copy

import pytest

from simulator.world import Session, VkIdAccount, accounts, apply_seed
from simulator.world.codes import MAX_ATTEMPTS
from simulator.world.passwords import LOCKED_FOR, PasswordLocked, WrongPassword
from simulator.world.snapshot import SnapshotError, dump, load
from tests.support.sim_seeds import PHONE, person, world

PASSWORD = "vk-pass-1"
LOCKED = "Превышено число попыток ввода пароля. Повторите попытку через 30 минут или восстановите пароль."


def with_password() -> tuple[Session, VkIdAccount]:
    entry = person()
    entry["vkid"]["password"] = PASSWORD
    session = Session("passwords")
    apply_seed(session, world(entry))
    account = session.vkid_by_login("phone", PHONE)
    assert account is not None
    return session, account


def fail(session: Session, account: VkIdAccount, times: int) -> None:
    for _ in range(times):
        with pytest.raises((WrongPassword, PasswordLocked)):
            accounts.check_password(session, account, "wrong")


def test_each_wrong_password_tells_how_many_tries_are_left() -> None:
    session, account = with_password()
    for left in range(MAX_ATTEMPTS - 1, 0, -1):
        with pytest.raises(WrongPassword, match=f"^Неверный пароль. Осталось попыток: {left}$"):
            accounts.check_password(session, account, "wrong")


def test_the_fifth_wrong_password_locks_even_the_right_one_until_the_time_is_up() -> None:
    session, account = with_password()
    fail(session, account, MAX_ATTEMPTS - 1)
    with pytest.raises(PasswordLocked) as locked:
        accounts.check_password(session, account, "wrong")
    assert str(locked.value) == LOCKED
    with pytest.raises(PasswordLocked):
        accounts.check_password(session, account, PASSWORD)
    session.clock.advance(LOCKED_FOR.total_seconds() - 1)
    with pytest.raises(PasswordLocked, match="через 1 минуту или"):
        accounts.check_password(session, account, PASSWORD)
    session.clock.advance(1)
    accounts.check_password(session, account, PASSWORD)
    assert session.password_attempts == {}


def test_a_lock_that_ran_out_gives_five_tries_again() -> None:
    session, account = with_password()
    fail(session, account, MAX_ATTEMPTS)
    session.clock.advance(LOCKED_FOR.total_seconds())
    with pytest.raises(WrongPassword, match=r"Осталось попыток: 4$"):
        accounts.check_password(session, account, "wrong")


def test_the_right_password_starts_the_count_again_and_leaves_no_trace() -> None:
    session, account = with_password()
    fail(session, account, 3)
    accounts.check_password(session, account, PASSWORD)
    assert session.password_attempts == {}
    with pytest.raises(WrongPassword, match=r"Осталось попыток: 4$"):
        accounts.check_password(session, account, "wrong")


def test_a_wrong_password_changes_nothing_but_the_count() -> None:
    session, account = with_password()
    before = session.snapshot()
    fail(session, account, MAX_ATTEMPTS + 2)
    assert session.snapshot() == before
    assert session.outbox == []


def test_a_new_password_lifts_the_lock() -> None:
    session, account = with_password()
    fail(session, account, MAX_ATTEMPTS)
    accounts.set_password(session, account, "new-vk-pass")
    accounts.check_password(session, account, "new-vk-pass")
    assert account.password == "new-vk-pass"


def test_an_account_with_no_password_refuses_every_one() -> None:
    session, account = with_password()
    account.password = None
    with pytest.raises(WrongPassword):
        accounts.check_password(session, account, "")


def test_counted_attempts_survive_a_snapshot_and_must_name_an_account() -> None:
    session, account = with_password()
    fail(session, account, MAX_ATTEMPTS)
    doc = dump(session)
    restored = load(copy.deepcopy(doc))
    assert dump(restored) == doc
    restored_account = restored.vkid_accounts[account.id]
    with pytest.raises(PasswordLocked):
        accounts.check_password(restored, restored_account, PASSWORD)
    older = copy.deepcopy(doc)
    del older["password_attempts"]  # a snapshot from before attempts were counted
    assert load(older).password_attempts == {}
    doc["password_attempts"][0]["id"] = 1
    with pytest.raises(SnapshotError, match=r"password_attempts\[0\].id: no vkid_accounts entry 1"):
        load(doc)
