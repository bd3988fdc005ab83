"""Seeding again after an upgrade: a seeded flow whose seed changed gets it as its next version;
a flow an admin has published since is left alone."""

import pytest

from firstcall.core.audit import ChangeContext
from firstcall.navigation import services
from firstcall.navigation.models import Flow, FlowVersion

pytestmark = pytest.mark.django_db


def published(code: str) -> FlowVersion:
    return FlowVersion.objects.get(flow__code=code, status="published")


def test_a_changed_seed_is_published_over_an_earlier_seed_and_not_over_an_admins_version():
    ctx = ChangeContext.for_cli("seed")
    for code in ("F-BB-691", "F-BB-678"):
        FlowVersion.objects.filter(pk=published(code).pk).update(bpmn=published(code).bpmn + " ")
    admin_version = published("F-BB-678")
    FlowVersion.objects.filter(pk=admin_version.pk).update(published_by="hq-admin")

    upgraded = services.seed_flows(ctx)

    assert [f.code for f in upgraded] == ["F-BB-691"]
    assert published("F-BB-691").number == 2 and published("F-BB-678").number == 1
    assert Flow.objects.get(code="F-BB-691").versions.filter(status="retired").count() == 1
    assert services.seed_flows(ctx) == []  # the same seed again changes nothing
