"""`seed --demo`'s back-office tickets: in flight at every step of every seeded process, some
overdue, in several cities and provinces, each demo role with work in its to-do; made once."""

import time

import pytest

from firstcall.accounts.models import User
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.tickets.models import Ticket
from firstcall.workflows import access
from firstcall.workflows.demo import seed_demo_tickets
from firstcall.workflows.models import ProcessInstance, WorkItem

pytestmark = pytest.mark.django_db
ROLES = [
    "js-nj-dispatcher",
    "js-nj-netopt",
    "js-nj-netmaint",
    "js-nj-field",
    "js-complaints",
    "js-dispatcher",
    "js-reviewer",
    "hq-dispatcher",
    "hq-reviewer",
    "gd-dispatcher",
    "gd-reviewer",
    "js-nj-supervisor",
]


def test_demo_tickets_cover_every_step_and_every_role_once():
    began = time.monotonic()
    made = seed_demo_tickets(ChangeContext.for_cli("seed --demo"))
    assert made >= 20 and time.monotonic() - began < 30  # a few seconds on a quiet machine
    ready = list(WorkItem.objects.filter(state=WorkItem.State.READY).select_related("unit"))
    for process in ("BO-MOBNET", "BO-COMPLAINT", "BO-FAULT"):
        instances = ProcessInstance.objects.filter(version__process__code=process)
        assert instances.filter(status="running").exists()
    for process in ("BO-MOBNET", "BO-FAULT"):
        assert ProcessInstance.objects.filter(
            version__process__code=process, status="completed"
        ).exists()
    steps = {(i.instance.version.process.code, i.task_spec) for i in ready}
    assert {("BO-MOBNET", s) for s in ("accept", "analyse", "review", "reply", "archive")} <= steps
    assert ("BO-COMPLAINT", "province_handle") in steps and ("BO-COMPLAINT", "quality") in steps
    assert {("BO-FAULT", "dispatch"), ("BO-FAULT", "close")} <= steps
    for username in ROLES:
        user = User.objects.get(username=username)
        assert any(access.may_act(user, item) for item in ready), username
    assert any(i.due_at and i.due_at < clock.now() for i in ready)  # some overdue
    # Every demo complaint names the channel it came in through (the to-do's 来源 column).
    demo = Ticket.objects.filter(css_serial__startswith="DEMO-").exclude(kind="preprocessing")
    assert demo.exists() and not demo.filter(source="").exists()
    provinces = {i.unit.code.split("-")[0] for i in ready}
    assert {"JS", "GD", "SC", "HQ"} <= provinces
    count = Ticket.objects.count()
    assert seed_demo_tickets(ChangeContext.for_cli("seed --demo")) == 0
    assert Ticket.objects.count() == count
