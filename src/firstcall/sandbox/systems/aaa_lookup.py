"""AAA lookups shared by its reads and commands: the error shape, the user, the readers."""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Aaa
from firstcall.sandbox.systems.aaa_render import session_json, user_json


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"status": "error", "error": code, "Reply-Message": message})


def find(sb: Sandbox, call: Call, *, need_account: bool = True) -> tuple[Customer, Aaa] | Reply:
    c = sb.locate(
        call.params.get("userName") or call.query.get("userName", ""), (KeyKind.BROADBAND,)
    )
    a = sb.platforms(c).aaa if c else None
    if c is None or a is None or (need_account and not a.exists):
        return fail(404, "NO_SUCH_USER", "无此用户")
    return c, a


def read_user(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    return Reply(200, {"status": "ok", "user": user_json(*found)})


def read_sessions(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    now = sb.now()
    return Reply(
        200,
        {
            "status": "ok",
            "User-Name": found[0].broadband.account,  # type: ignore[union-attr]
            "sessions": [session_json(s, now) for s in found[1].sessions],
        },
    )


def user_call(sb: Sandbox, c: Customer) -> Call | None:
    """A sample call on the customer's AAA user (for the OpenAPI examples)."""
    del sb
    return Call(params={"userName": c.broadband.account}) if c.broadband else None


def user_call_with(body: dict):
    def sample(sb: Sandbox, c: Customer) -> Call | None:
        base = user_call(sb, c)
        return Call(params=base.params, body=body) if base else None

    return sample
