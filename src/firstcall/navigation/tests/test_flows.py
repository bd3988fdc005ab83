"""Every seeded flow walked by auto-diagnosis against the sandbox, one test per case.

The cases are data: `navigation/seed/cases/<flow>.yaml` (its README names the keys). For each
case a customer is picked (a sample the sandbox's ground truth gives the case's condition, or a
named selector below), the caller's answers are given, and the walk's path and end are compared
with the case."""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import yaml

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import Diagnosis, diagnose

CASES_DIR = seeding.SEED_DIR / "cases"
EXPECTATIONS = (
    "end",
    "through",
    "path",
    "head",
    "tail",
    "last",
    "stopped",
    "stop",
    "facts",
    "failed",
)
CASE_KEYS = {"condition", "product", "customer", "fault", "answers", *EXPECTATIONS}


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in raw["cases"].items():
            case = {"product": raw.get("product"), **case}
            params.append(pytest.param(path.stem, name, case, id=f"{path.stem}-{name}"))
    return params


CASES = _cases()


# Selectors: how a case picks its customer when a sample of one condition is not enough.


async def sample(live: Any, case: dict[str, Any], name: str) -> str:
    """A customer the sandbox gives the case's condition; its product's number (or, with no
    product, the number the sample is known by)."""
    product = case["product"]
    customer = await live.sample(case.get("condition", name), *([product] if product else []))
    return str(customer["keys"][product] if product else customer["number"])


async def healthy_line(live: Any, access: str) -> str:
    """A healthy customer whose broadband line has this access type and whose ONT is bridged (a
    PC or router behind it dials: the case of a customer who reports 651 from a PC)."""
    found = await live.admin("GET", "/samples?condition=healthy&limit=200")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "broadband" not in keys:
            continue
        products = (await live.data("crm", "products", keys["cust_id"]))["products"]
        line = next(p for p in products if p["number"] == keys["broadband"])
        if line.get("access_type") == access and (line.get("ont") or {}).get("mode") == "桥接":
            await live.force(customer["number"], [])
            return str(keys["broadband"])
    raise AssertionError(f"no healthy bridged {access} line")


async def healthy_mobile(live: Any, intl_long_distance: bool) -> str:
    """A healthy customer whose mobile has international long distance opened or not."""
    found = await live.admin("GET", "/samples?condition=healthy&limit=100")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "mobile" not in keys:
            continue
        products = (await live.data("crm", "products", keys["cust_id"]))["products"]
        mobile = next(p for p in products if p["number"] == keys["mobile"])
        if mobile["features"]["intl_long_distance"] is intl_long_distance:
            await live.force(customer["number"], [])
            return str(keys["mobile"])
    raise AssertionError(f"no healthy mobile with intl_long_distance={intl_long_distance}")


async def mobile_whose_newest_order_is_broadband(live: Any) -> str:
    """A paid-but-still-stopped mobile number with an order of its own, whose customer's newest
    order (of any product) is a broadband one: the case F-MOB-ORDER once diagnosed on the
    broadband order."""
    found = await live.admin("GET", "/samples?condition=paid_still_stopped&limit=60")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "mobile" not in keys or "broadband" not in keys:
            continue
        await live.force(customer["number"], ["paid_still_stopped"])
        view = CustomerView(Reads(keys["mobile"], fresh=True))
        cust_id = str((await view.customer()).data["cust_id"])
        orders = (await view.reads.get("crm", "orders", cust_id)).data["orders"]
        newest = max(orders, key=lambda o: str(o.get("accepted_at") or ""))
        mobile = [o for o in orders if o["product_type"] == "mobile"]
        if newest["product_type"] == "broadband" and mobile:
            return str(keys["mobile"])
    raise AssertionError("no paid_still_stopped customer whose newest order is broadband")


SELECTORS: dict[str, Callable[..., Awaitable[str]]] = {
    "healthy_line": healthy_line,
    "healthy_mobile": healthy_mobile,
    "mobile_whose_newest_order_is_broadband": mobile_whose_newest_order_is_broadband,
}


async def customer_number(live: Any, case: dict[str, Any], name: str) -> str:
    if not case.get("customer"):
        return await sample(live, case, name)
    ((selector, arguments),) = case["customer"].items()
    return await SELECTORS[selector](live, **(arguments or {}))


def check_expectations(case: dict[str, Any], diagnosis: Diagnosis) -> None:
    path = [visit.step.id for visit in diagnosis.path]
    seen = (path, diagnosis.stopped, diagnosis.failed, diagnosis.facts)
    if "failed" in case:
        assert set(diagnosis.failed) >= set(case["failed"]), seen
    else:
        assert diagnosis.failed == {}, seen
    if "end" in case:
        assert diagnosis.terminal is not None, seen
        assert diagnosis.terminal.id == case["end"], seen
    for step in case.get("through", []):
        assert step in path, seen
    if "path" in case:
        assert path == case["path"], seen
    if "head" in case:
        assert path[: len(case["head"])] == case["head"], seen
    if "tail" in case:
        assert path[-len(case["tail"]) :] == case["tail"], seen
    for name, value in (case.get("facts") or {}).items():
        assert name in diagnosis.facts and diagnosis.facts[name] == value, seen
    if "last" in case:
        assert diagnosis.last.id == case["last"], seen
    if "stopped" in case:
        assert diagnosis.stopped == case["stopped"], seen
    if "stop" in case:  # no branch held: the step and the facts it was evaluated on
        assert diagnosis.stop is not None and diagnosis.stop.step.id == path[-1], seen
        assert diagnosis.stop.facts == case["stop"], seen


def test_every_seeded_flow_has_cases_and_every_case_says_what_it_expects():
    flows = {path.stem for path in seeding.seed_files()}
    assert flows == {path.stem for path in CASES_DIR.glob("*.yaml")}
    for param in CASES:
        flow, name, case = param.values
        assert set(case) <= CASE_KEYS, (flow, name)
        assert set(case) & {"end", "path", "head", "tail", "last"}, (flow, name)
        spec = seeding.load(seeding.SEED_DIR / f"{flow}.yaml")[0]
        named = [*case.get("answers", {}), *case.get("through", []), *case.get("path", [])]
        named += [*case.get("head", []), *case.get("tail", [])]
        named += [*filter(None, [case.get("end"), case.get("last")])]
        assert set(named) <= set(spec.steps), (flow, name, set(named) - set(spec.steps))


_specs: dict[str, Any] = {}


@pytest.mark.parametrize(("flow", "name", "case"), CASES)
async def test_auto_diagnosis_walks_the_case(live, flow: str, name: str, case: dict[str, Any]):
    spec = _specs.get(flow) or _specs.setdefault(
        flow, seeding.load(seeding.SEED_DIR / f"{flow}.yaml")[0]
    )
    number = await customer_number(live, case, name)
    for system, kind in (case.get("fault") or {}).items():
        await live.fault(system, kind)
    answers = {str(k): str(v) for k, v in (case.get("answers") or {}).items()}
    diagnosis = await diagnose(spec, CustomerView(Reads(number, fresh=True)), answers=answers)
    check_expectations(case, diagnosis)


def test_a_case_can_fail():
    """The comparison is not vacuous: a walk that ends elsewhere fails its case."""
    diagnosis = Diagnosis(path=[], facts={}, failed={})
    with pytest.raises(AssertionError):
        check_expectations({"path": ["S1"]}, diagnosis)
    with pytest.raises(AssertionError):
        check_expectations({"path": []}, Diagnosis(path=[], facts={}, failed={"x": "down"}))
