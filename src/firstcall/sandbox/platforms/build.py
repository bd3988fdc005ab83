"""Build every platform's state for one customer: CRM truth, derivation, conditions, commands."""

from datetime import datetime

from firstcall.sandbox.conditions.spec import Condition, Ctx
from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.access_line import derive_nms, derive_res
from firstcall.sandbox.platforms.broadband import derive_aaa
from firstcall.sandbox.platforms.crm import build_crm
from firstcall.sandbox.platforms.homing import refs_of, rehome
from firstcall.sandbox.platforms.messaging import derive_smsc, derive_vas
from firstcall.sandbox.platforms.mobile import derive_hlr, derive_ocs, derive_pcrf
from firstcall.sandbox.platforms.money import build_billing, build_points
from firstcall.sandbox.platforms.mutations import Mutations, apply_mutations
from firstcall.sandbox.platforms.services import derive_iptv, work_order
from firstcall.sandbox.platforms.state import Platforms
from firstcall.sandbox.rng import Purpose, stream


def build_platforms(
    c: Customer,
    *,
    seed: int,
    active: list[Condition],
    resolved: list[Condition],
    mutations: Mutations | None,
    epoch: datetime,
    now: datetime,
    effects: bool = True,
) -> Platforms:
    c = rehome(c, [*active, *resolved])
    p = Platforms(
        crm=build_crm(c),
        billing=build_billing(c, epoch),
        points=build_points(c),
        sps=[],
        refs=refs_of(c),
    )
    ctx = Ctx(c, p, epoch, now, stream(seed, c.index, Purpose.PLATFORM))
    for cond in [*active, *resolved]:
        if cond.truth:
            ctx.resolved = cond in resolved
            cond.truth(ctx)
    ctx.resolved = False
    derive(p, c, seed, epoch)
    for cond in active if effects else ():
        if cond.effect:
            cond.effect(ctx)
    if mutations is not None:
        apply_mutations(p, c, mutations)
    return p


def derive(p: Platforms, c: Customer, seed: int, epoch: datetime) -> None:
    """Stage two: every platform as CRM says it should be."""
    rng = stream(seed, c.index, Purpose.NETWORK)
    products = p.crm.products
    if "mobile" in products:
        mobile = products["mobile"]
        p.hlr = derive_hlr(c, mobile)
        p.ocs = derive_ocs(c, mobile, p.billing, epoch)
        p.pcrf = derive_pcrf(c, p.ocs)
        p.smsc = derive_smsc(c, rng, epoch, mobile.status)
        p.vas = derive_vas(c)
    elif c.profile.bb_prepaid and "broadband" in products:
        p.ocs = derive_ocs(c, None, p.billing, epoch)
    if "broadband" in products:
        p.aaa = derive_aaa(c, products["broadband"], rng, epoch)
        p.nms = derive_nms(c, rng)
        p.res = derive_res(c)
    if "iptv" in products:
        p.iptv = derive_iptv(c, products["iptv"])
    p.sps = [work_order(o) for o in p.crm.orders if o.status in ("已竣工", "在途")]
