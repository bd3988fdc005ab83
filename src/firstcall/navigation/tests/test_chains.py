"""Checks read their platform without waiting for CRM when the typed number is the product's key.

A fake back end (the registry's `call` replaced) holds CRM's answer until the test lets it go, and
records when each call starts and answers. With CRM held, the event loop is let run (it yields,
nothing is timed): every read that does not need CRM's answer runs. A check that still chained on
CRM, as before, would not have asked its platform by then; `InOrder` (a view that never guesses,
which is how every check read before) shows that the same observation sees the wait.

When the typed number is not the product's (an ADSL customer calling with the landline number),
the early reads are wasted and the check reads again with CRM's number: the answer is the one of
CRM's number. A CRM failure still fails the check with CRM's error. The live-sandbox test at the
end runs every check for the three products' numbers of sample customers, guessing and in order,
and wants the same facts (or the same failure) from both.
"""

import asyncio
from typing import Any

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.integrations import registry
from firstcall.integrations.envelope import CallError, Result
from firstcall.navigation.checks.registry import CHECKS, CheckFailed

BROADBAND = "02512345678"
LANDLINE = "02588887777"  # the customer's fixed line: not the broadband account
MOBILE = "13912345678"
IPTV = "itv02512345678"
CUSTOMER = {
    "cust_id": "C1",
    "acct_id": "A1",
    "region": {"city_code": "025"},
    "service_numbers": [
        {"product_type": "broadband", "number": BROADBAND},
        {"product_type": "fixed", "number": LANDLINE},
        {"product_type": "mobile", "number": MOBILE},
        {"product_type": "iptv", "number": IPTV},
    ],
}
PRODUCTS = {
    "cust_id": "C1",
    "products": [
        {"product_type": "broadband", "number": BROADBAND, "state": "active", "down_mbps": 300},
        {"product_type": "fixed", "number": LANDLINE, "state": "active"},
        {
            "product_type": "mobile",
            "number": MOBILE,
            "state": "active",
            "features": {"sms": True, "data": True},
        },
        {"product_type": "iptv", "number": IPTV, "state": "active", "bound_broadband": BROADBAND},
    ],
}
BILLS = {
    "acct_id": "A1",
    "bills": [
        {
            "bill_cycle": "202610",
            "items": [
                {"name": "彩铃", "amount": 5.0, "sp": {"sp_code": "SP1"}},
                {"name": "套餐月基本费", "amount": 59.0, "sp": None},
            ],
        }
    ],
}
# What each system holds: (system, operation, key) -> data; anything else is "no such record".
RECORDS: dict[tuple[str, str, str], Any] = {
    ("crm", "find", BROADBAND): CUSTOMER,
    ("crm", "find", LANDLINE): CUSTOMER,
    ("crm", "find", MOBILE): CUSTOMER,
    ("crm", "find", IPTV): CUSTOMER,
    ("crm", "products", "C1"): PRODUCTS,
    ("aaa", "user", BROADBAND): {"state": "active", "locked": False, "down_mbps": 300},
    ("aaa", "sessions", BROADBAND): {"sessions": []},
    ("resources", "allocation", BROADBAND): {
        "ne_ids": ["OLT-1", "BRAS-1"],
        "svlan": "100",
        "cvlan": "200",
        "bras": {"ne_id": "BRAS-1"},
        "dns_node": {"ne_id": "DNS-1"},
        "iptv_node": {"ne_id": "EPG-2"},
    },
    ("alarms", "active", "OLT-1,BRAS-1"): {"total": 2, "alarms": [{}, {}]},
    ("alarms", "active", "DNS-1"): {"total": 1, "alarms": [{}]},
    ("alarms", "active", "EPG-1,EPG-2"): {"total": 3, "alarms": [{}, {}, {}]},
    ("alarms", "active", "CELL-9"): {"total": 1, "alarms": [{}]},
    ("gis", "coverage", "CELL-9"): {"weak": True},
    ("hlr", "subscriber", MOBILE): {"serving_cell": "CELL-9", "data_provisioned": True},
    ("pcrf", "policy", MOBILE): {"throttled": False},
    ("ocs", "subscriber", MOBILE): {"data": {"remaining_mb": 100.0, "throttled": True}},
    ("billing", "account", MOBILE): {"acct_id": "A1", "in_arrears": False},
    ("billing", "bills", "A1"): BILLS,
    ("iptv", "account", IPTV): {"state": "active", "stb_matches": True, "epg_ne_id": "EPG-1"},
}
DOWN = CallError("unavailable", "connection refused", True)


class Backend:
    """The registry's `call`, answering from RECORDS; CRM answers only once `crm` is set."""

    def __init__(self) -> None:
        self.crm = asyncio.Event()
        self.crm_fails = False
        self.events: list[tuple[str, str]] = []  # ("asked" | "answered", "system.operation:key")

    async def call(self, system: str, operation: str, *args: str, **_options: Any) -> Result:
        name = f"{system}.{operation}:{'|'.join(args)}"
        self.events.append(("asked", name))
        if system == "crm":
            await self.crm.wait()
        data = RECORDS.get((system, operation, *args))
        if system == "crm" and self.crm_fails:
            result = Result.failure(system, operation, DOWN)
        elif data is None:
            result = Result.failure(system, operation, CallError("not_found", "no such", False))
        else:
            result = Result.success(system, operation, data, 1.0)
        self.events.append(("answered", name))
        return result

    def before_crm(self) -> set[str]:
        """The reads answered before CRM's customer record arrived."""
        answered = [name for event, name in self.events if event == "answered"]
        crm = next((i for i, name in enumerate(answered) if name.startswith("crm.find:")), None)
        return set(answered if crm is None else answered[:crm])

    def asked(self) -> set[str]:
        return {name for event, name in self.events if event == "asked"}


@pytest.fixture
def backend(monkeypatch) -> Backend:
    fake = Backend()
    monkeypatch.setattr(registry, "call", fake.call)
    return fake


class InOrder(CustomerView):
    """A view that never guesses: every check then reads its platform once CRM has named the
    product's number, as checks did before."""

    def may_be(self, product_type: str) -> bool:
        return False


async def let_run() -> None:
    """Let every task that can run without CRM's answer run (yields to the loop; no timing)."""
    for _ in range(200):
        await asyncio.sleep(0)


async def run_holding_crm(backend: Backend, check: str, view: CustomerView) -> dict[str, Any]:
    running = asyncio.ensure_future(CHECKS[check].run(view))
    await let_run()
    assert not running.done(), "the check answered without CRM"
    backend.crm.set()
    return await running


# check, typed number, reads that must be answered before CRM is, the check's facts
CASES = [
    (
        "aaa.user",
        BROADBAND,
        {f"aaa.user:{BROADBAND}"},
        {"aaa_exists": True, "aaa_state": "active", "aaa_locked": False},
    ),
    (
        "alarms.broadband",
        BROADBAND,
        {f"resources.allocation:{BROADBAND}", "alarms.active:OLT-1,BRAS-1"},
        {"alarm_count": 2.0},
    ),
    (
        "alarms.dns",
        BROADBAND,
        {f"resources.allocation:{BROADBAND}", "alarms.active:DNS-1"},
        {"dns_alarm_count": 1.0},
    ),
    (
        "ocs.data",
        MOBILE,
        {f"ocs.subscriber:{MOBILE}"},
        {"data_blocked": False, "data_throttled": True, "data_remaining_mb": 100.0},
    ),
    (
        "alarms.cell",
        MOBILE,
        {f"hlr.subscriber:{MOBILE}", "alarms.active:CELL-9", "gis.coverage:CELL-9"},
        {"cell_alarm_count": 1.0, "coverage_weak": True},
    ),
    (
        "billing.sp_charges",
        MOBILE,
        {f"billing.account:{MOBILE}", "billing.bills:A1"},
        {"sp_charge_count": 1.0, "sp_charge_total": 5.0},
    ),
    (
        "iptv.account",
        IPTV,
        {f"iptv.account:{IPTV}"},
        {
            "iptv_crm_state": "active",
            "iptv_exists": True,
            "iptv_platform_ok": True,
            "iptv_stb_matches": True,
            "iptv_multicast": False,
        },
    ),
]


@pytest.mark.parametrize(("check", "number", "early", "facts"), CASES, ids=[c[0] for c in CASES])
async def test_a_check_reads_its_platform_before_crm_answers(backend, check, number, early, facts):
    answer = await run_holding_crm(backend, check, CustomerView(Reads(number, fresh=True)))

    assert early <= backend.before_crm(), backend.events
    assert answer == facts


@pytest.mark.parametrize(("check", "number", "early", "facts"), CASES, ids=[c[0] for c in CASES])
async def test_in_order_the_same_check_waits_for_crm_with_the_same_answer(
    backend, check, number, early, facts
):
    """What the test above would see of a check that chains on CRM: it can fail."""
    answer = await run_holding_crm(backend, check, InOrder(Reads(number, fresh=True)))

    assert not early & backend.before_crm(), backend.events
    assert answer == facts


async def test_the_view_starts_the_typed_accounts_platforms_before_crm_answers(backend):
    view = CustomerView(Reads(BROADBAND, fresh=True))
    platforms = asyncio.ensure_future(view.platforms())
    await let_run()
    backend.crm.set()
    entries = {entry.key: entry for entry in await platforms}

    assert {
        f"aaa.user:{BROADBAND}",
        f"aaa.sessions:{BROADBAND}",
        f"nms.line:{BROADBAND}",
        f"resources.allocation:{BROADBAND}",
        "alarms.active:OLT-1,BRAS-1",
    } <= backend.before_crm()
    line = entries[BROADBAND]
    assert line.data("aaa.user") == RECORDS[("aaa", "user", BROADBAND)]
    assert line.data("alarms.active") == {"total": 2, "alarms": [{}, {}]}
    assert entries[MOBILE].data("hlr.subscriber") == RECORDS[("hlr", "subscriber", MOBILE)]


@pytest.mark.parametrize(
    ("check", "facts"),
    [
        ("aaa.user", {"aaa_exists": True, "aaa_state": "active", "aaa_locked": False}),
        ("alarms.broadband", {"alarm_count": 2.0}),
    ],
)
async def test_a_typed_number_that_is_not_the_products_is_read_again_with_crms(
    backend, check, facts
):
    """The landline number looks like an account: the early reads with it are wasted (AAA and
    resources have no such record), and the check answers for the account CRM names."""
    answer = await run_holding_crm(backend, check, CustomerView(Reads(LANDLINE, fresh=True)))

    asked = backend.asked()
    guessed = {f"aaa.user:{LANDLINE}", f"resources.allocation:{LANDLINE}"} & asked
    assert guessed and guessed <= backend.before_crm()
    assert {f"aaa.user:{BROADBAND}", f"resources.allocation:{BROADBAND}"} & asked
    assert not {f"aaa.user:{BROADBAND}", f"resources.allocation:{BROADBAND}"} & (
        backend.before_crm()
    )
    assert answer == facts


async def test_a_mobile_number_is_never_guessed_to_be_a_broadband_account(backend):
    answer = await run_holding_crm(backend, "aaa.user", CustomerView(Reads(MOBILE, fresh=True)))

    assert not any(name.endswith(f":{MOBILE}") for name in backend.asked() if "aaa." in name)
    assert answer["aaa_exists"] is True


async def test_crm_failing_fails_the_check_with_crms_error_though_the_platform_answered(
    backend,
):
    backend.crm_fails = True
    with pytest.raises(CheckFailed) as failed:
        await run_holding_crm(
            backend, "alarms.broadband", CustomerView(Reads(BROADBAND, fresh=True))
        )

    assert "alarms.active:OLT-1,BRAS-1" in backend.before_crm()
    assert failed.value.result.system == "crm"
    assert failed.value.result.error == DOWN


# -------------------------------------------------------------- the same answers, live sandbox

# Conditions that change what several checks see; each sample has all three products.
CONDITIONS = ["healthy", "aaa_binding_stale", "bras_alarm", "iptv_platform_alarm"]


async def _outcome(check: str, view: CustomerView) -> Any:
    try:
        return await CHECKS[check].run(view)
    except CheckFailed as failed:
        return ("failed", failed.result.system, failed.result.error)


@pytest.mark.parametrize("condition", CONDITIONS)
async def test_every_check_answers_the_same_as_in_order_for_every_product_number(live, condition):
    customer = await live.sample(condition, "mobile", "broadband", "iptv")
    for product in ("broadband", "mobile", "iptv"):
        number = customer["keys"][product]
        for check in sorted(CHECKS):
            guessing = await _outcome(check, CustomerView(Reads(number, fresh=True)))
            in_order = await _outcome(check, InOrder(Reads(number, fresh=True)))
            assert guessing == in_order, (condition, product, check)
