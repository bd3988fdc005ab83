"""The administration screens in a real Chromium, in Chinese: a province administrator creates an
agent with a role in their province, gives a second role, issues a token and sees its secret once;
the Django admin turns them away."""

import re

import pytest
from playwright.sync_api import Page, expect

from firstcall.accounts.models import ApiToken, User
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

ENGLISH = re.compile(r"\b(Select|option|View|Add|Change|Delete|Can|None|Closed|Open)\b")


def test_a_province_admin_manages_people_and_tokens_on_firstcalls_screens(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    demo_password,
):
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, site, "js-admin", demo_password)
    page.goto(f"{site}/accounts/users/")
    page.get_by_test_id("user-create").click()
    form = page.get_by_test_id("user-create-form")
    form.locator("input[name=username]").fill("js-nj-browser")
    form.locator("input[name=name]").fill("南京浏览器坐席")
    form.locator("input[name=password]").fill("Str0ng-passw0rd!")
    units = form.locator("select[name=unit] option").all_inner_texts()
    assert not any("广州" in u or "集团总部" in u for u in units)
    form.locator("select[name=unit]").select_option(
        label=next(u for u in units if "南京10000号一班" in u)
    )
    form.locator("select[name=role]").select_option(label="坐席")
    assert not ENGLISH.search(page.locator("main").inner_text())
    shot(page, "21-admin-user-create.png")
    form.locator("button[type=submit]").click()

    table = page.get_by_test_id("membership-table")
    expect(table).to_contain_text("南京10000号一班")
    page.get_by_role("link", name="授予角色").click()
    roles = page.get_by_test_id("membership-form")
    roles.locator("select[name=unit]").select_option(
        label=next(
            u
            for u in roles.locator("select[name=unit] option").all_inner_texts()
            if "南京专家坐席" in u
        )
    )
    roles.locator("select[name=role]").select_option(label="专家坐席")
    roles.locator("button[type=submit]").click()
    expect(page.get_by_test_id("membership-table")).to_contain_text("专家坐席")
    shot(page, "22-admin-user-detail.png")
    person = User.objects.get(username="js-nj-browser")
    assert person.memberships.count() == 2 and not person.is_staff

    page.goto(f"{site}/accounts/tokens/")
    page.get_by_test_id("token-issue").click()
    token_form = page.get_by_test_id("token-form")
    token_form.locator("input[name=name]").fill("南京同步")
    options = token_form.locator("select[name=unit] option").all_inner_texts()
    token_form.locator("select[name=unit]").select_option(
        label=next(u for u in options if u.strip() == "南京市分公司")
    )
    token_form.get_by_label("查看组织机构").check()
    assert not ENGLISH.search(page.locator("main").inner_text())
    token_form.locator("button[type=submit]").click()
    secret = page.get_by_test_id("token-secret").inner_text()
    assert secret.startswith(ApiToken.objects.get(name="南京同步").prefix)
    shot(page, "23-admin-token-issued.png")
    page.goto(f"{site}/accounts/tokens/")
    expect(page.get_by_test_id("token-table")).to_contain_text("南京同步")
    assert secret not in page.content()

    page.goto(f"{site}/accounts/roles/")
    expect(page.get_by_test_id("role-table")).to_contain_text("可使用坐席工作台")
    assert not ENGLISH.search(page.locator("main").inner_text())

    response = page.goto(f"{site}/admin/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("超级管理员")
