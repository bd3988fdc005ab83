"""Many rows in one statement, without building a model instance per row.

For the hot path's writes (the call log, the call cache): `executemany` of one prepared INSERT,
with each value adapted by its field exactly as the ORM would. The optional upsert uses
`ON CONFLICT (...) DO UPDATE SET col = excluded.col`, which SQLite (3.24+) and PostgreSQL spell
the same way; both are exercised by the test suite on both databases.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_many(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> None:
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(str(meta.get_field(name).column))  # type: ignore[union-attr]

    columns = ", ".join(column(name) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Identifiers come from the model's metadata, quoted; every value is a bound parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if conflict:
        target = ", ".join(column(name) for name in conflict)
        sets = ", ".join(f"{column(name)} = excluded.{column(name)}" for name in update)
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    params = [
        [f.get_db_prep_save(value, connection) for f, value in zip(concrete, row, strict=True)]  # type: ignore[union-attr]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
