"""Benchmark of flow conditions: compiled at every evaluation (cold) against compiled once per
published version (the cache `validate.compiled` keeps by version), on F-BB-691's conditions.

    .venv/bin/python bench/conditions.py [--rounds 200]

Each round evaluates every condition of F-BB-691 once on one set of facts (a healthy customer's:
every condition is evaluated, none fails on a null). Cold: each evaluation compiles its condition
first (parse, type check against the declared facts, bounds), as before the cache. Compiled: each
evaluation is a look-up of the version's compiled conditions and the match. Prints the time per
evaluation in µs (the median round, and the best one).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="fc-bench-conditions-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "firstcall.settings"
    os.environ["FIRSTCALL_TESTING"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("FIRSTCALL_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup()
    from firstcall.navigation import seeding, validate
    from firstcall.rules import expressions

    spec = seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]
    conditions = validate.texts(spec)
    facts = {
        "bb_state": "active",
        "aaa_exists": True,
        "aaa_state": "active",
        "auth_reason": "",
        "auth_any": True,
        "auth_last_accepted": True,
        "res_matches_actual": True,
        "session_count": 1.0,
        "session_stale": False,
        "session_foreign": False,
        "bb_book_ok": True,
        "alarm_count": 0.0,
        "action_ok": True,
    }
    ctx = validate.context()
    expressions.warm_up()

    def cold() -> None:
        for text in conditions:
            expressions.evaluate(expressions.compile_expression(text, ctx), facts)

    def cached() -> None:
        for text in conditions:
            validate.evaluate(text, facts, validate.compiled(spec))

    cached()  # the version's conditions compiled once, as on its first walk
    figures = {}
    for name, run in (("cold (compile + match)", cold), ("compiled once per version", cached)):
        rounds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            run()
            rounds.append((time.perf_counter() - started) / len(conditions) * 1e6)
        figures[name] = (statistics.median(rounds), min(rounds))
    print(f"F-BB-691: {len(conditions)} conditions, {args.rounds} rounds")
    for name, (median, best) in figures.items():
        print(f"  {name:28s} {median:8.1f} µs per evaluation (median round; best {best:.1f})")
    (cold_median, _), (warm_median, _) = figures.values()
    print(f"  ratio {cold_median / warm_median:.0f}×")


if __name__ == "__main__":
    main()
