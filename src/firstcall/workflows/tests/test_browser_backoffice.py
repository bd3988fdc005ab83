"""The back office in a real Chromium (Debian's /usr/bin/chromium): a city's interface person
opens the to-do list, a ticket page whose process diagram bpmn-js draws with the current step
and the path taken marked, and the condition search; no CSP violation on the way. Screenshots
at 1600x1000 go to test-artifacts/screenshots/.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/workflows/tests/test_browser_backoffice.py
"""

import re

import pytest
from django.db import transaction
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
# BO-MOBNET's flows from the start to the end through 网优 (覆盖) with the review passed.
TAKEN = [
    "f_start",
    "f_accept",
    "f_accepted",
    "f_t1",
    "f_analyse",
    "f_coverage",
    "f_optimisation_done",
    "f_fed_back",
    "f_review",
    "f_pass",
    "f_reply",
    "f_archive",
]


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
        with transaction.atomic():  # as a request would (the services never commit)
            ticket = converted(number=number)
            ctx = ChangeContext.for_cli("test")
            services.start(ctx, ticket, "BO-MOBNET", data={"span": "city"})
        if accept:
            with transaction.atomic():
                revision = ProcessInstance.objects.get(ticket=ticket).revision
                dispatcher = ctx_of("js-nj-dispatcher")
                services.act(dispatcher, only(ticket), "accept", {}, revision=revision)
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


def _as(page: Page, site: str, username: str, password: str) -> None:  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, site, username, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _open_from_todo(page: Page, site: str, code: str) -> None:  # noqa: F811
    page.goto(f"{site}/backoffice/todo/")
    page.locator(f"[data-testid=todo-row][data-ticket='{code}']").get_by_test_id("open").click()
    expect(page.get_by_test_id("ticket-code")).to_have_text(code)


def _act(page: Page, action: str, step: str) -> None:  # noqa: F811
    form = page.get_by_test_id("step-form")
    form.locator(f"button[data-action='{action}']").click()
    expect(page.get_by_test_id("refusal")).to_have_count(0)
    expect(page.get_by_test_id("process-diagram")).not_to_have_attribute("data-current", step)


def test_a_city_complaint_from_the_todo_list_to_the_archive(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    demo_password: str,
) -> None:
    """What a new user does after `make demo`: the city's interface person accepts and
    dispatches to 网优, the 网优 handler feeds back, the interface person passes the review,
    replies and archives — every step through the ticket page's forms."""
    with transaction.atomic():  # as a request would (the services never commit)
        ticket = converted(number="13951000009")
        services.start(ChangeContext.for_cli("test"), ticket, "BO-MOBNET", data={"span": "city"})
    watch = Watch(page)
    page.set_viewport_size({"width": 1600, "height": 1000})

    _as(page, site, "js-nj-dispatcher", demo_password)
    _open_from_todo(page, site, ticket.code)
    page.get_by_test_id("claim").click()
    expect(page.get_by_test_id("assignee")).to_be_visible()
    _act(page, "accept", "accept")
    page.locator("input[name=is_fault][value=no]").check()
    page.locator("input[name=is_coverage][value=yes]").check()
    _act(page, "dispatch", "analyse")
    expect(page.get_by_test_id("work-item")).to_contain_text("网优处理")
    watch.assert_clean("accept and dispatch")

    _as(page, site, "js-nj-netopt", demo_password)
    _open_from_todo(page, site, ticket.code)
    step = page.get_by_test_id("step-form")
    step.locator("input[name=alarm_found][value=no]").check()
    step.locator("textarea[name=cause]").fill("室内覆盖弱")
    step.locator("textarea[name=measures]").fill("调整天线下倾角")
    # A required answer left out: the page says so at the field and keeps what was typed.
    step.locator("button[data-action='feedback']").click()
    expect(page.get_by_test_id("refusal")).to_be_visible()
    expect(page.locator("[data-testid=field-error][data-field=result]")).to_be_visible()
    expect(page.locator("textarea[name=cause]")).to_have_value("室内覆盖弱")
    page.locator("textarea[name=result]").fill("用户确认信号恢复")
    _act(page, "feedback", "handle_optimisation")
    watch.assert_clean("feedback")

    _as(page, site, "js-nj-dispatcher", demo_password)
    _open_from_todo(page, site, ticket.code)
    _act(page, "pass", "review")
    page.locator("textarea[name=reply]").fill("已优化覆盖，信号恢复")
    page.locator("input[name=customer_answered][value=yes]").check()
    page.locator("input[name=contact_time]").fill("2026-12-08T10:00")
    _act(page, "reply", "reply")
    page.locator("select[name=satisfaction]").select_option("satisfied")
    page.get_by_test_id("step-form").locator("button[data-action='archive']").click()
    expect(page.get_by_test_id("ticket-status")).to_have_attribute("data-status", "archived")
    expect(page.get_by_test_id("no-items")).to_be_visible()
    # The whole path taken is marked, and no step is current any more.
    diagram = page.get_by_test_id("process-diagram")
    expect(diagram).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(diagram.locator(".djs-element.fc-current")).to_have_count(0)
    for step in ("accept", "analyse", "handle_optimisation", "review", "reply", "archive"):
        marked = diagram.locator(f".djs-element.fc-visited[data-element-id='{step}']")
        expect(marked).to_have_count(1)
    taken = diagram.locator(".djs-connection.fc-visited").evaluate_all(
        "els => els.map(e => e.dataset.elementId).sort()"
    )
    assert taken == sorted(TAKEN), taken  # not the return nor the failed review's way back
    _no_english(page, "archived ticket")
    shot(page, "43-backoffice-archived.png")
    watch.assert_clean("review, reply and archive")

    page.goto(f"{site}/backoffice/done/")
    expect(
        page.locator(f"[data-testid=done-row][data-ticket='{ticket.code}']").first
    ).to_be_visible()
