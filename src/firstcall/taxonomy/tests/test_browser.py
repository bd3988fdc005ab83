"""The phenomenon picker in a real Chromium: type pinyin initials, click a match, submit.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/taxonomy/tests/test_browser.py -q
"""

import pytest
from playwright.sync_api import Page, expect

from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


def test_agent_picks_a_phenomenon_by_pinyin_initials(page: Page, site: str, demo_password):  # noqa: F811
    sign_in(page, site, "js-nj-agent", demo_password)
    page.goto(f"{site}/taxonomy/")
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[name=phenomenon_q]").fill("kdkhd")
    options = picker.get_by_role("option")
    expect(options).to_have_count(2)
    shot(page, "taxonomy-picker.png")

    options.filter(has_text="宽带客户端拨号报错").click()
    expect(picker.get_by_test_id("phenomenon-chosen")).to_have_text("宽带客户端拨号报错")
    expect(picker.get_by_test_id("phenomenon-code")).to_have_value("FBB-CLIENT-02")
    expect(picker.locator(".fc-picker-results")).to_be_hidden()

    page.get_by_test_id("phenomenon-lookup").locator("button[type=submit]").click()
    expect(page.get_by_test_id("phenomenon-detail")).to_contain_text("FBB-CLIENT-02")
    expect(page.get_by_test_id("phenomenon-detail")).to_contain_text("F-BB-ERRCODE")
