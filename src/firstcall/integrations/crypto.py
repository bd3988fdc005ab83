"""Encryption at rest for back-end credentials.

The key comes from FIRSTCALL_CREDENTIALS_KEY (a Fernet key) or, failing that, is derived from
SECRET_KEY, so a database copied without the environment does not reveal the credentials.
"""

import base64
import hashlib
import json
import os
from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet() -> Fernet:
    key = os.environ.get("FIRSTCALL_CREDENTIALS_KEY", "")
    if not key:
        digest = hashlib.sha256(("firstcall-credentials:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode())


def encrypt(data: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, Any]:
    try:
        value: dict[str, Any] = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ValueError("stored credentials cannot be decrypted with the configured key") from exc
    return value


if TYPE_CHECKING:
    _DictField = models.Field[dict[str, Any], dict[str, Any]]
else:
    _DictField = models.Field


class EncryptedJSONField(_DictField):
    """A dict stored as Fernet ciphertext in a text column; Python only ever sees the plain dict."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> dict[str, Any]:
        return decrypt(value) if value else {}

    def to_python(self, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        return decrypt(value) if value else {}

    def get_prep_value(self, value: Any) -> str:
        return encrypt(value or {})
