"""Function roles and API tokens on FirstCall's own screens, through HTTP."""

import re

import pytest
from django.test import Client

from firstcall.accounts.models import ApiToken, FunctionRole
from firstcall.accounts.permissions import label_of
from firstcall.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_the_role_list_shows_each_role_with_its_permissions_in_words(login_client):
    client = login_client("js-admin")
    page = client.get("/accounts/roles/").content.decode()
    assert "系统管理员" in page and label_of("accounts.use_agent_workbench") in page
    assert "orgs.view_orgunit" not in page and "Can view" not in page
    assert "/accounts/roles/new/" not in page and "/edit/" not in page  # headquarters' to change
    assert login_client("js-nj-agent").get("/accounts/roles/").status_code == 403


def test_headquarters_creates_and_changes_a_role_with_permissions_it_holds(login_client):
    client = login_client("hq-admin")
    form = client.get("/accounts/roles/new/").content.decode()
    assert 'value="orgs.view_orgunit"' in form
    assert 'value="accounts.delete_user"' not in form  # not held, not offered
    response = client.post(
        "/accounts/roles/new/",
        {"code": "night-desk", "name": "夜班", "permissions": ["orgs.view_orgunit"]},
    )
    assert response.status_code == 302
    role = FunctionRole.objects.get(code="night-desk")
    assert ObjectChange.objects.filter(object_id=str(role.pk), action="create").exists()

    refused = client.post(
        f"/accounts/roles/{role.pk}/edit/",
        {"name": "夜班", "permissions": ["orgs.view_orgunit", "accounts.delete_user"]},
    )
    assert refused.status_code == 422
    assert set(role.permissions.values_list("codename", flat=True)) == {"view_orgunit"}

    response = client.post(
        f"/accounts/roles/{role.pk}/edit/",
        {"name": "夜班坐席", "permissions": ["orgs.view_orgunit", "accounts.use_agent_workbench"]},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.name == "夜班坐席"
    assert set(role.permissions.values_list("codename", flat=True)) == {
        "view_orgunit",
        "use_agent_workbench",
    }

    duplicate = client.post(
        "/accounts/roles/new/", {"code": "night-desk", "name": "x", "permissions": []}
    )
    assert duplicate.status_code == 422 and duplicate.context["form"].errors["code"]


def test_province_admin_issues_a_token_whose_secret_is_shown_once(login_client, unit):
    client = login_client("js-admin")
    form = client.get("/accounts/tokens/new/").content.decode()
    assert "江苏省分公司" in form and "集团总部" not in form
    response = client.post(
        "/accounts/tokens/new/",
        {
            "name": "js-crm-sync",
            "unit": unit("JS").pk,
            "permissions": ["orgs.view_orgunit"],
            "valid_days": "30",
        },
    )
    assert response.status_code == 201
    assert "no-store" in response.get("Cache-Control", "")
    secret = re.search(r'data-testid="token-secret">(fc_[\w-]+)<', response.content.decode())
    assert secret is not None
    token = ApiToken.objects.get(name="js-crm-sync")
    assert token.created_by.username == "js-admin" and token.expires_at is not None

    listing = client.get("/accounts/tokens/").content.decode()
    assert "js-crm-sync" in listing and secret.group(1) not in listing

    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret.group(1)}"}
    codes = {row["code"][:2] for row in Client().get("/api/orgs/units", **bearer).json()}
    assert codes == {"JS"}

    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.is_active is False
    assert Client().get("/api/orgs/units", **bearer).status_code == 401


def test_a_token_form_with_nothing_chosen_is_a_field_error(login_client, unit):
    client = login_client("js-admin")
    response = client.post(
        "/accounts/tokens/new/",
        {"name": "", "unit": unit("JS").pk, "valid_days": "0", "permissions": []},
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"name", "permissions", "valid_days"}
    assert not ApiToken.objects.exists()


def test_the_menu_shows_the_admin_screens_to_those_who_may_open_them(login_client):
    admin_page = login_client("js-admin").get("/").content.decode()
    assert "/accounts/roles/" in admin_page and "/accounts/tokens/" in admin_page
    assert 'href="/admin/"' not in admin_page  # staff, but not a superuser
    agent_page = login_client("js-nj-agent").get("/").content.decode()
    assert "/accounts/tokens/" not in agent_page and "/accounts/roles/" not in agent_page
    assert 'href="/admin/"' in login_client("admin").get("/").content.decode()
