"""Two people acting on the same step at once: exactly one succeeds, the other gets a conflict
with the current state. The conditional update itself on both databases; on PostgreSQL, two
threads with their own connections accepting the same item at the same moment."""

import threading

import pytest
from django.db import connection, transaction

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict
from firstcall.orgs.models import OrgUnit
from firstcall.workflows import items, services
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests import mini
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only


def _started():
    mini.published(ChangeContext.for_cli("test"))
    ticket = converted()
    services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={})
    return fresh(ticket)


@pytest.mark.django_db
def test_the_conditional_update_lets_one_revision_through_once():
    ticket = _started()
    instance = ProcessInstance.objects.get(ticket=ticket)
    seen = instance.revision
    items.lock(instance, seen)
    with pytest.raises(Conflict) as conflict:
        items.lock(ProcessInstance.objects.get(pk=instance.pk), seen)
    assert conflict.value.extra["revision"] == seen + 1
    assert ProcessInstance.objects.get(pk=instance.pk).revision == seen + 1


@pytest.mark.django_db
def test_the_second_of_two_accepts_with_the_same_revision_is_a_conflict():
    ticket = _started()
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    services.act(ctx_of("js-nj-dispatcher"), item, "accept", {}, revision=revision)
    with pytest.raises(Conflict):
        services.act(ctx_of("js-sz-dispatcher"), item, "accept", {}, revision=revision)
    assert WorkItem.objects.filter(ticket=ticket, task_spec="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_accept_the_same_item_at_once_and_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers on one file: the conditional update is tested above")
    if not OrgUnit.objects.filter(code="HQ").exists():
        from firstcall.seeding import seed

        seed(demo=True)
    with transaction.atomic():
        ticket = _started()
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(username: str) -> None:
        try:
            ctx = ctx_of(username)
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.act(ctx, item, "accept", {}, revision=revision)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(name,)) for name in ("js-nj-dispatcher", "admin")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    instance = ProcessInstance.objects.get(ticket=ticket)
    assert instance.revision == revision + 1 and instance.path == ["accept"]
    assert WorkItem.objects.filter(ticket=ticket, task_spec="dispatch").count() == 1
