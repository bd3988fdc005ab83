"""IPTV: the platform account, STB binding, multicast right, VLAN and port at the ONT."""

from firstcall.sandbox import catalog
from firstcall.sandbox.conditions.spec import Condition, Ctx, iptv
from firstcall.sandbox.rng import mac

TV = "F-IPTV-NOPIC "


def _iptv_truth_new_stb(ctx: Ctx) -> None:
    details = ctx.p.crm.products["iptv"].details
    details["stb_mac"] = mac(ctx.rng, catalog.STB_MODELS[1].oui)
    details["stb_sn"] = str(ctx.c.index).zfill(16)


def _iptv_old_binding(ctx: Ctx) -> None:
    i, state = ctx.c.iptv, ctx.p.iptv
    assert i is not None and state is not None
    state.bound_mac, state.bound_sn = i.stb_mac, i.stb_sn
    state.last_auth, state.last_auth_result = ctx.ago(minutes=12), "失败（机顶盒MAC与绑定不一致）"


def _iptv(**changes: object):
    def effect(ctx: Ctx) -> None:
        assert ctx.p.iptv is not None
        for key, value in changes.items():
            setattr(ctx.p.iptv, key, value)

    return effect


def _nms(**changes: object):
    def effect(ctx: Ctx) -> None:
        assert ctx.p.nms is not None
        for key, value in changes.items():
            setattr(ctx.p.nms, key, value)

    return effect


CONDITIONS = (
    Condition(
        "iptv_stb_wrong_port",
        "the STB is plugged into the ONT's internet port",
        0.003,
        iptv,
        (TV + "S3: 机顶盒接错口",),
        caller="电视卡在开机进度条",
        effect=_nms(stb_port="LAN1"),
    ),
    Condition(
        "iptv_vlan_missing",
        "the ONU has no IPTV VLAN configured",
        0.003,
        iptv,
        (TV + "S3: IPTV VLAN配置异常", TV + "A-REPROV: 成功"),
        caller="电视卡在开机进度条",
        effect=_nms(iptv_vlan_ok=False),
        fixed_by=("resync:OLT",),
    ),
    Condition(
        "iptv_stb_mismatch",
        "STB replaced, platform still bound to the old one",
        0.005,
        iptv,
        (TV + "S4: 绑定机顶盒不一致",),
        caller="换了机顶盒后进不去",
        truth=_iptv_truth_new_stb,
        effect=_iptv_old_binding,
        fixed_by=("rebind",),
    ),
    Condition(
        "iptv_account_missing",
        "the IPTV platform has no such account",
        0.003,
        iptv,
        (TV + "S4: 账号状态异常或平台无账号",),
        caller="电视提示账号不存在",
        effect=_iptv(exists=False),
        fixed_by=("resync:IPTV",),
    ),
    Condition(
        "iptv_state_mismatch",
        "IPTV account stopped while CRM has it in use",
        0.003,
        iptv,
        (TV + "S4: 账号状态异常或平台无账号",),
        caller="电视提示账号已停用",
        effect=_iptv(status="停机"),
        fixed_by=("resync:IPTV",),
    ),
    Condition(
        "iptv_platform_alarm",
        "the IPTV CDN/EPG node is in alarm (multicast source)",
        0.003,
        iptv,
        (TV + "S4: 认证正常", TV + "S5: 有告警", TV + "S6: 多用户"),
        caller="电视能进首页但都不能播放",
        pool=("IPTV", "fault"),
    ),
    Condition(
        "iptv_multicast_missing",
        "no multicast right: live TV fails, VOD works",
        0.003,
        iptv,
        (TV + "S6: 单用户",),
        caller="直播看不了，点播可以",
        effect=_iptv(multicast=False),
        fixed_by=("resync:IPTV",),
    ),
)
