"""SQLite waits for the write lock instead of failing: every connection really carries the busy
timeout the settings ask for, and a transaction takes the write lock when it begins."""

import pytest
from django.conf import settings
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
]


def test_every_sqlite_connection_waits_for_the_lock_as_configured():
    options = settings.DATABASES["default"]["OPTIONS"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == int(options["timeout"] * 1000) >= 5000
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_a_transaction_takes_the_write_lock_when_it_begins(tmp_path):
    # A connection of its own, on a file of its own: the test's transaction holds the test
    # database's write lock, which is the very thing this one would wait for.
    fresh = connections.create_connection("default")
    fresh.settings_dict = {**fresh.settings_dict, "NAME": str(tmp_path / "lock.sqlite3")}
    executed: list[str] = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    try:
        with fresh.execute_wrapper(record):
            # What atomic() does when it opens a transaction.
            fresh.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            fresh.cursor().execute("SELECT 1")
            fresh.rollback()
    finally:
        fresh.close()
    assert executed[:2] == ["BEGIN IMMEDIATE", "SELECT 1"]
