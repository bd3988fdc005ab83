"""Creating something whose code or name another request takes between the check and the insert
answers 409 (a Conflict with a field error), never an IntegrityError, and leaves the request's
transaction usable. The race is made certain by letting the existence check see nothing."""

import pytest
from django.db.models import QuerySet

from firstcall.accounts import services as accounts
from firstcall.accounts.models import FunctionRole, User
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict
from firstcall.core.models import ObjectChange
from firstcall.orgs import services as orgs
from firstcall.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_sees_nothing(monkeypatch):
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)


def _counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        FunctionRole.objects.count(),
        OrgUnit.objects.count(),
        ObjectChange.objects.count(),
    )


def test_a_username_taken_meanwhile_is_a_conflict(check_sees_nothing):
    before = _counts()
    with pytest.raises(Conflict) as excinfo:
        accounts.create_user(
            ChangeContext.for_cli("test"), username="hq-admin", password="x", check_password=False
        )
    assert "username" in excinfo.value.errors
    assert _counts() == before  # and the connection still answers


def test_a_role_code_taken_meanwhile_is_a_conflict(check_sees_nothing):
    before = _counts()
    with pytest.raises(Conflict) as excinfo:
        accounts.create_function_role(ChangeContext.for_cli("test"), code="agent", name="x")
    assert "code" in excinfo.value.errors
    assert _counts() == before


def test_an_org_unit_code_taken_meanwhile_is_a_conflict(check_sees_nothing):
    before = _counts()
    with pytest.raises(Conflict) as excinfo:
        orgs.create_unit(
            ChangeContext.for_cli("test"),
            name="重复",
            code="JS-NJ",
            level=OrgUnit.Level.DEPARTMENT,
            parent=OrgUnit.objects.get(code="JS"),
        )
    assert "code" in excinfo.value.errors
    assert _counts() == before
