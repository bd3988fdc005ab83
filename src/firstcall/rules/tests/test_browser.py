"""The rule set editor in a real Chromium: a draft from the published table, a refused publish
with the row's problem shown, a publish that applies to the next decision, the test console."""

import pytest
from playwright.sync_api import Page, expect

from firstcall.rules import queries
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_admin_changes_the_routing_table_and_tries_it(page: Page, site: str, demo_password):  # noqa: F811
    sign_in(page, site, "hq-admin", demo_password)
    page.goto(f"{site}/rules/")
    page.get_by_role("link", name="ticket-routing").click()
    expect(page.get_by_test_id("published-version")).to_have_text("v1")
    page.get_by_test_id("new-draft").click()
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("edit-row")).to_have_count(8)

    third = editor.get_by_test_id("edit-row").nth(2)
    third.locator("input[name=when]").fill('flow_group != "" and')  # does not parse
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("rule-errors")).to_contain_text("第 3 行")
    assert queries.published("ticket-routing").number == 1

    third = page.get_by_test_id("draft-editor").get_by_test_id("edit-row").nth(2)
    third.locator("input[name=when]").fill('flow_group != ""')
    third.locator("input[name='then-group']").fill('flow_group + "（夜班）"')
    page.get_by_test_id("add-row").click()  # an empty row left as it is is dropped
    shot(page, "11-rules-draft.png")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published-version")).to_have_text("v2")
    ruling = queries.ruling("ticket-routing", {"kind": "fault", "flow_group": "装维"})
    assert ruling.outputs["group"] == "装维（夜班）" and ruling.decision.row == 3

    console = page.get_by_test_id("console")
    console.locator("input[name=repeat_count]").fill("0")
    console.locator("input[name=flow_group]").fill("网维")
    console.get_by_test_id("console-run").click()
    decision = console.get_by_test_id("console-decision")
    expect(decision).to_have_attribute("data-row", "3")
    expect(decision).to_contain_text("网维（夜班）")
    shot(page, "12-rules-console.png")

    console.locator("input[name=star]").fill("nan")  # not a number: a field error, not a 500
    console.get_by_test_id("console-run").click()
    errors = console.get_by_test_id("console-input-errors")
    expect(errors.locator("[data-field=star]")).to_contain_text("不是数字")
    expect(console.get_by_test_id("console-decision")).to_have_count(0)
