"""Claiming due rows for one worker among several: the only dialect-specific code of the worker.

A queue, the outbox and the timers all keep "due" rows that several worker processes poll. A claim
marks some of them as taken (a lease, a status) so that no other worker takes them too:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED LIMIT n`, then an `UPDATE` of the rows it locked.
  Rows another worker is claiming at that moment are skipped, not waited for.
- SQLite (and any other database): the candidates are read, then each is claimed by a conditional
  `UPDATE … WHERE id = ? AND <still due>`, as Healthchecks does in its alert loop: the row count
  says who won (1: this worker; 0: another worker took it first). SQLite has one writer at a
  time, so the claims serialise; the condition keeps them right whatever the transaction mode.

`mark` must make a claimed row no longer due (a lease in the future, another status): that is what
makes the condition exclude a row another worker has claimed.
"""

from typing import Any, Literal

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet

Method = Literal["skip_locked", "conditional"]


def method_for(vendor: str) -> Method:
    return "skip_locked" if vendor == "postgresql" else "conditional"


def claim[M: Model](
    due: QuerySet[M], *, limit: int, mark: dict[str, Any], method: Method | None = None
) -> list[Any]:
    """Claim up to `limit` rows of `due` (in its order) by applying `mark` to them, in a short
    transaction of its own; return the primary keys this caller won. `method` forces one branch
    (tests run both on PostgreSQL)."""
    alias = due.db
    method = method or method_for(connections[alias].vendor)
    if method == "skip_locked":
        manager = due.model._default_manager.using(alias)
        with transaction.atomic(using=alias):
            locked = due.select_for_update(skip_locked=True).values_list("pk", flat=True)
            pks = list(locked[:limit])
            if pks:
                manager.filter(pk__in=pks).update(**mark)
            return pks
    # The candidates are read before the write transaction (the condition re-checks each), so
    # an idle poll on SQLite never takes the database's write lock.
    candidates = list(due.values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    won = []
    with transaction.atomic(using=alias):
        for pk in candidates:
            if due.order_by().filter(pk=pk).update(**mark) == 1:
                won.append(pk)
    return won


def claim_one[M: Model](due: QuerySet[M], pk: Any, *, mark: dict[str, Any]) -> bool:
    """Claim one known row if it is still due: a conditional update whose row count tells whether
    this caller won. The same on every database (a single statement needs no lock of its own)."""
    return due.order_by().filter(pk=pk).update(**mark) == 1


def commit_mode(*, relaxed: bool, using: str = DEFAULT_DB_ALIAS) -> None:
    """Whether this connection's commits wait for the disk (PostgreSQL's `synchronous_commit`,
    set for the session; SQLite's WAL with `synchronous=NORMAL` never waits). The worker relaxes
    it for its own transactions — claims, `delivered` and `fired` marks with their handlers'
    writes, failures — and restores it before it runs a task. A commit lost in a database crash
    then loses a mark together with the handler's writes, and the row is worked on again, which
    at-least-once delivery allows; nothing acknowledged to a user depends on it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    state = (id(connection.connection), relaxed)
    if getattr(connection, "firstcall_commit_mode", None) == state and relaxed:
        return  # a new connection has a new id; only relaxing is ever skipped
    with connection.cursor() as cursor:
        cursor.execute(f"SET synchronous_commit TO {'OFF' if relaxed else 'ON'}")
    connection.firstcall_commit_mode = state  # type: ignore[attr-defined]
