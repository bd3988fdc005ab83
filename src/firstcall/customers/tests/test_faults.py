"""A back end that is down, slow, failing or talking nonsense costs the customer view no more
than that system's timeout, shows as that system's error and leaves its platform unchecked
(never "consistent"), while every other system is shown; a system that keeps failing is cut off
by its breaker and let back in by a successful probe."""

import asyncio
import time
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async

from firstcall.customers import services
from firstcall.customers.models import CachedRead
from firstcall.customers.tests.conftest import cached_view, configure, fresh_view
from firstcall.customers.unified import CustomerView
from firstcall.integrations import breaker, registry
from firstcall.integrations.envelope import Result

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT_MS = 300
BUDGET_S = 2.0  # the system's timeout and a generous margin: a correctness bound, not a benchmark
HANG_S = 5.0  # longer than the budget, so a view that waited for the answer fails the bound

FAULTS = {
    "down": ({}, "unavailable"),
    "timeout": ({"hang_s": HANG_S}, "timeout"),
    "slow": ({"delay_ms": int(HANG_S * 1000)}, "timeout"),
    "error": ({"status": 500}, "http_5xx"),
    "malformed": ({}, "malformed"),
}
# system at fault: (the product whose key its reads take, the platform the comparison names)
SYSTEMS = {"hlr": "mobile", "aaa": "broadband"}


def _answers(view: CustomerView) -> dict[str, Result]:
    return {key: task.result() for key, task in view.reads._tasks.items()}


@pytest.mark.parametrize("kind", sorted(FAULTS))
@pytest.mark.parametrize("system", sorted(SYSTEMS))
async def test_one_system_at_fault_is_shown_as_such_within_its_timeout(live, system, kind):
    options, code = FAULTS[kind]
    product = SYSTEMS[system]
    sample = await live.sample("healthy", "mobile", "broadband")
    number, key = sample["keys"][product], sample["keys"][product]
    await configure(system, timeout_ms=TIMEOUT_MS)
    await live.fault(system, kind, **options)
    view = cached_view(number)

    started = time.monotonic()
    await view.everything()
    observed = await services.observe(view)
    elapsed = time.monotonic() - started
    await view.reads.save()

    assert elapsed < BUDGET_S, f"the view took {elapsed:.2f}s with {system} {kind}"
    answers = _answers(view)
    failed = {name: r.error.code for name, r in answers.items() if not r.ok}
    own = {name for name in answers if name.startswith(f"{system}.")}
    assert own and failed == dict.fromkeys(own, code)
    comparison = observed.comparison
    assert comparison.unchecked == [(key, system, code)]
    assert (key, system) not in comparison.checked
    assert comparison.mismatches == []
    # The other platforms of the customer are checked all the same.
    assert {(sample["keys"]["mobile"], "ocs"), (sample["keys"]["broadband"], "nms")} <= set(
        comparison.checked
    )
    # A fault is never kept in the call cache: the next look asks the system again.
    kept = await sync_to_async(list)(
        CachedRead.objects.filter(number=number).values_list("system", flat=True)
    )
    assert system not in kept and len(kept) == len(answers) - len(own)


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """The breaker's clock, moved by hand (only the breaker module sees it)."""
    now = SimpleNamespace(value=1000.0)
    monkeypatch.setattr(breaker, "time", SimpleNamespace(monotonic=lambda: now.value))
    return now


async def _hlr_of(number: str) -> Result:
    view = fresh_view(number)
    await view.everything()
    return _answers(view)[f"hlr.subscriber:{number}"]


async def test_the_breaker_cuts_a_failing_system_off_and_a_good_probe_lets_it_back(
    live, hits, clock
):
    number = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    await configure("hlr", failure_threshold=2, open_seconds=30, retries=0)
    await live.fault("hlr", "error", status=500)

    assert (await _hlr_of(number)).error.code == "http_5xx"
    assert (await _hlr_of(number)).error.code == "http_5xx"
    assert registry.breaker_states()["hlr"] == "open"
    asked = hits["hlr"]
    assert asked == 2

    # Open: refused at once, the system is not asked; the rest of the view is unaffected.
    view = fresh_view(number)
    observed = await services.observe(view)
    await view.everything()
    assert _answers(view)[f"hlr.subscriber:{number}"].error.code == "rejected"
    assert [r for r in _answers(view).values() if not r.ok and r.system != "hlr"] == []
    assert observed.comparison.unchecked == [(number, "hlr", "rejected")]
    await live.fault("hlr", "none")  # the HLR recovers, but the breaker does not know yet
    clock.value += 29
    assert (await _hlr_of(number)).error.code == "rejected"
    assert hits["hlr"] == asked

    # The open period is over: one probe passes; it fails, so the breaker opens again.
    await live.fault("hlr", "error", status=500)
    clock.value += 1
    assert registry.breaker_states()["hlr"] == "half_open"
    assert (await _hlr_of(number)).error.code == "http_5xx"
    assert registry.breaker_states()["hlr"] == "open" and hits["hlr"] == asked + 1
    assert (await _hlr_of(number)).error.code == "rejected"

    # Next time the probe succeeds: the breaker closes and every read goes through again.
    await live.fault("hlr", "none")
    clock.value += 30
    assert (await _hlr_of(number)).ok
    assert registry.breaker_states()["hlr"] == "closed"
    view = fresh_view(number)
    observed = await services.observe(view)
    assert observed.comparison.unchecked == [] and (number, "hlr") in observed.comparison.checked
    assert hits["hlr"] == asked + 3


async def test_only_one_probe_passes_while_half_open(live, hits, clock):
    first = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    found = await live.admin("GET", "/samples?condition=healthy&limit=20")
    second = next(
        c["keys"]["mobile"] for c in found["customers"] if c["keys"].get("mobile", first) != first
    )
    await configure("hlr", failure_threshold=1, open_seconds=30, retries=0)
    await live.fault("hlr", "error", status=500)
    assert (await registry.call("hlr", "subscriber", first)).error.code == "http_5xx"
    await live.fault("hlr", "slow", delay_ms=200)
    clock.value += 30
    asked = hits["hlr"]

    probe, other = await asyncio.gather(
        registry.call("hlr", "subscriber", first), registry.call("hlr", "subscriber", second)
    )

    assert probe.ok and other.error.code == "rejected"
    assert hits["hlr"] == asked + 1
    assert registry.breaker_states()["hlr"] == "closed"


async def test_a_probe_cut_short_does_not_leave_the_breaker_shut_for_good(live, hits, clock):
    """The half-open probe is cancelled (its caller went away: a dropped request, a cancelled
    gather) before the system answers. The breaker must not wait forever for its outcome."""
    number = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    await configure("hlr", failure_threshold=1, open_seconds=30, retries=0)
    await live.fault("hlr", "error", status=500)
    assert (await registry.call("hlr", "subscriber", number)).error.code == "http_5xx"
    await live.fault("hlr", "slow", delay_ms=300)
    clock.value += 30
    hits.arrived["hlr"].clear()
    probe = asyncio.ensure_future(registry.call("hlr", "subscriber", number))
    await hits.arrived["hlr"].wait()
    probe.cancel()
    await asyncio.gather(probe, return_exceptions=True)

    await live.fault("hlr", "none")  # the HLR is well again
    clock.value += 60  # and long past any open period

    result = await registry.call("hlr", "subscriber", number)
    assert result.ok, f"{result.error} with the breaker {registry.breaker_states()['hlr']}"
