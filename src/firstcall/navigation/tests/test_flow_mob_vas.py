"""F-MOB-VAS against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answer at S3 is given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-VAS.yaml")[0]

# condition forced in the sandbox -> (steps the walk passes through, its end)
CASES = {
    "vas_charged_without_subscription": (["S1", "S2", "A-REFUND-BILLING-ERROR"], "E-REFUND"),
    "vas_charged_after_unsubscribe": (["S2", "A-REFUND-BILLING-ERROR"], "E-REFUND"),
    "vas_no_second_confirmation": (["S2", "A-UNSUB-REFUND"], "E-REFUND"),
}


async def run(number: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)), answers=answers)


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "mobile")
    through, end = CASES[condition]
    diagnosis = await run(customer["keys"]["mobile"])
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_complete_evidence_waits_for_the_customer_to_see_it(live):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"])
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answer", "tail"),
    [("accepts", ["S3", "A-UNSUB", "E-EXPLAIN"]), ("disputes", ["S3", "E-BACKOFFICE"])],
)
async def test_the_customers_answer_to_the_evidence_leads_to_its_end(live, answer, tail):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {"S3": answer})
    assert [v.step.id for v in diagnosis.path][-len(tail) :] == tail
