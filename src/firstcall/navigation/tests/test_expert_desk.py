"""The expert queue says who transferred each call, why, and how long it has waited; the call
page shows the transfer note; the queue's button opens the call (打开), not a status word."""

from datetime import timedelta

import pytest

from firstcall.core import clock
from firstcall.core.tests.pages import text
from firstcall.navigation import outcomes
from firstcall.navigation.tests.test_calls import agent_ctx, start_call

pytestmark = pytest.mark.django_db


def test_the_queue_and_the_call_show_who_transferred_why_and_how_long_ago(login_client):
    ctx = agent_ctx()
    now = clock.now()
    with clock.frozen(now - timedelta(minutes=12)):
        session = start_call(ctx)
        outcomes.transfer(ctx, session, "客户坚持光猫正常，请专家核对 AAA 绑定")
    expert = login_client("gd-sz-expert")
    page = expert.get("/agent/calls/experts/").content.decode()
    row = page.split('data-testid="queued-call"', 1)[1].split("</tr>", 1)[0]
    assert session.ticket.code in row
    assert 'data-testid="transferred-by">gd-sz-agent<' in row
    assert "客户坚持光猫正常，请专家核对 AAA 绑定" in row
    assert "已等待 12" in row and "分钟" in row
    assert ">打开<" in row and "处理中" not in row

    call = text(expert.get(f"/agent/calls/{session.pk}/"))
    note = call.split('data-testid="transfer-note"', 1)[1].split("</div>", 1)[0]
    assert "gd-sz-agent" in note and "客户坚持光猫正常，请专家核对 AAA 绑定" in note


def test_a_call_never_transferred_shows_no_note(login_client):
    session = start_call()
    call = text(login_client("gd-sz-agent").get(f"/agent/calls/{session.pk}/"))
    assert 'data-testid="transfer-note"' not in call
