"""AAA commands on sessions and data: kick, clear the binding, resync from CRM; and the routes of
every AAA command (password ones included)."""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import STRING, Call, Reply, body_schema
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.aaa_lookup import (
    fail,
    find,
    read_sessions,
    read_user,
    user_call,
    user_call_with,
)
from firstcall.sandbox.systems.aaa_password import check_password, reset_password
from firstcall.sandbox.systems.common import System


def kick(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    c, a = found
    body = call.body if isinstance(call.body, dict) else {}
    wanted = body.get("Acct-Session-Id")
    targets = [s.session_id for s in a.sessions if wanted in (None, s.session_id)]

    def change(m: Mutations) -> None:
        for session_id in targets:
            m.kicked[session_id] = sb.now()

    outcome = execute(
        sb,
        c,
        system="aaa",
        command="kick",
        fix_keys=("kick",) if targets else (),
        change=change,
        needed=bool(targets),
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return read_sessions(sb, call)


def clear_binding(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    c, a = found

    def change(m: Mutations) -> None:
        m.binding_cleared = sb.now()

    outcome = execute(
        sb,
        c,
        system="aaa",
        command="binding-clear",
        fix_keys=("unbind",),
        change=change,
        needed=a.binding_port is not None,
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return read_user(sb, call)


def resync_user(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call, need_account=False)
    if isinstance(found, Reply):
        return found
    outcome = resync(sb, found[0], "AAA", system="aaa")
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return read_user(sb, call)


def register(system: System) -> None:
    system.post(
        "/v1/users/{userName}/password-check",
        "Check a password against the account (no change)",
        check_password,
        user_call_with({"password": "abc12345"}),
        description="Body {password}. Answers {match}.",
        body=body_schema("password", password=STRING),
    )
    system.post(
        "/v1/users/{userName}/password-reset",
        "Reset the broadband password",
        reset_password,
        user_call_with({}),
        description="Body {newPassword} optional; without it a generated password is "
        "set and sent by SMS. Resetting to the current password is a no-op.",
        body=body_schema(newPassword={"type": "string", "minLength": 6}),
    )
    system.post(
        "/v1/users/{userName}/kick",
        "Force sessions off line (DM / Admin-Reset)",
        kick,
        user_call_with({}),
        description="Body {Acct-Session-Id} optional (default: all). "
        "Answers with the sessions left on line.",
        body=body_schema(**{"Acct-Session-Id": STRING}),
    )
    system.post(
        "/v1/users/{userName}/binding/clear",
        "Clear the port/VLAN/MAC binding; the next dial binds again",
        clear_binding,
        user_call,
    )
    system.post(
        "/v1/users/{userName}/resync",
        "Rewrite the account from CRM (status, product, rate template, lock)",
        resync_user,
        user_call,
        description="Creates the account if AAA lacks it. Answers with the account.",
    )
