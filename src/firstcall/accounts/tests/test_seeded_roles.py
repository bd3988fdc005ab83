"""Seeding again brings a seeded function role up to the seed, and keeps what an admin added."""

import pytest
from django.contrib.auth.models import Permission

from firstcall.accounts.models import FunctionRole
from firstcall.core.audit import ChangeContext
from firstcall.seeding import FUNCTION_ROLES, seed_reference

pytestmark = pytest.mark.django_db


def names(role: FunctionRole) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()}


def test_a_seeded_role_gains_the_permissions_the_seed_now_gives_and_keeps_the_admins():
    role = FunctionRole.objects.get(code="org_admin")
    seeded = set(FUNCTION_ROLES["org_admin"][1])
    assert seeded <= names(role)
    # As a database seeded before a new screen existed: one seeded permission missing, and one
    # that an administrator added since.
    role.permissions.remove(role.permissions.get(codename="add_apitoken"))
    added = next(
        p
        for p in Permission.objects.select_related("content_type").order_by("pk")
        if f"{p.content_type.app_label}.{p.codename}" not in seeded
    )
    extra = f"{added.content_type.app_label}.{added.codename}"
    role.permissions.add(added)
    seed_reference(ChangeContext.for_cli("seed"))
    assert names(role) == seeded | {extra}
