"""Account and product status: arrears, stops, shutdowns, expiry, pending installation."""

from firstcall.sandbox.conditions.helpers import put_in_arrears, set_status
from firstcall.sandbox.conditions.spec import Condition, Ctx, anyone, mobile
from firstcall.sandbox.platforms.state import WorkOrder


def _realname(ctx: Ctx) -> None:
    if not ctx.resolved:
        ctx.p.crm.real_name_status = "待核验"
        ctx.p.crm.products["mobile"].status = "实名待核验关停"


def _paid_but_stopped_truth(ctx: Ctx) -> None:
    ctx.p.billing.payments.insert(
        0,
        {
            "time": ctx.ago(hours=3).isoformat(timespec="seconds"),
            "channel": "微信",
            "amount": 100.0,
            "status": "已到账",
        },
    )
    ctx.p.billing.balance = round(ctx.p.billing.balance + 37.6, 2)


def _paid_but_stopped(ctx: Ctx) -> None:
    """The payment cleared the arrears but the resume (复机) order never reached the network."""
    ctx.p.crm.products["mobile"].status = "欠费单停"
    hlr, ocs = ctx.p.hlr, ctx.p.ocs
    assert hlr is not None and ocs is not None
    hlr.gsm_oc = hlr.gprslock = True
    ocs.state = "单停"
    ctx.p.sps.insert(
        0,
        WorkOrder(
            wo_id=f"PF-{ctx.c.profile.city.area_code}-{ctx.epoch:%Y%m%d}-{ctx.c.index:07d}R",
            crm_order_id="",
            action="复机",
            title="欠费复机（缴费触发）",
            created=ctx.ago(hours=3),
            promised="立即",
            status="超时",
            retries=0,
            commands=[
                {"ne": "HLR", "command": "MOD LCK GSM_OC=FALSE", "result": "超时"},
                {"ne": "OCS", "command": "复机", "result": "待发"},
            ],
        ),
    )


PAY = "F-MOB-NOCALL S3: 确实欠费"
CONDITIONS = (
    Condition(
        "arrears_stop",
        "account in arrears: mobile 欠费单停, broadband/fixed/IPTV 欠费停机",
        0.03,
        anyone,
        (
            "F-BB-691 S2: 欠费停机或包年到期未续",
            "F-BB-678 S1: 欠费停机",
            "F-BB-651 S1: 欠费停机",
            "F-MOB-NOCALL S2: 欠费单停或双停",
            PAY,
            "F-MOB-NOSMS S2: 正常或单停",
            "F-MOB-DATA S2: 停机",
            "F-MOB-IROAM S2: 停机或余额不足",
            "F-IPTV-NOPIC S4: 欠费停机",
        ),
        caller="突然不能用了，最近没怎么缴费",
        truth=put_in_arrears,
        fixed_by=("payment",),
    ),
    Condition(
        "arrears_double_stop",
        "long arrears: mobile 欠费双停 (no incoming calls or SMS either)",
        0.006,
        mobile,
        ("F-MOB-NOSMS S2: 双停或关停", "F-MOB-NOCALL S2: 欠费单停或双停", PAY),
        caller="打不了电话也收不到短信",
        truth=lambda ctx: put_in_arrears(ctx, two_way=True),
        fixed_by=("payment",),
    ),
    Condition(
        "paid_still_stopped",
        "paid the arrears but still stopped: resume order timed out",
        0.004,
        mobile,
        ("F-MOB-NOCALL S3: 已缴费仍停机", "F-MOB-NOCALL A-RESUME: 成功"),
        caller="已经交了钱还是打不出去",
        truth=_paid_but_stopped_truth,
        effect=_paid_but_stopped,
        fixed_by=("resume",),
    ),
    Condition(
        "antifraud_shutdown",
        "mobile shut down by the anti-fraud platform (涉诈关停)",
        0.003,
        mobile,
        ("F-MOB-NOCALL S2: 涉诈或实名待核验关停", "F-MOB-NOSMS S2: 双停或关停"),
        caller="收到反诈短信后手机不能用",
        truth=set_status("mobile", "涉诈关停"),
    ),
    Condition(
        "realname_pending_shutdown",
        "mobile shut down until the owner re-verifies identity",
        0.003,
        mobile,
        ("F-MOB-NOCALL S2: 涉诈或实名待核验关停",),
        caller="提示需要实名核验",
        truth=_realname,
    ),
    Condition(
        "mob_reported_lost",
        "mobile stopped after the owner reported the SIM lost (挂失停机)",
        0.002,
        mobile,
        ("F-MOB-NOCALL S2: 挂失或停机保号",),
        caller="手机找回来了但打不了电话",
        truth=set_status("mobile", "挂失停机"),
        fixed_by=("resume",),
    ),
    Condition(
        "mob_user_stop",
        "mobile stopped at the owner's request (停机保号)",
        0.002,
        mobile,
        ("F-MOB-NOCALL S2: 挂失或停机保号",),
        caller="之前办了停机保号，现在想用",
        truth=set_status("mobile", "用户申请停机（停机保号）"),
        fixed_by=("resume",),
    ),
)
