"""The services refuse what an administrator may not give, whoever calls them: a screen, the API
or a command run `--as` someone. Called here directly, as a forged request would reach them."""

import pytest

from firstcall.accounts import services
from firstcall.accounts.models import ApiToken, FunctionRole, Membership, User
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, Forbidden, ValidationFailed
from firstcall.core.models import ObjectChange

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-passw0rd!"


@pytest.fixture
def as_user(user):
    return lambda username: ChangeContext(
        actor=user(username), source=ObjectChange.Source.WEB, request_id="test"
    )


def role(code: str) -> FunctionRole:
    return FunctionRole.objects.get(code=code)


def test_an_administrator_cannot_make_a_superuser_or_staff_user(as_user, unit):
    for flags in ({"is_superuser": True}, {"is_staff": True}):
        with pytest.raises(Forbidden):
            services.create_user(
                as_user("js-admin"),
                username="js-root",
                password=PASSWORD,
                unit=unit("JS-NJ-CS"),
                role=role("agent"),
                **flags,
            )
    assert not User.objects.filter(username="js-root").exists()


def test_an_administrator_creates_users_only_with_a_role_in_their_subtree(as_user, unit):
    with pytest.raises(ValidationFailed) as missing:
        services.create_user(as_user("js-admin"), username="js-x", password=PASSWORD)
    assert "unit" in missing.value.errors
    with pytest.raises(Forbidden):
        services.create_user(
            as_user("js-admin"),
            username="js-x",
            password=PASSWORD,
            unit=unit("GD-GZ-CS"),
            role=role("agent"),
        )
    person = services.create_user(
        as_user("js-admin"),
        username="js-x",
        password=PASSWORD,
        unit=unit("JS-NJ-CS"),
        role=role("agent"),
    )
    assert person.memberships.get().unit.code == "JS-NJ-CS"
    assert not person.is_staff and not person.is_superuser


def test_a_role_is_given_only_where_and_if_the_giver_holds_it(as_user, user, unit):
    agent = user("js-nj-agent")
    with pytest.raises(Forbidden):  # headquarters is outside Jiangsu
        services.grant_membership(
            as_user("js-admin"), user=agent, unit=unit("HQ"), role=role("org_admin")
        )
    hq_only = services.create_function_role(
        ChangeContext.for_cli("test"),
        code="deleter",
        name="删除",
        permissions=["accounts.delete_user"],
    )
    with pytest.raises(ValidationFailed) as refused:
        services.grant_membership(as_user("js-admin"), user=agent, unit=unit("JS"), role=hq_only)
    assert "role" in refused.value.errors
    # A city administrator cannot give a role that would apply across the province.
    services.grant_membership(
        ChangeContext.for_cli("test"),
        user=user("js-nj-supervisor"),
        unit=unit("JS-NJ"),
        role=role("org_admin"),
    )
    with pytest.raises(Forbidden):
        services.grant_membership(
            as_user("js-nj-supervisor"), user=agent, unit=unit("JS-CS"), role=role("agent")
        )
    services.grant_membership(
        as_user("js-nj-supervisor"), user=agent, unit=unit("JS-NJ-EXP"), role=role("expert")
    )


def test_a_person_with_roles_elsewhere_is_not_the_province_admins_to_manage(as_user, user, unit):
    services.grant_membership(
        ChangeContext.for_cli("test"),
        user=user("hq-admin"),
        unit=unit("JS-NJ-CS"),
        role=role("agent"),
    )
    hq_admin = user("hq-admin")
    ctx = as_user("js-admin")
    with pytest.raises(Forbidden):
        services.set_password(ctx, hq_admin, "Take0ver-2026!")
    with pytest.raises(Forbidden):
        services.update_user(ctx, hq_admin, is_active=False)
    with pytest.raises(Forbidden):
        services.revoke_membership(
            ctx, Membership.objects.get(user=hq_admin, unit__code="JS-NJ-CS")
        )
    hq_admin.refresh_from_db()
    assert hq_admin.is_active and hq_admin.check_password("Take0ver-2026!") is False


def test_a_superuser_is_managed_by_superusers_only(as_user, user):
    with pytest.raises(Forbidden):
        services.update_user(as_user("hq-admin"), user("admin"), is_active=False)
    services.update_user(as_user("admin"), user("hq-reviewer"), name="总部质检员")


def test_the_last_role_is_not_taken_and_oneself_not_deactivated(as_user, user):
    agent = user("js-nj-agent")
    with pytest.raises(Conflict):
        services.revoke_membership(as_user("js-admin"), agent.memberships.get())
    with pytest.raises(Conflict):
        services.update_user(as_user("js-admin"), user("js-admin"), is_active=False)


def test_roles_are_created_and_changed_at_headquarters_only(as_user):
    with pytest.raises(Forbidden):
        services.create_function_role(
            as_user("js-admin"), code="js-role", name="x", permissions=["orgs.view_orgunit"]
        )
    with pytest.raises(Forbidden):
        services.update_function_role(
            as_user("js-admin"), role("agent"), permissions=["accounts.use_agent_workbench"]
        )
    with pytest.raises(ValidationFailed) as refused:
        services.create_function_role(
            as_user("hq-admin"), code="hq-role", name="x", permissions=["accounts.delete_user"]
        )
    assert "permissions" in refused.value.errors
    made = services.create_function_role(
        as_user("hq-admin"), code="hq-role", name="x", permissions=["orgs.view_orgunit"]
    )
    services.update_function_role(
        as_user("hq-admin"), made, permissions=["orgs.view_orgunit", "accounts.view_user"]
    )
    assert made.permissions.count() == 2


def test_tokens_are_issued_in_the_subtree_with_held_permissions_only(as_user, unit):
    with pytest.raises(Forbidden):
        services.issue_token(
            as_user("js-admin"), name="t", unit=unit("HQ"), permissions=["orgs.view_orgunit"]
        )
    with pytest.raises(ValidationFailed):
        services.issue_token(
            as_user("js-admin"), name="t", unit=unit("JS"), permissions=["accounts.delete_user"]
        )
    token, _ = services.issue_token(
        as_user("js-admin"), name="t", unit=unit("JS"), permissions=["orgs.view_orgunit"]
    )
    gd_token, _ = services.issue_token(
        ChangeContext.for_cli("test"), name="g", unit=unit("GD"), permissions=[]
    )
    with pytest.raises(Forbidden):
        services.revoke_token(as_user("js-admin"), gd_token)
    services.revoke_token(as_user("js-admin"), token)
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_a_web_write_without_a_user_is_refused(unit):
    anonymous_web = ChangeContext(source=ObjectChange.Source.WEB)
    with pytest.raises(Forbidden):
        services.issue_token(
            anonymous_web, name="t", unit=unit("JS"), permissions=["orgs.view_orgunit"]
        )


def test_a_command_run_as_a_province_admin_is_bounded_like_the_screen(unit):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command(
            "create_user",
            "js-root",
            "--password",
            PASSWORD,
            "--superuser",
            "--unit",
            "JS",
            "--role",
            "agent",
            "--as",
            "js-admin",
        )
    assert not User.objects.filter(username="js-root").exists()
