from typing import Any

from django.core.management.base import BaseCommand

from firstcall.accounts.tasks import expire_api_tokens


class Command(BaseCommand):
    help = "Deactivate expired API tokens (runs the background task)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = expire_api_tokens.enqueue()
        self.stdout.write(f"task {result.id}: {result.status}")
