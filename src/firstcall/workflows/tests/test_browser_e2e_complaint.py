"""A mobile complaint from the call to the archive and back to the agent, in Debian's Chromium
against the sandbox: Nanjing's agent takes a call on a phone with no signal, the flow finds weak
coverage (F-MOB-DATA S5 → E-NETQ) and the agent converts it into a complaint ticket; the city's
interface person finds it in 待办, accepts it and dispatches it to 网优 (not a fault, a coverage
problem); the 网优 handler feeds back; the interface person passes the review, replies and
archives it with the customer satisfied; the agent looks the number up again and sees the reply
on the customer's tickets panel. Screenshots at 1600x1000 (test-artifacts/screenshots/):
44- the to-do list, 45- the ticket page with its diagram, 46- the search results.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest \
    src/firstcall/workflows/tests/test_browser_e2e_complaint.py
"""

import re

import pytest
from playwright.sync_api import Page, expect

from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.navigation.models import NavigationSession
from firstcall.tickets.models import Ticket
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401
from firstcall.web.tests.test_csp import Watch
from firstcall.workflows.models import ProcessInstance, WorkItem

pytestmark = pytest.mark.browser
ENGLISH = re.compile(r"\b[A-Za-z_]{3,}\b")  # an English word or a raw code (numbers mix digits)
ALLOWED = {"Excel"}
KNOWN: set[str] = set()  # no raw code or English word is expected on these screens
CALLER = "家里信号一直很差，手机上不了网"
REPLY = "已调整附近基站天线下倾角，室内信号恢复"


def _english(page: Page) -> list[str]:  # noqa: F811
    text = page.locator("main").inner_text()
    return [word for word in ENGLISH.findall(text) if word not in ALLOWED | KNOWN]


def nanjing_weak_coverage(sandbox: SandboxThread) -> str:
    """A Nanjing mobile number whose serving cell covers it weakly (and nothing else wrong)."""
    found = sandbox.admin("GET", "/samples?condition=weak_coverage&limit=40")["customers"]
    for customer in found:
        if "mobile" not in customer["keys"]:
            continue
        number = customer["keys"]["mobile"]
        if sandbox.admin("GET", f"/customers/{number}")["city"] == "JS-NJ":
            sandbox.admin(
                "PUT", f"/customers/{number}/conditions", {"conditions": ["weak_coverage"]}
            )
            return number
    raise AssertionError("no Nanjing mobile customer with weak coverage in the sandbox's sample")


def _as(page: Page, site: str, username: str, password: str) -> None:  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, site, username, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _look_up(page: Page, site: str, number: str) -> None:  # noqa: F811
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(number)
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[type=search]").fill("无法上网")
    picker.get_by_role("option", name="手机无法上网").first.click()
    page.get_by_test_id("look-up").click()


def _open_from_todo(page: Page, site: str, code: str) -> None:  # noqa: F811
    page.goto(f"{site}/backoffice/todo/")
    page.locator(f"[data-testid=todo-row][data-ticket='{code}']").get_by_test_id("open").click()
    expect(page.get_by_test_id("ticket-code")).to_have_text(code)


def _act(page: Page, action: str, step: str) -> None:  # noqa: F811
    page.get_by_test_id("step-form").locator(f"button[data-action='{action}']").click()
    expect(page.get_by_test_id("refusal")).to_have_count(0)
    expect(page.get_by_test_id("process-diagram")).not_to_have_attribute("data-current", step)


def test_a_weak_coverage_call_to_the_archived_complaint_and_its_reply_back_at_the_agent(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    demo_password: str,
) -> None:
    number = nanjing_weak_coverage(sandbox)
    watch = Watch(page)
    page.set_viewport_size({"width": 1600, "height": 1000})
    problems: list[str] = []  # what a Chinese user would see wrong, reported at the end

    # The agent: the call, the flow to E-NETQ, the complaint ticket.
    _as(page, site, "js-nj-agent", demo_password)
    _look_up(page, site, number)
    page.get_by_test_id("start-call").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S1")
    page.get_by_test_id("caller-description").fill(CALLER)
    expect(page.get_by_test_id("caller-saved")).to_be_visible()
    page.locator("[data-testid=answer][data-answer=no_signal]").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S5")
    page.get_by_test_id("diagnose").click()
    expect(page.get_by_test_id("proposal")).to_have_attribute("data-terminal", "E-NETQ")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "E-NETQ")
    expect(page.get_by_test_id("routing-preview")).to_have_attribute(
        "data-group", re.compile("网优")
    )
    page.get_by_test_id("convert").click()
    expect(page.get_by_test_id("converted-to")).to_be_visible()
    watch.assert_clean("the call")
    session = NavigationSession.objects.get(number=number)
    ticket = Ticket.objects.get(converted_from=session.ticket)
    assert (ticket.kind, ticket.unit.code[:5]) == ("complaint", "JS-NJ")
    assert ticket.caller_description == CALLER
    instance = ProcessInstance.objects.get(ticket=ticket)
    assert instance.version.process.code == "BO-MOBNET"
    expect(page.get_by_test_id("converted-to")).to_contain_text(ticket.code)

    # The city's interface person: the to-do, accept, dispatch to 网优.
    _as(page, site, "js-nj-dispatcher", demo_password)
    page.locator("[data-testid=tile] a[href='/backoffice/todo/']").click()
    row = page.locator(f"[data-testid=todo-row][data-ticket='{ticket.code}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("受理")
    expect(row.get_by_test_id("masked-number")).not_to_contain_text(number)  # masked
    problems += [f"to-do: {w}" for w in _english(page)]
    shot(page, "44-e2e-complaint-todo.png")
    row.get_by_test_id("claim").click()
    expect(row.get_by_test_id("claimed")).to_be_visible()
    row.get_by_test_id("open").click()
    expect(page.get_by_test_id("assignee")).to_be_visible()
    expect(page.get_by_test_id("caller-description")).to_have_text(CALLER)
    _act(page, "accept", "accept")
    page.locator("input[name=is_fault][value=no]").check()
    page.locator("input[name=is_coverage][value=yes]").check()
    _act(page, "dispatch", "analyse")
    expect(page.get_by_test_id("work-item")).to_contain_text("网优处理")
    assert WorkItem.objects.get(ticket=ticket, state="ready").unit.code == "JS-NJ-NOPT"
    watch.assert_clean("accept and dispatch")

    # The 网优 handler feeds back with the step's fields.
    _as(page, site, "js-nj-netopt", demo_password)
    _open_from_todo(page, site, ticket.code)
    step = page.get_by_test_id("step-form")
    step.locator("input[name=alarm_found][value=no]").check()
    step.locator("input[name=cell_ci]").fill("460-11-2501234")
    step.locator("input[name=cell_name]").fill("南京鼓楼湖东花园1")
    step.locator("select[name=area_type]").select_option("indoor")
    step.locator("input[name=planned_fix][value=no]").check()
    step.locator("textarea[name=cause]").fill("室内弱覆盖")
    step.locator("textarea[name=measures]").fill("调整天线下倾角")
    step.locator("textarea[name=result]").fill("用户确认信号恢复")
    _act(page, "feedback", "handle_optimisation")
    watch.assert_clean("feedback")

    # The interface person: the ticket page with its diagram, then review, reply, archive.
    _as(page, site, "js-nj-dispatcher", demo_password)
    _open_from_todo(page, site, ticket.code)
    diagram = page.get_by_test_id("process-diagram")
    expect(diagram).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(diagram).to_have_attribute("data-current", "review")
    expect(diagram.locator(".djs-element.fc-current[data-element-id='review']")).to_have_count(1)
    for done in ("accept", "analyse", "handle_optimisation"):
        expect(diagram.locator(f".djs-element.fc-visited[data-element-id='{done}']")).to_have_count(
            1
        )
    problems += [f"ticket page: {w}" for w in _english(page)]
    shot(page, "45-e2e-complaint-ticket.png")
    _act(page, "pass", "review")
    page.locator("textarea[name=reply]").fill(REPLY)
    page.locator("input[name=customer_answered][value=yes]").check()
    page.locator("input[name=contact_time]").fill("2026-12-08T10:00")
    _act(page, "reply", "reply")
    page.locator("select[name=satisfaction]").select_option("satisfied")
    page.get_by_test_id("step-form").locator("button[data-action='archive']").click()
    expect(page.get_by_test_id("ticket-status")).to_have_attribute("data-status", "archived")
    watch.assert_clean("review, reply and archive")

    # The search finds it by its number, archived.
    page.get_by_test_id("backoffice-tabs").get_by_role("link", name="工单查询").click()
    form = page.get_by_test_id("search-form")
    form.locator("input[name=number]").fill(number)
    page.get_by_test_id("search-submit").click()
    found = page.locator(f"[data-testid=search-row][data-ticket='{ticket.code}']")
    expect(found).to_be_visible()
    expect(found).to_contain_text("已归档")
    problems += [f"search: {w}" for w in _english(page)]
    shot(page, "46-e2e-complaint-search.png")
    watch.assert_clean("search")

    # The agent, on the customer's next call: the reply on the tickets panel.
    _as(page, site, "js-nj-agent", demo_password)
    _look_up(page, site, number)
    past = page.locator(f"[data-testid=past-tickets] li[data-ticket='{ticket.code}']")
    expect(past.get_by_test_id("ticket-reply")).to_contain_text(REPLY)
    archived = Ticket.objects.get(pk=ticket.pk)
    assert (archived.status, archived.reply) == (Ticket.Status.ARCHIVED, REPLY)
    assert not problems, problems
