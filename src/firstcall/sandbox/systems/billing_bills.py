"""Billing reads of bills and itemised records (详单)."""

from datetime import timedelta

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.rng import Purpose, stream
from firstcall.sandbox.systems.billing_common import fail, find_account, ok
from firstcall.sandbox.systems.common import yuan


def read_bills(sb: Sandbox, call: Call) -> Reply:
    c, error = find_account(sb, call)
    if c is None:
        return error  # type: ignore[return-value]
    bills = sb.platforms(c).billing.bills
    return ok(
        acct_id=c.acct_id,
        bills=[
            {
                "bill_cycle": bill.cycle,
                "total": yuan(sum(i.amount for i in bill.items)),
                "items": [
                    {
                        "item_id": i.item_id,
                        "item_name": i.name,
                        "amount": yuan(i.amount),
                        "agency_charge": i.agency,
                        "sp": {
                            "sp_name": i.sp.sp_name,
                            "sp_code": i.sp.sp_code,
                            "service_code": i.sp.service_code,
                            "service_name": i.sp.service_name,
                            "charge_type": "包月",
                        }
                        if i.sp
                        else None,
                    }
                    for i in bill.items
                ],
            }
            for bill in bills
        ],
    )


def read_cdrs(sb: Sandbox, call: Call) -> Reply:
    number = call.query.get("service_no", "")
    c = sb.locate(number, (KeyKind.MOBILE,)) if number else None
    if c is None or c.mobile is None:
        return fail(404, "SUBSCRIBER_NOT_FOUND", "no itemised records for this number")
    rng = stream(sb.seed, c.index, Purpose.HISTORY)
    records = []
    for n in range(8):
        when = sb.config.epoch - timedelta(hours=5 + n * 11, minutes=rng.randint(0, 59))
        records.append(
            {
                "start_time": when,
                "direction": rng.choice(("主叫", "被叫")),
                "other_party": rng.choice(("0512", "025", "139", "189"))
                + f"****{rng.randint(1000, 9999)}",
                "duration": f"00:{rng.randint(0, 12):02d}:{rng.randint(0, 59):02d}",
                "location": c.profile.city.name,
                "fee": "0.00",
                "note": "套餐内",
            }
        )
    return ok(service_no=c.mobile.msisdn, type="voice", records=records)
