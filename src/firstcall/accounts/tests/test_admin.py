import re

import pytest
from django.contrib.auth.models import Permission

from firstcall.accounts.models import ApiToken
from firstcall.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_admin_speaks_chinese_by_default(login_client):
    page = login_client("admin").get("/admin/").content.decode()
    assert "站点管理" in page
    assert "组织机构" in page


def test_admin_issues_a_token_shows_the_secret_once_and_audits_it(login_client, unit):
    client = login_client("admin")
    perm = Permission.objects.get(codename="view_orgunit")
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"name": "crm-sync", "unit": unit("JS").pk, "permissions": [perm.pk], "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="crm-sync")
    shown = [str(m) for m in response.context["messages"]]
    secret = next(match.group() for m in shown if (match := re.search(r"fc_[\w-]+", m)))
    assert secret.startswith(token.prefix) and token.key_hash not in secret
    assert token.permission_names() == {"orgs.view_orgunit"}
    change = ObjectChange.objects.get(
        content_type__model="apitoken", object_id=str(token.pk), action="create"
    )
    assert change.actor.username == "admin"
    assert client.get("/api/orgs/units", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_the_admin_is_closed_to_a_province_admin(login_client):
    # The Django admin knows nothing of org scopes; org administrators use FirstCall's screens.
    response = login_client("js-admin").get("/admin/orgs/orgunit/?all=", follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "南京市分公司" not in page and "广州市分公司" not in page
