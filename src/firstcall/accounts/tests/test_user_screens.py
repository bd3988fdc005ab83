"""People and their roles, managed on FirstCall's own screens through HTTP."""

import pytest
from django.test import Client

from firstcall.accounts.models import FlowRole, FunctionRole, Membership, User
from firstcall.core.models import ObjectChange

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-passw0rd!"


def changes_of(obj) -> list[ObjectChange]:
    return list(
        ObjectChange.objects.filter(
            content_type__model=obj._meta.model_name, object_id=str(obj.pk)
        ).order_by("id")
    )


def create_agent(client: Client, unit, username: str = "js-nj-new") -> User:
    response = client.post(
        "/accounts/users/new/",
        {
            "username": username,
            "name": "南京新坐席",
            "email": "new@example.com",
            "password": PASSWORD,
            "unit": unit("JS-NJ-CS-D1").pk,
            "role": FunctionRole.objects.get(code="agent").pk,
            "flow_role": FlowRole.objects.get(code="agent").pk,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    person = User.objects.get(username=username)
    assert response["Location"] == f"/accounts/users/{person.pk}/"
    return person


def test_province_admin_creates_a_jiangsu_agent_who_can_sign_in(login_client, unit):
    client = login_client("js-admin")
    form = client.get("/accounts/users/new/").content.decode()
    assert "南京10000号一班" in form
    assert "集团总部" not in form and "广州" not in form
    assert "org_admin" not in form  # roles are offered by name, and only those js-admin holds

    person = create_agent(client, unit)
    assert (person.is_staff, person.is_superuser, person.is_active) == (False, False, True)
    membership = person.memberships.get()
    assert (membership.unit.code, membership.role.code, membership.flow_role.code) == (
        "JS-NJ-CS-D1",
        "agent",
        "agent",
    )
    assert changes_of(person)[0].actor.username == "js-admin"
    assert changes_of(membership)[0].actor.username == "js-admin"
    assert "password" not in changes_of(person)[0].after

    assert Client().login(username="js-nj-new", password=PASSWORD)
    assert person.has_perm("accounts.use_agent_workbench")
    assert not person.has_perm("accounts.add_user")


def test_creating_a_user_refuses_bad_input_with_field_errors(login_client, unit):
    client = login_client("js-admin")
    before = User.objects.count()
    base = {
        "username": "js-nj-agent",
        "password": PASSWORD,
        "unit": unit("JS-NJ-CS").pk,
        "role": FunctionRole.objects.get(code="agent").pk,
    }
    taken = client.post("/accounts/users/new/", base)
    assert taken.status_code == 422
    assert taken.context["form"].errors["username"]
    weak = client.post("/accounts/users/new/", {**base, "username": "js-weak", "password": "1"})
    assert weak.status_code == 422 and weak.context["form"].errors["password"]
    odd = client.post("/accounts/users/new/", {**base, "username": "a b", "unit": "²"})
    assert odd.status_code == 422
    assert set(odd.context["form"].errors) >= {"username", "unit"}
    nul = client.post("/accounts/users/new/", {**base, "username": "ab\x00"})
    assert nul.status_code in (400, 422)
    assert User.objects.count() == before


def test_a_role_is_given_and_taken_back(login_client, unit):
    client = login_client("js-admin")
    person = create_agent(client, unit)
    expert = FunctionRole.objects.get(code="expert")
    page = client.get(f"/accounts/users/{person.pk}/roles/add/").content.decode()
    assert "南京专家坐席" in page and "广州" not in page
    response = client.post(
        f"/accounts/users/{person.pk}/roles/add/",
        {"unit": unit("JS-NJ-EXP").pk, "role": expert.pk, "flow_role": ""},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=person, role=expert)
    detail = client.get(f"/accounts/users/{person.pk}/").content.decode()
    assert f"/accounts/memberships/{added.pk}/remove/" in detail

    again = client.post(
        f"/accounts/users/{person.pk}/roles/add/", {"unit": unit("JS-NJ-EXP").pk, "role": expert.pk}
    )
    assert again.status_code == 409  # already held there
    assert client.post(f"/accounts/memberships/{added.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=added.pk).exists()
    assert changes_of(added)[-1].action == "delete"

    last = person.memberships.get()
    response = client.post(f"/accounts/memberships/{last.pk}/remove/", follow=True)
    assert "停用" in response.content.decode() or "Deactivate" in response.content.decode()
    assert Membership.objects.filter(pk=last.pk).exists()


def test_a_person_is_edited_given_a_password_deactivated_and_reactivated(login_client, unit):
    client = login_client("js-admin")
    person = create_agent(client, unit)
    form = client.get(f"/accounts/users/{person.pk}/edit/").content.decode()
    assert "is_superuser" not in form and "is_staff" not in form
    response = client.post(
        f"/accounts/users/{person.pk}/edit/",
        {"name": "南京坐席乙", "email": "", "password": "An0ther-passw0rd!"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "南京坐席乙" and person.check_password("An0ther-passw0rd!")

    signed_in = Client()
    signed_in.force_login(person)
    assert signed_in.get("/").status_code == 200
    assert client.post(f"/accounts/users/{person.pk}/active/", {"active": "0"}).status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    assert signed_in.get("/").status_code == 302  # the session no longer signs anyone in
    assert not Client().login(username=person.username, password="An0ther-passw0rd!")

    client.post(f"/accounts/users/{person.pk}/active/", {"active": "1"})
    person.refresh_from_db()
    assert person.is_active is True


def test_the_detail_offers_management_only_where_it_is_allowed(login_client, user):
    agent = user("js-nj-agent")
    page = login_client("js-admin").get(f"/accounts/users/{agent.pk}/").content.decode()
    assert 'data-testid="user-actions"' in page
    page = login_client("js-nj-supervisor").get(f"/accounts/users/{agent.pk}/").content.decode()
    assert 'data-testid="user-actions"' not in page and "/remove/" not in page
    assert (
        login_client("js-nj-supervisor").get(f"/accounts/users/{agent.pk}/edit/").status_code == 403
    )
    assert (
        login_client("js-admin").get(f"/accounts/users/{user('gd-gz-agent').pk}/").status_code
        == 404
    )


def test_the_user_list_filter_takes_any_unit_value(login_client):
    client = login_client("js-admin")
    for value in ("²", "-1", "99999999999999999999999", "1e3", "١٢"):
        assert client.get("/accounts/users/", {"unit": value}).status_code == 200
    # A NUL byte is refused before any view (400) or dropped by the view, never a 500.
    assert client.get("/accounts/users/", {"q": "a\x00b", "unit": "1\x00"}).status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/users/{id}/",
        "/accounts/users/{id}/edit/",
        "/accounts/users/{id}/roles/add/",
        "/accounts/roles/{id}/edit/",
    ],
)
def test_an_id_beyond_any_row_is_a_404(login_client, path):
    client = login_client("hq-admin")
    for pk in (0, 2**63, 10**30):
        assert client.get(path.format(id=pk)).status_code == 404
    for post in ("/accounts/users/{id}/active/", "/accounts/memberships/{id}/remove/"):
        assert client.post(post.format(id=2**64), {"active": "0"}).status_code == 404
    assert client.post(f"/accounts/tokens/{10**30}/revoke/").status_code == 404
