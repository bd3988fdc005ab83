"""A repair recorded but never finished (the process stopped after writing the row) is finished
later by the task: sent again with its own key, verified, recorded."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.customers import services
from firstcall.customers.gather import Reads
from firstcall.customers.models import Repair
from firstcall.customers.queries import unit_for_customer
from firstcall.customers.unified import CustomerView
from firstcall.seeding import seed

pytestmark = pytest.mark.django_db(transaction=True)


def _unit(customer: dict):
    unit = unit_for_customer(customer)
    if unit is None:
        seed(demo=True)  # earlier transactional tests emptied the tables
        unit = unit_for_customer(customer)
    return unit


async def test_a_repair_left_pending_is_sent_again_with_its_key_and_finished(live):
    customer = await live.sample("hlr_barring_mismatch", "mobile")
    number = customer["number"]
    observed = await services.observe(CustomerView(Reads(number, fresh=True)))
    assert observed is not None
    ((fix, mismatches),) = observed.comparison.fixes()
    unit = await sync_to_async(_unit)(observed.customer)
    ctx = ChangeContext(actor_label="test")
    key = services.idempotency_key(number, fix, mismatches, "crashed")
    row, created = await sync_to_async(services._open)(
        ctx, unit, number, fix, mismatches, None, key
    )
    assert created
    # Not old enough yet: another request may still be working on it.
    assert await services.finish_pending(ctx) == []
    await Repair.objects.filter(pk=row.pk).aupdate(created=clock.now() - timedelta(minutes=5))
    before = await live.state_changes()

    finished = await services.finish_pending(ctx)

    assert [r.pk for r in finished] == [row.pk]
    row = await Repair.objects.aget(pk=row.pk)
    assert row.status == Repair.Status.SUCCEEDED and row.verified
    assert await live.state_changes() == before + 1
    assert (await live.truth(number))["conditions"] == []
    actions = [
        c.action
        async for c in ObjectChange.objects.filter(
            content_type__model="repair", object_id=str(row.pk)
        ).order_by("time", "id")
    ]
    assert actions == ["create", "update"]
