"""The sample calls behind the OpenAPI examples: every product mix and every condition."""

import dataclasses

from firstcall.sandbox.conditions import BY_NAME, REPAIR_REJECTED
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Endpoint
from firstcall.sandbox.model import Customer


def sample_customers(sb: Sandbox) -> list[Customer]:
    """Healthy customers of every product mix, plus one customer per condition (forced)."""
    picked: dict[int, None] = {}
    mixes: set[tuple] = set()
    for index in range(min(sb.config.customers, 400)):
        p = sb.profile(index)
        mix = (p.mobile, p.prepaid, p.access, p.bb_prepaid, p.fixed, p.iptv, p.vas, p.roaming)
        if mix not in mixes and not sb.generated_conditions(index):
            mixes.add(mix)
            picked[index] = None
    scenarios: list[tuple[str, ...]] = [(name,) for name in BY_NAME]
    # The same repairable conditions again on customers whose platforms refuse every repair,
    # so the refusals are documented too.
    scenarios += [(c.name, REPAIR_REJECTED.name) for c in BY_NAME.values() if c.fixed_by]
    for scenario in scenarios:
        needs = [BY_NAME[n].needs for n in scenario]
        fit = next(
            (
                i
                for i in range(sb.config.customers)
                if i not in picked and all(need(sb.profile(i)) for need in needs)
            ),
            None,
        )
        if fit is None:
            continue
        sb.store.edit(fit).forced = scenario
        picked[fit] = None
    return [sb.customer(i) for i in picked]


def sample_calls(sb: Sandbox, endpoint: Endpoint, customers: list[Customer]) -> list[Call]:
    """One call per sample customer, then probes for the error answers: unknown keys, an
    empty body, a missing Idempotency-Key."""
    calls = [call for c in customers if (call := endpoint.sample(sb, c)) is not None]
    if calls and isinstance(calls[0].body, dict) and calls[0].body:
        calls.append(dataclasses.replace(calls[0], body={}, key=None))
    if calls and calls[0].key:
        calls.append(dataclasses.replace(calls[0], key=None))
    if calls and (calls[0].params or calls[0].query):  # keys nobody has: the not-found answer
        unknown = "00000000000"
        calls.append(
            dataclasses.replace(
                calls[0],
                params=dict.fromkeys(calls[0].params, unknown),
                query=dict.fromkeys(calls[0].query, unknown),
                key=None,
            )
        )
    return calls
