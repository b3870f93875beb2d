"""The ``eventwire`` command line: parse arguments, call the library, print.

Exit status: 0 every input processed; 1 some inputs failed (each failure one line on stderr, the rest
processed and written); 2 usage errors. User errors never print a traceback; set EVENTWIRE_DEBUG=1 to see
one for an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from eventwire import __version__, dask_engine
from eventwire.errors import UsageError
from eventwire.store.errors import StoreError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _int_arg(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None


def _count_cap(value: str) -> int | str:
    if value == "auto":
        return value
    n = _int_arg(value, "a number or auto")
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (always exact) or more")
    return n


def _positive_int(value: str) -> int:
    n = _int_arg(value, "a number")
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _port(value: str) -> int:
    n = _int_arg(value, "a port number")
    if not 0 < n < 65536:
        raise argparse.ArgumentTypeError("a port is 1-65535")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventwire",
        description="Turn news reports about armed conflict into an ACLED-style event dataset.",
    )
    parser.add_argument("--version", action="version", version=f"eventwire {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="extract events from reports into a database and/or a file")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (recursive); - for stdin")
    _add_article_options(p)
    p.add_argument(
        "--out", metavar="FILE", help="write events: .jsonl, .csv (ACLED columns), .geojson, .parquet"
    )
    p.add_argument(
        "--db", metavar="PATH_OR_URL", help="SQLite path or postgresql:// URL (default eventwire.db)"
    )
    p.add_argument(
        "--no-dedup", action="store_true", help="keep events per article (no cross-article merging)"
    )
    p.add_argument(
        "--workers", type=_positive_int, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    dask_engine.add_arguments(p, _positive_int)
    p.set_defaults(handler=cmd_extract)

    p = sub.add_parser(
        "watch",
        help="poll folders and RSS/Atom feeds; ingest new or changed reports as they come",
        description="Poll folders (recursive, the readers of `extract`), files and RSS/Atom feeds at "
        "http(s) URLs; ingest new or changed items into the database with the usual dedup. The state "
        "(feed validators, seen files and entries, backoff) is kept in the database, so a restarted "
        "watcher carries on. A failing source is retried after the interval doubled per consecutive "
        "failure, up to --max-backoff; the others keep going. Stop with Ctrl-C or SIGTERM: the article "
        "being stored is finished first.",
    )
    p.add_argument(
        "sources", nargs="+", metavar="DIR|FILE|FEED_URL", help="folders, files, http(s) feed URLs"
    )
    p.add_argument(
        "--db", default="eventwire.db", metavar="PATH_OR_URL", help="SQLite path or postgresql:// URL"
    )
    p.add_argument(
        "--interval", type=_positive_int, default=300, metavar="SECONDS", help="seconds between polls (300)"
    )
    p.add_argument(
        "--max-backoff",
        type=_positive_int,
        default=3600,
        metavar="SECONDS",
        help="longest wait before retrying a failing source (3600)",
    )
    p.add_argument(
        "--timeout", type=_positive_int, default=30, metavar="SECONDS", help="feed request timeout (30)"
    )
    p.add_argument(
        "--once",
        action="store_true",
        help="poll every source once now and exit (status 1 if a source or an input failed)",
    )
    _add_article_options(p)
    p.add_argument(
        "--no-dedup", action="store_true", help="keep events per article (no cross-article merging)"
    )
    p.set_defaults(handler=cmd_watch)

    p = sub.add_parser("demo", help="run the bundled demo corpus into a database, a CSV and a GeoJSON file")
    p.add_argument(
        "--dir", default=".", metavar="DIR", help="where to write eventwire.db, events.csv, events.geojson"
    )
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("export", help="write the events of a database to a file")
    p.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    p.add_argument("--out", required=True, metavar="FILE", help=".jsonl, .csv, .geojson or .parquet")
    _add_filters(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("stats", help="counts by event type, country and month")
    p.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("gazetteer", help="manage the place gazetteer")
    gsub = p.add_subparsers(dest="gazetteer_command", metavar="ACTION")
    g = gsub.add_parser(
        "import", help="merge a full GeoNames dump (allCountries.txt, XX.zip, alternateNamesV2)"
    )
    g.add_argument("files", nargs="+", metavar="FILE")
    g.set_defaults(handler=cmd_gazetteer_import)
    g = gsub.add_parser("build", help="build (or rebuild) the gazetteer cache now")
    g.set_defaults(handler=cmd_gazetteer_build)

    p = sub.add_parser("serve", help="serve the REST API and the review page (map, timeline, table)")
    p.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument(
        "--tiles",
        metavar="URL",
        default=os.environ.get("EVENTWIRE_TILES") or None,
        help="map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
        "(default: none, a plain background; also EVENTWIRE_TILES)",
    )
    p.add_argument(
        "--max-upload-kb", type=_positive_int, default=2048, metavar="KB", help="request body limit (2048)"
    )
    p.add_argument(
        "--open-reads",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="serve reads without a token (default: only when listening on a loopback address)",
    )
    p.add_argument(
        "--count-cap",
        type=_count_cap,
        default="auto",
        metavar="N",
        help="count matching events exactly up to N, then give the database's estimate (0: always exact; "
        "default auto: 10000 on PostgreSQL, exact on SQLite)",
    )
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("token", help="manage the API tokens that writes through `eventwire serve` need")
    tsub = p.add_subparsers(dest="token_command", metavar="ACTION")
    t = tsub.add_parser("create", help="create a token (printed once; the database keeps only its hash)")
    t.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    t.add_argument("--name", default=os.environ.get("USER") or "reviewer", help="who the audit trail names")
    t.set_defaults(handler=cmd_token_create)
    t = tsub.add_parser("list", help="list tokens (names and dates, never the tokens)")
    t.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    t.set_defaults(handler=cmd_token_list)
    t = tsub.add_parser("revoke", help="revoke every token of a name")
    t.add_argument("name")
    t.add_argument("--db", default="eventwire.db", metavar="PATH_OR_URL")
    t.set_defaults(handler=cmd_token_revoke)

    from eventwire.evaluate.cli import add_eval_parser, run_eval

    add_eval_parser(sub).set_defaults(handler=run_eval)
    return parser


def _add_article_options(p: argparse.ArgumentParser) -> None:
    """What `extract` and `watch` apply to the articles they read."""
    p.add_argument("--metadata", metavar="FILE.csv", help="CSV id,published[,title,url,source] by article id")
    p.add_argument(
        "--published", type=_iso_date, metavar="YYYY-MM-DD", help="default date for undated articles"
    )


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--country")
    p.add_argument("--admin1")
    p.add_argument("--sub-event-type", dest="sub_event_type")
    p.add_argument("--actor")
    p.add_argument("--text")
    p.add_argument("--review-status", dest="review_status")


# --------------------------------------------------------------------------- commands


def _command_line(name: str) -> str:
    """The command as typed, for the run's record (just its name when called as a library)."""
    return f"{name} " + " ".join(sys.argv[2:]) if sys.argv[1:2] == [name] else name


def cmd_extract(args: argparse.Namespace) -> int:
    from eventwire import run

    opts = run.RunOptions(
        inputs=args.inputs,
        metadata=args.metadata,
        published=args.published,
        out=args.out,
        db=args.db,
        dedup=not args.no_dedup,
        workers=args.workers,
        progress=args.progress,
        dask=dask_engine.options(args),
        command=_command_line("extract"),
    )
    summary = run.extract(opts)
    where = summary.db or "(temporary database)"
    copies = (
        f" ({summary.articles_copies} near copies of other articles, not extracted again)"
        if summary.articles_copies
        else ""
    )
    print(
        f"eventwire: {summary.articles_read} articles read, {summary.articles_new} new{copies}, "
        f"{summary.articles_known} already known; {summary.events_new} new events, "
        f"{summary.events_merged} merged into existing ones; {len(summary.errors)} failed inputs",
        file=sys.stderr,
    )
    if summary.out:
        print(f"eventwire: wrote {summary.events_written} events to {summary.out}", file=sys.stderr)
    if summary.parquet:
        n = sum(count for _, count in summary.parquet)
        folder = Path(summary.parquet[0][0]).parent
        print(
            f"eventwire: wrote {n} events in {len(summary.parquet)} Parquet files to {folder}",
            file=sys.stderr,
        )
    if summary.db:
        print(f"eventwire: database {where}", file=sys.stderr)
    return summary.exit_status


def cmd_watch(args: argparse.Namespace) -> int:
    from eventwire.watch import WatchOptions, watch

    opts = WatchOptions(
        sources=args.sources,
        db=args.db,
        interval=args.interval,
        max_backoff=args.max_backoff,
        timeout=args.timeout,
        once=args.once,
        metadata=args.metadata,
        published=args.published,
        dedup=not args.no_dedup,
        command=_command_line("watch"),
    )
    summary = watch(opts)
    print(f"eventwire: database {args.db}", file=sys.stderr)
    return summary.exit_status


def cmd_demo(args: argparse.Namespace) -> int:
    from eventwire import run, store
    from eventwire.resources import data_path

    out_dir = Path(args.dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = data_path("demo")
    db = str(out_dir / "eventwire.db")
    summary = run.extract(
        run.RunOptions(
            inputs=[str(demo / "reports")], metadata=str(demo / "metadata.csv"), db=db, command="demo"
        )
    )
    st = store.open_store(db)
    try:
        csv_path, geojson_path = out_dir / "events.csv", out_dir / "events.geojson"
        st.export(csv_path)
        st.export(geojson_path)
        print(format_stats(st.stats()))
    finally:
        st.close()
    print(
        f"""
Results ({summary.articles_new} new articles this run; {len(summary.errors)} failed inputs):
  database  {db}      query it: sqlite3 {db} 'select event_date, sub_event_type, location from events'
                                or: datasette {db}
  ACLED CSV {csv_path}
  GeoJSON   {geojson_path}  (open in QGIS or geojson.io)
  web page  eventwire serve --db {db}   then open http://127.0.0.1:8000/ (map, timeline, table, review)
Next: eventwire extract YOUR_REPORTS/ --db {db}   then   eventwire stats --db {db}"""
    )
    return summary.exit_status


def _filters(args: argparse.Namespace) -> dict:
    keys = ("date_from", "date_to", "country", "admin1", "sub_event_type", "actor", "text", "review_status")
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _open_existing(db: str):
    from eventwire import store

    if "://" not in db and not Path(db).is_file():
        raise UsageError(f"--db {db}: no such database (run `eventwire extract ... --db {db}` first)")
    return store.open_store(db)


def cmd_export(args: argparse.Namespace) -> int:
    from eventwire import store

    try:
        store.check_output_path(args.out)
    except ValueError as exc:
        raise UsageError(f"--out {args.out}: {exc}") from None
    st = _open_existing(args.db)
    try:
        n = st.export(args.out, **_filters(args))
    finally:
        st.close()
    print(f"eventwire: wrote {n} events to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    st = _open_existing(args.db)
    try:
        print(format_stats(st.stats()))
    finally:
        st.close()
    return EXIT_OK


def format_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header]] + [[("" if c is None else str(c)) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_stats(stats: dict) -> str:
    parts = [
        f"{stats.get('events', 0)} events from {stats.get('articles', 0)} articles; "
        f"{stats.get('fatalities', 0)} reported fatalities"
    ]
    for key, title in (
        ("by_event_type", "event type"),
        ("by_sub_event_type", "sub-event type"),
        ("by_country", "country"),
        ("by_month", "month"),
    ):
        counts = stats.get(key)
        if counts:
            rows = (
                sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
                if key != "by_month"
                else sorted(counts.items())
            )
            parts.append(format_table(rows, [title, "events"]))
    return "\n\n".join(parts)


def cmd_serve(args: argparse.Namespace) -> int:
    from eventwire.web.server import serve

    if "://" not in args.db and not Path(args.db).is_file():
        raise UsageError(
            f"--db {args.db}: no such database (run `eventwire extract ... --db {args.db}` first)"
        )
    print(
        f"eventwire: serving {args.db} on http://{args.host}:{args.port}/ (API docs at /docs)",
        file=sys.stderr,
    )
    serve(
        args.db,
        host=args.host,
        port=args.port,
        tiles=args.tiles,
        max_upload=args.max_upload_kb * 1024,
        open_reads=args.open_reads,
        count_cap=args.count_cap,
    )
    return EXIT_OK


def cmd_token_create(args: argparse.Namespace) -> int:
    st = _open_existing(args.db)
    try:
        token = st.create_token(args.name)
    finally:
        st.close()
    print(token)
    print(
        f"eventwire: token for {args.name!r} stored (hashed) in {args.db}; it is shown only now. "
        "Send it as 'Authorization: Bearer TOKEN' or paste it into the page's Token field.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace) -> int:
    st = _open_existing(args.db)
    try:
        rows = [
            (t["name"], t["created_at"].isoformat(timespec="seconds"), _when(t["revoked_at"]))
            for t in st.tokens()
        ]
    finally:
        st.close()
    print(format_table(rows, ["name", "created", "revoked"]) if rows else "no tokens")
    return EXIT_OK


def _when(value) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "-"


def cmd_token_revoke(args: argparse.Namespace) -> int:
    st = _open_existing(args.db)
    try:
        n = st.revoke_tokens(args.name)
    finally:
        st.close()
    if not n:
        raise UsageError(f"no active token named {args.name!r}")
    print(f"eventwire: revoked {n} token(s) of {args.name!r}", file=sys.stderr)
    return EXIT_OK


def cmd_gazetteer_import(args: argparse.Namespace) -> int:
    from eventwire import places

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise UsageError(f"no such file: {missing[0]}")
    report = places.import_geonames([Path(f) for f in args.files])
    print(f"eventwire: {report}", file=sys.stderr)
    return EXIT_OK


def cmd_gazetteer_build(args: argparse.Namespace) -> int:
    from eventwire import places
    from eventwire.places.gazetteer import gazetteer_path

    gaz = places.get_gazetteer()
    names = len(gaz.offsets) - 1
    print(
        f"eventwire: gazetteer ready: {len(gaz):,} places, {names:,} names in {gazetteer_path()}",
        file=sys.stderr,
    )
    return EXIT_OK


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"eventwire: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"eventwire: database error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("eventwire: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("EVENTWIRE_DEBUG"):
            raise
        print(
            f"eventwire: internal error: {type(exc).__name__}: {exc} (set EVENTWIRE_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_PARTIAL


if __name__ == "__main__":
    sys.exit(main())
