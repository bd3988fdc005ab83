"""Flow documents: BPMN round trip, what publishing refuses, and conditions that cannot run code."""

import pytest
from django.utils import translation

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation import seeding, services
from firstcall.navigation.models import Flow, FlowVersion
from firstcall.navigation.spec import Branch, SpecError, from_bpmn, to_bpmn
from firstcall.navigation.validate import evaluate, problems

SEED = seeding.SEED_DIR / "F-BB-691.yaml"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the messages below are the English msgids
        yield


def spec691():
    return seeding.load(SEED)[0]


def test_a_seeded_flow_survives_the_bpmn_round_trip_with_diagram():
    spec = spec691()
    xml = to_bpmn(spec)
    back = from_bpmn(xml)
    assert back.entry == spec.entry and set(back.steps) == set(spec.steps)
    for step_id, step in spec.steps.items():
        assert [(b.target, b.condition, b.answer) for b in back.steps[step_id].branches] == [
            (b.target, b.condition, b.answer) for b in step.branches
        ]
        assert back.steps[step_id].check == step.check
    assert xml.count("<bpmndi:BPMNShape") == len(spec.steps) + 1  # and the start event
    assert problems(back) == []


def test_publishing_reports_every_problem_at_once():
    spec = spec691()
    spec.steps["S3"].branches.append(Branch("S4", "aaa_state = ", "broken"))  # does not parse
    spec.steps["S4"].branches.append(Branch("S9", "no_such_fact > 1"))  # unknown fact
    spec.steps["S8"].branches.append(Branch("E-PAY", "bb_book_ok > 1"))  # wrong type
    spec.steps["S2"].check = "crm.nothing"
    spec.steps["S9"].branches.append(Branch("NOWHERE", "alarm_count > 5"))
    spec.steps["E-EXPERT"].branches.append(Branch("S1"))
    del spec.steps["E-ORDER"]
    found = "\n".join(problems(spec))
    assert "S3 → S4: 'aaa_state = ': The expression cannot be read at" in found
    assert "no_such_fact" in found
    assert "S8 → E-PAY" in found
    assert "unknown check 'crm.nothing'" in found
    assert "unknown step 'NOWHERE'" in found
    assert "E-EXPERT is an end but has branches" in found
    assert "unknown step 'E-ORDER'" in found


def test_an_unreachable_step_is_refused():
    spec = spec691()
    spec.steps["S1"].branches = [Branch("S3")]  # S2 is now unreachable
    assert "Step S2 cannot be reached from the entry." in problems(spec)


@pytest.mark.parametrize(
    "condition",
    [
        '__import__("os").system("touch /tmp/pwned")',
        "().__class__.__bases__[0].__subclasses__()",
        "bb_state.__class__",
        'eval("1")',
    ],
)
def test_an_admin_typed_condition_cannot_run_code(condition, tmp_path):
    spec = spec691()
    spec.steps["S2"].branches.insert(0, Branch("E-PAY", condition))
    assert any("S2 → E-PAY" in p for p in problems(spec))
    assert evaluate(condition, {"bb_state": "active"}) is False  # refused: it does not hold
    assert not (tmp_path / "pwned").exists()


def test_a_document_with_entities_is_refused():
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(SpecError):
        from_bpmn(xml)


@pytest.mark.django_db
def test_the_seeded_flows_are_published_and_a_broken_draft_is_not():
    flow = Flow.objects.get(code="F-BB-691")
    published = flow.versions.get(status=FlowVersion.Status.PUBLISHED)
    assert problems(from_bpmn(published.bpmn)) == []
    ctx = ChangeContext(actor_label="test")
    spec = spec691()
    spec.steps["S2"].branches[0].condition = "bb_state in"
    draft = services.save_draft(ctx, flow, to_bpmn(spec))
    audited = ObjectChange.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.publish(ctx, draft)
    assert any("S2" in e for e in refused.value.errors["bpmn"])
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == FlowVersion.Status.DRAFT
    assert published.status == FlowVersion.Status.PUBLISHED
    assert ObjectChange.objects.count() == audited


@pytest.mark.django_db
def test_publishing_a_new_version_retires_the_old_one():
    flow = Flow.objects.get(code="F-BB-691")
    old = flow.versions.get(status=FlowVersion.Status.PUBLISHED)
    ctx = ChangeContext(actor_label="test")
    spec = spec691()
    spec.steps["S1"].do = "改过的问法"
    new = services.publish(ctx, services.save_draft(ctx, flow, to_bpmn(spec)))
    old.refresh_from_db()
    assert (old.status, new.status) == (FlowVersion.Status.RETIRED, FlowVersion.Status.PUBLISHED)
    assert new.number == old.number + 1
