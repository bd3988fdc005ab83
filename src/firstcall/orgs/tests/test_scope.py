"""Org-subtree scoping through the real views and API, not only restrict()."""

import pytest

from firstcall.accounts import services as accounts
from firstcall.accounts.models import FunctionRole
from firstcall.core.audit import ChangeContext

pytestmark = pytest.mark.django_db


def codes(response) -> set[str]:
    return {row["code"] for row in response.json()}


def test_city_agent_lists_only_their_own_city(login_client, unit):
    client = login_client("js-nj-agent")
    api_codes = codes(client.get("/api/orgs/units?limit=1000"))
    assert "JS-NJ" in api_codes and "JS-NJ-CS" in api_codes
    assert "JS-SZ" not in api_codes and "JS-SZ-CS" not in api_codes
    assert "GD" not in api_codes and "HQ" not in api_codes
    assert all(code.startswith("JS-NJ") for code in api_codes)

    page = client.get("/orgs/").content.decode()
    assert unit("JS-NJ").name in page
    assert unit("JS-SZ").name not in page


def test_city_agent_cannot_open_another_city(login_client, unit):
    client = login_client("js-nj-agent")
    other = unit("JS-SZ-CS")
    assert client.get(f"/orgs/{other.pk}/").status_code == 404
    response = client.get(f"/api/orgs/units/{other.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(f"/orgs/{unit('JS-NJ-CS').pk}/").status_code == 200


def test_city_agent_cannot_change_org_units(login_client, unit):
    client = login_client("js-nj-agent")
    own = unit("JS-NJ-CS")
    response = client.patch(
        f"/api/orgs/units/{own.pk}", {"name": "renamed"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        client.post(f"/orgs/{own.pk}/edit/", {"name": "renamed", "kind": own.kind}).status_code
        == 403
    )
    own.refresh_from_db()
    assert own.name != "renamed"


def test_city_admin_changes_own_city_but_not_another(login_client, unit, user):
    # A city-level administrator: the change permission, held only under Nanjing.
    ctx = ChangeContext.for_cli("test")
    accounts.grant_membership(
        ctx,
        user=user("js-nj-supervisor"),
        unit=unit("JS-NJ"),
        role=FunctionRole.objects.get(code="org_admin"),
    )
    client = login_client("js-nj-supervisor")
    own, other = unit("JS-NJ-FLD"), unit("JS-SZ-FLD")

    response = client.post(f"/orgs/{own.pk}/edit/", {"name": "南京装维一组", "kind": own.kind})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "南京装维一组"

    assert (
        client.post(f"/orgs/{other.pk}/edit/", {"name": "x", "kind": other.kind}).status_code == 404
    )
    response = client.patch(
        f"/api/orgs/units/{other.pk}", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "x"


def test_province_user_sees_the_cities_below_it(login_client):
    client = login_client("js-admin")
    api_codes = codes(client.get("/api/orgs/units?limit=1000"))
    assert {"JS", "JS-NJ", "JS-SZ", "JS-WX", "JS-SZ-FLD"} <= api_codes
    assert not any(code.startswith(("GD", "SC", "HQ")) for code in api_codes)

    usernames = {row["username"] for row in client.get("/api/accounts/users?limit=500").json()}
    assert {"js-nj-agent", "js-sz-agent", "js-admin"} <= usernames
    assert "gd-gz-agent" not in usernames and "hq-admin" not in usernames


def test_headquarters_sees_everything(login_client):
    from firstcall.orgs.models import OrgUnit

    client = login_client("hq-admin")
    api_codes = codes(client.get("/api/orgs/units?limit=1000"))
    assert api_codes == set(OrgUnit.objects.values_list("code", flat=True))


def test_city_agent_sees_only_colleagues_of_their_city(login_client, user):
    client = login_client("js-nj-agent")
    usernames = {row["username"] for row in client.get("/api/accounts/users?limit=500").json()}
    assert "js-nj-expert" in usernames
    assert "js-sz-agent" not in usernames
    other = user("js-sz-agent")
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert client.get(f"/api/accounts/users/{other.pk}").status_code == 404
