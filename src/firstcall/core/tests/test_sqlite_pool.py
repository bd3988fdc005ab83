"""SQLite connections are kept: a connection Django closes goes back to the pool with its pragmas
and functions, and the next connection of any thread takes it instead of opening the file again."""

import threading

import pytest
from django.db import connection, connections, transaction

from firstcall.core.sqlite import base as pool

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
]


def _raw_of_a_new_thread() -> tuple[int, int, str]:
    """What a request thread sees: its own Django connection, closed when the request ends."""
    seen: list[tuple[int, int, str]] = []

    def work() -> None:
        conn = connections["default"]
        with conn.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            timeout = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        seen.append((id(conn.connection), timeout, mode))
        conn.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return seen[0]


def test_a_closed_connection_is_taken_again_by_the_next_thread():
    name = connection.settings_dict["NAME"]
    pool.drain(name)
    first, timeout, mode = _raw_of_a_new_thread()
    assert pool.idle_count(name) == 1
    second, timeout_again, mode_again = _raw_of_a_new_thread()
    assert second == first
    assert (timeout_again, mode_again) == (timeout, mode) == (timeout, "wal")
    assert timeout >= 5000


def test_a_connection_closed_inside_a_transaction_is_rolled_back_before_it_is_kept():
    name = connection.settings_dict["NAME"]
    pool.drain(name)
    done: list[bool] = []

    def work() -> None:
        conn = connections["default"]
        conn.ensure_connection()
        raw = conn.connection
        raw.execute("BEGIN IMMEDIATE")
        conn.close()
        done.append(raw.in_transaction)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [False]
    assert pool.idle_count(name) == 1


def test_a_connection_closed_inside_an_atomic_block_is_not_kept():
    name = connection.settings_dict["NAME"]
    pool.drain(name)
    kept: list[int] = []

    def work() -> None:
        conn = connections["default"]
        try:
            with transaction.atomic():
                conn.cursor().execute("SELECT 1")
                conn.close()  # Django still refers to it until the block ends
                kept.append(pool.idle_count(name))
        except Exception:  # the block cannot commit on a closed connection
            pass
        conn.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert kept == [0]
