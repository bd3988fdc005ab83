"""Where FirstCall keeps its files; importable before Django settings are configured."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def var_dir() -> Path:
    return Path(os.environ.get("FIRSTCALL_VAR_DIR", PROJECT_DIR / "var"))
