"""The repairs several systems expose: resync a product to a platform, resume service."""

from firstcall.sandbox.commands import Outcome, execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.model import Customer

PLATFORMS = ("HLR", "AAA", "OCS", "PCRF", "IPTV", "OLT")
NEEDS_VERIFICATION = ("涉诈关停", "实名待核验关停")


def platform_applies(c: Customer, platform: str) -> bool:
    """Whether the customer has anything on the platform to resync."""
    prof = c.profile
    return {
        "HLR": prof.mobile,
        "PCRF": prof.mobile,
        "OCS": prof.mobile or prof.bb_prepaid,
        "AAA": prof.broadband,
        "OLT": prof.access in ("FTTH", "LAN"),
        "IPTV": prof.iptv,
    }.get(platform, False)


def resync(sb: Sandbox, c: Customer, platform: str, *, system: str) -> Outcome:
    """Make the platform's data for this customer what CRM says it should be."""
    return execute(
        sb, c, system=system, command=f"resync:{platform}", fix_keys=(f"resync:{platform}",)
    )


def resume(sb: Sandbox, c: Customer, *, system: str) -> Outcome:
    """Lift a stop whose cause is gone (arrears paid, owner asked, lost SIM found)."""
    p = sb.platforms(c)
    refusal = ""
    if p.billing.arrears > 0:
        refusal = f"欠费未缴清（{p.billing.arrears:.2f}元），缴费后自动复机"
    elif (m := p.crm.products.get("mobile")) and m.status in NEEDS_VERIFICATION:
        refusal = "需机主本人核验（线上核验或持证到自有营业厅）后复机"
    return execute(sb, c, system=system, command="resume", fix_keys=("resume",), refusal=refusal)
