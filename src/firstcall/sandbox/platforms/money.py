"""Stage one for money: billing (bills, payments, credits) and loyalty points as generated."""

from datetime import datetime, timedelta

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.crm import month_cycles
from firstcall.sandbox.platforms.state import Bill, Billing, BillItem, Points


def build_billing(c: Customer, epoch: datetime) -> Billing:
    bills = []
    for n, cycle in enumerate(month_cycles(epoch, 3)):
        items = []
        if c.mobile:
            items.append(BillItem(f"{cycle}-01", "套餐月基本费", c.mobile.plan.monthly_fee))
        if c.broadband and c.broadband.billing_type == "包月":
            items.append(BillItem(f"{cycle}-02", "宽带月租费", 100.0))
        if c.fixed:
            items.append(BillItem(f"{cycle}-03", "固话月租费", 15.0))
        for k, sub in enumerate(c.vas):
            if sub.ordered < epoch - timedelta(days=31 * (n + 1)):
                items.append(
                    BillItem(f"{cycle}-1{k}", "代收费-信息费", sub.sp.monthly_fee, True, sub.sp)
                )
        bills.append(Bill(cycle, items))
    paid = round(sum(item.amount for item in bills[0].items), 2) if bills[0].items else 50.0
    payments = [
        {
            "time": (epoch - timedelta(days=9, hours=3)).isoformat(timespec="seconds"),
            "channel": c.pay_channel,
            "amount": paid,
            "status": "已到账",
        }
    ]
    credits = [
        {
            "time": r.placed.isoformat(timespec="seconds"),
            "source": f"积分兑换 {r.order_id}",
            "amount": float(r.gift.name.split("元")[0]) if r.gift.kind == "话费" else 0.0,
            "note": r.gift.name,
        }
        for r in c.redemptions
        if r.gift.kind in ("话费", "流量")
    ]
    return Billing(
        balance=c.balance,
        credit_limit=c.credit_limit,
        arrears=0.0,
        acct_status="正常",
        reminder="",
        bills=bills,
        payments=payments,
        credits=credits,
    )


def build_points(c: Customer) -> Points:
    return Points(
        available=c.points_available,
        frozen=0,
        expiring=c.points_expiring,
        accrual_paused=False,
        redemptions=[
            {
                "order_id": r.order_id,
                "gift": r.gift.name,
                "kind": r.gift.kind,
                "points": r.gift.points,
                "placed": r.placed,
                "channel": r.channel,
                "status": r.status,
                "reason": r.reason,
                "tracking": r.tracking,
                "logistics": "已签收" if r.tracking else "",
                "promised": "7个工作日内发货" if r.tracking else "24小时内到账",
                "points_refunded": None,
            }
            for r in c.redemptions
        ],
    )
