import pytest

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, ValidationFailed
from firstcall.orgs import queries, services
from firstcall.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx() -> ChangeContext:
    return ChangeContext.for_cli("test")


def test_subtree_is_a_prefix_match_on_the_path(unit):
    js = unit("JS")
    codes = set(queries.subtree(js).values_list("code", flat=True))
    assert "JS-NJ-CS-D1" in codes and "GD" not in codes
    assert [a.code for a in queries.ancestors(unit("JS-NJ-CS-D1"))] == [
        "HQ",
        "JS",
        "JS-NJ",
        "JS-NJ-CS",
    ]


def test_moving_a_unit_moves_its_subtree(ctx, unit):
    desk = unit("JS-NJ-CS-D1")
    services.move_unit(ctx, unit("JS-NJ-CS"), parent=unit("JS-SZ"))
    desk.refresh_from_db()
    assert desk.path.startswith(unit("JS-SZ").path)
    assert desk.depth == unit("JS-SZ").depth + 2
    assert "JS-NJ-CS-D1" in set(queries.subtree(unit("JS-SZ")).values_list("code", flat=True))


def test_a_unit_cannot_move_under_itself(ctx, unit):
    with pytest.raises(ValidationFailed):
        services.move_unit(ctx, unit("JS"), parent=unit("JS-NJ"))


def test_a_city_cannot_hang_under_headquarters(ctx, unit):
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_unit(ctx, name="x", code="X-1", level=OrgUnit.Level.CITY, parent=unit("HQ"))
    assert "parent" in excinfo.value.errors
    assert not OrgUnit.objects.filter(code="X-1").exists()


def test_duplicate_code_is_a_conflict_with_a_field_error(ctx, unit):
    with pytest.raises(Conflict) as excinfo:
        services.create_unit(
            ctx, name="dup", code="js-nj", level=OrgUnit.Level.DEPARTMENT, parent=unit("JS")
        )
    assert "code" in excinfo.value.errors


def test_create_through_the_api_validates_and_reports_problems(login_client, unit):
    client = login_client("hq-admin")
    bad = client.post(
        "/api/orgs/units",
        {"name": "", "code": "JS-NEW", "level": "department", "parent_id": unit("JS").pk},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert "name" in bad.json()["errors"]
    ok = client.post(
        "/api/orgs/units",
        {
            "name": "江苏大客户部",
            "code": "JS-VIP",
            "level": "department",
            "kind": "customer_service",
            "parent_id": unit("JS").pk,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["parent_id"] == unit("JS").pk
    assert unit("JS-VIP").path.startswith(unit("JS").path)
