"""Rule sets as versioned data: drafts, publishing (validated, audited), a change taking effect at
the next decision, and the screens: list, editor, publish, test console."""

import pytest
from django.utils import translation

from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.rules import queries, services
from firstcall.rules.models import RuleSet, RuleSetVersion

pytestmark = pytest.mark.django_db
KEY = "ticket-routing"
FAULT = {
    "kind": "fault",
    "flow_group": "装维（端口/跳线核查）",
    "flow_priority": "normal",
    "star": 1,
}


def admin_ctx() -> ChangeContext:
    return ChangeContext(actor=User.objects.get(username="hq-admin"), actor_label="hq-admin")


def test_the_seeded_routing_table_is_published_and_decides():
    ruling = queries.ruling(KEY, FAULT)
    assert ruling.version == 1
    assert ruling.outputs == {"group": "装维（端口/跳线核查）", "priority": "normal"}
    assert ruling.record() == {"rule_set": KEY, "version": 1, "row": 3}


def test_a_published_change_applies_to_the_next_decision():
    ctx = admin_ctx()
    rule_set = RuleSet.objects.get(key=KEY)
    rows = [{"when": "", "then": {"group": '"一线班组"', "priority": '"high"'}}]
    draft = services.save_draft(ctx, rule_set, rows, "all to one group")
    assert (
        queries.ruling(KEY, FAULT).outputs["group"] == "装维（端口/跳线核查）"
    )  # a draft is not used
    services.publish(ctx, draft)
    assert queries.ruling(KEY, FAULT).outputs == {"group": "一线班组", "priority": "high"}
    statuses = dict(rule_set.versions.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}
    changes = ObjectChange.objects.filter(content_type__model="rulesetversion")
    assert changes.filter(action="update", after__status="published").count() >= 2


def test_a_draft_with_a_problem_is_kept_but_not_published():
    ctx = admin_ctx()
    rule_set = RuleSet.objects.get(key=KEY)
    draft = services.save_draft(
        ctx, rule_set, [{"when": "kind ==", "then": {"group": '"x"', "priority": '"normal"'}}]
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as failed:
        services.publish(ctx, draft)
    messages = failed.value.errors["rows"]
    assert any("Row 1, condition" in m for m in messages)
    assert any("No row without a condition" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert queries.published(KEY).number == 1


def test_a_set_without_a_published_version_refuses_to_decide():
    RuleSetVersion.objects.filter(rule_set__key=KEY).update(status="retired")
    with pytest.raises(NotFound):
        queries.ruling(KEY, FAULT)


def test_rows_of_the_wrong_shape_are_refused_before_they_are_stored():
    rule_set = RuleSet.objects.get(key=KEY)
    with pytest.raises(ValidationFailed):
        services.save_draft(admin_ctx(), rule_set, {"when": ""})
    with pytest.raises(ValidationFailed):
        services.save_draft(admin_ctx(), rule_set, ["not a row"])
    assert not rule_set.versions.filter(status="draft").exists()


def test_an_agent_cannot_open_or_change_the_rules(login_client):
    agent = login_client("gd-gz-agent")
    assert agent.get("/rules/").status_code == 403
    assert agent.post(f"/rules/{KEY}/draft/").status_code == 403
    assert not RuleSetVersion.objects.filter(status="draft").exists()


def test_an_admin_edits_publishes_and_tries_a_table_in_the_browser_forms(login_client):
    admin = login_client("hq-admin")
    page = admin.get("/rules/")
    assert page.status_code == 200 and KEY in page.content.decode()
    assert admin.post(f"/rules/{KEY}/draft/").status_code == 302
    detail = admin.get(f"/rules/{KEY}/").content.decode()
    assert 'data-testid="draft-editor"' in detail and "repeat_count &gt;= 1" in detail

    bad = {"when": ["kind =="], "then-group": ['"x"'], "then-priority": ['"normal"'], "note": [""]}
    response = admin.post(f"/rules/{KEY}/publish/", bad)
    assert response.status_code == 422
    assert "第 1 行，条件" in response.content.decode()  # the problems, in the page's language
    assert queries.published(KEY).number == 1

    good = {
        "when": ['kind == "complaint"', ""],
        "then-group": ['"投诉班组"', "flow_group"],
        "then-priority": ['"high"', '"normal"'],
        "note": ["", ""],
        "note_text": "",
    }
    assert admin.post(f"/rules/{KEY}/publish/", good).status_code == 302
    assert queries.published(KEY).number == 2
    assert queries.ruling(KEY, {"kind": "complaint"}).outputs["group"] == "投诉班组"

    tried = admin.post(f"/rules/{KEY}/console/", {"kind": "fault", "flow_group": "装维"})
    body = tried.content.decode()
    assert tried.status_code == 200
    assert 'data-row="2"' in body and "group = 装维" in body
