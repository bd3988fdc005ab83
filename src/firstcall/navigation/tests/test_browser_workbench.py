"""The workbench in a real Chromium on a 1600x1000 screen: the seven areas before and during a
691 call, the comparison area showing a query step's data side by side (CRM's value against the
differing AAA value), the function navigation tabs, a jump from the flow-navigation tab, and the
same call in English.

Screenshots: test-artifacts/screenshots/09-workbench-*.png and 10-workbench-en.png.
"""

import pytest
from playwright.sync_api import Page, expect

from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.navigation.models import NavigationSession
from firstcall.web.tests.test_browser import choose_language, page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

AREAS = ("input", "products", "customer", "functions", "flow", "comparison", "tickets")


def no_sideways_scroll(page: Page) -> bool:  # noqa: F811
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_workbench_before_and_during_a_691_call(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    demo_password: str,
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    condition = "aaa_state_mismatch"
    found = sandbox.admin("GET", f"/samples?condition={condition}&limit=20")["customers"]
    customer = next(c for c in found if "broadband" in c["keys"])
    sandbox.admin("PUT", f"/customers/{customer['number']}/conditions", {"conditions": [condition]})
    city = sandbox.admin("GET", f"/customers/{customer['number']}")["city"]
    account = customer["keys"]["broadband"]

    # Before the call: the input area, the customer's areas, and the flow view's word on the call.
    sign_in(page, site, f"{city.lower()}-agent", demo_password)
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(account)
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[type=search]").fill("691")
    picker.get_by_role("option").first.click()
    page.get_by_test_id("look-up").click()
    for area in AREAS:
        expect(page.get_by_test_id(f"area-{area}")).to_be_visible()
    expect(page.get_by_test_id("flow-before-call")).to_contain_text("有引导流程")
    expect(page.get_by_test_id("flow-before-call")).not_to_contain_text("F-BB-691")
    row = page.locator('[data-testid=mismatch][data-platform="aaa"][data-field="state"]')
    expect(row).to_be_visible()
    expect(page.get_by_test_id("read-aaa.user")).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, "09-workbench-input.png")

    # The call: the seven areas, the comparison area on a step that reads no system.
    page.get_by_test_id("start-call").click()
    expect(page.get_by_test_id("ticket-code")).to_contain_text("YCL")
    for area in AREAS:
        expect(page.get_by_test_id(f"area-{area}")).to_be_visible()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S1")
    comparison = page.get_by_test_id("area-comparison")
    expect(comparison.get_by_test_id("mismatch")).to_be_visible()
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()

    # Function navigation: product info, flow navigation, and a jump from it.
    functions = page.get_by_test_id("area-functions")
    expect(functions.get_by_test_id("read-aaa.user")).to_be_visible()
    functions.get_by_test_id("tab-product-info").click()
    expect(
        functions.locator(f'[data-testid=product-record][data-number="{account}"]')
    ).to_be_visible()
    expect(functions.get_by_test_id("read-aaa.user")).to_be_hidden()
    shot(page, "09-workbench-product-info.png")
    functions.get_by_test_id("tab-flow-nav").click()
    s3 = functions.locator('[data-testid=nav-step][data-step="S3"]')
    expect(s3).to_be_visible()
    s3.get_by_test_id("nav-jump").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S3")
    expect(functions.locator('[data-testid=nav-step][data-step="S3"]')).to_have_attribute(
        "aria-current", "step"
    )

    # The comparison area: the step's page, CRM against AAA side by side.
    step_page = comparison.get_by_test_id("step-page")
    expect(step_page).to_have_attribute("data-check", "aaa.user")
    differing = step_page.locator("[data-testid=compare-row][data-differs='1'][data-decides='1']")
    expect(differing.get_by_test_id("crm-value")).to_have_text("在用")  # no "→ 在用" after it
    expect(differing.get_by_test_id("platform-value")).to_contain_text("停机")
    expect(step_page.locator("[data-fact=aaa_state]")).to_contain_text("停机")
    assert no_sideways_scroll(page)
    shot(page, "09-workbench-call.png")

    functions.get_by_test_id("tab-platform-info").click()
    expect(functions.get_by_test_id("read-aaa.user")).to_be_visible()
    shot(page, "09-workbench-platform-info.png")

    # An earlier step's page, from the flow-navigation tab, without moving the call.
    functions.get_by_test_id("tab-flow-nav").click()
    functions.locator('[data-testid=nav-step][data-step="S2"]').get_by_test_id("nav-page").click()
    expect(comparison.get_by_test_id("step-page")).to_have_attribute("data-check", "crm.broadband")
    expect(comparison.get_by_test_id("earlier-step")).to_be_visible()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S3")

    # The same call in English.
    choose_language(page, "en")
    expect(page.get_by_test_id("area-functions")).to_contain_text("Function navigation")
    expect(page.get_by_test_id("area-comparison")).to_contain_text("AAA has")
    expect(page.get_by_test_id("step-page")).to_have_attribute("data-check", "aaa.user")
    expect(page.get_by_test_id("current-step")).to_contain_text("AAA")
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()
    assert no_sideways_scroll(page)
    shot(page, "10-workbench-en.png")

    session = NavigationSession.objects.get(number=account)
    assert [e["how"] for e in session.path][-1] == "jump" and session.current_step == "S3"
