"""The lists part of `bench/workorders.py`: the to-do, done and search lists of
`workflows.queries`, called as the screens call them (a page of 50 plus one to know whether there
is a next page; the to-do's rows decorated as the view does), for users of several roles and
scopes, each query repeated `--repeat` times on a fresh user object (a request's user: no
per-user caches carried over)."""

import time
from datetime import timedelta
from typing import Any

# (label, username) — a city's interface person and 网维 handler, a province's interface and
# complaint centre, headquarters' interface person, the superuser.
USERS = [
    ("city dispatcher", "js-nj-dispatcher"),
    ("city handler", "js-nj-netmaint"),
    ("province dispatcher", "js-dispatcher"),
    ("province complaints", "js-complaints"),
    ("HQ dispatcher", "hq-dispatcher"),
    ("superuser", "admin"),
]
DONE_USERS = ["js-nj-dispatcher", "js-nj-netmaint", "gd-gz-dispatcher"]
SEARCH_USERS = ["js-nj-dispatcher", "js-dispatcher", "hq-dispatcher", "admin"]


def _filters() -> list[tuple[str, Any]]:
    from firstcall.core import clock
    from firstcall.orgs.models import OrgUnit
    from firstcall.workflows.queries import Filters

    today = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    city = OrgUnit.objects.get(code="JS-NJ").path  # in every search user's scope (the form's)
    return [
        ("no filter", Filters()),
        ("service number", Filters(number="13900000123")),
        ("ticket number", Filters(code="BW000000456")),
        ("CSS serial", Filters(css_serial="CSS0000000789")),
        ("opened last 7 days", Filters(opened_from=today - timedelta(days=7))),
        (
            "opened a day a year ago",
            Filters(opened_from=today - timedelta(days=300), opened_to=today - timedelta(days=299)),
        ),
        ("status reviewing", Filters(status="reviewing")),
        ("step contains 审核", Filters(step="审核")),
        ("process BO-FAULT", Filters(process="BO-FAULT")),
        ("city + overdue", Filters(unit_path=city, overdue=True)),
        ("repeat + priority urgent", Filters(repeat=True, priority="urgent")),
        (
            "type + source + status",
            Filters(complaint_type="CT-DATA", source="web", status="in_progress"),
        ),
    ]


def _user(username: str) -> Any:
    from firstcall.accounts.models import User

    return User.objects.get(username=username)


def _timed(fn: Any, repeat: int) -> tuple[list[float], int, str]:
    """Runs `fn(user_cursor)` `repeat` times; the second half of the runs take the next page's
    cursor from the first run (page 2)."""
    times = []
    rows = 0
    cursor = ""
    for n in range(repeat):
        began = time.perf_counter()
        got, nxt = fn(cursor if n % 2 else "")
        times.append(time.perf_counter() - began)
        rows = max(rows, got)
        cursor = cursor or nxt
    return times, rows, cursor


def _todo(username: str) -> Any:
    from firstcall.workflows import queries

    def call(after: str) -> tuple[int, str]:
        user = _user(username)
        items = queries.todo(user, after=after or None, limit=queries.PAGE + 1)
        page = items[: queries.PAGE]
        for item in page:
            queries.may_claim(user, item)
            queries.step_label(item)
        more = len(items) > queries.PAGE
        return len(page), queries.cursor_of(page[-1].due_at, page[-1].pk) if more else ""

    return call


def _done(username: str) -> Any:
    from firstcall.workflows import queries

    def call(after: str) -> tuple[int, str]:
        rows = queries.done(_user(username), after=after or None, limit=queries.PAGE + 1)
        page = rows[: queries.PAGE]
        return len(page), page[-1].cursor if len(rows) > queries.PAGE else ""

    return call


def _search(username: str, filters: Any) -> Any:
    from firstcall.workflows import queries

    def call(after: str) -> tuple[int, str]:
        tickets = list(
            queries.search(_user(username), filters, after=after or None, limit=queries.PAGE + 1)
        )
        page = tickets[: queries.PAGE]
        more = len(tickets) > queries.PAGE
        return len(page), queries.cursor_of(page[-1].opened_at, page[-1].pk) if more else ""

    return call


def run(repeat: int, *, log: Any = print) -> list[dict[str, Any]]:
    """One row per (list, user, filter): times in seconds and the rows of the first page."""
    cases: list[tuple[str, str, str, Any]] = []
    for label, username in USERS:
        cases.append(("todo", label, "", _todo(username)))
    for username in DONE_USERS:
        cases.append(("done", username, "", _done(username)))
    for username in SEARCH_USERS:
        for name, filters in _filters():
            cases.append(("search", username, name, _search(username, filters)))
    results = []
    for kind, who, what, fn in cases:
        fn("")  # warm: the process's caches (the step properties), as a running server has them
        times, rows, _cursor = _timed(fn, repeat)
        results.append({"list": kind, "user": who, "filter": what, "rows": rows, "times": times})
        log(f"  {kind:6} {who:22} {what:26} {1000 * max(times):8.1f} ms max", flush=True)
    return results
