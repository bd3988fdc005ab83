"""Dead ends in a real Chromium: a number of another city and a number CRM does not know each say
once what is wrong and what to do, and "Take the call" is not offered.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/customers/tests/test_browser_dead_ends.py -q
Screenshots go to test-artifacts/screenshots/.
"""

import pytest
from playwright.sync_api import Page, expect

from firstcall.customers.tests.test_browser import SandboxThread, sandbox  # noqa: F401
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

QUIET = ("account", "products", "platforms", "comparison", "tickets", "flow")


def _look_up(page: Page, site: str, number: str) -> None:  # noqa: F811
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(number)
    page.get_by_test_id("look-up").click()


def test_a_number_of_another_city_says_where_to_transfer_and_offers_no_call(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,  # noqa: F811
    demo_password: str,
) -> None:
    samples = sandbox.admin("GET", "/samples?condition=healthy&limit=40")["customers"]
    numbers = (c["number"] for c in samples)
    number = next(n for n in numbers if sandbox.admin("GET", f"/customers/{n}")["city"] == "JS-SZ")
    sign_in(page, site, "js-nj-agent", demo_password)
    _look_up(page, site, number)

    message = page.get_by_test_id("customer-elsewhere")
    expect(message).to_be_visible()
    expect(message).to_contain_text("江苏 苏州")
    expect(message).to_contain_text("转")
    expect(page.get_by_test_id("start-call-blocked")).to_be_attached()
    expect(page.get_by_test_id("start-call")).to_have_count(0)
    for name in QUIET:
        expect(page.get_by_test_id(f"quiet-{name}")).to_be_visible()
    expect(page.get_by_text("您无权执行此操作")).to_have_count(0)
    shot(page, "dead-end-other-city.png")


def test_a_number_crm_does_not_know_says_check_the_number_and_offers_no_call(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,  # noqa: F811
    demo_password: str,
) -> None:
    sign_in(page, site, "js-nj-agent", demo_password)
    _look_up(page, site, "19999999999")

    message = page.get_by_test_id("customer-unknown")
    expect(message).to_be_visible()
    expect(message).to_contain_text("核对")
    expect(page.get_by_test_id("start-call")).to_have_count(0)
    for name in QUIET:
        expect(page.get_by_test_id(f"quiet-{name}")).to_be_visible()
    # Product info is read when its tab is first shown; then it is quiet too.
    page.get_by_test_id("tab-product-info").click()
    expect(page.get_by_test_id("quiet-product-info")).to_be_visible()
    expect(page.get_by_text("不完整")).to_have_count(0)
    expect(page.get_by_text("重试")).to_have_count(0)
    shot(page, "dead-end-unknown-number.png")
