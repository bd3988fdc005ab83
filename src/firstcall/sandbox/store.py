"""Everything the sandbox remembers at run time: per-customer mutations, idempotency keys and a
short command log. All of it is lost on restart or reset; generated data never is."""

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from firstcall.sandbox.platforms.mutations import Mutations


@dataclass(frozen=True)
class StoredReply:
    fingerprint: str
    status: int
    body: Any


class Store:
    def __init__(self) -> None:
        self.mutations: dict[int, Mutations] = {}
        self.replies: dict[tuple[str, str], StoredReply] = {}
        self.log: deque[dict[str, Any]] = deque(maxlen=2000)
        self.changes = 0  # count of state changes, so tests can prove a repeat changed nothing

    def of(self, index: int) -> Mutations | None:
        return self.mutations.get(index)

    def edit(self, index: int) -> Mutations:
        """The mutations of a customer, to be changed now (counts as one state change)."""
        self.changes += 1
        return self.mutations.setdefault(index, Mutations())

    def record(self, *, system: str, command: str, index: int, outcome: str, at: datetime) -> None:
        self.log.appendleft(
            {
                "time": at.isoformat(timespec="seconds"),
                "system": system,
                "command": command,
                "customer_index": index,
                "outcome": outcome,
            }
        )

    def reset(self) -> None:
        self.mutations.clear()
        self.replies.clear()
        self.log.clear()
        self.changes += 1
