"""The transactional outbox and the inbox: a message exists only if its transaction committed, is
delivered once, is retried with backoff until dead, and is retried from its page by
headquarters' administrators (audited); a repeated inbound message is harmless."""

import pytest
from django.db import transaction

from firstcall.core import clock, inbox, outbox, timers
from firstcall.core.audit import ChangeContext
from firstcall.core.models import InboxMessage, ObjectChange, OutboxMessage, Timer
from firstcall.core.tests import jobs
from firstcall.core.worker import Worker

pytestmark = pytest.mark.django_db

T0 = clock.now().replace(year=2030, month=3, day=1, hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture(autouse=True)
def handlers():
    outbox.register("test.record", jobs.record_handler)
    outbox.register("test.fail", jobs.failing_handler)


def worker() -> Worker:
    return Worker(worker_id="test-worker", idle=0)


def test_a_rolled_back_transaction_leaves_no_message_and_no_timer():
    ctx = ChangeContext.for_job("test")
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.emit(ctx, "test.record", {"tag": "rolled-back"})
        timers.arm(ctx, "test.timer", clock.now(), key="k")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert not Timer.objects.filter(kind="test.timer").exists()


def test_a_message_is_delivered_once_after_its_commit():
    message = outbox.emit(ChangeContext.for_job("test"), "test.record", {"tag": "once"})
    assert message.state == OutboxMessage.State.PENDING
    worker().run(until_idle=True)
    worker().run(until_idle=True)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DELIVERED and message.attempts == 1
    assert message.delivered_at is not None and message.claimed_until is None
    assert jobs.runs("once") == 1


def test_the_same_key_emitted_twice_is_one_message():
    ctx = ChangeContext.for_job("test")
    first = outbox.emit(ctx, "test.record", {"tag": "k"}, key="ticket-1:created")
    again = outbox.emit(ctx, "test.record", {"tag": "k"}, key="ticket-1:created")
    assert first.pk == again.pk and OutboxMessage.objects.count() == 1


def test_a_failing_delivery_backs_off_then_is_dead_and_retried_from_its_page(login_client):
    with clock.frozen(T0):
        message = outbox.emit(
            ChangeContext.for_job("test"), "test.fail", {"tag": "fails"}, max_attempts=3
        )
        waits = []
        for attempt in (1, 2, 3):
            assert worker().round() == 1
            message.refresh_from_db()
            assert message.attempts == attempt
            assert "the receiving system said no" in message.last_error
            waits.append((message.next_attempt_at - clock.now()).total_seconds())
            assert worker().round() == 0  # not due again before its backoff ends
            clock.advance(message.next_attempt_at - clock.now())
        assert message.state == OutboxMessage.State.DEAD
        assert jobs.runs("fails") == 0  # each failed attempt's writes were rolled back
        assert 5 <= waits[0] <= 10 and 10 <= waits[1] <= 20  # exponential, with jitter
        assert worker().round() == 0  # dead: never delivered again by itself

    page = login_client("hq-admin").get("/system/background/?state=dead")
    assert page.status_code == 200
    assert "the receiving system said no" in page.content.decode()
    assert 'data-testid="retry"' in page.content.decode()
    assert login_client("js-admin").get("/system/background/").status_code == 403
    refused = login_client("js-admin").post(f"/system/outbox/{message.pk}/retry/")
    assert refused.status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.DEAD

    response = login_client("hq-admin").post(f"/system/outbox/{message.pk}/retry/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 0
    change = ObjectChange.objects.filter(
        content_type__model="outboxmessage", object_id=str(message.pk), action="update"
    ).get()
    assert change.actor_label == "hq-admin" and change.before["state"] == "dead"
    again = login_client("hq-admin").post(f"/system/outbox/{message.pk}/retry/")
    assert again.status_code == 409  # only a dead message is retried


def test_a_message_without_a_handler_is_retried_not_lost():
    message = outbox.emit(ChangeContext.for_job("test"), "test.unknown", {})
    worker().round()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert "no handler" in message.last_error


def test_a_repeated_inbound_message_is_harmless():
    first, new = inbox.receive("eoms", "EOMS-20300301-0001", kind="reply", payload={"n": 1})
    again, repeated = inbox.receive("eoms", "EOMS-20300301-0001", kind="reply", payload={"n": 2})
    _other, other_new = inbox.receive("css", "EOMS-20300301-0001")
    assert (new, repeated, other_new) == (True, False, True)
    assert again.pk == first.pk and again.payload == {"n": 1}
    assert InboxMessage.objects.filter(external_id="EOMS-20300301-0001").count() == 2


def test_the_page_names_kinds_and_jobs_in_the_users_language(login_client):
    ctx = ChangeContext.for_job("test")
    outbox.event(ctx, "ticket.created", "YCL1", {"ticket": "YCL1"})
    page = login_client("hq-admin").get("/system/background/?state=pending").content.decode()
    assert "工单已创建" in page and "ticket.created" not in page
