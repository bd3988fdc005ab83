"""Who may act on a work item: one check, used by the services and the screens alike.

A user may act on a ready work item when they are its assignee, or when they hold the item's flow
role in a membership whose unit's subtree contains the item's unit and whose function role
grants `accounts.use_back_office`. The membership's own unit counts here, not its company: the
网优 handler of a city works the items sent to 网优, not those sent to 网维 next door; a unit
above (the city company, the province) covers every department under it.
"""

from typing import Any

from firstcall.accounts.models import Membership
from firstcall.core.errors import Conflict, Forbidden
from firstcall.core.scope import has_permission_at
from firstcall.tickets.models import Ticket
from firstcall.workflows.models import WorkItem

BACK_OFFICE = "accounts.use_back_office"


def acting_paths(user: Any, flow_role: str) -> list[str] | None:
    """The unit paths under which `user` acts as `flow_role` (`None`: everywhere)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    app_label, codename = BACK_OFFICE.split(".")
    rows = Membership.objects.filter(
        user=user,
        flow_role__code=flow_role,
        unit__is_active=True,
        role__permissions__content_type__app_label=app_label,
        role__permissions__codename=codename,
    ).values_list("unit__path", flat=True)
    return sorted(set(rows))


def holds_role_at(user: Any, flow_role: str, path: str) -> bool:
    paths = acting_paths(user, flow_role)
    return paths is None or any(path.startswith(p) for p in paths)


def may_act(user: Any, item: WorkItem) -> bool:
    """Whether `user` may act on the ready `item` (claimed by someone else: no)."""
    if item.state != WorkItem.State.READY:
        return False
    if item.assignee_id is not None:
        return item.assignee_id == getattr(user, "pk", None)
    return holds_role_at(user, item.flow_role, item.unit_path)


def require_may_act(user: Any, item: WorkItem) -> None:
    """Forbidden outside the user's roles; a conflict when the item is done or someone else's."""
    if item.state != WorkItem.State.READY:
        raise Conflict(code="item_not_ready", state=item.state, ticket=item.ticket_id, item=item.pk)
    mine = item.assignee_id is not None and item.assignee_id == getattr(user, "pk", None)
    if not mine and not holds_role_at(user, item.flow_role, item.unit_path):
        raise Forbidden(code="not_your_work_item", item=item.pk)
    if item.assignee_id is not None and not mine:
        raise Conflict(code="claimed_by_another", item=item.pk, assignee=item.assignee_id)


def may_work_ticket(user: Any, ticket: Ticket, *, roles: tuple[str, ...] = ()) -> bool:
    """Ticket-wide operations (chase, cancel, reopen, deferral): the back-office permission in
    the ticket's scope and, when `roles` are named, one of those flow roles at or above any unit
    the ticket is at (its own unit or a unit its work items are in)."""
    # A ticket headquarters or another province sent here is worked here too: its units are
    # its own and those its work items have been at.
    paths = [ticket.unit.path, *ticket.items.values_list("unit_path", flat=True).distinct()]
    places = [p for p in paths if has_permission_at(user, BACK_OFFICE, p)]
    if not places:
        return False
    if not roles:
        return True
    return any(holds_role_at(user, role, path) for role in roles for path in places)


def require_ticket_role(user: Any, ticket: Ticket, roles: tuple[str, ...] = ()) -> None:
    if not may_work_ticket(user, ticket, roles=roles):
        raise Forbidden(code="not_your_ticket", ticket=ticket.pk)
