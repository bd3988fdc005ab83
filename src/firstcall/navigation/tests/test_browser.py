"""Whole 691 calls in a real Chromium, against the sandbox: number and phenomenon, take the call,
auto-diagnose, accept, carry out the action through one-click repair, resolve at first contact;
and a call that auto-diagnosis sends to a fault ticket. Screenshots in test-artifacts/."""

import pytest
from playwright.sync_api import Page, expect

from firstcall.customers.models import Repair
from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.navigation.models import NavigationSession
from firstcall.tickets.models import Ticket
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


def take_691_call(page: Page, site: str, sandbox: SandboxThread, condition: str, password: str):  # noqa: F811
    """A 691 call on a broadband customer with `condition`, taken and auto-diagnosed."""
    number, account = open_691_call(page, site, sandbox, condition, password)
    page.get_by_test_id("diagnose").click()
    return number, account


def open_691_call(page: Page, site: str, sandbox: SandboxThread, condition: str, password: str):  # noqa: F811
    """Look up a broadband customer with `condition` as their city's agent, pick 691 and take the
    call: the call page stands on S1."""
    found = sandbox.admin("GET", f"/samples?condition={condition}&limit=20")["customers"]
    customer = next(c for c in found if "broadband" in c["keys"])
    number = customer["number"]
    sandbox.admin("PUT", f"/customers/{number}/conditions", {"conditions": [condition]})
    city = sandbox.admin("GET", f"/customers/{number}")["city"]
    account = customer["keys"]["broadband"]
    sign_in(page, site, f"{city.lower()}-agent", password)
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(account)
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[type=search]").fill("691")
    picker.get_by_role("option").first.click()
    page.get_by_test_id("look-up").click()
    page.get_by_test_id("start-call").click()
    expect(page.get_by_test_id("ticket-code")).to_contain_text("YCL")
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S1")
    return number, account


def test_a_691_call_resolved_at_first_contact(page: Page, site: str, sandbox, demo_password):  # noqa: F811
    number, account = take_691_call(page, site, sandbox, "aaa_binding_stale", demo_password)
    expect(page.get_by_test_id("proposal")).to_have_attribute("data-terminal", "E-RETRY")
    shot(page, "05-call-691-proposal.png")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "A-UNBIND")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("execute").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "E-RETRY")
    expect(page.get_by_test_id("reply")).to_contain_text("重新拨号")
    expect(page.get_by_test_id("consistent")).to_be_visible()  # the comparison read it again
    shot(page, "06-call-691-action-done.png")
    page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("call-outcome")).to_have_attribute("data-outcome", "resolved")
    shot(page, "07-call-691-resolved.png")

    session = NavigationSession.objects.get(number=account)
    assert session.ticket.status == Ticket.Status.RESOLVED and session.repairs == 1
    assert [e["step"] for e in session.path][-2:] == ["A-UNBIND", "E-RETRY"]
    assert Repair.objects.get(number=account).status == Repair.Status.SUCCEEDED
    assert sandbox.admin("GET", f"/customers/{number}")["conditions"] == []


def test_a_691_call_converted_to_a_fault_ticket(page: Page, site: str, sandbox, demo_password):  # noqa: F811
    _number, account = take_691_call(page, site, sandbox, "res_port_mismatch", demo_password)
    expect(page.get_by_test_id("proposal")).to_have_attribute("data-terminal", "E-FAULT-FIELD")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "E-FAULT-FIELD")
    preview = page.get_by_test_id("routing-preview")  # what the routing rules decide, refreshed
    expect(preview).to_have_attribute("data-group", "装维（端口/跳线核查）")
    page.get_by_test_id("convert").click()
    expect(page.get_by_test_id("converted-to")).to_contain_text("ZA")
    shot(page, "08-call-691-fault-ticket.png")
    page.get_by_test_id("converted-to").click()
    expect(page.get_by_test_id("ticket-routing")).to_contain_text("ticket-routing")
    expect(page.get_by_test_id("converted-from")).to_be_visible()
    shot(page, "13-fault-ticket-page.png")
    session = NavigationSession.objects.get(number=account)
    fault = Ticket.objects.get(converted_from=session.ticket)
    assert (fault.kind, fault.receiving_group) == ("fault", "装维（端口/跳线核查）")
    assert fault.diagnosis["path"][-1]["step"] == "E-FAULT-FIELD"
