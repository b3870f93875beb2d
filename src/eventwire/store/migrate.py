"""A small, ordered migration runner.

Why not alembic: eventwire has one schema, two dialects and is opened by end users' CLI runs, so the
schema must upgrade itself at open time with no extra command or configuration. Numbered SQL files per
dialect (``NNNN_name.sqlite.sql`` / ``NNNN_name.postgresql.sql``) are reviewable as they are, ship as
package data, and are applied in order, each in one transaction together with its row in
``schema_migrations``; applied versions are skipped, so opening a database again changes nothing.
A lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) keeps two processes that open the
same database at once from applying a step twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files

import sqlalchemy as sa

from eventwire.store import schema
from eventwire.store.errors import StoreError

_MIGRATIONS = files("eventwire.store") / "migrations"
_FILE_RE = re.compile(r"^(\d{4})_(\w+)\.(sqlite|postgresql)\.sql$")

_BOOTSTRAP = {
    "sqlite": "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "postgresql": "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
}

# Serialises concurrent upgrades of the same schema; released with the transaction.
_PG_LOCK = "SELECT pg_advisory_xact_lock(hashtext('eventwire:' || current_schema()))"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements: comments dropped, split at semicolons that end a line, except inside a
        ``$$``-quoted body (a PostgreSQL ``DO`` block), which stays one statement."""
        body = "\n".join(line for line in self.sql.splitlines() if not line.lstrip().startswith("--"))
        out: list[str] = []
        pending = ""
        for piece in re.split(r";\s*$", body, flags=re.MULTILINE):
            pending = f"{pending};{piece}" if pending else piece
            if pending.count("$$") % 2 == 0:  # not inside a dollar-quoted body
                if pending.strip():
                    out.append(pending.strip())
                pending = ""
        if pending.strip():
            out.append(pending.strip())
        return out


def migrations_for(dialect: str) -> list[Migration]:
    """All migration steps for a dialect, in version order."""
    found: list[Migration] = []
    for entry in _MIGRATIONS.iterdir():
        m = _FILE_RE.match(entry.name)
        if m and m.group(3) == dialect:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"duplicate migration versions for {dialect}: {versions}")
    return found


def latest_version(dialect: str) -> int:
    steps = migrations_for(dialect)
    return steps[-1].version if steps else 0


def current_version(conn: sa.Connection) -> int:
    """The highest applied version (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    value = conn.execute(sa.select(sa.func.max(schema.schema_migrations.c.version))).scalar()
    return int(value or 0)


def upgrade(engine: sa.Engine) -> list[int]:
    """Apply every pending migration; return the versions applied by this call."""
    dialect = engine.dialect.name
    steps = migrations_for(dialect)
    applied: list[int] = []
    with engine.connect() as conn:
        conn.execution_options(eventwire_write=True)
        with conn.begin():
            if dialect == "postgresql":
                conn.execute(sa.text(_PG_LOCK))
            conn.execute(sa.text(_BOOTSTRAP[dialect]))
            done = set(conn.execute(sa.select(schema.schema_migrations.c.version)).scalars())
            newest = max(done, default=0)
            if steps and newest > steps[-1].version:
                raise StoreError(
                    f"the database has schema version {newest}, newer than this eventwire knows "
                    f"({steps[-1].version}); upgrade eventwire"
                )
            for step in steps:
                if step.version in done:
                    continue
                # All pending steps share one transaction: a failing step leaves the database as it was.
                for statement in step.statements():
                    if dialect == "postgresql":  # psycopg reads % as a placeholder even without parameters
                        statement = statement.replace("%", "%%")
                    conn.exec_driver_sql(statement)
                conn.execute(
                    schema.schema_migrations.insert().values(
                        version=step.version, name=step.name, applied_at=datetime.now(UTC)
                    )
                )
                applied.append(step.version)
    return applied
