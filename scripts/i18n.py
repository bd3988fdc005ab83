"""The zh-hans catalog: update it from the sources, check it is complete, compile it.

python scripts/i18n.py update    refresh src/firstcall/locale/zh_Hans/LC_MESSAGES/django.po
python scripts/i18n.py check     fail on any untranslated, fuzzy or stale entry
python scripts/i18n.py compile   write the .mo files (pure Python: no gettext needed to serve)
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "firstcall"
LOCALES = ["zh_Hans"]


def catalogs(base: Path) -> list[Path]:
    return [base / "locale" / loc / "LC_MESSAGES" / "django.po" for loc in LOCALES]


def makemessages(cwd: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "firstcall.settings", "FIRSTCALL_TESTING": "1"}
    args = [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-wrap"]
    for loc in LOCALES:
        args += ["-l", loc]
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def update() -> int:
    makemessages(PACKAGE)
    for path in catalogs(PACKAGE):
        po = polib.pofile(str(path))
        print(f"{path.relative_to(ROOT)}: {po.percent_translated()}% translated")
    return 0


def check() -> int:
    """Run makemessages on a copy of the sources, so that a msgid missing from the catalog shows up
    as untranslated without touching the working tree."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "firstcall"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        makemessages(copy)
        for path in catalogs(copy):
            po = polib.pofile(str(path))
            for entry in po.untranslated_entries():
                problems.append(f"untranslated: {entry.msgid!r}")
            for entry in po.fuzzy_entries():
                problems.append(f"fuzzy: {entry.msgid!r}")
            for entry in po.obsolete_entries():
                problems.append(f"no longer in the sources: {entry.msgid!r}")
    for line in problems:
        print(line)
    if problems:
        print(f"catalog check failed: {len(problems)} entries (run `make makemessages`, translate)")
        return 1
    print("catalog check: zh-hans complete")
    return 0


def compile_catalogs() -> int:
    for path in catalogs(PACKAGE):
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    handlers = {"update": update, "check": check, "compile": compile_catalogs}
    if command not in handlers:
        print(__doc__)
        raise SystemExit(2)
    raise SystemExit(handlers[command]())
