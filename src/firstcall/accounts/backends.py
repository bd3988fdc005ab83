from typing import Any

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Adds the permissions of the user's function roles (held anywhere) to Django's checks.

    Where a permission applies is decided by restrict(); this answers only whether it is held.
    """

    # FirstCall grants permissions only through function roles: nothing sets a user's own
    # permissions or groups (the admin does not offer them), so Django's two queries for them
    # on every permission check are not made.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perms = set(super().get_all_permissions(user_obj, obj))
        return perms | user_obj.role_permissions()
