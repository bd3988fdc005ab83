"""One-click repair against the live sandbox: the command is recorded before it leaves, sent once
however often it is asked for, proved by a re-read, and a refusal or a timeout is recorded as
such with nothing half done. (What the agent is shown, through HTTP: test_repair_truth.py.)"""

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.contrib.contenttypes.models import ContentType

from firstcall.core.models import ObjectChange
from firstcall.customers import cache, services, viewkit
from firstcall.customers.models import Repair
from firstcall.customers.tests.conftest import (
    cached_view,
    configure,
    fresh_view,
    summary,
    unit_of,
)
from firstcall.customers.unified import CustomerView

pytestmark = pytest.mark.django_db(transaction=True)


def _audit(repair: Repair) -> list[ObjectChange]:
    return list(
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Repair), object_id=str(repair.pk)
        ).order_by("pk")
    )


def _repairs(number: str) -> list[Repair]:
    return list(Repair.objects.filter(number=number).order_by("pk"))


async def _repair(ctx: Any, unit: Any, view: CustomerView, fixes: list[str]) -> list[Repair]:
    """The repairs this request made (or, when another request holds one, that request's)."""
    outcomes = await viewkit.repair(ctx, unit, view, fixes)
    return [o.repair for o in outcomes if o.repair is not None]


async def _fixes(view: CustomerView) -> list[str]:
    observed = await services.observe(view)
    assert observed is not None
    return [fix.id for fix, _found in observed.comparison.fixes()]


async def _comparison_now(number: str) -> Any:
    observed = await services.observe(fresh_view(number))
    assert observed is not None
    return observed.comparison


async def test_repair_is_sent_verified_and_audited_with_the_platform_before_and_after(live, ctx):
    sample = await live.sample("hlr_barring_mismatch", "mobile")
    number, msisdn = sample["number"], sample["keys"]["mobile"]
    view = fresh_view(number)
    unit = await unit_of(view)
    fixes = await _fixes(view)
    assert fixes == [f"hlr.resync:{msisdn}"]
    changes = await live.state_changes()

    (repair,) = await _repair(ctx, unit, view, fixes)

    assert (repair.status, repair.verified, repair.error_code) == ("succeeded", True, "")
    assert (repair.system, repair.operation, repair.target) == ("hlr", "resync", msisdn)
    assert repair.unit_id == unit.pk and repair.finished_at is not None
    assert [(m["field"], m["actual"]) for m in repair.mismatches] == [("barring_out", True)]
    assert repair.before["barring_out"] is True and repair.after["barring_out"] is False
    assert await live.state_changes() == changes + 1
    truth = await live.truth(number)
    assert truth["conditions"] == [] and truth["resolved"] == ["hlr_barring_mismatch"]
    assert truth["facts"] == []
    after = await _comparison_now(number)
    assert after.mismatches == [] and after.unchecked == []

    stored = await sync_to_async(Repair.objects.get)(pk=repair.pk)
    assert (stored.status, stored.key, stored.after) == ("succeeded", repair.key, repair.after)
    created, finished = await sync_to_async(_audit)(repair)
    assert (created.action, finished.action) == ("create", "update")
    assert created.actor_label == finished.actor_label == "test"
    assert created.after["status"] == "pending" and created.after["after"] is None
    assert created.after["before"]["barring_out"] is True
    assert finished.before["status"] == "pending" and finished.before["after"] is None
    assert finished.after["status"] == "succeeded" and finished.after["verified"] is True
    assert finished.after["before"]["barring_out"] is True
    assert finished.after["after"]["barring_out"] is False


async def test_the_same_repair_asked_for_twice_at_once_is_sent_once(live, ctx):
    number = (await live.sample("hlr_barring_mismatch", "mobile"))["number"]
    # The agent's screen: its panels have read the customer into the call cache.
    screen = cached_view(number)
    unit = await unit_of(screen)
    fixes = await _fixes(screen)
    await screen.reads.save()
    changes = await live.state_changes()

    # A double click: two requests, each with its own view of the call.
    first, second = await asyncio.gather(
        viewkit.repair(ctx, unit, cached_view(number), fixes),
        viewkit.repair(ctx, unit, cached_view(number), fixes),
    )

    rows = await sync_to_async(_repairs)(number)
    assert len(rows) == 1 and rows[0].status == "succeeded"
    states = sorted(o.state for o in (*first, *second))
    assert states in (["in_progress", "succeeded"], ["not_needed", "succeeded"])
    assert await live.state_changes() == changes + 1
    assert len(await sync_to_async(_audit)(rows[0])) == 2

    # A third click once it is done reads the platform now and sends nothing.
    (third,) = await viewkit.repair(ctx, unit, cached_view(number), fixes)
    assert (third.state, third.sent, third.repair) == ("not_needed", False, None)
    assert third.earlier is not None and third.earlier.pk == rows[0].pk
    assert await live.state_changes() == changes + 1
    assert len(await sync_to_async(_repairs)(number)) == 1


async def test_a_refused_repair_is_recorded_and_changes_nothing(live, ctx):
    sample = await live.sample("aaa_state_mismatch", "broadband")
    number, account = sample["number"], sample["keys"]["broadband"]
    await live.force(number, ["aaa_state_mismatch", "repair_rejected"])
    view = fresh_view(number)
    unit = await unit_of(view)
    fixes = await _fixes(view)
    assert fixes == [f"aaa.resync:{account}"]
    changes = await live.state_changes()

    (repair,) = await _repair(ctx, unit, view, fixes)

    assert repair.status == "refused" and repair.error_code == "refused"
    assert repair.error and not repair.verified and repair.finished_at is not None
    assert repair.after == repair.before  # the platform as it was
    assert await live.state_changes() == changes
    assert (await live.truth(number))["conditions"] == ["aaa_state_mismatch", "repair_rejected"]
    assert summary((await _comparison_now(number)).mismatches) == [("aaa", "state", "aaa.resync")]
    created, finished = await sync_to_async(_audit)(repair)
    assert (created.action, finished.action) == ("create", "update")
    assert finished.after["status"] == "refused" and finished.after["error_code"] == "refused"


async def test_a_command_that_times_out_is_recorded_as_not_made(live, ctx):
    sample = await live.sample("aaa_state_mismatch", "broadband")
    number = sample["number"]
    await configure("aaa", timeout_ms=300)
    screen = cached_view(number)
    unit = await unit_of(screen)
    fixes = await _fixes(screen)
    await screen.reads.save()
    # The platform stops answering after the agent's screen has read it.
    await live.fault("aaa", "timeout", hang_s=5.0)
    changes = await live.state_changes()

    (repair,) = await _repair(ctx, unit, cached_view(number), fixes)

    assert (repair.status, repair.error_code, repair.verified) == ("not_made", "timeout", False)
    assert repair.error and repair.finished_at is not None
    assert await live.state_changes() == changes
    stored = await sync_to_async(Repair.objects.get)(pk=repair.pk)
    assert (stored.status, stored.error_code) == ("not_made", "timeout")
    assert [c.action for c in await sync_to_async(_audit)(repair)] == ["create", "update"]
    await live.fault("aaa", "none")
    assert (await live.truth(number))["conditions"] == ["aaa_state_mismatch"]


async def test_repair_all_repairs_every_platform_of_the_customer(live, ctx):
    sample = await live.sample("hlr_barring_mismatch", "mobile")
    number, msisdn = sample["number"], sample["keys"]["mobile"]
    await live.force(number, ["hlr_barring_mismatch", "pcrf_policy_mismatch"])
    view = fresh_view(number)
    unit = await unit_of(view)
    fixes = await _fixes(view)
    assert sorted(fixes) == [f"hlr.resync:{msisdn}", f"pcrf.resync:{msisdn}"]
    changes = await live.state_changes()

    repairs = await _repair(ctx, unit, view, fixes)

    assert sorted((r.system, r.status, r.verified) for r in repairs) == [
        ("hlr", "succeeded", True),
        ("pcrf", "succeeded", True),
    ]
    assert await live.state_changes() == changes + 2
    truth = await live.truth(number)
    assert truth["conditions"] == [] and truth["facts"] == []
    after = await _comparison_now(number)
    assert after.mismatches == [] and after.unchecked == []


async def test_a_refused_resume_can_be_repaired_once_its_cause_is_gone(live, ctx):
    """The resume of a stop is refused (the NE failed); once that is fixed the agent clicks
    again. The second click must send the command again, not show the old refusal."""
    number = (await live.sample("paid_still_stopped", "mobile"))["number"]
    await live.force(number, ["paid_still_stopped", "repair_rejected"])
    view = fresh_view(number)
    unit = await unit_of(view)
    fixes = await _fixes(view)
    (refused,) = await _repair(ctx, unit, view, fixes)
    assert refused.status == "refused"

    await live.force(number, ["paid_still_stopped"])  # the NE is mended
    view = fresh_view(number)
    assert await _fixes(view) == fixes  # still shown, and offered again
    changes = await live.state_changes()
    (again,) = await _repair(ctx, unit, view, fixes)

    assert again.pk != refused.pk, "the second click was answered with the old refusal"
    assert again.status == "succeeded"
    assert await live.state_changes() > changes
    assert (await live.truth(number))["conditions"] == []


async def test_the_answers_read_for_a_repair_are_stored_once_each(live, ctx, monkeypatch):
    """The verification re-reads every system; the call cache keeps each read once. Storing the
    same read twice in one upsert is an error on PostgreSQL ("ON CONFLICT DO UPDATE command
    cannot affect row a second time"), which would leave the repair pending."""
    number = (await live.sample("hlr_barring_mismatch", "mobile"))["number"]
    view = fresh_view(number)
    unit = await unit_of(view)
    fixes = await _fixes(view)
    stored: list[list[str]] = []
    store = cache.store

    def spy(number: str, answers: list[Any]) -> None:
        stored.append([key for key, _result in answers])
        store(number, answers)

    monkeypatch.setattr(cache, "store", spy)

    (repair,) = await _repair(ctx, unit, view, fixes)

    assert repair.status == "succeeded"
    assert stored and all(stored), "the fresh answers were not kept for the rest of the call"
    for keys in stored:
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        assert duplicated == [], f"stored twice in one statement: {duplicated}"
