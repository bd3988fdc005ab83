"""SMS delivery: HLR SMS flags, SMSC results, operator-side blocking, SMSC outage."""

from firstcall.sandbox.conditions.helpers import hlr_of
from firstcall.sandbox.conditions.spec import Condition, Ctx, mobile
from firstcall.sandbox.platforms.state import Smsc

NOSMS = "F-MOB-NOSMS "


def _smsc(ctx: Ctx) -> Smsc:
    assert ctx.p.smsc is not None
    return ctx.p.smsc


def _failures(cause: str, *, status: str = "失败", intercept: str = "否", sender: str = ""):
    """Recent messages to this number all end with the same result."""

    def effect(ctx: Ctx) -> None:
        for n, record in enumerate(_smsc(ctx).records[:4]):
            record.submitted = ctx.ago(hours=1 + n * 5, minutes=n * 7)
            record.status, record.fail_cause, record.intercept = status, cause, intercept
            record.attempts = 1 if status == "被拦截" else 4
            if sender:
                record.orig = sender + str(n)

    return effect


def _mcef(ctx: Ctx) -> None:
    hlr_of(ctx).mcef = True
    _failures("memoryCapacityExceeded")(ctx)


def _mnrf(ctx: Ctx) -> None:
    hlr_of(ctx).mnrf = True
    _failures("absentSubscriberSM", status="等待重发")(ctx)


def _vlr_barred(ctx: Ctx) -> None:
    """HLR data is right but the VLR kept a barred copy: Insert Subscriber Data failed."""
    hlr_of(ctx).isd_ok = False
    _failures("callBarred")(ctx)


def _no_records(ctx: Ctx) -> None:
    _smsc(ctx).records = []


def _blocked(ctx: Ctx) -> None:
    _smsc(ctx).block_106 = True
    _failures("", status="被拦截", intercept="用户设置106屏蔽", sender="10657512345")(ctx)


CONDITIONS = (
    Condition(
        "sms_mcef_set",
        "HLR memory-capacity-exceeded flag set (MCEF)",
        0.003,
        mobile,
        (NOSMS + "S3: MCEF=TRUE",),
        caller="收不到短信",
        effect=_mcef,
    ),
    Condition(
        "sms_mnrf_set",
        "HLR MS-not-reachable flag set (MNRF) while the phone is on",
        0.003,
        mobile,
        (NOSMS + "S3: MNRF=TRUE",),
        caller="收不到短信，信号满格",
        effect=_mnrf,
    ),
    Condition(
        "sms_fail_memory",
        "SMSC fails delivery: memoryCapacityExceeded",
        0.003,
        mobile,
        (NOSMS + "S4: memoryCapacityExceeded",),
        caller="收不到短信",
        effect=_failures("memoryCapacityExceeded"),
    ),
    Condition(
        "sms_fail_absent",
        "SMSC fails delivery: absentSubscriberSM",
        0.003,
        mobile,
        (NOSMS + "S4: absentSubscriberSM",),
        caller="收不到短信",
        effect=_failures("absentSubscriberSM", status="等待重发"),
    ),
    Condition(
        "sms_fail_barred",
        "SMSC fails delivery: callBarred (stale VLR data)",
        0.003,
        mobile,
        (NOSMS + "S4: callBarred",),
        caller="收不到短信",
        effect=_vlr_barred,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "sms_fail_unknown_subscriber",
        "SMSC: unknownSubscriber (number-portability route)",
        0.002,
        mobile,
        (NOSMS + "S4: unknownSubscriber或路由错误",),
        caller="收不到短信",
        effect=_failures("unknownSubscriber"),
    ),
    Condition(
        "sms_no_records",
        "no message to this number reached the SMSC",
        0.004,
        mobile,
        (NOSMS + "S4: 无下发记录", NOSMS + "S5: 无下发记录", NOSMS + "S6: 发送方为他网用户或企业"),
        caller="银行验证码收不到",
        effect=_no_records,
    ),
    Condition(
        "sms_blocked",
        "the number blocks 106 industry SMS at the operator (拦截)",
        0.005,
        mobile,
        (NOSMS + "S5: 运营商侧被屏蔽或拦截",),
        caller="验证码短信收不到",
        effect=_blocked,
        fixed_by=("unblock",),
    ),
    Condition(
        "smsc_alarm",
        "the SMSC serving the number is in alarm; nothing delivered",
        0.002,
        mobile,
        (NOSMS + "S4: 无下发记录", NOSMS + "S6: 多用户同时反映"),
        caller="短信都收不到，同事也是",
        effect=_no_records,
        pool=("SMSC", "fault"),
    ),
)
