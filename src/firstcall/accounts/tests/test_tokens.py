from datetime import timedelta

import pytest
from django.test import Client

from firstcall.accounts import services
from firstcall.accounts.models import ApiToken
from firstcall.core import clock
from firstcall.core.audit import ChangeContext

pytestmark = pytest.mark.django_db


def issue(unit_code, unit, permissions, **kwargs):
    return services.issue_token(
        ChangeContext.for_cli("test"),
        name=f"sys-{unit_code}",
        unit=unit(unit_code),
        permissions=permissions,
        **kwargs,
    )


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_stored_hashed(unit):
    token, secret = issue("JS", unit, ["orgs.view_orgunit"])
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.key_hash, stored.prefix}
    assert len(stored.key_hash) == 64 and secret.startswith(stored.prefix)


def test_token_without_the_permission_gets_403_problem_json(unit):
    _, secret = issue("JS", unit, ["orgs.view_orgunit"])
    response = Client().get("/api/accounts/users", **bearer(secret))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 403 and body["title"] and body["permission"] == "accounts.view_user"


def test_token_is_scoped_to_its_org_unit(unit):
    _, secret = issue("GD", unit, ["orgs.view_orgunit"])
    client = Client()
    response = client.get("/api/orgs/units?limit=1000", **bearer(secret))
    assert response.status_code == 200
    assert {row["code"][:2] for row in response.json()} == {"GD"}
    assert client.get(f"/api/orgs/units/{unit('JS').pk}", **bearer(secret)).status_code == 404


def test_unknown_expired_or_revoked_token_gets_401(unit):
    client = Client()
    response = client.get("/api/orgs/units", **bearer("fc_not-a-token"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"

    token, secret = issue(
        "JS", unit, ["orgs.view_orgunit"], expires_at=clock.now() + timedelta(days=1)
    )
    assert client.get("/api/orgs/units", **bearer(secret)).status_code == 200
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert client.get("/api/orgs/units", **bearer(secret)).status_code == 401
    services.revoke_token(ChangeContext.for_cli("test"), token)
    assert client.get("/api/orgs/units", **bearer(secret)).status_code == 401


def test_token_write_is_audited_under_the_token_name(unit):
    from firstcall.core.models import ObjectChange

    _, secret = issue("SC", unit, ["orgs.view_orgunit", "orgs.change_orgunit"])
    target = unit("SC-MY-BILL")
    response = Client().patch(
        f"/api/orgs/units/{target.pk}",
        {"name": "绵阳计费中心"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 200
    change = ObjectChange.objects.filter(
        content_type__model="orgunit", object_id=str(target.pk)
    ).latest("id")
    assert change.actor is None and change.actor_label == "token:sys-SC" and change.source == "api"


def test_unknown_permission_is_refused_when_issuing(unit):
    from firstcall.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        issue("JS", unit, ["orgs.fly_to_the_moon"])
