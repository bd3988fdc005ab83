"""Shared pieces of the services' tests: a ticket converted from a call, a user's context, the
ready work items of a ticket, and one step acted with the instance's current revision."""

from typing import Any

from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.tickets import services as tickets
from firstcall.tickets.models import Ticket
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance, WorkItem


def ctx_of(username: str) -> ChangeContext:
    return ChangeContext(actor=User.objects.get(username=username), source=ObjectChange.Source.WEB)


def converted(
    *,
    unit: str = "JS-NJ-CS-D1",
    kind: str = "complaint",
    group: str = "网优（走BO-NETQ）",
    number: str = "13800138000",
    phenomenon: str = "",
) -> Ticket:
    ctx = ChangeContext.for_cli("test")
    call = tickets.open_preprocessing(
        ctx,
        unit=OrgUnit.objects.get(code=unit),
        customer_id=f"C{number}",
        service_number=number,
        phenomenon_code=phenomenon,
    )
    return tickets.convert(ctx, call, kind=kind, receiving_group=group, diagnosis={"path": ["S1"]})


def ready(ticket: Ticket) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(ticket=ticket, state=WorkItem.State.READY)
        .select_related("unit")
        .order_by("id")
    )


def only(ticket: Ticket) -> WorkItem:
    items = ready(ticket)
    assert len(items) == 1, [(i.task_spec, i.unit.code) for i in items]
    return items[0]


def step(username: str, ticket: Ticket, action: str, **fields: Any) -> WorkItem:
    """The ticket's one ready item acted on by `username` with `action`; the item done."""
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    services.act(ctx_of(username), item, action, fields, revision=revision)
    item.refresh_from_db()
    return item


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)
