"""Stage two for IPTV and service provisioning (SPS work orders mirror CRM orders)."""

from datetime import timedelta

from firstcall.sandbox.model import CrmOrder, Customer
from firstcall.sandbox.platforms.state import CrmProduct, IptvState, WorkOrder

IPTV_STATUS = {"在用": "正常", "欠费停机": "欠费停机"}
WO_STATUS = {"已竣工": "成功", "在途": "已发", "失败": "失败", "作废": "回滚"}
NE_COMMANDS = {
    "mobile": (("HLR", "MOD SUB"), ("OCS", "订购销售品"), ("PCRF", "MOD POLICY")),
    "broadband": (("AAA", "MOD USER"), ("OLT", "ADD SERVICE-PORT")),
    "iptv": (("IPTV", "ADD ACCOUNT"), ("OLT", "ADD MULTICAST")),
    "fixed": (("IMS", "MOD SUB"),),
}


def derive_iptv(c: Customer, product: CrmProduct) -> IptvState:
    i, b = c.iptv, c.broadband
    assert i is not None and b is not None  # IPTV rides on LAN/FTTH broadband
    return IptvState(
        exists=True,
        status=IPTV_STATUS.get(product.status, "停机"),
        package=i.package,
        bound_mac=product.details["stb_mac"],
        bound_sn=product.details["stb_sn"],
        current_mac=product.details["stb_mac"],
        last_auth=b.session_started + timedelta(minutes=3),
        last_auth_result="成功",
        multicast=True,
    )


def work_order(order: CrmOrder) -> WorkOrder:
    status = WO_STATUS.get(order.status, "已发")
    if status == "已发" and order.promised_effect == "次月1日生效":
        status = "待发"  # held by the scheduler until the effective date
    elif status == "已发" and order.action in ("新装", "移机"):
        status = "待装维"  # network data waits for the field installation to finish
    result = {"成功": "成功", "失败": "失败", "回滚": "已回滚", "已发": "执行中"}.get(
        status, "待发"
    )
    return WorkOrder(
        wo_id=order.wo_id,
        crm_order_id=order.order_id,
        action=order.action,
        title=order.title,
        created=order.accepted + timedelta(seconds=40),
        promised=order.promised_effect,
        status=status,
        retries=0,
        commands=[
            {"ne": ne, "command": f"{command} {order.title}", "result": result}
            for ne, command in NE_COMMANDS.get(order.product, ())
        ],
    )
