"""The flow on the agent's screen is in the interface language; the session records the flow's
own texts whichever language the agent works in."""

import pytest

from firstcall.navigation.tests.test_calls import agent_ctx, start_call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", "Confirm the error and where dialling happens", "确认报错与拨号位置"),
        ("zh-hans", "确认报错与拨号位置", "Confirm the error and where dialling happens"),
    ],
)
def test_the_flow_panel_speaks_the_agents_language(login_client, language, shown, hidden):
    session = start_call(agent_ctx())
    client = login_client("gd-sz-agent")
    client.cookies["firstcall_language"] = language  # the agent's choice, not the browser's
    panel = client.get(f"/agent/calls/{session.pk}/flow/")
    body = panel.content.decode()
    assert panel.status_code == 200
    assert shown in body and hidden not in body


def test_the_path_keeps_the_flows_own_label_when_the_agent_works_in_english(login_client):
    session = start_call(agent_ctx())
    client = login_client("gd-sz-agent")
    client.cookies["firstcall_language"] = "en"  # the agent chose English
    moved = client.post(f"/agent/calls/{session.pk}/flow/follow/", HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and "Check broadband status in CRM" in moved.content.decode()
    session.refresh_from_db()
    assert session.path[0]["label"] == "已确认" and session.current_step == "S2"
