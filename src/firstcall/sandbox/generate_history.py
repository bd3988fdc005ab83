"""Healthy histories: SP subscriptions with their confirmation, points redemptions, CRM orders."""

import random
from datetime import datetime, timedelta

from firstcall.sandbox import catalog
from firstcall.sandbox.model import CrmOrder, Redemption, VasSubscription
from firstcall.sandbox.profile import Profile


def vas_subscriptions(rng: random.Random, index: int, epoch: datetime) -> tuple:
    chosen = rng.sample(catalog.SERVICE_PROVIDERS, rng.randint(1, 2))
    subs = []
    for n, sp in enumerate(chosen):
        ordered = epoch - timedelta(days=rng.randint(40, 400), minutes=rng.randint(0, 1440))
        subs.append(
            VasSubscription(
                sub_id=f"VS{index:09d}{n}",
                sp=sp,
                ordered=ordered,
                channel=rng.choice(catalog.ORDER_CHANNELS),
                confirmed=ordered + timedelta(seconds=rng.randint(20, 90)),
                monthly_count=rng.randint(4, 31),
            )
        )
    return tuple(subs)


def redemptions(rng: random.Random, index: int, epoch: datetime) -> tuple:
    done = []
    for n in range(rng.choice((0, 0, 1, 2))):
        gift = rng.choice(catalog.GIFTS)
        placed = epoch - timedelta(days=rng.randint(30, 500))
        shipped = gift.kind == "实物"
        done.append(
            Redemption(
                order_id=f"JF{placed:%Y%m%d}-{index:07d}{n}",
                gift=gift,
                placed=placed,
                channel=rng.choice(("APP", "短信10001", "网厅")),
                status="已签收" if shipped else "已到账",
                reason="",
                tracking=f"{rng.choice(catalog.COURIERS)} SF{index:010d}" if shipped else "",
            )
        )
    return tuple(done)


HEALTHY_ORDERS = {
    "mobile": (("变更", "套餐变更"), ("功能开关", "开通来电显示"), ("变更", "订购国内流量包10GB")),
    "broadband": (("变更", "宽带续费"), ("变更", "宽带提速")),
}


def orders(rng: random.Random, prof: Profile, index: int, epoch: datetime) -> tuple:
    products = [p for p in ("mobile", "broadband") if getattr(prof, p)]
    made = []
    for n in range(rng.choice((0, 1, 1, 2))):
        product = rng.choice(products)
        action, title = rng.choice(HEALTHY_ORDERS[product])
        made.append(
            order(
                index, n, prof, epoch - timedelta(days=rng.randint(20, 300)), product, action, title
            )
        )
    return tuple(made)


def order(
    index: int,
    n: int,
    prof: Profile,
    accepted: datetime,
    product: str,
    action: str,
    title: str,
    *,
    status: str = "已竣工",
    promised: str = "立即",
    fail_reason: str = "",
) -> CrmOrder:
    """One CRM order; its provisioning work order (wo_id) shares the number."""
    serial = f"{index:07d}{n % 10}"  # the index leads, so an id maps back to its customer
    return CrmOrder(
        order_id=f"SO{accepted:%Y%m%d}{serial}",
        wo_id=f"PF-{prof.city.area_code}-{accepted:%Y%m%d}-{serial}",
        product=product,
        action=action,
        title=title,
        accepted=accepted,
        channel=prof.city.name + rng_channel(index + n),
        staff=f"{prof.city.code.lower()}-{3000 + (index + n) % 900}",
        promised_effect=promised,
        status=status,
        fail_reason=fail_reason,
    )


def rng_channel(n: int) -> str:
    return catalog.SALES_CHANNELS[n % len(catalog.SALES_CHANNELS)]
