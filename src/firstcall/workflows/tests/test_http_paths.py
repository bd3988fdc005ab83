"""Every path of BO-MOBNET end to end through HTTP, as the screens are worked: each step's person
signed in (the demo user holding the step), the item found in their to-do list, claimed there,
its form read on the ticket page (the action's button, the units offered, the revision shown)
and posted; after each step the ticket's status, current step and the next items' unit and flow
role are checked. The branches on 是否故障问题 / 是否覆盖问题 and the self-handled one, a handler's
return, the reject at acceptance, a failed review, T2 for a repeat complaint, a deferral approved
and refused, and reopen after the archive. BO-COMPLAINT and BO-FAULT: test_http_paths_other.py.

`Desk` is shared with that module."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from firstcall.accounts.models import User
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests.helpers import converted, fresh, ready

pytestmark = pytest.mark.django_db
S = Ticket.Status
A = TicketEvent.Action
FEEDBACK = {"cause": "基站退服", "measures": "恢复传输", "result": "已恢复"}
REPLY = {"reply": "已联系用户解释", "customer_answered": "yes", "contact_time": "2026-12-08T10:00"}
ARCHIVE = {"satisfaction": "satisfied"}
_CARD = re.compile(
    r'<section class="card" data-testid="work-item" data-item="(\d+)" data-step="([^"]+)">'
)


def unit_id(code: str) -> int:
    return OrgUnit.objects.get(code=code).pk


def cards(page: str) -> dict[int, tuple[str, str]]:
    """The ticket page's work-item cards: item id -> (step, the card's HTML)."""
    start = page.index('data-testid="work-items"')
    items = page[start : page.index('data-testid="ticket-fields"', start)]
    found = list(_CARD.finditer(items))
    ends = [m.start() for m in found[1:]] + [len(items)]
    return {
        int(m.group(1)): (m.group(2), items[m.start() : end])
        for m, end in zip(found, ends, strict=True)
    }


class Desk:
    """One demo user at the back office's screens (a test client signed in as them)."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.client = Client()
        self.client.force_login(User.objects.get(username=username))

    def get(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (self.username, url, response.status_code)
        return response.content.decode()

    def todo(self, ticket: Ticket) -> list[int]:
        """The items of `ticket` in this user's to-do list."""
        page = self.get("/backoffice/todo/")
        return [
            int(pk) for pk in re.findall(rf'data-ticket="{ticket.code}" data-item="(\d+)"', page)
        ]

    def page(self, ticket: Ticket) -> str:
        return self.get(f"/backoffice/tickets/{ticket.code}/")

    def find(self, ticket: Ticket, spec: str, unit: str = "", item: int = 0) -> int:
        """The one item of step `spec` (at `unit`, or `item`, when several are ready) in the
        to-do list, with its card on the ticket page."""
        listed = self.todo(ticket)
        shown = cards(self.page(ticket))
        found = [pk for pk in listed if pk in shown and shown[pk][0] == spec]
        if item:
            found = [pk for pk in found if pk == item]
        if unit:
            found = [pk for pk in found if WorkItem.objects.get(pk=pk).unit.code == unit]
        assert len(found) == 1, (
            self.username,
            spec,
            unit,
            listed,
            {k: v[0] for k, v in shown.items()},
        )
        return found[0]

    def claim(self, ticket: Ticket, pk: int) -> None:
        url = f"/backoffice/tickets/{ticket.code}/items/{pk}/claim/"
        response = self.client.post(url, {"next": "todo"})
        assert response.status_code == 302 and response["Location"] == "/backoffice/todo/"
        assert WorkItem.objects.get(pk=pk).assignee.username == self.username  # type: ignore[union-attr]

    def act(
        self,
        ticket: Ticket,
        spec: str,
        action: str,
        unit: str = "",
        item: int = 0,
        offered: bool = True,
        **fields: Any,
    ) -> int:
        """Find the step in the to-do, claim it there when it is offered, read its form on the
        ticket page and post the action with `fields` and the revision shown (the units chosen
        among those the form offers, unless `offered` is false)."""
        pk = self.find(ticket, spec, unit, item)
        todo = self.get("/backoffice/todo/")
        row = re.search(
            rf'<tr data-testid="todo-row" data-ticket="{ticket.code}" data-item="{pk}">.*?</tr>',
            todo,
            re.S,
        )
        assert row is not None
        if 'data-testid="claim"' in row.group(0):
            self.claim(ticket, pk)
        _step, card = cards(self.page(ticket))[pk]
        assert f'data-action="{action}"' in card, (self.username, spec, action)
        for value in fields.get("targets", []) if offered else []:
            assert f'value="{value}"' in card, (spec, "unit not offered", value)
        shown = re.search(r'name="revision" value="(\d+)"', card)
        assert shown is not None
        url = f"/backoffice/tickets/{ticket.code}/items/{pk}/act/"
        response = self.client.post(url, {"action": action, "revision": shown.group(1), **fields})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert WorkItem.objects.get(pk=pk).state == WorkItem.State.DONE
        return pk

    def operation(self, ticket: Ticket, name: str, **fields: Any) -> None:
        """A ticket-level operation posted from the page's form with the revision shown."""
        page = self.page(ticket)
        form = re.search(rf'data-operation="{name}".*?</form>', page, re.S)
        assert form is not None, (self.username, name)
        shown = re.search(r'name="revision" value="(\d+)"', form.group(0))
        data = {**fields, **({"revision": shown.group(1)} if shown else {})}
        url = f"/backoffice/tickets/{ticket.code}/{name.replace('_', '-')}/"
        response = self.client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]


def started(
    process: str, *, unit: str = "JS-NJ-CS-D1", kind: str = "complaint", **data: Any
) -> Ticket:
    ticket = converted(unit=unit, kind=kind, number=f"1370000{WorkItem.objects.count():04d}")
    services.start(ChangeContext.for_cli("test"), ticket, process, data=data)
    return fresh(ticket)


def expect(ticket: Ticket, status: str, *items: tuple[str, str, str]) -> None:
    """The ticket's status, its current step (the ready steps' names) and its ready items as
    (step, unit, flow role)."""
    now = fresh(ticket)
    waiting = ready(now)
    assert now.status == status, (now.status, status)
    assert sorted((i.task_spec, i.unit.code, i.flow_role) for i in waiting) == sorted(items)
    names = {i.step_name for i in waiting if i.task_spec != "deferral"}  # not a process step
    assert set(filter(None, now.current_step.split("、"))) == names, now.current_step


def path(ticket: Ticket) -> list[str]:
    return ProcessInstance.objects.get(ticket=ticket).path


# --- BO-MOBNET ---------------------------------------------------------------------------------

OPS = ("JS-NJ-OPS", "dispatcher")


def _accepted(dispatcher: Desk, **data: Any) -> Ticket:
    ticket = started("BO-MOBNET", span="city", **data)
    expect(ticket, S.ACCEPTING, ("accept", *OPS))
    dispatcher.act(ticket, "accept", "accept", note="已受理")
    return ticket


def _review_reply_archive(dispatcher: Desk, ticket: Ticket) -> None:
    expect(ticket, S.REVIEWING, ("review", *OPS))
    dispatcher.act(ticket, "review", "pass")
    expect(ticket, S.IN_PROGRESS, ("reply", *OPS))
    _reply_archive(dispatcher, ticket)


def _reply_archive(dispatcher: Desk, ticket: Ticket) -> None:
    dispatcher.act(ticket, "reply", "reply", **REPLY)
    expect(ticket, S.IN_PROGRESS, ("archive", *OPS))
    dispatcher.act(ticket, "archive", "archive", **ARCHIVE)
    expect(ticket, S.ARCHIVED)
    assert fresh(ticket).reply == REPLY["reply"]


HANDLERS = {
    "handle_maintenance": ("JS-NJ-NMNT", "handler", "js-nj-netmaint"),
    "handle_optimisation": ("JS-NJ-NOPT", "handler", "js-nj-netopt"),
}


@pytest.mark.parametrize(
    ("is_fault", "is_coverage", "step"),
    [
        ("yes", "no", "handle_maintenance"),
        ("yes", "yes", "handle_maintenance"),  # a fault wins over coverage
        ("no", "yes", "handle_optimisation"),
    ],
)
def test_mobnet_dispatched_on_fault_and_coverage(
    is_fault: str, is_coverage: str, step: str
) -> None:
    dispatcher = Desk("js-nj-dispatcher")
    ticket = _accepted(dispatcher)
    expect(ticket, S.IN_PROGRESS, ("analyse", *OPS))
    dispatcher.act(ticket, "analyse", "dispatch", is_fault=is_fault, is_coverage=is_coverage)
    unit, role, username = HANDLERS[step]
    expect(ticket, S.IN_PROGRESS, (step, unit, role))
    other = "handle_optimisation" if step == "handle_maintenance" else "handle_maintenance"
    assert not Desk(HANDLERS[other][2]).todo(ticket)  # the department next door has nothing
    Desk(username).act(ticket, step, "feedback", alarm_found="no", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)
    assert path(ticket) == ["accept", "analyse", step, "review", "reply", "archive"]


def test_mobnet_neither_fault_nor_coverage_is_handled_by_the_interface_person() -> None:
    dispatcher = Desk("js-nj-dispatcher")
    ticket = _accepted(dispatcher)
    dispatcher.act(ticket, "analyse", "dispatch", is_fault="no", is_coverage="no")
    expect(ticket, S.IN_PROGRESS, ("handle_self", *OPS))
    dispatcher.act(ticket, "handle_self", "feedback", **FEEDBACK)
    expect(ticket, S.IN_PROGRESS, ("reply", *OPS))  # no review of one's own work
    _reply_archive(dispatcher, ticket)
    assert path(ticket) == ["accept", "analyse", "handle_self", "reply", "archive"]


def test_mobnet_handler_returns_then_review_fails_back_to_the_handler() -> None:
    dispatcher, netopt = Desk("js-nj-dispatcher"), Desk("js-nj-netopt")
    ticket = _accepted(dispatcher)
    dispatcher.act(ticket, "analyse", "dispatch", is_fault="no", is_coverage="yes")
    netopt.act(ticket, "handle_optimisation", "return", reason="非覆盖问题，请重新分析")
    expect(ticket, S.IN_PROGRESS, ("analyse", *OPS))
    assert fresh(ticket).events.filter(action=A.RETURNED, note__contains="非覆盖问题").exists()
    dispatcher.act(ticket, "analyse", "dispatch", is_fault="no", is_coverage="yes")
    expect(ticket, S.IN_PROGRESS, ("handle_optimisation", "JS-NJ-NOPT", "handler"))
    netopt.act(
        ticket,
        "handle_optimisation",
        "feedback",
        cell_ci="4601-1234",
        cell_name="湖东花园1",
        area_type="indoor",
        planned_fix="yes",
        planned_date="2027-01-10",
        **FEEDBACK,
    )
    expect(ticket, S.REVIEWING, ("review", *OPS))
    dispatcher.act(ticket, "review", "fail", opinion="未说明规划站点")
    expect(ticket, S.IN_PROGRESS, ("handle_optimisation", "JS-NJ-NOPT", "handler"))
    netopt.act(ticket, "handle_optimisation", "feedback", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)
    actions = set(fresh(ticket).events.values_list("action", flat=True))
    assert {A.RETURNED, A.REVIEW_FAILED, A.ARCHIVED} <= actions


def test_mobnet_rejected_by_the_interface_person_at_acceptance() -> None:
    ticket = started("BO-MOBNET", span="city")
    Desk("js-nj-dispatcher").act(ticket, "accept", "reject", reason="非本市用户")
    done = fresh(ticket)
    assert not ready(done) and done.events.filter(action=A.REJECTED, note="非本市用户").exists()
    assert path(ticket) == ["accept"] and done.status == S.ARCHIVED, done.status


def test_mobnet_repeat_complaint_goes_to_the_provinces_second_tier() -> None:
    dispatcher = Desk("js-nj-dispatcher")
    ticket = _accepted(dispatcher, repeat_count=1)
    assert (fresh(ticket).tier, fresh(ticket).priority) == ("T2", "high")
    expect(ticket, S.IN_PROGRESS, ("handle_t2", "JS-CC", "handler"))
    assert not Desk("js-nj-netopt").todo(ticket)
    Desk("js-complaints").act(ticket, "handle_t2", "feedback", **FEEDBACK)
    dispatcher.act(ticket, "review", "fail", opinion="二级处理未说明原因")
    expect(ticket, S.IN_PROGRESS, ("handle_t2", "JS-CC", "handler"))  # back to T2, not T1
    Desk("js-complaints").act(ticket, "handle_t2", "feedback", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)


def _until(days: int) -> str:
    return timezone.localtime(clock.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("decision", ["approve", "refuse"])
def test_mobnet_deferral_decided_by_the_citys_supervisor(decision: str) -> None:
    dispatcher, netopt = Desk("js-nj-dispatcher"), Desk("js-nj-netopt")
    ticket = _accepted(dispatcher)
    dispatcher.act(ticket, "analyse", "dispatch", is_fault="no", is_coverage="yes")
    handling = WorkItem.objects.get(ticket=ticket, task_spec="handle_optimisation")
    due_before = handling.due_at
    until = _until(5)
    netopt.operation(ticket, "deferral", until=until, reason="等待扩容")
    expect(
        ticket,
        S.DEFERRED,
        ("handle_optimisation", "JS-NJ-NOPT", "handler"),
        ("deferral", "JS-NJ", "supervisor"),
    )
    approval = WorkItem.objects.get(ticket=ticket, task_spec="deferral")
    assert approval.pk not in dispatcher.todo(ticket)  # the supervisor's decision, not theirs
    Desk("js-nj-supervisor").act(
        ticket, "deferral", decision, note="同意" if decision == "approve" else "不同意"
    )
    expect(ticket, S.IN_PROGRESS, ("handle_optimisation", "JS-NJ-NOPT", "handler"))
    handling.refresh_from_db()
    if decision == "approve":
        assert timezone.localtime(handling.due_at).strftime("%Y-%m-%dT%H:%M") == until  # type: ignore[arg-type]
        assert fresh(ticket).events.filter(action=A.DEFERRAL_APPROVED).count() == 1
    else:
        assert handling.due_at == due_before
        assert fresh(ticket).events.filter(action=A.DEFERRAL_REFUSED).count() == 1
    netopt.act(ticket, "handle_optimisation", "feedback", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)


def test_mobnet_reopened_after_the_archive_goes_to_the_second_tier() -> None:
    dispatcher = Desk("js-nj-dispatcher")
    ticket = _accepted(dispatcher)
    dispatcher.act(ticket, "analyse", "dispatch", is_fault="yes", is_coverage="no")
    Desk("js-nj-netmaint").act(ticket, "handle_maintenance", "feedback", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)
    dispatcher.operation(ticket, "reopen", reason="用户不满意")
    expect(ticket, S.ACCEPTING, ("accept", *OPS))
    again = fresh(ticket)
    assert again.tier == "T2" and again.priority == "high"
    dispatcher.act(ticket, "accept", "accept")
    expect(ticket, S.IN_PROGRESS, ("handle_t2", "JS-CC", "handler"))
    Desk("js-complaints").act(ticket, "handle_t2", "feedback", **FEEDBACK)
    _review_reply_archive(dispatcher, ticket)
    assert path(ticket)[:6] == [
        "accept",
        "analyse",
        "handle_maintenance",
        "review",
        "reply",
        "archive",
    ]
    assert path(ticket)[6:] == ["accept", "handle_t2", "review", "reply", "archive"]
