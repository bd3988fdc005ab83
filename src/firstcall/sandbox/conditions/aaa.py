"""Broadband AAA: accounts, passwords, bindings, sessions, authentication results."""

from datetime import timedelta

from firstcall.sandbox.conditions.helpers_aaa import offline, reject
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband, prepaid_broadband


def _missing(ctx: Ctx) -> None:
    assert ctx.p.aaa is not None
    ctx.p.aaa.exists = False
    offline(ctx)
    reject(ctx, "无此用户")


def _state(ctx: Ctx) -> None:
    assert ctx.p.aaa is not None
    ctx.p.aaa.status = "停机"
    offline(ctx)
    reject(ctx, "状态错")


def _locked(ctx: Ctx) -> None:
    assert ctx.p.aaa is not None
    ctx.p.aaa.locked = True
    offline(ctx)
    reject(ctx, "状态错")


def _attr(ctx: Ctx) -> None:
    aaa = ctx.p.aaa
    assert aaa is not None
    aaa.access_limit = "ADSL" if aaa.access_limit != "ADSL" else "LAN"
    offline(ctx)
    reject(ctx, "无认证接入校验属性")


def _password(ctx: Ctx) -> None:
    offline(ctx)
    reject(ctx, "密码错")


def _ocs_low(ctx: Ctx) -> None:
    assert ctx.p.ocs is not None and ctx.p.ocs.bb_book is not None
    ctx.p.ocs.bb_book = {
        "balance": 0.0,
        "expires": (ctx.epoch - timedelta(days=2)).date().isoformat(),
    }
    offline(ctx)
    reject(ctx, "OCS_Err")


def _ocs_err(ctx: Ctx) -> None:
    offline(ctx)
    reject(ctx, "OCS_Err")


AAA_691 = "F-BB-691 S3: "
LOG = "F-BB-691 S4: "
CONDITIONS = (
    Condition(
        "aaa_account_missing",
        "AAA has no such account although CRM has it in use",
        0.004,
        broadband,
        (AAA_691 + "AAA无此账号", "F-BB-691 A-RESYNC: 同步成功"),
        caller="拨号报691",
        effect=_missing,
        fixed_by=("resync:AAA",),
    ),
    Condition(
        "aaa_state_mismatch",
        "AAA account stopped while CRM has broadband in use",
        0.004,
        broadband,
        (AAA_691 + "AAA状态与CRM不一致",),
        caller="缴费后宽带还是报691",
        effect=_state,
        fixed_by=("resync:AAA",),
    ),
    Condition(
        "bb_wrong_password",
        "the dialler sends a wrong password (密码错)",
        0.006,
        broadband,
        (
            LOG + "密码错",
            "F-BB-691 S5: 客户核对后可正常拨号",
            "F-BB-691 S5: 客户忘记密码或仍失败",
            "F-BB-678 S5: 有认证请求",
            "F-BB-651 S6: 有认证请求",
            "F-BB-ERRCODE S2: 有认证失败记录",
        ),
        caller="拨号报691，前几天改过路由器设置",
        effect=_password,
        fixed_by=("reset_password",),
    ),
    Condition(
        "aaa_account_locked",
        "AAA locked the account after repeated failures (状态错)",
        0.003,
        broadband,
        (LOG + "状态错",),
        caller="拨号报691",
        effect=_locked,
        fixed_by=("resync:AAA",),
    ),
    Condition(
        "aaa_attr_invalid",
        "AAA access attribute does not fit the product",
        0.002,
        broadband,
        (LOG + "无认证接入校验属性",),
        caller="拨号报691",
        effect=_attr,
        fixed_by=("resync:AAA",),
    ),
    Condition(
        "bb_ocs_balance_low",
        "prepaid broadband account book empty or expired",
        0.003,
        prepaid_broadband,
        (LOG + "OCS_Err", "F-BB-691 S8: 余额不足或账本到期"),
        caller="拨号报691",
        effect=_ocs_low,
        fixed_by=("payment",),
    ),
    Condition(
        "bb_ocs_error",
        "AAA reports OCS_Err although the account book is fine",
        0.003,
        prepaid_broadband,
        (LOG + "OCS_Err", "F-BB-691 S8: 余额充足"),
        caller="拨号报691",
        effect=_ocs_err,
    ),
)
