"""A move in the flow runs the check of the step it lands on once, and the step's page comes in
the same response, built from that run: no second request and no second run of the check."""

import dataclasses
from typing import Any

import pytest

from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.tests.test_workbench import HX, _take_691_call, live  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runs(monkeypatch) -> dict[str, int]:
    """How many times each check ran."""
    counted: dict[str, int] = {}
    for check_id, check in list(CHECKS.items()):

        def counting(view: Any, _run=check.run, _id=check_id) -> Any:
            counted[_id] = counted.get(_id, 0) + 1
            return _run(view)

        monkeypatch.setitem(CHECKS, check_id, dataclasses.replace(check, run=counting))
    return counted


async def test_a_jump_to_a_query_step_runs_its_check_once_and_shows_its_page(live, runs):  # noqa: F811
    client, session, _account = await _take_691_call(live, "aaa_state_mismatch")
    runs.clear()
    response = await client.post(
        f"/agent/calls/{session.pk}/flow/jump/", {"step": "S3"}, headers=HX
    )
    assert response.status_code == 200
    flow = response.content.decode()
    assert runs == {"aaa.user": 1}
    # The step's page is in the flow panel's answer (its out-of-band comparison area), so the
    # browser asks for nothing more.
    assert 'data-testid="panel-step-page"' in flow and 'data-check="aaa.user"' in flow
    slot = flow[flow.index('id="step-page"') :].split(">", 1)[0]
    assert "hx-get" not in slot


async def test_the_flow_panel_shows_the_page_of_the_current_query_step(live, runs):  # noqa: F811
    client, session, _account = await _take_691_call(live, "aaa_state_mismatch")
    await client.post(f"/agent/calls/{session.pk}/flow/jump/", {"step": "S3"}, headers=HX)
    runs.clear()
    flow = (await client.get(f"/agent/calls/{session.pk}/flow/", headers=HX)).content.decode()
    assert runs == {"aaa.user": 1}
    assert 'data-testid="panel-step-page"' in flow
