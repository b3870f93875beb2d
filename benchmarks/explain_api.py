"""EXPLAIN ANALYZE of the queries behind GET /api/events, one per request kind of bench_api.py.

Usage: .venv/bin/python benchmarks/explain_api.py --db PATH_OR_URL [--kind NAME] [--plans]

For each kind of request in bench_api.py's mix (one sample of its parameters) this prints the time the
database reports for the page query (the ids of one page, as ``Store.events`` issues it) and for the
exact total count (``Store.count_query``), and with --plans the plans themselves: what to look at when a
kind is slow. Works on SQLite (EXPLAIN QUERY PLAN, timed by the client) and PostgreSQL (EXPLAIN ANALYZE).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date

from bench_api import request_mix  # the script's folder is on sys.path
from eventwire.store import open_store
from eventwire.web.app import event_filters

LISTED = ("country", "admin1", "sub_event_type", "review_status")


def _filters(params: dict) -> dict:
    """The store filters the API derives from these query parameters."""
    listed = {k: [v] for k, v in params.items() if k in LISTED}
    plain = {k: v for k, v in params.items() if k in ("actor", "text", "bbox")}
    dates = {k: date.fromisoformat(v) for k, v in params.items() if k.startswith("date_")}
    return event_filters(**listed, **plain, **dates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--kind", help="only this kind (as bench_api.py names it)")
    parser.add_argument("--plans", action="store_true", help="print the plans too")
    args = parser.parse_args()
    seen: set[str] = set()
    with open_store(args.db) as store:
        engine = store._engine
        pg = engine.dialect.name == "postgresql"
        for name, params in request_mix(random.Random(42), 13):
            if name in seen or (args.kind and name != args.kind):
                continue
            seen.add(name)
            filters = _filters(params)
            page = store.event_query(
                **filters, order=params.get("sort", "-event_date"), limit=50, offset=params.get("offset", 0)
            ).with_only_columns(store.event_query().selected_columns.event_id)
            count = store.count_query(**filters)
            print(f"== {name} {params}")
            for label, query in (("page", page), ("count", count)):
                sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
                with engine.connect() as conn:
                    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN "
                    started = time.perf_counter()
                    conn.exec_driver_sql(sql).all()
                    ms = (time.perf_counter() - started) * 1000
                    plan = [" ".join(str(v) for v in row) for row in conn.exec_driver_sql(prefix + sql)]
                reported = next((line for line in plan if line.startswith("Execution Time")), "")
                print(f"  {label}: {ms:.1f} ms from the client {reported}")
                if args.plans:
                    print("    " + "\n    ".join(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
