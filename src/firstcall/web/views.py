from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from firstcall.accounts.queries import memberships_of
from firstcall.core.scope import holds_everywhere


def _held(user: object, permission: str) -> bool:
    return bool(user.has_perm(permission))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Tile:
    title: str | Promise
    description: str | Promise
    permission: str
    url_name: str = ""  # empty: the screen arrives in a later release
    everywhere: bool = False  # headquarters' screens: the permission must be held at the root
    # What the linked screen itself asks for, when more than the tile's permission.
    url_permission: str = ""

    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""

    def link_for(self, user: object) -> str:
        """The tile's screen for this user: empty when it does not exist yet or the user may
        not open it (the tile then says so instead of leading to a refusal)."""
        if not self.url_name:
            return ""
        if self.url_permission and not _held(user, self.url_permission):
            return ""
        return self.url()


TILES = [
    Tile(
        _("Agent workbench"),
        _("Look up a caller, follow the guided flow and resolve the call."),
        "accounts.use_agent_workbench",
        "customers:workbench",
    ),
    Tile(
        _("Expert desk"),
        _("Claim calls transferred by agents and continue them."),
        "accounts.use_expert_desk",
        "navigation:expert_queue",
    ),
    Tile(
        _("To do"),
        _("Back-office tickets waiting for you: accept, dispatch, handle, review, archive."),
        "accounts.use_back_office",
        "workflows:todo",
    ),
    Tile(
        _("Done list"),
        _("The back-office steps you completed and the operations you made."),
        "accounts.use_back_office",
        "workflows:done",
    ),
    Tile(
        _("Ticket search"),
        _("Find fault and complaint tickets by number, status, step, unit or time; export."),
        "accounts.use_back_office",
        "workflows:search",
    ),
    Tile(_("Reports"), _("First-contact resolution, SLA and volumes."), "accounts.view_reports"),
    Tile(
        _("Flows and rules"),
        _("Design navigation and ticket flows, edit rules."),
        "accounts.configure_flows",
        "rules:list",
        url_permission="rules.view_ruleset",
    ),
    Tile(_("Org units"), _("The org tree you work in."), "orgs.view_orgunit", "orgs:unit_list"),
    Tile(
        _("Users"), _("People, their units and roles."), "accounts.view_user", "accounts:user_list"
    ),
    Tile(
        _("Back-end systems"),
        _("The operator systems FirstCall calls: settings, health, call log."),
        "integrations.view_backendsystem",
        "integrations:system_list",
    ),
    Tile(
        _("Audit log"),
        _("Every change: who, when, why, before and after."),
        "core.view_objectchange",
        "core:change_list",
    ),
    Tile(
        _("Background work"),
        _("Messages to other systems, timers and scheduled jobs; retry what failed."),
        "core.view_outboxmessage",
        "core:background",
        everywhere=True,
    ),
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tiles = [
        {
            "title": tile.title,
            "description": tile.description,
            "url": tile.link_for(request.user),
            "exists": bool(tile.url_name),
        }
        for tile in TILES
        if (holds_everywhere if tile.everywhere else _held)(request.user, tile.permission)
    ]
    context = {
        "tiles": tiles,
        "memberships": memberships_of(request.user),  # type: ignore[arg-type]
    }
    return render(request, "web/home.html", context)
