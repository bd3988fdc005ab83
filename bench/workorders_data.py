# ruff: noqa: S608 - the SQL is built from this module's constants, never from input
"""The generator of `bench/workorders.py`: a million back-office tickets loaded in bulk.

Not through the services: each table is filled by one `INSERT … SELECT` over `generate_series`
inside PostgreSQL (no row crosses the wire), in the shapes the services leave behind, so the lists
read what they would read in production. The rows are for the lists only: their process
instances carry no engine state, so the services cannot act on them.

Shape (deterministic, from the ticket's number g):
- spread over the demo tree's 8 cities (the ticket's unit is the city's 10000号一班), opened
  evenly over the last `DAYS` days, the newest last; complaints on BO-MOBNET (80 %) and faults on
  BO-FAULT (20 %);
- 70 % archived; the rest stopped at one of the six steps (受理, 分析派发, 网维/网优处理, 审核,
  回复客服, 归档), each earlier step a done work item (done by the city's dispatcher or handler)
  and the current step a ready one, a fifth of those claimed by the person who would act;
- one ticket event for the start and one per completed step (user, item and action in its data);
- 5 % overdue, 10 % repeat complaints, priorities, sources and complaint types mixed.
"""

from typing import Any

DAYS = 365
STEPS = 6  # accept, analyse, handle, review, reply, archive

# (task spec, step name, department key, flow role, action, event action)
STEP_ROWS = [
    ("accept", "受理", "ops", "dispatcher", "accept", "accepted"),
    ("analyse", "分析派发", "ops", "dispatcher", "dispatch", "dispatched"),
    ("handle_maintenance", "网维处理", "handler", "handler", "feedback", "handled"),
    ("review", "审核", "ops", "dispatcher", "pass", "review_passed"),
    ("reply", "回复客服", "ops", "dispatcher", "reply", "replied"),
    ("archive", "归档", "ops", "dispatcher", "archive", "archived"),
]
STATUS_AT = ["accepting", "in_progress", "in_progress", "reviewing", "in_progress", "in_progress"]


def _cities(cursor: Any) -> list[tuple[Any, ...]]:
    """Per city: the desk unit, OPS and 网维 (id, path), and the dispatcher and 网维 handler."""
    cursor.execute(
        """
        SELECT city.code,
               cs.id, ops.id, ops.path, nm.id, nm.path,
               (SELECT id FROM accounts_user WHERE username = lower(city.code) || '-dispatcher'),
               (SELECT id FROM accounts_user WHERE username = lower(city.code) || '-netmaint')
        FROM orgs_orgunit city
        JOIN orgs_orgunit cs ON cs.code = city.code || '-CS-D1'
        JOIN orgs_orgunit ops ON ops.code = city.code || '-OPS'
        JOIN orgs_orgunit nm ON nm.code = city.code || '-NMNT'
        WHERE city.level = 'city' ORDER BY city.code
        """
    )
    return cursor.fetchall()


def _versions(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT p.code, v.id FROM workflows_processversion v "
        "JOIN workflows_process p ON p.id = v.process_id WHERE v.status = 'published'"
    )
    return dict(cursor.fetchall())


def generate(tickets: int, *, log: Any = print) -> dict[str, int]:
    """Load `tickets` tickets with their instances, work items and events. Returns row counts."""
    import time

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("the generator runs on PostgreSQL")
    with transaction.atomic(), connection.cursor() as cur:
        cities = _cities(cur)
        versions = _versions(cur)
        cur.execute("DROP TABLE IF EXISTS bench_city")
        cur.execute(
            "CREATE TEMP TABLE bench_city (n int, code text, desk bigint, ops bigint, "
            "ops_path text, nm bigint, nm_path text, dispatcher bigint, netmaint bigint)"
        )
        cur.executemany(
            "INSERT INTO bench_city VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(n, *row) for n, row in enumerate(cities)],
        )
        cur.execute("SELECT coalesce(max(id), 0) FROM tickets_ticket")
        base = cur.fetchone()[0]
        params = {
            "n": tickets,
            "base": base,
            "cities": len(cities),
            "days": DAYS,
            "mobnet": versions["BO-MOBNET"],
            "fault": versions["BO-FAULT"],
        }
        started = time.monotonic()
        # g: 1..n; the ticket's id is base + g; stage 6 = archived, else the ready step.
        cur.execute(
            """
            CREATE TEMP TABLE bench_t AS
            SELECT g, %(base)s + g AS id,
                   now() - make_interval(secs => (%(n)s - g)::float8 * %(days)s * 86400 / %(n)s)
                     AS opened,
                   g %% %(cities)s AS city,
                   CASE WHEN r %% 100 < 70 THEN 6 ELSE (r / 100) %% 6 END AS stage,
                   ((r / 600) %% 5 = 0) AS fault, r / 3000 AS r
            FROM (SELECT g, abs(hashint4(g)) AS r FROM generate_series(1, %(n)s) g) numbers
            """,
            params,
        )
        step_case = " ".join(
            f"WHEN {i} THEN '{name}'" for i, (_s, name, *_r) in enumerate(STEP_ROWS)
        )
        status_case = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATUS_AT))
        cur.execute(
            f"""
            INSERT INTO tickets_ticket (id, created, updated, code, kind, status, customer_id,
                service_number, phenomenon_code, phenomenon, summary, opened_at, closed_at,
                unit_id, diagnosis, hold_reason, priority, receiving_group, reply, customer_level,
                callback_number, caller_description, complaint_type, css_serial, current_step,
                due_at, escalated, overdue, repeat_count, source, span, tier)
            SELECT t.id, t.opened, t.opened, 'BW' || lpad(t.g::text, 9, '0'),
                   CASE WHEN t.fault THEN 'fault' ELSE 'complaint' END,
                   CASE WHEN t.stage = 6 THEN 'archived' ELSE CASE t.stage {status_case} END END,
                   'C' || (13900000000 + t.g), (13900000000 + t.g)::text, '', '', '基站信号差',
                   t.opened,
                   CASE WHEN t.stage = 6 THEN t.opened + interval '30 hours' END,
                   c.desk, '{{}}', '',
                   (ARRAY['normal', 'normal', 'normal', 'high', 'low', 'urgent'])
                     [1 + t.r %% 6],
                   '网优（走BO-NETQ）', '', '', '', '',
                   CASE WHEN t.fault THEN '' ELSE
                     (ARRAY['CT-SIGNAL', 'CT-BILLING', 'CT-SERVICE', 'CT-DATA'])[1 + (t.r / 6) %% 4] END,
                   'CSS' || lpad(t.g::text, 10, '0'),
                   CASE WHEN t.stage = 6 THEN '' ELSE CASE t.stage {step_case} END END,
                   CASE WHEN t.stage < 6 THEN t.opened + interval '48 hours' END,
                   false, ((t.r / 24) %% 20 = 0), CASE WHEN (t.r / 480) %% 10 = 0 THEN 1 ELSE 0 END,
                   (ARRAY['hotline', 'web', 'app', 'sms'])[1 + (t.r / 4800) %% 4],
                   CASE WHEN t.fault THEN '' ELSE 'city' END,
                   CASE WHEN (t.r / 480) %% 10 = 0 THEN 'T2' ELSE 'T1' END
            FROM bench_t t JOIN bench_city c ON c.n = t.city
            """,
            params,
        )
        log(f"  tickets: {tickets:,} in {time.monotonic() - started:.0f} s")
        cur.execute(
            """
            INSERT INTO workflows_processinstance (id, created, updated, state, data, path,
                revision, status, started_at, ended_at, ticket_id, version_id)
            SELECT t.id, t.opened, t.opened, '{}', '{}', '[]', t.stage,
                   CASE WHEN t.stage = 6 THEN 'completed' ELSE 'running' END, t.opened,
                   CASE WHEN t.stage = 6 THEN t.opened + interval '30 hours' END, t.id,
                   CASE WHEN t.fault THEN %(fault)s ELSE %(mobnet)s END
            FROM bench_t t
            """,
            params,
        )
        log(f"  instances: {time.monotonic() - started:.0f} s")
        # One work item per step reached: done before the stage, ready at it.
        values = ", ".join(
            f"({i}, '{spec}', '{name}', '{dept}', '{role}', '{action}', '{event}')"
            for i, (spec, name, dept, role, action, event) in enumerate(STEP_ROWS)
        )
        cur.execute(
            f"""
            CREATE TEMP TABLE bench_s (i int, spec text, name text, dept text, role text,
                action text, event text);
            INSERT INTO bench_s VALUES {values};
            SELECT setval(pg_get_serial_sequence('workflows_workitem', 'id'),
                          coalesce((SELECT max(id) FROM workflows_workitem), 0) + 1, false);
            """
        )
        cur.execute(
            """
            INSERT INTO workflows_workitem (created, updated, task_id, task_spec, step_name,
                unit_path, flow_role, state, priority, due_at, claimed_at, done_at, action,
                assignee_id, done_by_id, instance_id, ticket_id, unit_id)
            SELECT t.opened + make_interval(hours => s.i * 4), t.opened,
                   md5(t.g::text || ':' || s.i), s.spec, s.name,
                   CASE s.dept WHEN 'ops' THEN c.ops_path ELSE c.nm_path END, s.role,
                   CASE WHEN s.i < t.stage THEN 'done' ELSE 'ready' END, 'normal',
                   t.opened + interval '48 hours',
                   CASE WHEN s.i = t.stage AND (t.r / 19200) %% 5 = 1 THEN t.opened END,
                   CASE WHEN s.i < t.stage THEN t.opened + make_interval(hours => s.i * 4 + 3)
                   END,
                   CASE WHEN s.i < t.stage THEN s.action ELSE '' END,
                   CASE WHEN s.i = t.stage AND (t.r / 19200) %% 5 = 1 THEN
                     CASE s.dept WHEN 'ops' THEN c.dispatcher ELSE c.netmaint END END,
                   CASE WHEN s.i < t.stage THEN
                     CASE s.dept WHEN 'ops' THEN c.dispatcher ELSE c.netmaint END END,
                   t.id, t.id, CASE s.dept WHEN 'ops' THEN c.ops ELSE c.nm END
            FROM bench_t t JOIN bench_city c ON c.n = t.city JOIN bench_s s ON s.i <= t.stage
            WHERE s.i < 6
            ORDER BY t.g, s.i
            """,
            params,
        )
        items = cur.rowcount
        log(f"  work items: {items:,} ({time.monotonic() - started:.0f} s)")
        cur.execute(
            """
            INSERT INTO tickets_ticketevent (time, actor, action, note, data, ticket_id, user_id)
            SELECT t.opened, 'system', 'started', '', '{}', t.id, NULL FROM bench_t t
            UNION ALL
            SELECT w.done_at, 'bench', s.event, '',
                   jsonb_build_object('item', w.id, 'action', w.action, 'step', w.task_spec,
                                      'step_name', w.step_name),
                   w.ticket_id, w.done_by_id
            FROM workflows_workitem w JOIN bench_s s ON s.spec = w.task_spec
            WHERE w.state = 'done' AND w.ticket_id > %(base)s
            """,
            params,
        )
        events = cur.rowcount
        log(f"  events: {events:,} ({time.monotonic() - started:.0f} s)")
        for table in ("tickets_ticket", "workflows_processinstance"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cur:
        for table in (
            "tickets_ticket",
            "workflows_processinstance",
            "workflows_workitem",
            "tickets_ticketevent",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")
    log(f"  analysed: {time.monotonic() - started:.0f} s")
    return {"tickets": tickets, "work_items": items, "events": events}
