"""Reading a back end's JSON answer against its contract.

`Doc` wraps one JSON object and reads typed fields from it; a missing key or a value of the wrong
type raises `MalformedResponse` naming the path (`data.products[2].userStatus`), so a connector's
parser reads like the contract and every deviation becomes the `malformed` error code.

FirstCall's normalised vocabulary, shared by every connector:
- keys are English snake_case; a platform's own label stays under `status` (for display) and
  FirstCall's code for it under `state` (for rules and comparison);
- money is yuan as a float rounded to 2 decimals (`12.4`), whatever the system sends (strings of
  yuan, numbers of yuan, integer fen);
- times are the ISO 8601 strings the systems send, with their offset;
- a list comes inside a dict (`{"sessions": [...]}`), never bare.
"""

from typing import Any

from firstcall.integrations.connectors.base import MalformedResponse

Json = dict[str, Any]


class Doc:
    def __init__(self, data: Any, path: str = "body") -> None:
        if not isinstance(data, dict):
            raise MalformedResponse(f"{path}: expected an object, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.path = path

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise MalformedResponse(f"{self.path}.{key}: missing")
        return self.data[key]

    def _bad(self, key: str, expected: str) -> MalformedResponse:
        value = repr(self.data.get(key))[:60]
        return MalformedResponse(f"{self.path}.{key}: expected {expected}, got {value}")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._bad(key, "a string")
        return value

    def opt_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._bad(key, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.integer(key)

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "a number")
        return float(value)

    def opt_number(self, key: str) -> float | None:
        return None if self.data.get(key) is None else self.number(key)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._bad(key, "true or false")
        return value

    def opt_flag(self, key: str) -> bool | None:
        return None if self.data.get(key) is None else self.flag(key)

    def word_flag(self, key: str) -> bool:
        """Huawei style "TRUE" / "FALSE"."""
        value = self._get(key)
        if value not in ("TRUE", "FALSE"):
            raise self._bad(key, '"TRUE" or "FALSE"')
        return bool(value == "TRUE")

    def yuan(self, key: str) -> float:
        """Money in yuan, sent as a string ("12.40") or a number."""
        value = self._get(key)
        if isinstance(value, str):
            try:
                return round(float(value), 2)
            except ValueError:
                raise self._bad(key, "an amount of yuan") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "an amount of yuan")
        return round(float(value), 2)

    def fen(self, key: str) -> float:
        """Money sent in integer fen, returned in yuan."""
        return round(self.integer(key) / 100, 2)

    def require(
        self, key: str, success: int | str, system: str, message_key: str | None = None
    ) -> None:
        """The system's result code must be its success value; anything else breaks the contract."""
        code = self.integer(key) if isinstance(success, int) else self.text(key)
        if code != success:
            said = f": {self.raw(message_key)}" if message_key else ""
            raise MalformedResponse(f"{system} {key} {self.raw(key)}{said}")

    def obj(self, key: str) -> "Doc":
        return Doc(self._get(key), f"{self.path}.{key}")

    def opt_obj(self, key: str) -> "Doc | None":
        return None if self.data.get(key) is None else self.obj(key)

    def items(self, key: str) -> list["Doc"]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._bad(key, "a list")
        return [Doc(item, f"{self.path}.{key}[{i}]") for i, item in enumerate(value)]

    def texts(self, key: str) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._bad(key, "a list of strings")
        return list(value)

    def numbers(self, key: str) -> list[float]:
        value = self._get(key)
        if not isinstance(value, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise self._bad(key, "a list of numbers")
        return [float(v) for v in value]


def state_of(label: str, codes: dict[str, str]) -> str:
    """FirstCall's code for a platform label; a label the table does not know is "other"."""
    return codes.get(label, "other")
