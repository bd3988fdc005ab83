"""The back office in a real Chromium (Debian's /usr/bin/chromium): a city's interface person
opens the to-do list, a ticket page whose process diagram bpmn-js draws with the current step
and the path taken marked, and the condition search; no CSP violation on the way. Screenshots
at 1600x1000 go to test-artifacts/screenshots/.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/workflows/tests/test_browser_backoffice.py
"""

import re

import pytest
from playwright.sync_api import Page, expect

from firstcall.core.audit import ChangeContext
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401
from firstcall.web.tests.test_csp import Watch
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance
from firstcall.workflows.tests.helpers import converted, ctx_of, only

pytestmark = pytest.mark.browser
# An English word or a raw code: letters only, three or more (ticket numbers mix in digits).
ENGLISH = re.compile(r"\b[A-Za-z_]{3,}\b")
ALLOWED = {"Excel"}


def _no_english(page: Page, where: str) -> None:  # noqa: F811
    """No raw code or Python value in the visible text of a Chinese screen."""
    text = page.locator("main").inner_text()
    found = [word for word in ENGLISH.findall(text) if word not in ALLOWED]
    assert not found, f"{where}: {found[:10]}"


def test_todo_ticket_page_with_its_diagram_and_search(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    demo_password: str,
) -> None:
    # Two complaints in Nanjing: one waiting to be accepted, one accepted and waiting for its
    # analysis (so its diagram has a path taken).
    for number, accept in (("13951000001", False), ("13951000002", True)):
        ticket = converted(number=number)
        services.start(ChangeContext.for_cli("test"), ticket, "BO-MOBNET", data={"span": "city"})
        if accept:
            revision = ProcessInstance.objects.get(ticket=ticket).revision
            services.act(ctx_of("js-nj-dispatcher"), only(ticket), "accept", {}, revision=revision)
    watch = Watch(page)
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, site, "js-nj-dispatcher", demo_password)
    expect(page.get_by_test_id("tiles")).to_be_visible()
    page.locator("[data-testid=tile] a[href='/backoffice/todo/']").click()

    rows = page.get_by_test_id("todo-row")
    expect(rows.first).to_be_visible()
    expect(page.get_by_test_id("backoffice-tabs")).to_contain_text("待办")
    _no_english(page, "to-do")
    shot(page, "40-backoffice-todo.png")
    watch.assert_clean("to-do")

    # The accepted one: its analysis is the current step, acceptance the path taken.
    page.locator("[data-testid=todo-row]", has_text="分析").first.get_by_test_id("open").click()
    expect(page.get_by_test_id("ticket-header")).to_be_visible()
    diagram = page.get_by_test_id("process-diagram")
    expect(diagram).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(diagram.locator("svg .djs-element").first).to_be_attached()
    current = diagram.get_attribute("data-current") or ""
    assert current, "the ticket has a current step"
    marked = diagram.locator(".djs-element.fc-current")
    expect(marked.first).to_be_attached()
    assert marked.first.get_attribute("data-element-id") in current.split()
    _no_english(page, "ticket page")
    shot(page, "41-backoffice-ticket.png")
    watch.assert_clean("ticket page")

    page.get_by_test_id("backoffice-tabs").get_by_role("link", name="工单查询").click()
    expect(page.get_by_test_id("search-form")).to_be_visible()
    page.get_by_test_id("search-form").locator("select[name=status]").select_option("accepting")
    page.get_by_test_id("search-submit").click()
    expect(page).to_have_url(re.compile(r"status=accepting"))
    results = page.get_by_test_id("search-row")
    expect(results.first).to_be_visible()
    expect(page.get_by_test_id("export-cap")).to_contain_text("10000")
    _no_english(page, "search")
    shot(page, "42-backoffice-search.png")
    watch.assert_clean("search")
