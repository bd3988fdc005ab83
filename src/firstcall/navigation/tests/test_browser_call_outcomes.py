"""A call worked from the keyboard and ended without reloading the page, in a real Chromium on a
1600x1000 screen, against the sandbox: the phenomenon picked by typing (Chinese, or pinyin and
the arrow keys) and Enter, which does not submit the form until a phenomenon is chosen; the
caller's words and callback number saved as typed; hold, resume and convert each swapping only
the parts that change (the page stays, the customer's panels are not read again, only the
tickets panel); the call timer ticking and stopping; the converted ticket carrying what the
caller said. Screenshots: var/screenshots/call-outcomes-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Request, expect

from firstcall.core import clock
from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.navigation.models import NavigationSession
from firstcall.tickets.models import Ticket
from firstcall.web.tests.test_browser import REPO_ROOT, page, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DESCRIPTION = "昨晚起宽带拨号一直报691，重启光猫也不行"


def shot(page: Page, name: str) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"call-outcomes-{name}.png", full_page=True)


def broadband_customer(sandbox: SandboxThread) -> tuple[str, str]:
    found = sandbox.admin("GET", "/samples?condition=aaa_binding_stale&limit=20")["customers"]
    customer = next(c for c in found if "broadband" in c["keys"])
    city = sandbox.admin("GET", f"/customers/{customer['number']}")["city"]
    return customer["keys"]["broadband"], city


def test_a_call_worked_from_the_keyboard_and_ended_without_a_reload(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    demo_password: str,
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    account, city = broadband_customer(sandbox)
    sign_in(page, site, f"{city.lower()}-agent", demo_password)
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(account)
    picker = page.get_by_test_id("phenomenon-picker")
    search = picker.get_by_role("combobox")
    chosen = picker.get_by_test_id("phenomenon-chosen")
    page.evaluate("window.fcMarker = 'workbench'")

    # A Chinese word and Enter at once: the first match is picked when it arrives, no submit.
    search.press_sequentially("无法上网")
    search.press("Enter")
    expect(chosen).to_have_text("手机无法上网")
    expect(picker.get_by_test_id("phenomenon-code")).to_have_value("MOB-DATA-01")
    assert page.evaluate("window.fcMarker") == "workbench" and "phenomenon=" not in page.url

    # Pinyin and the arrow keys: the highlight moves, Enter picks it, the list closes.
    search.fill("")
    search.press_sequentially("bohao")
    options = picker.get_by_role("option")
    expect(options.first).to_contain_text("拨号报错691")
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", "phenomenon-results-1")
    search.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    shot(page, "1-picker-highlight")
    search.press("Enter")
    expect(chosen).to_have_text("拨号报错691")
    expect(picker.locator(".fc-picker-results")).to_be_hidden()
    assert page.evaluate("window.fcMarker") == "workbench" and "phenomenon=" not in page.url

    # Escape closes a reopened list; a second Enter submits the form with the choice.
    search.press("ArrowDown")
    expect(picker.locator(".fc-picker-results")).to_be_visible()
    search.press("Escape")
    expect(picker.locator(".fc-picker-results")).to_be_hidden()
    with page.expect_navigation():
        search.press("Enter")
    assert "phenomenon=FBB-ADSL-07" in page.url
    expect(picker.get_by_test_id("phenomenon-chosen")).to_have_text("拨号报错691")

    # The call: the caller's words saved as typed, the callback number when the field is left.
    page.get_by_test_id("start-call").click()
    expect(page.get_by_test_id("ticket-code")).to_contain_text("YCL")
    expect(page.get_by_test_id("current-step")).to_be_visible()
    timer = page.get_by_test_id("call-timer")
    expect(timer).to_have_attribute("data-end", "")
    first = timer.get_attribute("data-seconds")
    expect(timer).not_to_have_attribute("data-seconds", first or "")  # it ticks
    page.get_by_test_id("caller-description").fill(DESCRIPTION)
    expect(page.get_by_test_id("caller-saved")).to_contain_text("已保存")
    callback = page.get_by_test_id("callback-number")
    callback.fill("12")
    callback.press("Tab")
    expect(page.get_by_test_id("error-callback_number")).to_contain_text("手机号码")
    callback.fill("138 0013 8000")
    callback.press("Tab")
    expect(page.get_by_test_id("error-callback_number")).to_have_text("")
    session = NavigationSession.objects.select_related("ticket").get(number=account)
    ticket = Ticket.objects.get(pk=session.ticket_id)
    assert (ticket.caller_description, ticket.callback_number) == (DESCRIPTION, "13800138000")
    shot(page, "2-call")

    # Hold, then resume: the page stays, only the tickets panel reads again.
    panels: list[str] = []
    flows: list[str] = []

    def seen(request: Request) -> None:
        if "/agent/panel/" in request.url:
            panels.append(request.url)
        if request.url.endswith("/flow/"):
            flows.append(request.url)

    page.on("request", seen)
    page.evaluate("window.fcMarker = 'call'")
    hold = page.get_by_test_id("hold-form")
    hold.get_by_test_id("hold").click()  # no reason, no time: errors in place
    expect(page.get_by_test_id("error-reason")).to_be_visible()
    expect(page.get_by_test_id("error-resume_at")).to_be_visible()
    later = timezone.localtime(clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_test_id("hold-reason").fill("客户需回家查看光猫")
    page.get_by_test_id("hold-resume-at").fill(later)
    with page.expect_response(lambda r: "/agent/panel/tickets/" in r.url):
        page.get_by_test_id("hold").click()
    expect(page.get_by_test_id("ticket-status")).to_have_attribute("data-status", "held")
    expect(page.get_by_test_id("call-held")).to_contain_text("客户需回家查看光猫")
    expect(page.get_by_test_id("caller-record")).to_contain_text(DESCRIPTION)
    expect(timer).not_to_have_attribute("data-end", "")  # held: the timer stands
    shot(page, "3-held")
    with page.expect_response(lambda r: "/agent/panel/tickets/" in r.url):
        page.get_by_test_id("resume").click()
    expect(page.get_by_test_id("ticket-status")).to_have_attribute("data-status", "open")
    expect(page.get_by_test_id("caller-description")).to_have_value(DESCRIPTION)
    assert page.evaluate("window.fcMarker") == "call", "the page was reloaded"
    assert all("/agent/panel/tickets/" in url for url in panels) and len(panels) == 2, panels
    assert flows == [], flows

    # Convert: the ticket carries the caller's words; the flow panel is not read again.
    convert = page.get_by_test_id("convert-form")
    convert.locator("select[name=kind]").select_option("fault")
    convert.locator("input[name=receiving_group]").fill("装维（端口/跳线核查）")
    with page.expect_response(lambda r: "/agent/panel/tickets/" in r.url):
        page.get_by_test_id("convert").click()
    expect(page.get_by_test_id("converted-to")).to_contain_text("ZA")
    expect(page.get_by_test_id("call-ended")).to_be_visible()
    expect(page.get_by_test_id("jump-form")).to_be_hidden()  # the flow's moves have gone
    expect(page.get_by_test_id("diagnose")).to_be_hidden()
    expect(page.get_by_test_id("current-step")).to_be_visible()  # the flow panel stays
    expect(timer).not_to_have_attribute("data-end", "")
    duration = NavigationSession.objects.get(pk=session.pk).duration_s or 0
    assert abs(int(timer.get_attribute("data-seconds") or -9) - duration) <= 1
    assert page.evaluate("window.fcMarker") == "call", "the page was reloaded"
    assert len(panels) == 3 and all("/agent/panel/tickets/" in url for url in panels), panels
    assert flows == [], flows
    expect(page.get_by_test_id("area-tickets")).to_contain_text("已转单")
    shot(page, "4-converted")

    page.get_by_test_id("converted-to").click()
    expect(page.get_by_test_id("ticket-caller-description")).to_have_text(DESCRIPTION)
    expect(page.get_by_test_id("ticket-callback-number")).to_have_text("13800138000")
    expect(page.get_by_test_id("ticket-summary")).to_have_text(f"拨号报错691：{DESCRIPTION}")
    shot(page, "5-ticket")
