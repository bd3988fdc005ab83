import hashlib
import secrets

TOKEN_PREFIX = "fc_"


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


def hash_token(raw: str) -> str:
    """Token secrets are long and random, so a plain SHA-256 is the right stored form."""
    return hashlib.sha256(raw.encode()).hexdigest()
