"""AAA password commands: check a password, reset it (deterministic unless one is given)."""

import hashlib

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.rng import mask_mobile
from firstcall.sandbox.systems.aaa_lookup import fail, find


def reset_password_for(seed: int, index: int) -> str:
    """The password a reset without an explicit one sets (deterministic, so a repeat is a no-op)."""
    digest = hashlib.sha256(f"{seed}:{index}:reset".encode()).hexdigest()
    return "r" + digest[:7]


def check_password(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    body = call.body if isinstance(call.body, dict) else {}
    return Reply(200, {"status": "ok", "match": body.get("password") == found[1].password})


def reset_password(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    c, a = found
    body = call.body if isinstance(call.body, dict) else {}
    new = str(body.get("newPassword") or reset_password_for(sb.seed, c.index))
    if len(new) < 6:
        return fail(400, "WEAK_PASSWORD", "newPassword needs at least 6 characters")

    def change(m: Mutations) -> None:
        m.password, m.password_changed = new, sb.now()

    outcome = execute(
        sb,
        c,
        system="aaa",
        command="password-reset",
        fix_keys=("reset_password",),
        change=change,
        needed=a.password != new,
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    after = sb.platforms(c).aaa
    assert after is not None and c.broadband is not None
    return Reply(
        200,
        {
            "status": "ok",
            "User-Name": c.broadband.account,
            "Password-Changed": after.password_changed,
            "Notice": f"新密码已短信下发至 {mask_mobile(c.contact_phone)}",
        },
    )
