"""Stage two for messaging: SMSC delivery records and VAS subscriptions."""

import random
from datetime import datetime, timedelta

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import (
    Smsc,
    SmsRecord,
    VasSub,
)

SENDERS = ("95588", "1065751234", "10659001", "95555", "106980001234", "1069012345")


def derive_smsc(c: Customer, rng: random.Random, epoch: datetime, status: str) -> Smsc:
    records = []
    for n in range(rng.randint(3, 6)):
        submitted = epoch - timedelta(hours=n * 7 + rng.randint(0, 6), minutes=rng.randint(0, 59))
        records.append(
            SmsRecord(
                msg_id=f"SMSC{c.profile.city.area_code}-{submitted:%Y%m%d}-{c.index:07d}{n}",
                orig=rng.choice(SENDERS),
                submitted=submitted,
                attempts=1,
                status="已递交",
                fail_cause="",
                intercept="否",
            )
        )
    return Smsc(
        block_106=False,
        spam_intercept=False,
        records=records,
        sent=sent_messages(c, rng, epoch, barred=status != "正常"),
    )


def sent_messages(c: Customer, rng: random.Random, epoch: datetime, *, barred: bool) -> list:
    """What the subscriber sent lately; any stop bars SMS MO (the 单停 picture), so the
    attempts since the stop fail with callBarred."""
    sent = []
    for n in range(rng.randint(2, 4)):
        submitted = epoch - timedelta(hours=n * 11 + rng.randint(1, 9), minutes=rng.randint(0, 59))
        stopped = barred and n < 2
        sent.append(
            SmsRecord(
                msg_id=f"SMSC{c.profile.city.area_code}-{submitted:%Y%m%d}-{c.index:07d}M{n}",
                orig=c.mobile.msisdn if c.mobile else "",
                submitted=submitted,
                attempts=1,
                status="失败" if stopped else "已递交",
                fail_cause="callBarred" if stopped else "",
                intercept="否",
                dest=f"1{rng.choice('358')}{rng.randint(0, 9)}****{rng.randint(1000, 9999)}",
            )
        )
    return sent


def derive_vas(c: Customer) -> list[VasSub]:
    return [
        VasSub(
            sub_id=s.sub_id,
            sp=s.sp,
            ordered=s.ordered,
            channel=s.channel,
            confirm_log=confirm_log(s.ordered, s.confirmed),
            status="已订购",
            unsubscribed=None,
            monthly_count=s.monthly_count,
        )
        for s in c.vas
    ]


def confirm_log(ordered: datetime, confirmed: datetime | None) -> str:
    if confirmed is None:
        return "无"
    return f"{ordered:%Y-%m-%d %H:%M:%S} 下发确认短信；{confirmed:%H:%M:%S} 用户回复“是”"
