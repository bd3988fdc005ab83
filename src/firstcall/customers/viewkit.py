"""What every async view on a customer does: who asks and for which number, whether they may see
that customer, repairing a platform, and keeping the call's answers when the request ends. Shared
by the agent screen's panels and the call's flow views."""

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Unauthenticated, ValidationFailed
from firstcall.core.scope import require_permission
from firstcall.core.tx import in_transaction
from firstcall.customers import queries, services
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView, is_service_number, normalise_number
from firstcall.integrations import registry
from firstcall.integrations.envelope import Result
from firstcall.orgs.models import OrgUnit


async def agent(request: HttpRequest) -> Any:
    """The signed-in user, who must work the agent workbench somewhere."""
    user = await request.auser()
    if not user.is_authenticated:
        raise Unauthenticated()
    await sync_to_async(require_permission)(user, queries.USE_WORKBENCH)
    return user


async def begin(request: HttpRequest) -> tuple[Any, str]:
    user = await agent(request)
    number = normalise_number(request.GET.get("number") or request.POST.get("number", ""))
    if not is_service_number(number):
        raise ValidationFailed(errors={"number": [_("Enter a service number.")]})
    return user, number


async def customer_of(view: CustomerView, user: Any) -> tuple[Result, OrgUnit | None]:
    """The CRM answer and, when the customer exists, the unit the user must hold it at."""
    customer = await view.customer()
    if not customer.ok:
        return customer, None
    unit = await sync_to_async(queries.require_customer_access)(user, customer.data)
    return customer, unit


async def end(request: HttpRequest, reads: Reads) -> None:
    """Keep the answers for the rest of the call. Served over WSGI (the test server), each
    request runs on an event loop of its own that dies with it: close its back-end sessions."""
    await reads.save()
    if not isinstance(request, ASGIRequest):
        await registry.close_sessions()


async def repair(
    ctx: ChangeContext, unit: OrgUnit, view: CustomerView, fix_ids: list[str]
) -> list[services.Outcome]:
    """Carry out the requested repairs and say what came of each, with its earlier repair as
    history.

    The one place with two transactions in a request: the pending rows and their audit rows
    commit before any command leaves (nothing is sent unrecorded, and the database's one-pending
    rule turns a double click into `in_progress`), then the commands and the read-back run with
    no transaction held (a platform's timeout must not hold the database: on SQLite every
    writer would wait), then the outcomes commit in a second short transaction."""
    outcomes = await services.plan_repairs(view, fix_ids)
    number = view.number
    if any(o.state == "" for o in outcomes):
        await in_transaction(services.open_repairs, ctx, unit, number, outcomes)
    if any(o.sent for o in outcomes):
        sent = await services.send_repairs(number, outcomes, view.reads)
        changed = services.may_have_changed(sent)
        again = await services.read_back(view) if changed else None
        answers = view.reads.take_answers() if changed else None
        await in_transaction(services.finish_repairs, ctx, number, outcomes, sent, again, answers)
    await services.history(outcomes)
    return outcomes
