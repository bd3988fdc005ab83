"""Claims (core/claims.py): each branch, SKIP LOCKED (PostgreSQL) and the conditional update
(SQLite, and PostgreSQL when forced), gives every due row to exactly one of two racing claimers,
each on its own database connection."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from firstcall.core import claims, clock, timers
from firstcall.core.models import Timer

pytestmark = pytest.mark.django_db(transaction=True)

BRANCHES = ["skip_locked", "conditional"]


def _branch_runs_here(method: str) -> None:
    if method == "skip_locked" and connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE SKIP LOCKED is PostgreSQL's branch")


def test_the_database_picks_its_branch():
    assert claims.method_for(connection.vendor) == (
        "skip_locked" if connection.vendor == "postgresql" else "conditional"
    )


@pytest.mark.parametrize("method", BRANCHES)
def test_two_racing_claimers_claim_each_due_row_once(method):
    _branch_runs_here(method)
    now = clock.now()
    Timer.objects.bulk_create(
        Timer(kind="race", key=str(n), due_at=now - timedelta(seconds=n)) for n in range(120)
    )
    Timer.objects.create(kind="race", key="later", due_at=now + timedelta(hours=1))
    start = threading.Barrier(2)
    won: dict[str, list[int]] = {}

    def claimer(name: str) -> None:
        mine: list[int] = []
        try:
            start.wait()
            while True:
                mark = {"claimed_by": name, "claimed_until": now + timedelta(hours=1)}
                got = claims.claim(timers.due(now), limit=7, mark=mark, method=method)
                if not got:
                    break
                mine += got
        finally:
            connection.close()
            won[name] = mine

    threads = [threading.Thread(target=claimer, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    due_ids = set(Timer.objects.exclude(key="later").values_list("pk", flat=True))
    assert not set(won["a"]) & set(won["b"])
    assert sorted(won["a"] + won["b"]) == sorted(due_ids)
    for name, ids in won.items():
        assert set(Timer.objects.filter(claimed_by=name).values_list("pk", flat=True)) == set(ids)
    assert Timer.objects.get(key="later").claimed_by == ""


@pytest.mark.parametrize("method", BRANCHES)
def test_a_claimed_row_is_not_due_until_its_lease_ends(method):
    _branch_runs_here(method)
    now = clock.now()
    timer = Timer.objects.create(kind="lease", key="1", due_at=now)
    mark = {"claimed_by": "w1", "claimed_until": now + timedelta(seconds=30)}
    assert claims.claim(timers.due(now), limit=5, mark=mark, method=method) == [timer.pk]
    mark2 = {"claimed_by": "w2", "claimed_until": now + timedelta(seconds=90)}
    assert claims.claim(timers.due(now), limit=5, mark=mark2, method=method) == []
    later = now + timedelta(seconds=31)
    assert claims.claim(timers.due(later), limit=5, mark=mark2, method=method) == [timer.pk]
    assert Timer.objects.get(pk=timer.pk).claimed_by == "w2"


def test_a_conditional_claim_of_one_row_tells_who_won():
    now = clock.now()
    timer = Timer.objects.create(kind="one", key="1", due_at=now)
    mark = {"claimed_by": "w1", "claimed_until": now + timedelta(minutes=1)}
    assert claims.claim_one(timers.due(now), timer.pk, mark=mark) is True
    assert claims.claim_one(timers.due(now), timer.pk, mark={**mark, "claimed_by": "w2"}) is False
    assert Timer.objects.get(pk=timer.pk).claimed_by == "w1"
