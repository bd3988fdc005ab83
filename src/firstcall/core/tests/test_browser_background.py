"""The background-work page in a real Chromium: headquarters' administrator finds it from the
home page, sees a dead message with its error, retries it, and finds it pending again."""

import pytest
from playwright.sync_api import Page, expect

from firstcall.core import clock
from firstcall.core.models import OutboxMessage
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_hq_admin_retries_a_dead_message(page: Page, site: str, demo_password):  # noqa: F811
    dead = OutboxMessage.objects.create(
        kind="event",
        key="ticket.created:YCL202603010000001",
        payload={"type": "ticket.created", "data": {"ticket": "YCL202603010000001"}},
        state=OutboxMessage.State.DEAD,
        attempts=10,
        next_attempt_at=clock.now(),
        last_error="ConnectionError: the listener did not answer",
    )
    sign_in(page, site, "hq-admin", demo_password)
    page.get_by_role("link", name="后台作业").click()
    expect(page.get_by_test_id("dead-count")).to_have_text("1")
    expect(page.get_by_role("alert")).to_have_count(0)
    row = page.get_by_test_id("outbox-row")
    expect(row).to_contain_text("工单已创建")
    expect(row).to_contain_text("the listener did not answer")
    shot(page, "21-background-dead.png")
    row.get_by_test_id("retry").click()
    expect(page.get_by_test_id("dead-count")).to_have_text("0")
    expect(page.get_by_test_id("outbox-row")).to_contain_text("0 / 10")
    dead.refresh_from_db()
    assert dead.state == OutboxMessage.State.PENDING
    shot(page, "22-background-retried.png")
