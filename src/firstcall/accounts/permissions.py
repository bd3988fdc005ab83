"""Permissions as people read them: FirstCall's own, each labelled in the interface's language.

Django stores a permission's name in English in the database; the labels here are built from the
model's (translated) verbose name, or taken from the model's `Meta.permissions` msgid.
"""

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "view": _("View %(model)s"),
    "add": _("Add %(model)s"),
    "change": _("Change %(model)s"),
    "delete": _("Delete %(model)s"),
}


def firstcall_app_labels() -> list[str]:
    return sorted(c.label for c in apps.get_app_configs() if c.name.startswith("firstcall."))


def firstcall_permissions() -> QuerySet[Permission]:
    return (
        Permission.objects.filter(content_type__app_label__in=firstcall_app_labels())
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def name_of(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def label_of(name: str) -> str:
    """'orgs.view_orgunit' -> '查看组织机构' (in Chinese); an unknown name is shown as it is."""
    app_label, _dot, codename = name.partition(".")
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return name
    action, _sep, model_name = codename.partition("_")
    for model in config.get_models():
        if action in ACTIONS and model._meta.model_name == model_name:
            return str(ACTIONS[action] % {"model": model._meta.verbose_name})
        for custom, label in model._meta.permissions:
            if custom == codename:
                return str(label)
    return name


def app_label_of(name: str) -> str:
    app_label = name.partition(".")[0]
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def grouped_choices(names: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a form, grouped by app: [(app, [(name, label), ...]), ...]."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(set(names)):
        groups.setdefault(app_label_of(name), []).append((name, label_of(name)))
    return list(groups.items())


def labels(names: Iterable[str]) -> list[str]:
    return [label_of(name) for name in sorted(set(names))]
