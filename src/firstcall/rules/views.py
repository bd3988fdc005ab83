"""Rule sets in the browser: the list, one set with its published table, the draft an admin edits
and publishes, its versions, and the test console that shows which row decides for given inputs."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.core.scope import holds_everywhere, require_everywhere, require_permission
from firstcall.rules import queries, services
from firstcall.rules.engine import Decision, InputRefused, RuleError, coerce, decide
from firstcall.rules.expressions import MAX_TEXT
from firstcall.rules.models import RuleSet

VIEW = "rules.view_ruleset"
CHANGE = "rules.change_ruleset"  # rule sets apply everywhere: held at the root of the org tree


@login_required
def rule_set_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, VIEW)
    return render(request, "rules/ruleset_list.html", {"rule_sets": queries.rule_sets()})


def _rows_from(post: Any, rule_set: RuleSet) -> list[dict[str, Any]]:
    whens = post.getlist("when")
    notes = post.getlist("note")
    cells = {name: post.getlist(f"then-{name}") for name in rule_set.outputs}
    rows = []
    for n, when in enumerate(whens):
        then = {name: (values[n] if n < len(values) else "") for name, values in cells.items()}
        if not when.strip() and not any(v.strip() for v in then.values()):
            continue  # an empty line the admin added and left
        rows.append({"when": when, "then": then, "note": notes[n] if n < len(notes) else ""})
    return rows


def _example(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _context(request: HttpRequest, rule_set: RuleSet, **extra: Any) -> dict[str, Any]:
    published = queries.published(rule_set.key)
    draft = queries.draft(rule_set)
    return {
        "rule_set": rule_set,
        "published": published,
        "draft": draft,
        "draft_problems": services.version_problems(draft) if draft else [],
        "versions": rule_set.versions.all(),
        "can_change": holds_everywhere(request.user, CHANGE),
        "examples": {n: _example(s.get("example")) for n, s in rule_set.inputs.items()},
        "max_text": MAX_TEXT,
        **extra,
    }


@login_required
def rule_set_detail(request: HttpRequest, key: str) -> HttpResponse:
    require_permission(request.user, VIEW)
    rule_set = queries.get_rule_set(key)
    return render(request, "rules/ruleset_detail.html", _context(request, rule_set))


@login_required
@require_POST
def rule_set_edit(request: HttpRequest, key: str, action: str) -> HttpResponse:
    """Save the draft (`save`), start one from the published rows (`draft`), publish it
    (`publish`) or throw it away (`discard`)."""
    require_everywhere(request.user, CHANGE)
    rule_set = queries.get_rule_set(key)
    ctx = ChangeContext.from_request(request)
    draft = queries.draft(rule_set)
    try:
        if action == "draft":
            published = queries.published(key)
            if draft is None:
                services.save_draft(ctx, rule_set, published.rows if published else [])
        elif action == "save":
            services.save_draft(
                ctx, rule_set, _rows_from(request.POST, rule_set), request.POST.get("note", "")
            )
        elif action == "publish" and draft is not None:
            services.save_draft(
                ctx, rule_set, _rows_from(request.POST, rule_set), request.POST.get("note", "")
            )
            services.publish(ctx, queries.draft(rule_set) or draft)
        elif action == "discard" and draft is not None:
            services.discard_draft(ctx, draft)
    except ValidationFailed as exc:
        errors = [e for messages in exc.errors.values() for e in messages] or [exc.detail]
        context = _context(request, rule_set, errors=errors)
        return render(request, "rules/ruleset_detail.html", context, status=422)
    return redirect("rules:detail", key=key)


@login_required
@require_POST
def console(request: HttpRequest, key: str) -> HttpResponse:
    """Which row of the published table (and of the draft) decides for the typed inputs. Inputs
    that are not of their type or out of bounds are field errors (422), as is a table that
    cannot be evaluated."""
    require_permission(request.user, VIEW)
    rule_set = queries.get_rule_set(key)
    facts = {name: request.POST.get(name, "") for name in rule_set.inputs}
    context: dict[str, Any] = {"rule_set": rule_set, "results": [], "input_errors": {}}
    try:
        coerce(rule_set.inputs, facts)
    except InputRefused as exc:
        context["input_errors"] = exc.errors
        return render(request, "rules/partials/console.html", context, status=422)
    for version in (queries.published(key), queries.draft(rule_set)):
        if version is None:
            continue
        decision: Decision | None = None
        found = services.version_problems(version) if version.status == "draft" else []
        error = found[0] if found else ""  # a draft with problems cannot be evaluated
        if not error:
            try:
                decision = decide(queries.compiled(version), facts)
            except RuleError as exc:
                error = str(exc)
        context["results"].append((version, decision, error))
    return render(request, "rules/partials/console.html", context)
