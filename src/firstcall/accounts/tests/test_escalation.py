"""A province administrator tries to leave their province, through the Django admin and through
FirstCall's own screens and API. Each attempt is refused and leaves the database as it was.

`js-admin` holds the org-admin role in Jiangsu (and is a staff user, as the demo seeds it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from firstcall.accounts import services
from firstcall.accounts.models import ApiToken, FunctionRole, Membership, User
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.integrations.models import BackendSystem, CallLog
from firstcall.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

EVIL_URL = "http://203.0.113.9:9/crm"


def database_state() -> dict[str, Any]:
    """Everything an escalation could change, as plain comparable values."""
    return {
        "users": sorted(
            User.objects.values_list(
                "username", "is_superuser", "is_staff", "is_active", "name", "email", "password"
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list("user_id", "unit_id", "role_id", "flow_role_id")
        ),
        "roles": sorted(
            (role.code, role.name, tuple(sorted(role.permissions.values_list("pk", flat=True))))
            for role in FunctionRole.objects.all()
        ),
        "tokens": sorted(
            (
                token.name,
                token.unit_id,
                token.is_active,
                tuple(sorted(token.permissions.values_list("pk", flat=True))),
            )
            for token in ApiToken.objects.all()
        ),
        "units": sorted(
            OrgUnit.objects.values_list("code", "name", "parent_id", "path", "is_active")
        ),
        "systems": sorted(
            (s.name, s.base_url, s.enabled, s.timeout_ms, sorted(s.credentials.items()))
            for s in BackendSystem.objects.all()
        ),
        "audit_rows": ObjectChange.objects.count(),
    }


@dataclass
class World:
    """Ids the attempts aim at."""

    jiangsu_agent: User
    hq_admin: User
    hq: OrgUnit
    gd: OrgUnit
    js: OrgUnit
    org_admin: FunctionRole
    agent_role: FunctionRole
    hq_only_role: FunctionRole
    crm: BackendSystem
    js_token: ApiToken
    gd_token: ApiToken
    hq_membership: Membership
    gd_change: ObjectChange


@pytest.fixture
def world(user, unit) -> World:
    cli = ChangeContext.for_cli("test")
    # A role carrying a permission js-admin does not hold anywhere.
    hq_only = services.create_function_role(
        cli,
        code="hq-ops",
        name="总部运维",
        permissions=["accounts.delete_user", "orgs.view_orgunit"],
    )
    js_token, _ = services.issue_token(
        cli, name="js-sync", unit=unit("JS"), permissions=["orgs.view_orgunit"]
    )
    gd_token, _ = services.issue_token(
        cli, name="gd-sync", unit=unit("GD"), permissions=["orgs.view_orgunit"]
    )
    # A change made by someone in Guangdong, with a service number in its snapshot.
    gd_agent = user("gd-gz-agent")
    gd_ctx = ChangeContext(actor=user("gd-admin"), source=ObjectChange.Source.WEB)
    services.update_user(gd_ctx, gd_agent, name="广州坐席 13800138000")
    CallLog.objects.create(
        system="crm", operation="customer", customer_key="13800138000", latency_ms=9, outcome="ok"
    )
    return World(
        jiangsu_agent=user("js-nj-agent"),
        hq_admin=user("hq-admin"),
        hq=unit("HQ"),
        gd=unit("GD"),
        js=unit("JS"),
        org_admin=FunctionRole.objects.get(code="org_admin"),
        agent_role=FunctionRole.objects.get(code="agent"),
        hq_only_role=hq_only,
        crm=BackendSystem.objects.get(name="crm"),
        js_token=js_token,
        gd_token=gd_token,
        hq_membership=Membership.objects.get(user__username="hq-admin"),
        gd_change=ObjectChange.objects.filter(actor__username="gd-admin").latest("id"),
    )


Attempt = Callable[[Client, World], Any]


def perm_pk(name: str) -> int:
    app, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename).pk


def user_admin_form(target: User, **changes: Any) -> dict[str, Any]:
    form = {
        "username": target.username,
        "name": target.name,
        "email": target.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return {**form, **changes}


# Through the Django admin: each is the request that succeeded before the admin was closed.
THROUGH_THE_ADMIN: dict[str, Attempt] = {
    "superuser flag on a Jiangsu user": lambda c, w: c.post(
        f"/admin/accounts/user/{w.jiangsu_agent.pk}/change/", user_admin_form(w.jiangsu_agent)
    ),
    "org-admin role at headquarters": lambda c, w: c.post(
        "/admin/accounts/membership/add/",
        {"user": w.jiangsu_agent.pk, "unit": w.hq.pk, "role": w.org_admin.pk},
    ),
    "CRM base URL repointed": lambda c, w: c.post(
        f"/admin/integrations/backendsystem/{w.crm.pk}/change/",
        {
            "name": "crm",
            "kind": w.crm.kind,
            "title": w.crm.title,
            "base_url": EVIL_URL,
            "timeout_ms": w.crm.timeout_ms,
            "retries": w.crm.retries,
            "failure_threshold": w.crm.failure_threshold,
            "open_seconds": w.crm.open_seconds,
            "enabled": "on",
        },
    ),
    "token moved to headquarters": lambda c, w: c.post(
        f"/admin/accounts/apitoken/{w.js_token.pk}/change/",
        {"name": "js-sync", "unit": w.hq.pk, "permissions": [perm_pk("orgs.view_orgunit")]},
    ),
    "unit added under Guangdong": lambda c, w: c.post(
        "/admin/orgs/orgunit/add/",
        {
            "name": "内鬼",
            "code": "GD-X",
            "level": "department",
            "kind": "billing",
            "parent": w.gd.pk,
        },
    ),
    "audit rows of every province": lambda c, w: c.get("/admin/core/objectchange/"),
    "one Guangdong audit row": lambda c, w: c.get(
        f"/admin/core/objectchange/{w.gd_change.pk}/change/"
    ),
    "call log with unmasked numbers": lambda c, w: c.get("/admin/integrations/calllog/"),
    "admin index": lambda c, w: c.get("/admin/"),
    "password of headquarters' admin": lambda c, w: c.post(
        f"/admin/accounts/user/{w.hq_admin.pk}/password/",
        {"password1": "Take0ver-2026!", "password2": "Take0ver-2026!"},
    ),
}

# Through FirstCall's own screens and API.
THROUGH_THE_APP: dict[str, Attempt] = {
    "superuser flag on a new user": lambda c, w: c.post(
        "/accounts/users/new/",
        {
            "username": "js-root",
            "password": "Str0ng-passw0rd!",
            "unit": w.hq.pk,
            "role": w.agent_role.pk,
            "is_superuser": "on",
            "is_staff": "on",
        },
    ),
    "org-admin role at headquarters": lambda c, w: c.post(
        f"/accounts/users/{w.jiangsu_agent.pk}/roles/add/",
        {"unit": w.hq.pk, "role": w.org_admin.pk},
    ),
    "org-admin role at headquarters, for oneself": lambda c, w: c.post(
        f"/accounts/users/{User.objects.get(username='js-admin').pk}/roles/add/",
        {"unit": w.hq.pk, "role": w.org_admin.pk},
    ),
    "a role with a permission js-admin lacks, in Jiangsu": lambda c, w: c.post(
        f"/accounts/users/{w.jiangsu_agent.pk}/roles/add/",
        {"unit": w.js.pk, "role": w.hq_only_role.pk},
    ),
    "a role for headquarters' admin": lambda c, w: c.post(
        f"/accounts/users/{w.hq_admin.pk}/roles/add/", {"unit": w.js.pk, "role": w.agent_role.pk}
    ),
    "headquarters' admin's membership removed": lambda c, w: c.post(
        f"/accounts/memberships/{w.hq_membership.pk}/remove/"
    ),
    "headquarters' admin deactivated": lambda c, w: c.post(
        f"/accounts/users/{w.hq_admin.pk}/active/", {"active": "0"}
    ),
    "headquarters' admin's password": lambda c, w: c.post(
        f"/accounts/users/{w.hq_admin.pk}/edit/",
        {"name": "x", "email": "", "password": "Take0ver-2026!"},
    ),
    "CRM base URL repointed": lambda c, w: c.post(
        "/integrations/crm/edit/",
        {
            "title": "CRM",
            "base_url": EVIL_URL,
            "timeout_ms": 800,
            "retries": 1,
            "failure_threshold": 5,
            "open_seconds": 15,
            "enabled": "on",
        },
    ),
    "token issued for headquarters": lambda c, w: c.post(
        "/accounts/tokens/new/",
        {"name": "hq-sync", "unit": w.hq.pk, "permissions": ["orgs.view_orgunit"]},
    ),
    "token with a permission js-admin lacks": lambda c, w: c.post(
        "/accounts/tokens/new/",
        {"name": "js-delete", "unit": w.js.pk, "permissions": ["accounts.delete_user"]},
    ),
    "Guangdong's token revoked": lambda c, w: c.post(f"/accounts/tokens/{w.gd_token.pk}/revoke/"),
    "a function role changed for every province": lambda c, w: c.post(
        f"/accounts/roles/{w.agent_role.pk}/edit/",
        {"name": "坐席", "permissions": ["accounts.use_agent_workbench", "accounts.add_user"]},
    ),
    "a function role created": lambda c, w: c.post(
        "/accounts/roles/new/",
        {"code": "js-super", "name": "x", "permissions": ["orgs.view_orgunit"]},
    ),
    "unit added under Guangdong (screen)": lambda c, w: c.post(
        f"/orgs/{w.gd.pk}/add/",
        {"name": "内鬼", "code": "GD-X", "level": "department", "kind": "billing"},
    ),
    "unit added under Guangdong (API)": lambda c, w: c.post(
        "/api/orgs/units",
        {"name": "内鬼", "code": "GD-X", "level": "department", "parent_id": w.gd.pk},
        content_type="application/json",
    ),
    "a Guangdong audit row": lambda c, w: c.get(f"/audit/{w.gd_change.pk}/"),
    "the call log": lambda c, w: c.get("/integrations/calls/"),
}

REFUSED = {302, 403, 404, 409, 422}


def assert_refused(response: Any, client: Client, world: World) -> None:
    assert response.status_code in REFUSED, response.content[:500]
    if response.status_code == 302:
        # Only the way to sign in, never a page of the admin or a success.
        location = response["Location"]
        assert location.startswith(("/admin/login/", "/accounts/login/")), location
        assert client.get(location).status_code in {302, 403}
    body = response.content.decode(errors="replace")
    assert "13800138000" not in body and EVIL_URL not in body


@pytest.mark.parametrize("attempt", THROUGH_THE_ADMIN, ids=list(THROUGH_THE_ADMIN))
def test_province_admin_cannot_escalate_through_the_django_admin(
    attempt: str, world: World, login_client
) -> None:
    client = login_client("js-admin")
    before = database_state()
    assert_refused(THROUGH_THE_ADMIN[attempt](client, world), client, world)
    assert database_state() == before


@pytest.mark.parametrize("attempt", THROUGH_THE_APP, ids=list(THROUGH_THE_APP))
def test_province_admin_cannot_escalate_through_firstcalls_screens(
    attempt: str, world: World, login_client
) -> None:
    client = login_client("js-admin")
    before = database_state()
    assert_refused(THROUGH_THE_APP[attempt](client, world), client, world)
    assert database_state() == before


def test_editing_a_person_never_touches_the_admin_flags(world: World, login_client) -> None:
    client = login_client("js-admin")
    target = world.jiangsu_agent
    response = client.post(
        f"/accounts/users/{target.pk}/edit/",
        {"name": "南京坐席甲", "email": "", "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "南京坐席甲"
    assert (target.is_superuser, target.is_staff) == (False, False)


def test_the_admin_refuses_a_staff_user_even_with_every_model_permission(login_client) -> None:
    # hq-admin is staff and holds the org-admin role at the root: still not a superuser.
    client = login_client("hq-admin")
    response = client.get("/admin/accounts/user/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[0][0].startswith("/admin/login/")


def test_the_admin_sends_the_signed_out_to_firstcalls_sign_in() -> None:
    response = Client().get("/admin/accounts/user/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert response.status_code == 200


def test_a_superuser_still_has_the_whole_admin(login_client, world: World) -> None:
    client = login_client("admin")
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/core/objectchange/").content.decode()
    assert "gd-admin" in page
    response = client.post(
        f"/admin/accounts/apitoken/{world.js_token.pk}/change/",
        {
            "name": "js-sync",
            "unit": world.hq.pk,
            "permissions": [perm_pk("orgs.view_orgunit")],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=world.js_token.pk).unit_id == world.hq.pk


def test_headquarters_admin_may_do_headquarters_things(login_client, world: World) -> None:
    client = login_client("hq-admin")
    response = client.post(
        f"/accounts/users/{world.jiangsu_agent.pk}/roles/add/",
        {"unit": world.hq.pk, "role": world.agent_role.pk, "flow_role": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=world.jiangsu_agent, unit=world.hq, role=world.agent_role
    ).exists()
    response = client.post(
        "/integrations/crm/edit/",
        {
            "title": "CRM",
            "base_url": "http://127.0.0.1:8100/crm",
            "timeout_ms": 900,
            "retries": 1,
            "failure_threshold": 5,
            "open_seconds": 15,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    assert BackendSystem.objects.get(name="crm").timeout_ms == 900
    response = client.post(
        "/accounts/tokens/new/",
        {"name": "hq-sync", "unit": world.hq.pk, "permissions": ["orgs.view_orgunit"]},
    )
    assert response.status_code == 201
    assert ApiToken.objects.get(name="hq-sync").unit_id == world.hq.pk


def test_every_registered_model_admin_refuses_a_staff_user_on_its_own(rf, user) -> None:
    # Should the site's check ever be bypassed (a custom admin view, a new site), each model admin
    # still answers "no" to anyone but a superuser.
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = user("js-admin")
    assert request.user.is_staff
    for model, model_admin in admin.site._registry.items():
        assert not admin.site.has_permission(request), model
        assert not model_admin.has_module_permission(request), model
        assert not model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    request.user = user("admin")
    assert admin.site.has_permission(request)
