"""SQLite with its connections kept: Django's SQLite backend, but a connection that Django closes
goes back to a small per-process pool instead of being thrown away.

Under ASGI every request runs its synchronous work on a thread of its own, and a Django connection
belongs to its thread, so without this each panel request would connect again, register the SQL
functions and run the pragmas (WAL, synchronous, foreign keys) again. Here they run once per raw
connection. A connection goes back only when it is healthy and outside a transaction; the pool is
per database file and holds at most `POOL_SIZE` idle connections.
"""

import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base, creation

POOL_SIZE = 32

_lock = threading.Lock()
_idle: dict[str, list[sqlite3.Connection]] = {}


def _take(name: str) -> sqlite3.Connection | None:
    with _lock:
        idle = _idle.get(name)
        return idle.pop() if idle else None


def _give(name: str, conn: sqlite3.Connection) -> bool:
    with _lock:
        idle = _idle.setdefault(name, [])
        if len(idle) >= POOL_SIZE:
            return False
        idle.append(conn)
        return True


def drain(name: str | None = None) -> None:
    """Close the idle connections (of one database file, or all): before a test database is
    created or deleted, so that no kept connection points at a file that is gone."""
    with _lock:
        names = list(_idle) if name is None else [name]
        conns = [c for n in names for c in _idle.pop(n, [])]
    for conn in conns:
        conn.close()


def idle_count(name: str) -> int:
    with _lock:
        return len(_idle.get(name, []))


class DatabaseCreation(creation.DatabaseCreation):
    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool = False) -> Any:
        drain()
        return super()._create_test_db(verbosity, autoclobber, keepdb)  # type: ignore[misc]

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        drain()
        super()._destroy_test_db(test_database_name, verbosity)  # type: ignore[misc]


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    def _pooled(self) -> bool:
        return not self.is_in_memory_db()

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if self._pooled():
            conn = _take(str(conn_params["database"]))
            if conn is not None:
                # Pragmas and functions were set when it was first opened; only the parameters
                # Django reads from the settings are taken again.
                return conn
        return super().get_new_connection(conn_params)

    def _close(self) -> None:
        conn = self.connection
        if conn is None:
            return
        # Closed inside an atomic block, Django keeps referring to the connection until the
        # block ends: it must really close, not serve another thread meanwhile.
        if self._pooled() and not self.in_atomic_block:
            try:
                if conn.in_transaction:
                    conn.rollback()
                conn.isolation_level = None  # autocommit, as Django opens it
            except sqlite3.Error:
                pass
            else:
                if _give(str(self.settings_dict["NAME"]), conn):
                    return
        super()._close()  # type: ignore[misc]
