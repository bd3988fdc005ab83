"""Tasks and handlers the worker's tests run: each run leaves an inbox row, so a test counts the
runs in the database (a task or a delivery that ran twice shows as two rows)."""

import uuid
from pathlib import Path
from typing import Any

from django.tasks import task

from firstcall.core.audit import ChangeContext
from firstcall.core.models import InboxMessage


def record_run(tag: str) -> None:
    InboxMessage.objects.create(source=f"run:{tag}", external_id=uuid.uuid4().hex)


def runs(tag: str) -> int:
    return InboxMessage.objects.filter(source=f"run:{tag}").count()


@task()
def count_run(tag: str) -> None:
    record_run(tag)


def record_handler(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    record_run(str(payload["tag"]))


class Failing(Exception):
    pass


def failing_handler(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    record_run(str(payload["tag"]))  # rolled back with the failure
    raise Failing("the receiving system said no")


def blocking_handler(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    """Says it started (a file), then waits until the test writes to its FIFO: a worker in the
    middle of a delivery, for as long as the test wants, without a sleep."""
    folder = Path(payload["folder"])
    (folder / f"started-{uuid.uuid4().hex}").write_text("")
    with (folder / "go").open() as fifo:  # blocks until the test opens the FIFO for writing
        fifo.read()
    record_run(str(payload["tag"]))


@task()
def tick() -> None:
    """A scheduled job of the tests."""
    record_run("tick")
