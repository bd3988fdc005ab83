from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from firstcall.accounts import queries, services
from firstcall.accounts.management.commands._base import AuditedCommand
from firstcall.accounts.models import FlowRole
from firstcall.core.errors import DomainError, NotFound
from firstcall.orgs.queries import unit_by_code


class Command(AuditedCommand):
    help = "Create a user, optionally with a role in an org unit (audited)."
    command_name = "create_user"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--unit", help="org unit code for the membership")
        parser.add_argument("--role", help="function role code for the membership")
        parser.add_argument("--flow-role", help="flow role code for the membership")
        parser.add_argument("--superuser", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = self.change_context(options)
        try:
            with transaction.atomic():
                unit = role = flow_role = None
                if options["unit"] and options["role"]:
                    unit = unit_by_code(options["unit"])
                    role = queries.role_by_code(options["role"])
                    if options["flow_role"]:
                        flow_role = FlowRole.objects.filter(code=options["flow_role"]).first()
                        if flow_role is None:
                            raise NotFound(code="flow_role_not_found", role=options["flow_role"])
                user = services.create_user(
                    ctx,
                    username=options["username"],
                    password=options["password"],
                    name=options["name"],
                    email=options["email"],
                    is_superuser=options["superuser"],
                    unit=unit,
                    role=role,
                    flow_role=flow_role,
                )
        except DomainError as exc:
            raise self.fail(exc) from exc
        self.stdout.write(f"created user {user.username}")
