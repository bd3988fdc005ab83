"""Reference data every installation needs, and the demo org tree with a user for every role.

Seeding is idempotent: what exists already is left as it is.
"""

import os

from django.conf import settings
from django.db import transaction

from firstcall.accounts import services as accounts
from firstcall.accounts.models import FlowRole, FunctionRole, User
from firstcall.core.audit import ChangeContext
from firstcall.integrations import services as integrations
from firstcall.navigation import services as navigation
from firstcall.orgs import services as orgs
from firstcall.orgs.models import OrgUnit
from firstcall.rules import services as rules
from firstcall.sla.seed import seed_sla
from firstcall.taxonomy import services as taxonomy
from firstcall.workflows import demo as workflows_demo
from firstcall.workflows import services as workflows

Kind = OrgUnit.Kind
Level = OrgUnit.Level

VIEW_BASICS = ["orgs.view_orgunit", "accounts.view_user"]
FUNCTION_ROLES: dict[str, tuple[str, list[str]]] = {
    "agent": ("坐席", ["accounts.use_agent_workbench", *VIEW_BASICS]),
    "expert": (
        "专家坐席",
        ["accounts.use_agent_workbench", "accounts.use_expert_desk", *VIEW_BASICS],
    ),
    "dispatcher": ("派单调度", ["accounts.use_back_office", *VIEW_BASICS]),
    "handler": ("工单处理人", ["accounts.use_back_office", "orgs.view_orgunit"]),
    "reviewer": (
        "质检审核",
        [
            "accounts.use_back_office",
            "accounts.view_reports",
            "core.view_objectchange",
            *VIEW_BASICS,
        ],
    ),
    "supervisor": (
        "班组长",
        [
            "accounts.use_agent_workbench",
            "accounts.use_back_office",
            "accounts.view_reports",
            *VIEW_BASICS,
        ],
    ),
    "org_admin": (
        "系统管理员",
        [
            *VIEW_BASICS,
            "orgs.add_orgunit",
            "orgs.change_orgunit",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_membership",
            "accounts.add_membership",
            "accounts.change_membership",
            "accounts.delete_membership",
            "accounts.view_functionrole",
            "accounts.view_flowrole",
            "accounts.view_apitoken",
            "accounts.add_apitoken",
            "accounts.change_apitoken",
            "accounts.add_functionrole",
            "accounts.change_functionrole",
            # An administrator gives only roles whose permissions they hold themselves.
            "accounts.use_agent_workbench",
            "accounts.use_expert_desk",
            "accounts.use_back_office",
            "accounts.configure_flows",
            "accounts.view_reports",
            "core.view_objectchange",
            "core.view_outboxmessage",
            "core.change_outboxmessage",
            "integrations.view_backendsystem",
            "integrations.change_backendsystem",
            "integrations.view_calllog",
            "taxonomy.view_scenario",
            "taxonomy.change_scenario",
            "taxonomy.view_complainttype",
            "taxonomy.change_complainttype",
            "taxonomy.view_phenomenon",
            "taxonomy.change_phenomenon",
            "rules.view_ruleset",
            "rules.change_ruleset",
        ],
    ),
}
FLOW_ROLES = {
    "agent": "坐席",
    "expert": "专家",
    "dispatcher": "派单员",
    "handler": "处理人",
    "reviewer": "审核人",
    "supervisor": "主管",
    "admin": "管理员",
}

PROVINCES = [
    ("JS", "江苏", [("NJ", "南京"), ("SZ", "苏州"), ("WX", "无锡")]),
    ("GD", "广东", [("GZ", "广州"), ("SZ", "深圳"), ("DG", "东莞")]),
    ("SC", "四川", [("CD", "成都"), ("MY", "绵阳")]),
]
PROVINCE_DEPARTMENTS = [
    ("CS", "省客服中心", Kind.CUSTOMER_SERVICE),
    ("EXP", "省专家坐席", Kind.EXPERT_DESK),
    ("CC", "省投诉中心", Kind.COMPLAINT_CENTRE),
    ("OPS", "省运维接口", Kind.OPERATIONS_INTERFACE),
    ("NOPT", "省网优中心", Kind.NETWORK_OPTIMISATION),
    ("NMNT", "省网维中心", Kind.NETWORK_MAINTENANCE),
    ("BILL", "省计费中心", Kind.BILLING),
]
CITY_DEPARTMENTS = [
    ("CS", "客服中心", Kind.CUSTOMER_SERVICE),
    ("EXP", "专家坐席", Kind.EXPERT_DESK),
    ("OPS", "运维接口人", Kind.OPERATIONS_INTERFACE),
    ("NOPT", "网优中心", Kind.NETWORK_OPTIMISATION),
    ("NMNT", "网维中心", Kind.NETWORK_MAINTENANCE),
    ("FLD", "装维班组", Kind.FIELD_MAINTENANCE),
    ("BILL", "计费组", Kind.BILLING),
]
# (username suffix, function role, flow role, department code or "" for the company itself)
CITY_USERS = [
    ("agent", "agent", "agent", "CS-D1"),
    ("expert", "expert", "expert", "EXP"),
    ("dispatcher", "dispatcher", "dispatcher", "OPS"),
    ("netopt", "handler", "handler", "NOPT"),
    ("netmaint", "handler", "handler", "NMNT"),
    ("field", "handler", "handler", "FLD"),
    # The city's supervisor approves deferrals (flow role `supervisor`, on the city company).
    ("supervisor", "supervisor", "supervisor", ""),
]
PROVINCE_USERS = [
    ("admin", "org_admin", "admin", ""),
    ("dispatcher", "dispatcher", "dispatcher", "OPS"),
    # The provincial complaint centre dispatches complaints to cities and handles T2 ones.
    ("complaints", "dispatcher", "dispatcher", "CC"),
    ("expert", "expert", "expert", "EXP"),
    ("reviewer", "reviewer", "reviewer", "CC"),
    ("supervisor", "supervisor", "supervisor", ""),
]


def demo_password() -> str:
    return os.environ.get("FIRSTCALL_DEMO_PASSWORD", "Demo@2026")


def seed_reference(ctx: ChangeContext) -> None:
    for code, (name, perms) in FUNCTION_ROLES.items():
        role = FunctionRole.objects.filter(code=code).first()
        if role is None:
            accounts.create_function_role(ctx, code=code, name=name, permissions=perms)
            continue
        # A seeded role that lacks a permission the seed now gives it (a new screen) gains it;
        # what an administrator added to the role is kept.
        held = {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()}
        if not set(perms) <= held:
            accounts.set_role_permissions(ctx, role, held | set(perms))
    for code, name in FLOW_ROLES.items():
        accounts.create_flow_role(ctx, code=code, name=name)
    taxonomy.seed_taxonomy(ctx)
    navigation.seed_flows(ctx)
    rules.seed_rule_sets(ctx)
    workflows.seed_processes(ctx)
    seed_sla(ctx)


def _unit(
    ctx: ChangeContext, code: str, name: str, level: str, parent: OrgUnit | None, kind: str
) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return orgs.create_unit(ctx, name=name, code=code, level=level, parent=parent, kind=kind)


def _person(
    ctx: ChangeContext,
    username: str,
    name: str,
    unit: OrgUnit,
    role: str,
    flow_role: str,
    logins: list[tuple[str, str, str]],
    *,
    staff: bool = False,
) -> None:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.create_user(
            ctx,
            username=username,
            password=demo_password(),
            name=name,
            is_staff=staff,
            check_password=False,
        )
        accounts.grant_membership(
            ctx,
            user=user,
            unit=unit,
            role=FunctionRole.objects.get(code=role),
            flow_role=FlowRole.objects.get(code=flow_role),
        )
    logins.append((username, FUNCTION_ROLES[role][0], unit.name))


# Work sent to a company lands at its operations interface (or, for complaints, the province's
# complaint centre): the people there also handle it (a second membership, as a handler).
ALSO_HANDLERS = [("dispatcher", "OPS"), ("complaints", "CC")]


def _also_handler(ctx: ChangeContext, username: str, unit: OrgUnit) -> None:
    user = User.objects.filter(username=username).first()
    role = FunctionRole.objects.get(code="handler")
    if user is None or user.memberships.filter(unit=unit, role=role).exists():
        return
    accounts.grant_membership(
        ctx, user=user, unit=unit, role=role, flow_role=FlowRole.objects.get(code="handler")
    )


def seed_demo(ctx: ChangeContext) -> list[tuple[str, str, str]]:
    logins: list[tuple[str, str, str]] = []
    hq = _unit(ctx, "HQ", "集团总部", Level.HEADQUARTERS, None, Kind.COMPANY)
    hq_cs = _unit(ctx, "HQ-CS", "集团客服中心", Level.DEPARTMENT, hq, Kind.CUSTOMER_SERVICE)
    hq_cc = _unit(ctx, "HQ-CC", "集团投诉中心", Level.DEPARTMENT, hq, Kind.COMPLAINT_CENTRE)
    hq_ops = _unit(ctx, "HQ-OPS", "集团运维接口", Level.DEPARTMENT, hq, Kind.OPERATIONS_INTERFACE)
    _unit(ctx, "HQ-EXP", "集团专家坐席", Level.DEPARTMENT, hq_cs, Kind.EXPERT_DESK)
    if not User.objects.filter(username="admin").exists():
        accounts.create_user(
            ctx,
            username="admin",
            password=demo_password(),
            name="超级管理员",
            is_superuser=True,
            check_password=False,
        )
    logins.append(("admin", "superuser", hq.name))
    _person(ctx, "hq-admin", "总部管理员", hq, "org_admin", "admin", logins, staff=True)
    _person(ctx, "hq-reviewer", "总部质检", hq_cc, "reviewer", "reviewer", logins)
    _person(ctx, "hq-dispatcher", "总部派单调度", hq_ops, "dispatcher", "dispatcher", logins)
    for p_code, p_name, cities in PROVINCES:
        province = _unit(ctx, p_code, f"{p_name}省分公司", Level.PROVINCE, hq, Kind.COMPANY)
        p_units = {"": province}
        for d_code, d_name, kind in PROVINCE_DEPARTMENTS:
            p_units[d_code] = _unit(
                ctx, f"{p_code}-{d_code}", f"{p_name}{d_name}", Level.DEPARTMENT, province, kind
            )
        for suffix, role, flow_role, dept in PROVINCE_USERS:
            _person(
                ctx,
                f"{p_code.lower()}-{suffix}",
                f"{p_name}{FUNCTION_ROLES[role][0]}",
                p_units[dept],
                role,
                flow_role,
                logins,
                staff=role == "org_admin",
            )
        for suffix, dept in ALSO_HANDLERS:
            _also_handler(ctx, f"{p_code.lower()}-{suffix}", p_units[dept])
        for c_code, c_name in cities:
            code = f"{p_code}-{c_code}"
            city = _unit(ctx, code, f"{c_name}市分公司", Level.CITY, province, Kind.COMPANY)
            c_units = {"": city}
            for d_code, d_name, kind in CITY_DEPARTMENTS:
                c_units[d_code] = _unit(
                    ctx, f"{code}-{d_code}", f"{c_name}{d_name}", Level.DEPARTMENT, city, kind
                )
            c_units["CS-D1"] = _unit(
                ctx,
                f"{code}-CS-D1",
                f"{c_name}10000号一班",
                Level.DEPARTMENT,
                c_units["CS"],
                Kind.CUSTOMER_SERVICE,
            )
            for suffix, role, flow_role, dept in CITY_USERS:
                _person(
                    ctx,
                    f"{code.lower()}-{suffix}",
                    f"{c_name}{FUNCTION_ROLES[role][0]}",
                    c_units[dept],
                    role,
                    flow_role,
                    logins,
                )
            _also_handler(ctx, f"{code.lower()}-dispatcher", c_units["OPS"])
    return logins


def seed(*, demo: bool = False, tickets: bool | None = None) -> list[tuple[str, str, str]]:
    """Reference data; with `demo`, the demo org tree and users and, unless `tickets` says
    otherwise, back-office tickets in flight (left out of the test database by default: tests
    make the tickets they count)."""
    ctx = ChangeContext.for_cli("seed --demo" if demo else "seed")
    with transaction.atomic():
        seed_reference(ctx)
        if not demo:
            return []
        integrations.seed_sandbox_systems(ctx)
        logins = seed_demo(ctx)
        seed_sla(ctx)  # again: the provinces' own policies need the demo org tree
        if tickets if tickets is not None else not settings.TESTING:
            workflows_demo.seed_demo_tickets(ctx)
        return logins
