"""The HTTP workbench bench's database work, run as a child process with the tree under test on
PYTHONPATH and its DATABASE_URL (so the bench itself never imports Django and can measure an
older tree):

    workbench_http_prepare.py template            migrate, seed the reference data, the demo org
                                                  tree and the sandbox's systems
    workbench_http_prepare.py agents N [--timeout-ms T]
                                                  N agent users, each in the first call-centre
                                                  team of a demo city, and a signed-in session
                                                  each; prints JSON on stdout

Sessions are written straight into the session store, as a sign-in through the form would leave
them (user id, backend, the session hash of the password): signing in 200 users through the form
would spend minutes on Argon2 before the bench starts.
"""

import argparse
import json
import os
import sys
from importlib import import_module
from typing import Any


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")
    import django

    django.setup()


def template() -> None:
    from django.core.management import call_command

    from firstcall.seeding import seed

    call_command("migrate", verbosity=0, interactive=False)
    seed(demo=True)
    print(json.dumps({"ok": True}))


def city_teams() -> list[tuple[str, Any]]:
    """(city code, its first call-centre team) of every demo city, e.g. ("GD-SZ", <GD-SZ-CS-D1>)."""
    from firstcall.orgs.models import OrgUnit

    teams = OrgUnit.objects.filter(code__endswith="-CS-D1").order_by("code")
    return [(unit.code.removesuffix("-CS-D1"), unit) for unit in teams]


def agents(count: int, timeout_ms: int | None) -> None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction

    from firstcall.accounts import services as accounts
    from firstcall.accounts.models import FlowRole, FunctionRole, User
    from firstcall.core.audit import ChangeContext
    from firstcall.integrations.models import BackendSystem
    from firstcall.integrations.services import SANDBOX_SYSTEMS, update_system

    ctx = ChangeContext.for_cli("bench workbench_http")
    role = FunctionRole.objects.get(code="agent")
    flow_role = FlowRole.objects.get(code="agent")
    teams = city_teams()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    out: list[dict[str, str]] = []
    with transaction.atomic():
        if timeout_ms:
            for system in BackendSystem.objects.all():
                update_system(ctx, system, timeout_ms=timeout_ms)
        for i in range(count):
            city, team = teams[i % len(teams)]
            username = f"bench-agent-{i}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = accounts.create_user(
                    ctx,
                    username=username,
                    password=f"bench-{os.urandom(8).hex()}",
                    name=f"压测坐席{i}",
                    check_password=False,
                    unit=team,
                    role=role,
                    flow_role=flow_role,
                )
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            out.append({"username": username, "city": city, "session": session.session_key})
    print(
        json.dumps(
            {
                "agents": out,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "prefixes": {name: prefix for name, _k, _t, prefix in SANDBOX_SYSTEMS},
                "timeouts_ms": sorted({s.timeout_ms for s in BackendSystem.objects.all()}),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["template", "agents"])
    parser.add_argument("count", type=int, nargs="?", default=0)
    parser.add_argument("--timeout-ms", type=int)
    args = parser.parse_args()
    setup()
    if args.what == "template":
        template()
    else:
        agents(args.count, args.timeout_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
