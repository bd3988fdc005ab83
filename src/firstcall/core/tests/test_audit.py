"""Every write path leaves an audit row naming its actor: web, API, CLI, background task, admin."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from firstcall.accounts.models import ApiToken, User
from firstcall.accounts.tasks import expire_api_tokens
from firstcall.cli import main as firstcall_main
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def changes_of(obj) -> list[ObjectChange]:
    ct = ContentType.objects.get_for_model(obj)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id"))


def test_web_edit_is_audited_with_actor_request_id_reason_and_snapshots(login_client, unit):
    client = login_client("hq-admin")
    target = unit("GD-GZ-BILL")
    response = client.post(
        f"/orgs/{target.pk}/edit/",
        {"name": "广州计费中心", "kind": target.kind, "reason": "renamed by the billing reform"},
        HTTP_X_REQUEST_ID="req-audit-1",
    )
    assert response.status_code == 302
    change = changes_of(target)[-1]
    assert change.actor.username == "hq-admin"
    assert change.source == ObjectChange.Source.WEB
    assert change.request_id == "req-audit-1"
    assert change.reason == "renamed by the billing reform"
    assert change.before["name"] == "广州计费组"
    assert change.after["name"] == "广州计费中心"


def test_api_write_is_audited(login_client, unit):
    client = login_client("hq-admin")
    target = unit("SC-CD-FLD")
    response = client.patch(
        f"/api/orgs/units/{target.pk}", {"name": "成都装维一部"}, content_type="application/json"
    )
    assert response.status_code == 200
    change = changes_of(target)[-1]
    assert (change.actor.username, change.source, change.action) == ("hq-admin", "api", "update")
    assert change.request_id == response["X-Request-ID"]


def test_cli_command_is_audited_with_its_actor(unit):
    out = StringIO()
    call_command(
        "create_user",
        "sz-new-agent",
        "--password",
        "Str0ng-passw0rd!",
        "--unit",
        "JS-SZ-CS",
        "--role",
        "agent",
        "--flow-role",
        "agent",
        "--as",
        "js-admin",
        "--reason",
        "new hire",
        stdout=out,
    )
    created = User.objects.get(username="sz-new-agent")
    change = changes_of(created)[0]
    assert (change.actor.username, change.source, change.reason) == ("js-admin", "cli", "new hire")
    assert change.request_id.startswith("cli-")
    assert "password" not in change.after
    membership = created.memberships.get()
    assert changes_of(membership)[0].actor.username == "js-admin"


# The console command closes its database connections when it ends, as a real process does, so this
# test runs outside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_firstcall_console_command_passes_through_and_is_audited_without_a_user():
    firstcall_main(["create_user", "cli-made", "--password", "Str0ng-passw0rd!"])
    change = changes_of(User.objects.get(username="cli-made"))[0]
    assert change.actor is None
    assert change.actor_label == "cli:create_user"
    assert change.source == "cli"


def test_background_task_is_audited_with_its_job_id(unit):
    from firstcall.accounts import services

    token, _ = services.issue_token(
        ChangeContext.for_cli("test"),
        name="crm",
        unit=unit("JS"),
        permissions=["orgs.view_orgunit"],
        expires_at=clock.now().replace(year=clock.now().year + 1),
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now())
    result = expire_api_tokens.enqueue()
    assert result.return_value == 1
    token.refresh_from_db()
    assert token.is_active is False
    change = changes_of(token)[-1]
    assert (change.source, change.action, change.job_id) == ("task", "expire", result.id)
    assert change.actor_label == "task:expire_api_tokens"


def test_admin_edit_is_audited(login_client):
    client = login_client("admin")
    hq = OrgUnit.objects.get(code="HQ")
    response = client.post(
        f"/admin/orgs/orgunit/{hq.pk}/change/",
        {"name": "集团公司总部", "kind": hq.kind, "is_active": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    change = changes_of(hq)[-1]
    assert (change.actor.username, change.action) == ("admin", "update")
    assert change.before["name"] == "集团总部" and change.after["name"] == "集团公司总部"


def test_refused_write_leaves_no_half_done_change(login_client, unit):
    client = login_client("hq-admin")
    before = ObjectChange.objects.count()
    response = client.post(
        "/api/orgs/units",
        {"name": "x", "code": "HQ", "level": "department", "parent_id": unit("JS").pk},
        content_type="application/json",
    )
    assert response.status_code == 409  # the code is taken
    assert ObjectChange.objects.count() == before


def test_audit_log_screen_is_scoped(login_client):
    assert login_client("js-nj-agent").get("/audit/").status_code == 403
    assert login_client("hq-reviewer").get("/audit/").status_code == 200
