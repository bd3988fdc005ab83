from datetime import timedelta
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from firstcall.accounts import services
from firstcall.accounts.management.commands._base import AuditedCommand
from firstcall.core import clock
from firstcall.core.errors import DomainError
from firstcall.orgs.queries import unit_by_code


class Command(AuditedCommand):
    help = "Issue an API token for another system; prints the secret once."
    command_name = "issue_token"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("name")
        parser.add_argument("--unit", required=True, help="org unit code the token is scoped to")
        parser.add_argument(
            "--permission", action="append", default=[], help="app_label.codename, repeatable"
        )
        parser.add_argument("--days", type=int, default=0, help="expire after this many days")

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = self.change_context(options)
        expires = clock.now() + timedelta(days=options["days"]) if options["days"] else None
        try:
            with transaction.atomic():
                token, secret = services.issue_token(
                    ctx,
                    name=options["name"],
                    unit=unit_by_code(options["unit"]),
                    permissions=options["permission"],
                    expires_at=expires,
                )
        except DomainError as exc:
            raise self.fail(exc) from exc
        self.stdout.write(f"token {token.name} issued; its secret, shown only now:\n{secret}")
