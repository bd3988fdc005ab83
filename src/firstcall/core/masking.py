"""Masking of customer identifiers (service numbers, ID numbers) for logs and call records."""

import re

_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_FIXED = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every service number or ID number found in free text."""
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _FIXED.sub(r"\1****\2", text)


def mask_key(value: str) -> str:
    """Mask one customer key whatever its shape: keep a short head and tail."""
    value = value.strip()
    if len(value) <= 4:
        return "*" * len(value)
    keep = 3 if len(value) >= 11 else 2
    return value[:keep] + "*" * (len(value) - keep - 4) + value[-4:]
