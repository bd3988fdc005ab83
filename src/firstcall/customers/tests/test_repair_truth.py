"""Repair tells the truth, through HTTP against the live sandbox.

What the agent is shown is the result of this request's command or of a read made now: with the
platform unreachable it is "not made" or "not verified", never "repaired"; an earlier repair is
shown only as history, with its time; a double click sends one command (the database allows one
pending repair per platform record); and repairs a stopped process left pending are settled by
the scheduled job reading the platform back."""

import asyncio
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.test import AsyncClient
from django.utils import timezone

from firstcall.accounts.models import User
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.customers import cache, services
from firstcall.customers.models import CachedRead, Repair
from firstcall.customers.tasks import finish_pending_repairs
from firstcall.customers.tests.conftest import configure, fresh_view, unit_of
from firstcall.integrations import registry
from firstcall.seeding import seed

pytestmark = pytest.mark.django_db(transaction=True)

RESULT = re.compile(r'data-testid="repair-result" data-status="([a-z_]+)"')
HISTORY = re.compile(r'data-testid="repair-history" data-earlier-status="([a-z_]+)"')
HISTORY_TEXT = re.compile(r'data-testid="repair-history"[^>]*>(.*?)</div>', re.S)
# What a success says, in the agent's language and in English: it must never follow a failure.
SUCCESS_WORDS = ("现与 CRM 一致", "agrees with CRM")


def _user(username: str) -> User:
    if not User.objects.filter(username=username).exists():
        seed(demo=True)  # transactional tests before this one emptied the tables
    return User.objects.get(username=username)


async def _agent_of(live: Any, number: str) -> AsyncClient:
    """A client signed in as the demo agent of the customer's own city."""
    truth = await live.truth(number)
    client = AsyncClient()
    await client.aforce_login(await sync_to_async(_user)(f"{truth['city'].lower()}-agent"))
    return client


async def _post(client: AsyncClient, number: str, fix: str, *, as_json: bool = False) -> Any:
    headers = {"Accept": "application/json"} if as_json else {"HX-Request": "true"}
    return await client.post("/agent/repair/", {"number": number, "fix": fix}, headers=headers)


def _page(response: Any) -> str:
    return response.content.decode()


def _rows(number: str) -> list[Repair]:
    return list(Repair.objects.filter(number=number).order_by("pk"))


async def _hlr_sample(live: Any) -> tuple[str, str]:
    sample = await live.sample("hlr_barring_mismatch", "mobile")
    return sample["number"], f"hlr.resync:{sample['keys']['mobile']}"


async def _forget(number: str) -> None:
    await sync_to_async(cache.forget)(number)


async def _repaired_once(live: Any, client: AsyncClient, number: str, fix: str) -> Repair:
    """A first repair that worked, then the same fault back on the platform."""
    response = await _post(client, number, fix)
    assert response.status_code == 200 and RESULT.findall(_page(response)) == ["succeeded"]
    (earlier,) = await sync_to_async(_rows)(number)
    await live.force(number, ["hlr_barring_mismatch"])
    return earlier


def _assert_no_success(page: str) -> None:
    assert "succeeded" not in RESULT.findall(page), page
    for words in SUCCESS_WORDS:
        assert words not in page, f"{words!r} shown although nothing was repaired"


async def test_with_hlr_down_and_nothing_cached_the_repair_is_not_made_and_never_repaired(
    live, commands
):
    """The finding: HLR down, no cached HLR answer, an earlier repair of the same fix on record.
    The answer was the earlier repair's "repaired"; now it is "not made", nothing is sent, and
    the earlier repair shows only as history with its time."""
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    earlier = await _repaired_once(live, client, number, fix)
    await _forget(number)
    await live.fault("hlr", "down")
    sent = commands.total()

    response = await _post(client, number, fix)

    page = _page(response)
    assert response.status_code == 503
    assert RESULT.findall(page) == ["not_made"]
    _assert_no_success(page)
    assert HISTORY.findall(page) == ["succeeded"]  # the earlier repair, as history only
    (history,) = HISTORY_TEXT.findall(page)
    assert timezone.localtime(earlier.created).strftime("%m-%d %H:%M") in history
    assert commands.total() == sent, "a command was sent to a platform that could not be read"
    assert len(await sync_to_async(_rows)(number)) == 1  # nothing recorded as if sent
    assert (await live.truth(number))["conditions"] == ["hlr_barring_mismatch"]

    answer = await _post(client, number, fix, as_json=True)
    assert answer.status_code == 503
    body = json.loads(answer.content)
    (outcome,) = body["repairs"]
    assert outcome["outcome"] == "not_made" and outcome["sent"] is False
    assert outcome["repair"] is None and outcome["failed_system"] == "hlr"
    assert outcome["failed_code"] in ("unavailable", "rejected")
    assert outcome["earlier"]["status"] == "succeeded"
    assert outcome["earlier"]["id"] == earlier.pk
    assert "succeeded" not in json.dumps({k: v for k, v in outcome.items() if k != "earlier"})


async def test_a_command_that_cannot_reach_the_platform_is_not_made(live, commands):
    """The screen read HLR while it was up; then HLR goes down: the command is tried (and
    recorded), fails, and the agent is told the repair was not made."""
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    await client.get("/agent/panel/comparison/", {"number": number})  # the screen, cached
    await live.fault("hlr", "down")

    response = await _post(client, number, fix)

    page = _page(response)
    assert response.status_code == 200  # a command was attempted: the panel says what came of it
    assert RESULT.findall(page) == ["not_made"]
    _assert_no_success(page)
    (row,) = await sync_to_async(_rows)(number)
    assert (row.status, row.error_code, row.verified) == ("not_made", "unavailable", False)
    assert (await live.truth(number))["conditions"] == ["hlr_barring_mismatch"]


async def test_a_repair_refused_by_an_open_breaker_sends_nothing(live, commands):
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    await client.get("/agent/panel/comparison/", {"number": number})
    await configure("hlr", failure_threshold=1, open_seconds=600)
    await live.fault("hlr", "error", status=500)
    await live.call("hlr", "subscriber", number)  # one failure opens the breaker
    await live.fault("hlr", "none")

    response = await _post(client, number, fix)

    assert RESULT.findall(_page(response)) == ["not_made"]
    _assert_no_success(_page(response))
    (row,) = await sync_to_async(_rows)(number)
    assert (row.status, row.error_code) == ("not_made", "rejected")
    assert commands["hlr"] == 0


async def test_a_command_sent_but_not_read_back_is_not_verified(live, commands):
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    await client.get("/agent/panel/comparison/", {"number": number})
    commands.down_after.add("hlr")  # HLR takes the command, then stops answering

    response = await _post(client, number, fix)

    page = _page(response)
    assert response.status_code == 200
    assert RESULT.findall(page) == ["unverified"]
    _assert_no_success(page)
    assert commands["hlr"] == 1
    (row,) = await sync_to_async(_rows)(number)
    assert (row.status, row.verified, row.error_code) == ("unverified", False, "unavailable")
    # The platform did change; the agent is only told that nobody has checked it.
    assert (await live.truth(number))["conditions"] == []
    # Nothing of HLR from before the command is kept for the rest of the call.
    kept = await sync_to_async(list)(
        CachedRead.objects.filter(number=number, system="hlr").values_list("key", flat=True)
    )
    assert kept == []


async def test_a_command_sent_that_changed_nothing_is_failed(live, commands, monkeypatch):
    """The platform accepts the command and does nothing (a real NE does this): the read-back
    still differs, and the agent is told which fields."""
    from firstcall.sandbox import commands as sandbox_commands

    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    monkeypatch.setattr(sandbox_commands, "fixable", lambda sb, c, keys: [])

    response = await _post(client, number, fix)

    page = _page(response)
    assert response.status_code == 200
    assert RESULT.findall(page) == ["failed"]
    _assert_no_success(page)
    assert commands["hlr"] == 1
    (row,) = await sync_to_async(_rows)(number)
    assert (row.status, row.error_code, row.verified) == ("failed", "still_differs", False)
    assert "barring_out" in row.error


async def test_a_second_click_after_the_repair_reads_now_and_shows_the_repair_as_history(
    live, commands
):
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    response = await _post(client, number, fix)
    assert RESULT.findall(_page(response)) == ["succeeded"]
    assert commands["hlr"] == 1
    # Someone breaks it again behind the screen's back; the cache still says it is fine.
    await live.force(number, ["hlr_barring_mismatch"])
    again = await _post(client, number, fix)
    assert again.status_code == 200, "the screen's old answer hid a mismatch that is back"
    assert RESULT.findall(_page(again)) == ["succeeded"] and commands["hlr"] == 2
    assert HISTORY.findall(_page(again)) == ["succeeded"]

    third = await _post(client, number, fix)

    page = _page(third)
    assert third.status_code == 409
    assert RESULT.findall(page) == ["not_needed"]
    assert HISTORY.findall(page) == ["succeeded"]
    assert commands["hlr"] == 2
    assert len(await sync_to_async(_rows)(number)) == 2


async def test_a_double_click_sends_one_command_and_answers_the_second_with_409(live, commands):
    number, fix = await _hlr_sample(live)
    first_client = await _agent_of(live, number)
    second_client = await _agent_of(live, number)
    await first_client.get("/agent/panel/comparison/", {"number": number})
    commands.hold = asyncio.Event()  # every command waits in the sandbox until released

    clicks = [
        asyncio.ensure_future(_post(first_client, number, fix)),
        asyncio.ensure_future(_post(second_client, number, fix)),
    ]
    done, _pending = await asyncio.wait(clicks, timeout=20, return_when=asyncio.FIRST_COMPLETED)
    assert done, f"neither click was answered while a command was held ({commands.counts})"
    (answered,) = done
    second = answered.result()
    assert commands["hlr"] == 1, "both clicks sent the command"
    commands.hold.set()
    (first,) = await asyncio.gather(*(c for c in clicks if c is not answered))

    assert second.status_code == 409
    assert RESULT.findall(_page(second)) == ["in_progress"]
    _assert_no_success(_page(second))
    assert first.status_code == 200 and RESULT.findall(_page(first)) == ["succeeded"]
    assert commands["hlr"] == 1
    rows = await sync_to_async(_rows)(number)
    assert [r.status for r in rows] == ["succeeded"]


async def test_two_clicks_at_once_send_exactly_one_command(live, commands):
    number, fix = await _hlr_sample(live)
    clients = [await _agent_of(live, number) for _ in range(2)]
    await clients[0].get("/agent/panel/comparison/", {"number": number})

    answers = await asyncio.gather(*(_post(c, number, fix) for c in clients))

    assert commands["hlr"] == 1
    shown = sorted(RESULT.findall(_page(a))[0] for a in answers)
    assert shown in (["in_progress", "succeeded"], ["not_needed", "succeeded"])
    assert len(await sync_to_async(_rows)(number)) == 1


def _pending_row(number: str, fix: str, unit: Any, *, age: timedelta) -> Repair:
    system_operation, target = fix.split(":", 1)
    system, operation = system_operation.split(".")
    with transaction.atomic():
        row = Repair.objects.create(
            key=services.new_key(),
            unit=unit,
            number=number,
            product_type="mobile",
            target=target,
            system=system,
            operation=operation,
            requested_by="crashed",
        )
    Repair.objects.filter(pk=row.pk).update(created=clock.now() - age)
    return Repair.objects.get(pk=row.pk)


async def test_the_database_refuses_a_second_pending_row_for_one_platform_record(live):
    number, fix = await _hlr_sample(live)
    unit = await unit_of(fresh_view(number))
    await sync_to_async(_pending_row)(number, fix, unit, age=timedelta(0))
    with pytest.raises(IntegrityError):
        await sync_to_async(_pending_row)(number, fix, unit, age=timedelta(0))


async def test_a_live_pending_repair_blocks_a_second_command_but_a_stale_one_does_not(
    live, commands
):
    number, fix = await _hlr_sample(live)
    client = await _agent_of(live, number)
    unit = await unit_of(fresh_view(number))
    live_row = await sync_to_async(_pending_row)(number, fix, unit, age=timedelta(seconds=5))

    blocked = await _post(client, number, fix)
    assert blocked.status_code == 409 and RESULT.findall(_page(blocked)) == ["in_progress"]
    assert commands["hlr"] == 0

    # The same row, as a process killed an hour ago left it: it no longer holds the repair.
    await Repair.objects.filter(pk=live_row.pk).aupdate(created=clock.now() - timedelta(hours=1))
    response = await _post(client, number, fix)

    assert response.status_code == 200 and RESULT.findall(_page(response)) == ["succeeded"]
    assert commands["hlr"] == 1
    stale = await Repair.objects.aget(pk=live_row.pk)
    assert (stale.status, stale.error_code) == ("unverified", "abandoned")


async def _customers(live: Any, count: int) -> list[tuple[str, str]]:
    found = await live.admin("GET", "/samples?condition=hlr_barring_mismatch&limit=40")
    picked = [c for c in found["customers"] if "mobile" in c["keys"]][:count]
    assert len(picked) == count
    for customer in picked:
        await live.force(customer["number"], ["hlr_barring_mismatch"])
    return [(c["number"], f"hlr.resync:{c['keys']['mobile']}") for c in picked]


async def _crash_in_flight(number: str, fix: str, *, sent: bool) -> Repair:
    """What a process killed mid-repair leaves: the pending row (transaction 1 committed), with
    or without its command having reached the platform, and nothing else."""
    view = fresh_view(number)
    unit = await unit_of(view)
    ctx = ChangeContext(actor_label="crashed", source=ObjectChange.Source.WEB)
    outcomes = await services.plan_repairs(view, [fix])
    await sync_to_async(transaction.atomic(services.open_repairs))(ctx, unit, number, outcomes)
    if sent:
        await services.send_repairs(number, outcomes, view.reads)
    (outcome,) = outcomes
    assert outcome.repair is not None and outcome.state == "pending"
    return outcome.repair


async def _age(rows: list[Repair], age: timedelta) -> None:
    await Repair.objects.filter(pk__in=[r.pk for r in rows]).aupdate(created=clock.now() - age)


async def _run_settle_job() -> int:
    result = await sync_to_async(finish_pending_repairs.enqueue)()
    assert result.status == "SUCCESSFUL", result.errors
    return int(result.return_value)


async def _audit_actions(row: Repair) -> list[str]:
    return [
        c.action
        async for c in ObjectChange.objects.filter(
            content_type__model="repair", object_id=str(row.pk)
        ).order_by("time", "id")
    ]


async def test_five_repairs_left_pending_by_a_kill_are_settled_by_reading_back(live, commands):
    customers = await _customers(live, 5)
    # Killed after three commands had reached their platforms and before two had.
    rows = [
        await _crash_in_flight(number, fix, sent=i < 3) for i, (number, fix) in enumerate(customers)
    ]
    assert commands["hlr"] == 3
    assert await _run_settle_job() == 0, "settled while a live request could still finish them"

    await _age(rows, timedelta(minutes=5))
    settled = await _run_settle_job()

    assert settled == 5
    assert commands["hlr"] == 3, "the job sent a command; it must only read back"
    statuses = [(await Repair.objects.aget(pk=r.pk)) for r in rows]
    assert [r.status for r in statuses] == ["succeeded"] * 3 + ["failed"] * 2
    assert all(r.verified for r in statuses[:3]) and not any(r.verified for r in statuses[3:])
    assert all(r.after is not None and r.finished_at for r in statuses)
    assert {r.error_code for r in statuses[3:]} == {"still_differs"}
    for row in statuses:
        assert await _audit_actions(row) == ["create", "update"]
    truths = [await live.truth(number) for number, _fix in customers]
    assert [t["conditions"] for t in truths] == [[]] * 3 + [["hlr_barring_mismatch"]] * 2
    assert await _run_settle_job() == 0  # settled once

    # The two still differing can be repaired again at once.
    number, fix = customers[3]
    response = await _post(await _agent_of(live, number), number, fix)
    assert response.status_code == 200 and RESULT.findall(_page(response)) == ["succeeded"]


async def test_with_the_platform_down_a_pending_repair_waits_then_becomes_unverified(
    live, commands
):
    (recent_number, recent_fix), (old_number, old_fix) = await _customers(live, 2)
    recent = await _crash_in_flight(recent_number, recent_fix, sent=False)
    old = await _crash_in_flight(old_number, old_fix, sent=False)
    await _age([recent], timedelta(minutes=5))
    await _age([old], services.SETTLE_GIVE_UP + timedelta(minutes=1))
    await live.fault("hlr", "down")

    settled = await _run_settle_job()

    assert settled == 1
    recent = await Repair.objects.aget(pk=recent.pk)
    old = await Repair.objects.aget(pk=old.pk)
    assert recent.status == "pending", "settled without reading the platform"
    assert (old.status, old.verified) == ("unverified", False)
    assert old.error_code in ("unavailable", "rejected")
    assert commands["hlr"] == 0

    # The platform is back: the next run reads it and settles the row that waited.
    await live.fault("hlr", "none")
    registry.reset_breakers()  # (as after the breaker's open time)
    assert await _run_settle_job() == 1
    recent = await Repair.objects.aget(pk=recent.pk)
    assert (recent.status, recent.error_code) == ("failed", "still_differs")
