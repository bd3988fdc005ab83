"""Every repair command clears its condition, is idempotent by key and by state, and later reads
of the systems show the result."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from firstcall.sandbox.model import Customer
from firstcall.sandbox.tests.checks import load
from firstcall.sandbox.tests.conftest import force, healthy_customer, truth
from firstcall.sandbox.tests.views import Views

CHECKS = load()
Target = Callable[[Customer, Views], Awaitable[tuple[str, dict[str, Any]]]]


def direct(template: str, body: dict | None = None) -> Target:
    async def target(c: Customer, v: Views) -> tuple[str, dict[str, Any]]:
        del v
        keys = {
            "m": c.mobile.msisdn if c.mobile else "",
            "b": c.broadband.account if c.broadband else "",
            "i": c.iptv.account if c.iptv else "",
        }
        return template.format(**keys), body or {}

    return target


def sps(platform: str, key: str = "service") -> Target:
    async def target(c: Customer, v: Views) -> tuple[str, dict[str, Any]]:
        del v
        number = c.broadband.account if key == "bb" and c.broadband else c.service_number
        return "/sps/v1/resync", {"serviceNo": number, "platform": platform}

    return target


def resume(key: str = "service") -> Target:
    async def target(c: Customer, v: Views) -> tuple[str, dict[str, Any]]:
        del v
        number = c.broadband.account if key == "bb" and c.broadband else c.service_number
        return "/sps/v1/resume", {"serviceNo": number}

    return target


async def resend_stuck(c: Customer, v: Views) -> tuple[str, dict[str, Any]]:
    wo = next(w for w in (await v.get("sps"))["workOrders"] if w["status"] == "超时")
    return f"/sps/v1/work-orders/{wo['woId']}/resend", {}


async def resend_benefit(c: Customer, v: Views) -> tuple[str, dict[str, Any]]:
    records = (await v.get("redemptions"))["data"]["redemptions"]
    order = next(r for r in records if r["status"] == "处理中")
    return f"/points/api/redemptions/{order['orderId']}/resend", {}


@dataclass(frozen=True)
class Case:
    condition: str
    target: Target


HLR = direct("/hlr/v1/subscribers/{m}/resync")
AAA = direct("/aaa/v1/users/{b}/resync")
IPTV = direct("/iptv/v1/accounts/{i}/resync")
CASES = [
    Case("hlr_barring_mismatch", HLR),
    Case("hlr_ocsi_missing", HLR),
    Case("hlr_incoming_barred", HLR),
    Case("hlr_ts21_missing", HLR),
    Case("hlr_data_barred", HLR),
    Case("sms_fail_barred", HLR),
    Case("hlr_roaming_mismatch", sps("HLR")),
    Case("aaa_account_missing", AAA),
    Case("aaa_state_mismatch", sps("AAA", "bb")),
    Case("aaa_account_locked", AAA),
    Case("aaa_attr_invalid", AAA),
    Case("aaa_rate_profile_stale", AAA),
    Case("bb_wrong_password", direct("/aaa/v1/users/{b}/password-reset")),
    Case(
        "aaa_session_hijack",
        direct("/aaa/v1/users/{b}/password-reset", {"newPassword": "Nw9x-2024"}),
    ),
    Case("aaa_stale_session", direct("/aaa/v1/users/{b}/kick")),
    Case("bb_speedup_session_old", direct("/aaa/v1/users/{b}/kick")),
    Case("aaa_binding_stale", direct("/aaa/v1/users/{b}/binding/clear")),
    Case("onu_loid_mismatch", direct("/nms/v1/lines/{b}/resync")),
    Case("iptv_vlan_missing", sps("OLT", "bb")),
    Case("iptv_stb_mismatch", direct("/iptv/v1/accounts/{i}/rebind")),
    Case("iptv_account_missing", IPTV),
    Case("iptv_state_mismatch", sps("IPTV", "bb")),
    Case("iptv_multicast_missing", IPTV),
    Case("pcrf_policy_mismatch", direct("/pcrf/v1/subscribers/{m}/resync")),
    Case("sms_blocked", direct("/smsc/v1/subscribers/{m}/unblock")),
    Case("order_stuck", resend_stuck),
    Case("paid_still_stopped", resume()),
    Case("mob_user_stop", resume()),
    Case("mob_reported_lost", resume()),
    Case("bb_user_stop", resume("bb")),
    Case("points_benefit_overdue", resend_benefit),
]


async def post(client, path: str, body: dict, key: str | None = None) -> tuple[int, Any, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    response = await client.post(path, json=body, headers=headers)
    return response.status, await response.json(), response.headers


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.condition for c in CASES])
async def test_repair_is_idempotent_and_visible_in_later_reads(client, sandbox, case):
    spec = CHECKS[case.condition]
    c = healthy_customer(sandbox, case.condition, spec.fits)
    await force(client, c.service_number, case.condition)
    assert await spec.predicate(Views(client, c))
    path, body = await case.target(c, Views(client, c))

    status, first, _ = await post(client, path, body, key="k-1")
    assert status == 200, first
    assert first.get("returnCode", "00000") == "00000", first
    changes = sandbox.store.changes
    status, replay, headers = await post(client, path, body, key="k-1")
    assert (status, replay, headers.get("Idempotent-Replayed")) == (200, first, "true")
    status, again, _ = await post(client, path, body)
    assert (status, again) == (200, first), "a repeated command must answer the same"
    assert sandbox.store.changes == changes, "a repeat must not change anything"

    assert not await spec.predicate(Views(client, c)), "the repair is not visible in the systems"
    ground = await truth(client, c.service_number)
    assert case.condition in ground["resolved"] and case.condition not in ground["conditions"]
