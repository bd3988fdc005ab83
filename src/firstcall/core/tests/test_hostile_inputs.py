"""Every form and list filter of the app, fed a table of hostile values (NUL, a megabyte,
over-length text, RTL override, combining marks, impossible dates and offsets, negative and huge
numbers, wrong types): no answer is a 5xx, and a refused request leaves the database as it was.

The screens are found, not listed: the test signs in as the superuser, reads every page it can
reach from the home page and from every URL pattern (filled with ids of objects that exist), and
submits each form it finds the way a browser or htmx would. A new screen is covered as soon as a
page links to it or its URL pattern can be filled; the last assertion fails when a pattern was
never requested, so a screen cannot be left out silently. The JSON API has its own property-based
check (test_api_schemathesis.py)."""

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast, Length
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.core.models import OutboxMessage
from firstcall.core.tests.hostile import (
    COMMON_QUERY_PARAMETERS,
    HOSTILE,
    HOSTILE_QUERY,
    MEGABYTE,
    Form,
    read_page,
)
from firstcall.navigation import runtime
from firstcall.orgs.models import OrgUnit
from firstcall.rules import queries as rules_queries
from firstcall.rules import services as rules_services
from firstcall.rules.models import RuleSet
from firstcall.tickets.services import add_note

pytestmark = pytest.mark.django_db

NOT_HERE = ("admin/", "api/", "static/")  # Django's admin; the API has its own check
NEVER_SUBMIT = {"/accounts/logout/"}
# Rows a refused request may still leave, by design: the log of back-end calls it made, the
# call's read cache and the sign-in failure counter.
LOGS = {"integrations.CallLog", "customers.CachedRead", "accounts.LoginThrottle"}
PAGES_PER_ROUTE = 2


def _patterns(
    resolver: URLResolver | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        else:
            yield route, entry


def app_routes() -> list[str]:
    return sorted({route for route, _p in _patterns() if not route.startswith(NOT_HERE)})


def _route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _words_of(path: str) -> tuple[str, ...]:
    """The non-numeric values in a path (`jump` in /agent/calls/7/flow/jump/)."""
    match = resolve(path)
    return tuple(sorted(f"{k}={v}" for k, v in match.kwargs.items() if not isinstance(v, int)))


def keeps_its_save(path: str) -> bool:
    """Refusals that keep a complete write of their own, by design: publishing a rule set saves
    the typed rows as its draft first (no edit is lost), then refuses to publish a draft that has
    problems."""
    match = resolve(path)
    return match.route == "rules/<slug:key>/<slug:action>/" and match.kwargs["action"] == "publish"


def stored_megabyte() -> list[str]:
    """FirstCall tables with a text, char or JSON column holding a megabyte-long value."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("firstcall."):
            continue
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        sizes = {f"size_{n}": Length(Cast(n, models.TextField())) for n in texts}
        big = Q(pk__in=[])
        for alias in sizes:
            big |= Q(**{f"{alias}__gte": len(MEGABYTE)})
        if texts and model.objects.annotate(**sizes).filter(big).exists():
            found.append(model._meta.label)
    return found


def fingerprint() -> tuple[int, ...]:
    """Row counts of every FirstCall table but the logs, in one query."""
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m.__module__.startswith("firstcall.") and m._meta.label not in LOGS
    ]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class Probe:
    """Sends requests, records which URL patterns were reached and every broken promise."""

    def __init__(self, login: Callable[[], Client]) -> None:
        self.login = login
        self.client = login()
        self.reached: set[str] = set()
        self.failures: list[str] = []
        self.count = 0

    def send(
        self, method: str, path: str, data: dict[str, Any], *, htmx: bool, label: str = ""
    ) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        # Each request runs in a savepoint that is rolled back after it: every hostile value meets
        # the same state (a call that one value happened to end is open again for the next).
        with transaction.atomic():
            before = fingerprint()
            response = self._request(method, path, data, headers)
            written = fingerprint() != before
            kept = stored_megabyte() if label.endswith("=megabyte") else []
            transaction.set_rollback(True)
        self.count += 1
        route = _route_of(path)
        if route is not None:
            self.reached.add(route)
        what = f"{method.upper()} {path} {label}: {response.status_code}"
        if response.status_code >= 500:
            self.failures.append(what)
        elif response.status_code >= 400 and written and not keeps_its_save(path):
            self.failures.append(f"{what} refused but wrote rows")
        if kept:
            self.failures.append(f"{what} stored a megabyte in {', '.join(kept)}")
        return response

    def _request(self, method: str, path: str, data: dict[str, Any], headers: dict) -> Any:
        if method == "get":
            query = urlencode(data, doseq=True)
            return self.client.get(f"{path}?{query}" if query else path, headers=headers)
        if headers:  # htmx posts url-encoded
            body = urlencode(data, doseq=True)
            return self.client.post(
                path, body, content_type="application/x-www-form-urlencoded", headers=headers
            )
        return self.client.post(path, data)


def _same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.lstrip("/").startswith(NOT_HERE):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(probe: Probe, start: list[str]) -> tuple[list[str], list[Form]]:
    """Pages reachable from `start` (at most a few per URL pattern) and the forms on them."""
    queue, seen, pages, forms = list(start), set(), [], {}
    per_route: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = _route_of(path)
        if url in seen or route is None or path in NEVER_SUBMIT:
            continue
        seen.add(url)
        if per_route.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = probe.send("get", path, dict(parse_qsl(urlsplit(url).query)), htmx=False)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages.append(path)
        body = b"".join(response) if response.streaming else response.content
        page = read_page(f"http://testserver{url}", body.decode())
        for form in page.forms:
            target = _same_site(form.action)
            form_route = _route_of(urlsplit(target).path) if target else None
            if target and form_route is not None:
                words = _words_of(urlsplit(target).path)
                forms.setdefault(form.key(form_route, words), form)
        queue.extend(u for u in map(_same_site, page.links) if u and u not in seen)
    return pages, list(forms.values())


def attack_form(probe: Probe, form: Form) -> None:
    path = urlsplit(form.action).path
    if path in NEVER_SUBMIT:
        return
    base = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    table = HOSTILE if form.method == "post" else HOSTILE_QUERY
    probe.client = probe.login()  # a form that changed the signed-in user must not stop the rest
    for name in base or {"value": ""}:
        for label, value in table:
            probe.send(
                form.method, path, {**base, name: value}, htmx=form.htmx, label=name + "=" + label
            )


def attack_filters(probe: Probe, path: str) -> None:
    for name in COMMON_QUERY_PARAMETERS:
        for label, value in HOSTILE_QUERY:
            probe.send("get", path, {name: value}, htmx=False, label=f"{name}={label}")


def _fill(route: str) -> list[str]:
    """Concrete URLs for a pattern: every kwarg filled with a value some object has (the
    primary key or a same-named field of a model, the pattern's own app first), so that pages
    needing an object are reached even when no page links to them."""
    pattern = RoutePattern(route)
    names = list(pattern.converters)
    if not names:
        return ["/" + route]
    app_label = route.split("/")[0]
    candidates: dict[str, list[str]] = {}
    for name in names:
        values: list[str] = []
        for model in apps.get_models():
            if not model.__module__.startswith("firstcall."):
                continue
            field = "pk" if name in ("pk", "id") or name.endswith("_id") else name
            if field != "pk" and field not in {f.name for f in model._meta.fields}:
                continue
            row = model.objects.order_by("-pk").values_list(field, flat=True).first()
            if row is None:
                continue
            own = model._meta.app_label in app_label or app_label in model._meta.app_label
            values.insert(0 if own else len(values), str(row))
        candidates[name] = values[:3] or ["x"]
    urls = []
    for i in range(3):
        kwargs = {n: candidates[n][min(i, len(candidates[n]) - 1)] for n in names}
        url = "/" + route
        for segment, value in kwargs.items():
            for conv in ("int", "slug", "str", "path", "uuid"):
                url = url.replace(f"<{conv}:{segment}>", value)
        urls.append(url)
    return list(dict.fromkeys(urls))


@pytest.fixture
def world() -> dict[str, Any]:
    """Objects the screens need: a call on its flow with its ticket and a note, a rule set's
    draft, a dead outbox message."""
    agent = User.objects.get(username="gd-sz-agent")
    ctx = ChangeContext(actor=agent, actor_label=agent.username)
    session = runtime.start(
        ctx,
        unit=OrgUnit.objects.get(code="GD-SZ"),
        customer_id="4403000000000001",
        number="075512345678",
        phenomenon_code="FBB-FTTH-02",
        phenomenon="FTTH拨号报错691",
        flow_code="F-BB-691",
    )
    add_note(ctx, session.ticket, "first note")
    # A draft of a rule set, so that its editing form is on the page.
    routing = RuleSet.objects.get(key="ticket-routing")
    published = rules_queries.published(routing.key)
    rules_services.save_draft(
        ChangeContext.for_cli("test"), routing, published.rows if published else [], "draft"
    )
    # A dead outbox message, so that the background page offers its retry.
    dead = OutboxMessage.objects.filter(pk=OutboxMessage.objects.latest("pk").pk)
    dead.update(state=OutboxMessage.State.DEAD, last_error="refused")
    return {"session": session, "ticket": session.ticket}


def test_hostile_values_in_every_form_and_filter_get_no_5xx_and_write_nothing(world):
    admin = User.objects.get(username="admin")

    def login() -> Client:
        client = Client(raise_request_exception=False)  # a 500 is recorded, and the run goes on
        client.force_login(admin)
        return client

    probe = Probe(login)
    session, ticket = world["session"], world["ticket"]
    start = ["/", f"/agent/?number={session.number}", f"/agent/calls/{session.pk}/"]
    start += [f"/tickets/{ticket.code}/"]
    for route in app_routes():
        start.extend(_fill(route))
    pages, forms = crawl(probe, start)
    assert len(forms) >= 10, [f.action for f in forms]  # the crawl really found the screens
    for form in forms:
        attack_form(probe, form)
    for path in dict.fromkeys(pages):
        attack_filters(probe, path)
    # Patterns no page linked to: every field name any form uses, all set to each hostile value.
    names = {name for form in forms for name in form.fields} - {"csrfmiddlewaretoken"}
    for route in app_routes():
        if route not in probe.reached:
            for url in _fill(route):
                for label, value in HOSTILE:
                    data = dict.fromkeys(names or {"value"}, value)
                    probe.send("post", urlsplit(url).path, data, htmx=False, label=label)
    anonymous = Probe(lambda: Client(raise_request_exception=False))
    for form in crawl(anonymous, ["/accounts/login/"])[1]:
        attack_form(anonymous, form)

    assert not probe.failures + anonymous.failures, "\n".join(probe.failures + anonymous.failures)
    never = {_route_of(path) for path in NEVER_SUBMIT}
    assert set(app_routes()) - never <= probe.reached | anonymous.reached
