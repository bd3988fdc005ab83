"""Expected against actual, over the live sandbox: each condition that makes a platform disagree
with CRM is shown as exactly that mismatch, with the repair that fixes it, and the values shown
are the sandbox's own ground truth. And the call cache: a read is asked of a back end once per
call, however many panels want it."""

import asyncio
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from firstcall.customers import services
from firstcall.customers.comparison import MISSING, PRESENT
from firstcall.customers.gather import Reads
from firstcall.customers.models import CachedRead
from firstcall.customers.tests.conftest import cached_view, fresh_view, plain, summary
from firstcall.customers.unified import CustomerView
from firstcall.integrations import registry
from firstcall.integrations.envelope import Result
from firstcall.integrations.models import CallLog
from firstcall.integrations.tests.live_sandbox import PREFIXES

pytestmark = pytest.mark.django_db(transaction=True)

Facts = dict[tuple[str, str], dict[str, Any]]
Truth = Callable[[Facts], tuple[Any, Any]]


def same(platform: str, field: str, convert: Callable[[Any], Any] = lambda v: v) -> Truth:
    """The ground-truth fact `platform.field`, expected and actual, in FirstCall's terms."""

    def truth(facts: Facts) -> tuple[Any, Any]:
        fact = facts[(platform, field)]
        return convert(fact["expected"]), convert(fact["actual"])

    return truth


def teleservice(code: str) -> Truth:
    """Whether the HLR's teleservice list holds `code`, expected and actual (the facts list the
    list items that differ)."""

    def truth(facts: Facts) -> tuple[Any, Any]:
        items = [f for (p, field), f in facts.items() if p == "HLR" and field.startswith("ts[")]
        assert items, facts
        return (
            code in {f["expected"] for f in items},
            code in {f["actual"] for f in items},
        )

    return truth


def presence(exists: Any) -> str:
    return str(PRESENT if exists else MISSING)


def vlans(port: str) -> str:
    match = re.search(r"vlanid=(\d+);vlanid2=(\d+)", port)
    assert match, port
    return f"vlanid={match.group(1)};vlanid2={match.group(2)}"


STATE = {"正常": "active", "停机": "stopped", "欠费单停": "arrears_one_way"}

# condition: (product the mismatch is about, platform, field, repair or None, ground truth)
CASES: dict[str, tuple[str, str, str, str | None, Truth]] = {
    "hlr_barring_mismatch": ("mobile", "hlr", "barring_out", "hlr.resync", same("HLR", "gsm_oc")),
    "hlr_incoming_barred": ("mobile", "hlr", "barring_in", "hlr.resync", same("HLR", "gsm_ic")),
    "hlr_ts21_missing": (
        "mobile",
        "hlr",
        "sms_mt_provisioned",
        "hlr.resync",
        teleservice("TS21"),
    ),
    "hlr_data_barred": ("mobile", "hlr", "lock_data", "hlr.resync", same("HLR", "gprslock")),
    "hlr_roaming_mismatch": (
        "mobile",
        "hlr",
        "intl_roaming_allowed",
        "hlr.resync",
        same("HLR", "odbroam", lambda odb: odb == "NOBAR"),
    ),
    "hlr_ocsi_missing": ("mobile", "hlr", "o_csi", "hlr.resync", same("HLR", "o_csi")),
    "pcrf_policy_mismatch": (
        "mobile",
        "pcrf",
        "throttled",
        "pcrf.resync",
        same("PCRF", "throttled"),
    ),
    "aaa_account_missing": (
        "broadband",
        "aaa",
        "account",
        "aaa.resync",
        same("AAA", "exists", presence),
    ),
    "aaa_state_mismatch": (
        "broadband",
        "aaa",
        "state",
        "aaa.resync",
        same("AAA", "status", STATE.get),
    ),
    "aaa_attr_invalid": (
        "broadband",
        "aaa",
        "access_type_limit",
        "aaa.resync",
        same("AAA", "access_limit"),
    ),
    "aaa_rate_profile_stale": (
        "broadband",
        "aaa",
        "down_mbps",
        "aaa.resync",
        same("AAA", "down_mbps"),
    ),
    "aaa_binding_stale": (
        "broadband",
        "aaa",
        "bound_port",
        "aaa.clear_binding",
        same("AAA", "binding_port", vlans),
    ),
    "onu_vlan_error": (
        "broadband",
        "nms",
        "internet_vlan_ok",
        None,
        same("NMS", "service_vlan_ok"),
    ),
    "iptv_vlan_missing": (
        "broadband",
        "nms",
        "iptv_vlan_ok",
        "nms.resync",
        same("NMS", "iptv_vlan_ok"),
    ),
    "iptv_stb_mismatch": (
        "iptv",
        "iptv",
        "bound_stb_mac",
        "iptv.rebind",
        same("IPTV", "bound_mac"),
    ),
    "iptv_account_missing": (
        "iptv",
        "iptv",
        "account",
        "iptv.resync",
        same("IPTV", "exists", presence),
    ),
    "iptv_state_mismatch": (
        "iptv",
        "iptv",
        "state",
        "iptv.resync",
        same("IPTV", "status", STATE.get),
    ),
    "paid_still_stopped": (
        "mobile",
        "crm",
        "state",
        "provisioning.resume",
        same("CRM", "products.mobile.status", STATE.get),
    ),
}


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_each_condition_is_exactly_its_mismatch_with_its_repair(live, condition):
    product, platform, field, repair, truth_of = CASES[condition]
    sample = await live.sample(condition, product)
    key = sample["keys"][product]
    truth = await live.truth(sample["number"])
    assert truth["conditions"] == [condition]

    observed = await services.observe(fresh_view(sample["number"]))
    assert observed is not None
    comparison = observed.comparison

    assert summary(comparison.mismatches) == [(platform, field, repair)]
    assert comparison.unchecked == []
    mismatch = comparison.mismatches[0]
    assert (mismatch.product_type, mismatch.product_key) == (product, key)
    facts = {(f["platform"], f["field"]): f for f in truth["facts"]}
    assert (plain(mismatch.expected), plain(mismatch.actual)) == truth_of(facts)
    if repair is None:
        assert comparison.fixes() == []
    else:
        assert mismatch.fix is not None and mismatch.fix.target == key
        assert [fix.id for fix, _found in comparison.fixes()] == [f"{repair}:{key}"]


async def test_a_healthy_customer_is_checked_everywhere_and_consistent(live):
    sample = await live.sample("healthy", "mobile", "broadband", "iptv")
    keys = sample["keys"]
    assert (await live.truth(sample["number"]))["facts"] == []

    comparison = (await services.observe(fresh_view(sample["number"]))).comparison

    assert comparison.mismatches == [] and comparison.unchecked == []
    assert set(comparison.checked) == {
        (keys["mobile"], "hlr"),
        (keys["mobile"], "ocs"),
        (keys["mobile"], "pcrf"),
        (keys["broadband"], "aaa"),
        (keys["broadband"], "resources"),
        (keys["broadband"], "nms"),
        (keys["iptv"], "iptv"),
    }


def _answers(view: CustomerView) -> dict[str, Result]:
    return {key: task.result() for key, task in view.reads._tasks.items()}


def _call_log() -> Counter[tuple[str, str]]:
    return Counter(CallLog.objects.values_list("system", "operation"))


async def test_a_second_view_of_the_call_reads_the_cache_and_asks_no_back_end(live, hits):
    number = (await live.sample("hlr_barring_mismatch", "mobile", "broadband"))["number"]
    first = cached_view(number)
    await first.everything()
    seen = _answers(first)
    await first.reads.save()
    asked = hits.total()
    logged = await sync_to_async(_call_log)()
    assert asked >= len(seen) and all(r.ok for r in seen.values())
    assert sum(logged.values()) == len(seen)

    again = cached_view(number)
    await again.everything()
    cached = _answers(again)
    await again.reads.save()

    assert hits.total() == asked, "a cached read asked a back end again"
    assert await sync_to_async(_call_log)() == logged
    assert cached.keys() == seen.keys()
    assert all(r.meta["cached"] for r in cached.values())
    assert {k: r.data for k, r in cached.items()} == {k: r.data for k, r in seen.items()}
    before = (await services.observe(first)).comparison.mismatches
    assert (await services.observe(again)).comparison.mismatches == before != []


async def test_concurrent_panels_of_one_number_share_each_back_end_call(live, hits, monkeypatch):
    number = (await live.sample("healthy", "mobile", "broadband", "iptv"))["number"]
    # Every system answers after 50 ms, so that the panels' reads are surely in flight together.
    for prefix in PREFIXES.values():
        await live.admin("PUT", f"/systems/{prefix}/latency", {"enabled": True, "p50_ms": 50.0})
    calls: Counter[str] = Counter()
    call = registry.call

    async def counted(system: str, operation: str, *args: Any, **options: Any) -> Result:
        calls[f"{system}.{operation}:{'|'.join(args)}"] += 1
        return await call(system, operation, *args, **options)

    monkeypatch.setattr(registry, "call", counted)
    # The panels of one screen, as the views build them: platforms and comparison speculate.
    platforms, comparison, account, customer = (
        CustomerView(Reads(number), speculate=speculate) for speculate in (True, True, False, False)
    )

    await asyncio.gather(
        platforms.platforms(), comparison.everything(), account.account(), customer.customer()
    )

    panels = (platforms, comparison, account, customer)
    answers = [_answers(panel) for panel in panels]
    everything = answers[1]
    assert len(everything) > 10 and all(r.ok for r in everything.values())
    assert calls == Counter(dict.fromkeys(everything, 1)), "a read was asked more than once"
    for other in answers:
        assert {k: r.data for k, r in other.items()} == {k: everything[k].data for k in other}
    # Each answer is stored once, by the panel whose call it was.
    await asyncio.gather(*(panel.reads.save() for panel in panels))
    stored = await sync_to_async(CachedRead.objects.filter(number=number).count)()
    assert stored == len(everything)


async def test_a_cancelled_panel_does_not_cancel_the_panel_sharing_its_read(live, hits):
    """One panel's request is cancelled (the agent's browser dropped it) while its read of the
    number is in flight; another panel waiting on the same read must still get an answer."""
    number = (await live.sample("healthy", "mobile"))["number"]
    await live.fault("hlr", "slow", delay_ms=300)
    dropped, waiting = Reads(number, fresh=True), Reads(number, fresh=True)
    gone = dropped.get("hlr", "subscriber", number)
    wanted = waiting.get("hlr", "subscriber", number)
    await hits.arrived["hlr"].wait()
    assert hits["hlr"] == 1, "the two reads were not shared"

    gone.cancel()
    await live.fault("hlr", "none")
    _gone, result = await asyncio.gather(gone, wanted, return_exceptions=True)

    assert isinstance(result, Result), f"the sharing panel got {result!r}"
    assert result.ok
