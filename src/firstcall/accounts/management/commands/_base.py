from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import DomainError


class AuditedCommand(BaseCommand):
    """A command that writes through services: `--as` names the acting user, `--reason` says why."""

    command_name = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="actor", default="", help="username of the acting user")
        parser.add_argument("--reason", default="", help="why the change is made (audited)")

    def change_context(self, options: dict[str, Any]) -> ChangeContext:
        actor = None
        if options.get("actor"):
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['actor']!r}.")
        return ChangeContext.for_cli(self.command_name, actor=actor, reason=options["reason"])

    def fail(self, error: DomainError) -> CommandError:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
        return CommandError(f"{error.detail}{' — ' + details if details else ''}")
