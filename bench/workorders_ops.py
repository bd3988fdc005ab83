"""The operations part of `bench/workorders.py`: concurrent users working BO-MOBNET tickets
through the real services, each operation in its own transaction as a request would run it.

`--users` users (20) are spread over `--processes` processes (one per core by default), a thread
per user, each thread its own database connection. Each user works `--per-user` tickets of its
own city (the demo tree's 8 cities in turn): converted from a call beforehand (not timed), then,
step by step across its tickets, started (`services.start`), accepted, dispatched to 网维,
handled (feedback), reviewed, replied and archived (`services.act`), each acted by the demo
person who holds the step. An operation is timed from loading the work item (as the post's view
does) to the commit; its queries are counted."""

import multiprocessing
import threading
import time
from typing import Any

FEEDBACK = {"cause": "基站退服", "measures": "恢复传输", "result": "已恢复"}
STEPS: list[tuple[str, str, str, dict[str, Any]]] = [
    # (operation, person suffix, action, fields)
    ("accept", "dispatcher", "accept", {}),
    ("dispatch", "dispatcher", "dispatch", {"is_fault": "yes", "is_coverage": "no"}),
    ("feedback", "netmaint", "feedback", FEEDBACK),
    ("review", "dispatcher", "pass", {}),
    ("reply", "dispatcher", "reply", {"reply": "已联系用户解释", "customer_answered": "no"}),
    ("archive", "dispatcher", "archive", {"satisfaction": "satisfied"}),
]


def _cities() -> list[str]:
    from firstcall.orgs.models import OrgUnit

    return list(
        OrgUnit.objects.filter(level=OrgUnit.Level.CITY)
        .order_by("code")
        .values_list("code", flat=True)
    )


class Counter:
    """Counts the queries run on this thread's connection while installed."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)


def _prepare(city: str, count: int, user_no: int) -> list[int]:
    """`count` complaint tickets converted from calls at the city's desk (not timed)."""
    from django.db import transaction

    from firstcall.core.audit import ChangeContext
    from firstcall.orgs.models import OrgUnit
    from firstcall.tickets import services as tickets

    ctx = ChangeContext.for_cli("bench")
    unit = OrgUnit.objects.get(code=f"{city}-CS-D1")
    ids = []
    for n in range(count):
        number = f"186{user_no:03d}{n:05d}"
        with transaction.atomic():
            call = tickets.open_preprocessing(
                ctx, unit=unit, customer_id=f"C{number}", service_number=number
            )
            ticket = tickets.convert(
                ctx, call, kind="complaint", receiving_group="网优（走BO-NETQ）", diagnosis={}
            )
        ids.append(ticket.pk)
    return ids


def _user_run(
    city: str, ticket_ids: list[int], barrier: Any, out: list[tuple[str, float, int]]
) -> None:
    from django.db import connection, transaction

    from firstcall.accounts.models import User
    from firstcall.core.audit import ChangeContext
    from firstcall.core.models import ObjectChange
    from firstcall.tickets.models import Ticket
    from firstcall.workflows import services
    from firstcall.workflows.models import ProcessInstance, WorkItem

    people = {
        suffix: User.objects.get(username=f"{city.lower()}-{suffix}")
        for suffix in ("dispatcher", "netmaint")
    }
    counter = Counter()
    barrier.wait()
    try:
        with connection.execute_wrapper(counter):
            for pk in ticket_ids:  # started as the call is converted: by the agent's request
                counter.n = 0
                began = time.perf_counter()
                with transaction.atomic():
                    ticket = Ticket.objects.get(pk=pk)
                    services.start(
                        ChangeContext.for_cli("bench"), ticket, "BO-MOBNET", data={"span": "city"}
                    )
                out.append(("start", time.perf_counter() - began, counter.n))
            for name, suffix, action, fields in STEPS:
                for pk in ticket_ids:
                    counter.n = 0
                    began = time.perf_counter()
                    with transaction.atomic():
                        ctx = ChangeContext(actor=people[suffix], source=ObjectChange.Source.WEB)
                        item = WorkItem.objects.get(ticket_id=pk, state=WorkItem.State.READY)
                        revision = (
                            ProcessInstance.objects.filter(ticket_id=pk)
                            .values_list("revision", flat=True)
                            .get()
                        )
                        services.act(ctx, item, action, dict(fields), revision=revision)
                    out.append((name, time.perf_counter() - began, counter.n))
    finally:
        connection.close()


def _process_main(users: list[tuple[str, int]], per_user: int, barrier: Any, queue: Any) -> None:
    """One process: prepare its users' tickets, then run them, a thread each."""
    import django
    from django.db import connection

    django.setup()
    prepared = []
    for city, user_no in users:
        prepared.append((city, _prepare(city, per_user, user_no)))
    connection.close()
    results: list[list[tuple[str, float, int]]] = [[] for _ in users]
    threads = [
        threading.Thread(target=_user_run, args=(city, ids, barrier, results[n]))
        for n, (city, ids) in enumerate(prepared)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put([row for rows in results for row in rows])


def run(users: int, processes: int, per_user: int) -> dict[str, Any]:
    """Runs the operations; returns the wall time and the (operation, seconds, queries) rows."""
    from django.db import connections

    cities = _cities()
    plan: list[list[tuple[str, int]]] = [[] for _ in range(processes)]
    for n in range(users):
        plan[n % processes].append((cities[n % len(cities)], n))
    connections.close_all()
    for conn in connections.all():  # the psycopg pool's connections must not cross the fork
        if hasattr(conn, "close_pool"):
            conn.close_pool()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(users + 1)
    queue = context.Queue()
    children = [
        context.Process(target=_process_main, args=(part, per_user, barrier, queue))
        for part in plan
        if part
    ]
    for child in children:
        child.start()
    barrier.wait(timeout=1800)
    began = time.perf_counter()
    rows: list[tuple[str, float, int]] = []
    for _child in children:
        rows.extend(queue.get(timeout=3600))
    wall = time.perf_counter() - began
    for child in children:
        child.join()
    return {"wall": wall, "rows": rows}
