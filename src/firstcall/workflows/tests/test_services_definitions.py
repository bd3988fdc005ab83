"""Publishing and seeding the processes, and the rules a start and an archive follow: a document
with problems is refused with them, seeding twice changes nothing, an 越级 complaint starts at
T2, an overdue ticket's archive asks for the timeout reason."""

import pytest

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.tickets.models import Ticket
from firstcall.workflows import services
from firstcall.workflows.models import Process, ProcessInstance, ProcessVersion
from firstcall.workflows.tests import mini
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only, step

pytestmark = pytest.mark.django_db


def cli() -> ChangeContext:
    return ChangeContext.for_cli("test")


def test_a_document_with_a_script_is_refused_with_its_problem():
    process = Process.objects.create(code="T-BAD", name_zh="坏", ticket_kind="complaint")
    bad = mini.bpmn().replace(
        '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end"/><bpmn:scriptTask id="evil"/>'
    )
    version = ProcessVersion.objects.create(process=process, number=1, bpmn=bad)
    with pytest.raises(ValidationFailed) as refused:
        services.publish_version(cli(), version)
    assert any("evil" in message for message in refused.value.errors["bpmn"])
    version.refresh_from_db()
    assert version.status == ProcessVersion.Status.DRAFT


def test_publishing_a_new_version_retires_the_old_one_and_running_tickets_keep_theirs():
    first = mini.published(cli())
    ticket = converted()
    services.start(cli(), ticket, "T-MINI", data={})
    second = mini.published(cli())
    first.refresh_from_db()
    assert first.status == "retired" and second.status == "published"
    assert ProcessInstance.objects.get(ticket=ticket).version == first
    step("js-nj-dispatcher", ticket, "accept")  # the old version runs on


def test_seeding_twice_publishes_each_process_once():
    before = ProcessVersion.objects.count()
    published = services.seed_processes(cli())
    assert {v.process.code for v in published} == {"BO-MOBNET", "BO-COMPLAINT", "BO-FAULT"}
    assert ProcessVersion.objects.count() == before  # the session's seed published them
    assert all(v.status == "published" for v in published)


def test_a_start_on_an_unknown_process_or_the_wrong_kind_is_refused():
    ticket = converted(kind="fault", group="装维")
    with pytest.raises(NotFound):
        services.start(cli(), ticket, "NO-SUCH", data={})
    with pytest.raises(ValidationFailed):
        services.start(cli(), ticket, "BO-MOBNET", data={})
    with pytest.raises(ValidationFailed):
        services.start(cli(), converted(), "BO-MOBNET", data={"span": "moon"})


def test_an_escalated_complaint_starts_at_t2_high():
    ticket = converted()
    services.start(cli(), ticket, "BO-MOBNET", data={"escalated": True, "span": "city"})
    ticket = fresh(ticket)
    assert (ticket.tier, ticket.priority, ticket.escalated) == ("T2", "high", True)


def test_an_overdue_tickets_archive_asks_for_the_timeout_reason():
    mini.published(cli())
    ticket = converted()
    services.start(cli(), ticket, "T-MINI", data={})
    step("js-nj-dispatcher", ticket, "accept")
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="yes", is_coverage="no")
    step("js-nj-netmaint", ticket, "feedback", cause="c", measures="m", result="r")
    step("js-nj-dispatcher", ticket, "pass")
    Ticket.objects.filter(pk=ticket.pk).update(overdue=True)
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    with pytest.raises(ValidationFailed) as refused:
        services.act(
            ctx_of("js-nj-dispatcher"),
            item,
            "archive",
            {"satisfaction": "satisfied"},
            revision=revision,
        )
    assert set(refused.value.errors) == {"timeout_reason"}
    services.act(
        ctx_of("js-nj-dispatcher"),
        item,
        "archive",
        {"satisfaction": "satisfied", "timeout_reason": "no_contact"},
        revision=revision,
    )
    assert fresh(ticket).status == Ticket.Status.ARCHIVED


def test_the_admin_shows_processes_and_work_items_and_edits_nothing(login_client):
    mini.published(cli())
    ticket = converted()
    services.start(cli(), ticket, "T-MINI", data={})
    admin = login_client("admin")
    for path in ("process", "processversion", "processinstance", "workitem"):
        assert admin.get(f"/admin/workflows/{path}/").status_code == 200
    item = only(ticket)
    assert admin.get(f"/admin/workflows/workitem/{item.pk}/change/").status_code == 200
    assert admin.get("/admin/workflows/processversion/add/").status_code == 403
