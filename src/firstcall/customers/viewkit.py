"""What every async view on a customer does: who asks and for which number, whether they may see
that customer, repairing a platform, and keeping the call's answers when the request ends. Shared
by the agent screen's panels and the call's flow views.

A panel request crosses to a database thread at most twice (`enter` and `leave`): once on the way
in for the session, the user, their workbench scope and the kept answers the panel reads (and, in
a call, the call's unit), once on the way out for whatever it still must read about the customer
and for storing new answers and the call log. Each crossing costs a thread hand-over, and on
SQLite a write also costs the one write lock, so a panel served from the call cache writes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed
from firstcall.core.scope import paths_for, require_permission, within
from firstcall.core.tx import in_transaction
from firstcall.customers import cache, queries, services
from firstcall.customers.gather import NOT_FOUND, Reads, keep, read_key
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


# What a panel request found out about the customer, for the screen to say once what is wrong.
OK, ELSEWHERE, NO_CUSTOMER, CRM_FAILED = "ok", "elsewhere", "no_customer", "crm_failed"


@dataclass
class Visit:
    """One request's look at a number: who asks, where they work, the number's reads and, once
    the customer is known, whether the user may work on them (`access`) and at which unit."""

    user: Any
    number: str
    reads: Reads
    paths: list[str] | None  # where the user works the workbench (None: everywhere)
    in_call: bool = False  # the call's ticket vouched for the customer's unit
    unit: OrgUnit | None = None
    unit_known: bool = False
    access: str = ""

    def decide(self, customer: Result | None) -> str:
        if customer is None:
            self.access = ""
        elif not customer.ok:
            code = customer.error.code if customer.error else ""
            self.access = NO_CUSTOMER if code == NOT_FOUND else CRM_FAILED
        elif self.in_call or (self.unit is not None and within(self.paths, self.unit.path)):
            self.access = OK
        else:
            self.access = ELSEWHERE
        return self.access


def _enter(
    request: HttpRequest, number: str, systems: frozenset[str] | None, call: int | None
) -> tuple[Any, list[str] | None, dict[str, Any], OrgUnit | None, bool]:
    user = request.user
    if not user.is_authenticated:
        raise Unauthenticated()
    paths = paths_for(user, queries.USE_WORKBENCH)
    if paths == []:
        raise Forbidden(code="permission_denied", permission=queries.USE_WORKBENCH)
    unit, unit_known = None, False
    if call is not None:
        unit = queries.call_unit(user, call, number)
        if unit is None:
            raise NotFound()
        unit_known = True
    rows = cache.load(number, systems)
    crm = rows.get(read_key("crm", "find", (number,)))
    if not unit_known and crm is not None and crm.found and isinstance(crm.data, dict):
        unit, unit_known = queries.unit_for_customer(crm.data), True
    return user, paths, rows, unit, unit_known


def call_of(request: HttpRequest) -> int | None:
    raw = request.GET.get("call") or ""
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


Entered = tuple[Any, list[str] | None, dict[str, Any], OrgUnit | None, bool]


def entered(request: HttpRequest, number: str, call: int | None = None) -> Entered:
    """`enter`'s database part for a view that is already on a database thread: the user, their
    workbench scope and every kept answer of the number; `visit` makes the Visit of it."""
    return _enter(request, number, None, call)


def visit(request: HttpRequest, number: str, found: Entered, *, in_call: bool = False) -> Visit:
    """The Visit of what `entered` found; on the event loop (the reads start tasks on it)."""
    user, paths, rows, unit, known = found
    reads = Reads(number, request_id=getattr(request, "id", ""))
    reads.preload(rows, None)
    return Visit(user, number, reads, paths, in_call, unit, known)


async def enter(request: HttpRequest, *, systems: frozenset[str] | None = None) -> Visit:
    """Sign-in, workbench scope and the kept answers of `systems` (None: all), in one crossing.
    A request made within a call (`?call=<ticket id>`) is scoped by the call's ticket."""
    number = normalise_number(request.GET.get("number") or request.POST.get("number", ""))
    if not is_service_number(number):
        raise ValidationFailed(errors={"number": [_("Enter a service number.")]})
    call = call_of(request)
    user, paths, rows, unit, known = await sync_to_async(_enter)(request, number, systems, call)
    reads = Reads(number, request_id=getattr(request, "id", ""))
    reads.preload(rows, systems)
    return Visit(user, number, reads, paths, call is not None, unit, known)


def decide(visit: Visit, customer: Result | None) -> str:
    """Whether the user may work on the customer (on a database thread: the customer's unit
    may have to be read)."""
    if customer is not None and customer.ok and not visit.unit_known:
        visit.unit, visit.unit_known = queries.unit_for_customer(customer.data), True
    return visit.decide(customer)


def _leave[T](
    visit: Visit,
    customer: Result | None,
    answers: list[tuple[str, Result]],
    then: Callable[[], T] | None,
) -> T | None:
    decide(visit, customer)
    extra = then() if then is not None and visit.access == OK else None
    if answers or visit.reads.log.rows:
        keep(visit.number, answers, visit.reads.log)
    return extra


async def leave[T](
    request: HttpRequest,
    visit: Visit,
    customer: Result | None,
    then: Callable[[], T] | None = None,
) -> T | None:
    """Decide whether the user may work on the customer, read what `then` reads when they may,
    and keep the new answers and the call log: one crossing, none when there is nothing to do."""
    answers = visit.reads.take_answers()
    needs_unit = customer is not None and customer.ok and not visit.unit_known
    extra: T | None = None
    if needs_unit or then is not None or answers or visit.reads.log.rows:
        extra = await sync_to_async(_leave)(visit, customer, answers, then)
    else:
        visit.decide(customer)
    if not isinstance(request, ASGIRequest):
        await registry.close_sessions()
    return extra
