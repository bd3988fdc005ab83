from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from firstcall.core.models import ObjectChange
from firstcall.core.scope import PATH_ROOT_LENGTH, paths_for


def visible_changes(principal: Any) -> QuerySet[ObjectChange]:
    """Audit rows: everything for a principal who holds the permission at a root unit;
    otherwise the rows written by the users within the principal's subtrees."""
    paths = paths_for(principal, "core.view_objectchange")
    changes = ObjectChange.objects.select_related("actor", "content_type")
    if paths is None or any(len(p) <= PATH_ROOT_LENGTH for p in paths):
        return changes
    if not paths:
        return changes.none()

    users = get_user_model().objects.restrict(principal, "core.view_objectchange")
    return changes.filter(actor__in=users.values("pk"))
