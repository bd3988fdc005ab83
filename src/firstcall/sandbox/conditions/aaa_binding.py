"""AAA binding checks: a stale port binding after a move, or a line on the wrong port."""

from firstcall.sandbox.conditions.helpers import add_order
from firstcall.sandbox.conditions.helpers_aaa import offline, reject
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband
from firstcall.sandbox.platforms.broadband import nas_port_id

LOG = "F-BB-691 S4: "


def _moved(ctx: Ctx) -> None:
    add_order(ctx, "broadband", "移机", "宽带移机", days=2)


def _stale_binding(ctx: Ctx) -> None:
    """After the move RES and the line are on the new port; AAA still binds the old one."""
    b, aaa = ctx.c.broadband, ctx.p.aaa
    assert b is not None and aaa is not None
    aaa.binding_port = nas_port_id(b.line, svlan=b.line.svlan - 7, cvlan=b.line.cvlan + 41)
    offline(ctx)
    reject(ctx, "绑定校验错")


def _wrong_port(ctx: Ctx) -> None:
    """AAA binding and RES agree, but the line really arrives on another port (jumper error)."""
    b = ctx.c.broadband
    assert b is not None
    offline(ctx)
    reject(ctx, "绑定校验错", port=nas_port_id(b.line, cvlan=b.line.cvlan + 1))


CONDITIONS = (
    Condition(
        "aaa_binding_stale",
        "moved house: AAA still binds the old port (绑定校验错)",
        0.004,
        broadband,
        (LOG + "绑定校验错", "F-BB-691 S6: 资源与实际一致但AAA绑定陈旧"),
        caller="刚移机，拨号报691",
        truth=_moved,
        effect=_stale_binding,
        fixed_by=("unbind",),
    ),
    Condition(
        "res_port_mismatch",
        "line lands on another port than RES and AAA say (jumper)",
        0.003,
        broadband,
        (LOG + "绑定校验错", "F-BB-691 S6: 资源与实际不一致"),
        caller="装维来过之后拨号报691",
        effect=_wrong_port,
    ),
)
