"""The agent screen's panels: what each reads and how it is drawn, for one panel at a time (a
retry or a refresh: `views.panel`) and for all of them at once in the workbench's own answer
(`stream`).

A look-up is one request: the workbench answers with the shell at once and then, in the same
response, each panel as soon as its back ends have answered (`<template data-fc-panel>`, placed
by `web/panel-stream.js`). Seven panel requests would each pay for the sign-in, the session, the
workbench scope, a database crossing in and one out, and a share of the worker; one request pays
once, and its panels share one set of reads (bench/README.md has the figures)."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from firstcall.customers import display, queries, services, viewkit
from firstcall.customers.gather import keep
from firstcall.customers.unified import CustomerView
from firstcall.integrations import registry
from firstcall.integrations.envelope import Result
from firstcall.taxonomy.queries import get_phenomenon
from firstcall.tickets import queries as tickets

logger = logging.getLogger(__name__)

PANELS = ("customer", "account", "products", "platforms", "comparison", "tickets")

# The systems whose kept answers each panel reads (None: any system).
PANEL_SYSTEMS: dict[str, frozenset[str] | None] = {
    "customer": frozenset({"crm"}),
    "account": frozenset({"crm", "billing", "points"}),
    "products": frozenset({"crm"}),
    "tickets": frozenset({"crm"}),
    "platforms": None,
    "comparison": None,
}

Drawn = tuple[str, dict[str, Any], int]  # template, context, HTTP status


async def reads(name: str, view: CustomerView) -> tuple[Result, dict[str, Any]]:
    """The back-end reads of one panel; whether the user may see them is decided after."""
    if name == "account":
        customer, (billing, points) = await asyncio.gather(view.customer(), view.account())
        return customer, {"billing": billing, "points": points}
    if name == "products":
        customer, details = await asyncio.gather(view.customer(), view.products_result())
        items = details.data.get("products") or [] if details.ok else []
        return customer, {"details": details, "products": display.products(items)}
    if name == "platforms":
        customer, platforms = await asyncio.gather(view.customer(), view.platforms())
        rows = display.platforms(platforms)
        return customer, {
            "platforms": rows,
            "platforms_failed": any(p["failed"] for p in rows),
        }
    if name == "comparison":
        customer, observed = await asyncio.gather(view.customer(), services.observe(view))
        return customer, observed.context() if observed is not None else {}
    customer = await view.customer()
    context: dict[str, Any] = {}
    if name == "tickets" and customer.ok:
        context["persona"] = customer.data.get("persona_30d") or {}
    return customer, context


def then_for(
    name: str, visit: viewkit.Visit, customer: Result, phenomenon: str
) -> Callable[[], dict[str, Any]] | None:
    """What a panel reads from FirstCall's own data once the user may see the customer."""
    if not customer.ok:
        return None
    if name == "tickets":
        cust_id = str(customer.data.get("cust_id", ""))
        return partial(_ticket_context, visit.user, cust_id, visit.number)
    if name == "products" and phenomenon:
        return partial(_phenomenon_context, phenomenon)
    return None


def draw(
    name: str,
    visit: viewkit.Visit,
    customer: Result,
    context: dict[str, Any],
    extra: dict[str, Any] | None,
    call: int | None,
) -> Drawn:
    """The panel's template and context once access is decided: the panel itself, or for a
    number the agent cannot work the customer panel's one message and a quiet line elsewhere."""
    context.update(number=visit.number, customer=customer, call=call)
    if visit.access in (viewkit.ELSEWHERE, viewkit.NO_CUSTOMER):
        return _dead_end(name, visit, customer, context)
    context.update(extra or {})
    if name == "products" and not call:
        context["misfit"] = misfit(context.get("phenomenon"), context.get("products") or [])
    context.setdefault("panel", name)
    return f"customers/partials/{name}.html", context, 200


def misfit(phenomenon: Any, products: list[dict[str, Any]]) -> str:
    """The products a phenomenon concerns, named, when the customer has none of them."""
    kinds = list(getattr(phenomenon, "product_kinds", None) or [])
    have = {p.get("product_type") for p in products}
    if not kinds or not products or have & set(kinds):
        return ""
    return str(_(", ")).join(str(display.PRODUCT_TYPES.get(k, k)) for k in kinds)


def _dead_end(name: str, visit: viewkit.Visit, customer: Result, context: dict[str, Any]) -> Drawn:
    """A number the agent cannot work: the customer panel says once why and what to do (and, on
    the workbench, takes away "Take the call"); every other panel shows only a quiet line."""
    elsewhere = visit.access == viewkit.ELSEWHERE
    status = 403 if elsewhere else 200
    if name != "customer":
        quiet = {"panel": name, "number": context.get("number"), "call": context.get("call")}
        return "customers/partials/quiet.html", quiet, status
    region = customer.data.get("region") or {} if elsewhere else {}
    dead = {
        "panel": name,
        "number": visit.number,
        "call": context.get("call"),
        "reason": visit.access,
        "place": " ".join(str(region.get(k) or "") for k in ("province", "city")).strip(),
        "unit": visit.unit,
    }
    return "customers/partials/dead_end.html", dead, status


def _phenomenon_context(code: str) -> dict[str, Any]:
    return {"phenomenon": get_phenomenon(code)}


def _ticket_context(user: Any, cust_id: str, number: str) -> dict[str, Any]:
    # The agent on the call sees the tickets of the units where they work the workbench.
    own = tickets.for_customer(user, cust_id, action=queries.USE_WORKBENCH)
    return {
        "open_tickets": [t for t in own if t.is_open],
        "past_tickets": [t for t in own if not t.is_open],
        "concerns": tickets.concerns(cust_id),
        "repairs": queries.recent_repairs(user, number),
    }


def _extras(visit: viewkit.Visit, customer: Result, phenomenon: Any) -> dict[str, Any]:
    """On a database thread, once: whether the user may work on the customer, and what the
    panels read from FirstCall's own data when they may (the phenomenon the shell has read)."""
    if viewkit.decide(visit, customer) != viewkit.OK:
        return {}
    extras = {}
    for name in PANELS:
        then = then_for(name, visit, customer, "")
        if then is not None:
            extras[name] = then()
    if phenomenon is not None and customer.ok:
        extras["products"] = {"phenomenon": phenomenon}
    return extras


async def _one(name: str, view: CustomerView) -> tuple[str, Any]:
    try:
        return name, await reads(name, view)
    except Exception as error:  # one panel's fault must not cut the others off
        logger.exception("panel %s could not be drawn", name)
        return name, error


async def _drawn(name: str, part: Awaitable[str]) -> tuple[str, str]:
    return name, await part


def placed(name: str, html: str) -> str:
    """A panel in the workbench's answer: its HTML in a template, and a marker after it that
    says the template is whole (the browser may parse a template before all of it arrived)."""
    return (
        f'<template data-fc-panel="{name}">{html}</template><i hidden data-fc-placed="{name}"></i>'
    )


async def stream(
    request: HttpRequest,
    visit: viewkit.Visit,
    view: CustomerView,
    phenomenon: Any = None,
    *,
    call: int | None = None,
    more: Mapping[str, Awaitable[str]] | None = None,
) -> AsyncIterator[str]:
    """Every panel of the workbench, each as soon as its reads are in; then the answers and
    the call log are kept (one write, none when everything came from the call cache).
    `phenomenon`: the complaint phenomenon the agent chose (the products panel says whether
    it fits the customer's products). `more`: other parts of the page drawn alongside, by the
    id of their card (`panel-<name>`), each placed as it is done (the call page's flow)."""
    pending = [asyncio.ensure_future(_one(name, view)) for name in PANELS]
    pending += [asyncio.ensure_future(_drawn(name, part)) for name, part in (more or {}).items()]
    try:
        customer = await view.customer()
        extras = await sync_to_async(_extras)(visit, customer, phenomenon)
        for next_done in asyncio.as_completed(pending):
            name, outcome = await next_done
            if isinstance(outcome, str):  # one of `more`, drawn by its owner
                html = outcome
            elif isinstance(outcome, Exception):
                broken = {"panel": name, "number": visit.number, "call": call}
                html = render_to_string("customers/partials/broken.html", broken, request)
            else:
                found, context = outcome
                template, context, _status = draw(
                    name, visit, found, context, extras.get(name), call
                )
                html = render_to_string(template, context, request)
            yield placed(name, html)
    finally:
        for task in pending:
            task.cancel()
        answers = visit.reads.take_answers()
        if answers or visit.reads.log.rows:
            await sync_to_async(keep)(visit.number, answers, visit.reads.log)
        if not isinstance(request, ASGIRequest):
            await registry.close_sessions()
