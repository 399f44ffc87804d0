"""A benchmark case file copied into PostgreSQL, for running the same measurements there.

The database (named after the SQLite file and its size) is created on the server of
JIESU_TEST_POSTGRES with jiesu's own schema (jiesu creates it on first open), then every table's
rows are copied with COPY, the id sequences moved past the copied ids, and the tables analysed.
Reused when it is there already.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

TABLES = (
    "jiesu_meta",
    "counters",
    "units",
    "tickets",
    "assignments",
    "events",
    "callbacks",
    "requests",
    "attachments",
    "alerts",
)


def database_url(server: str, name: str) -> str:
    return f"{server.rpartition('/')[0]}/{name}"


def load_into_postgres(db: Path, server: str, *, name: str | None = None) -> str:
    """The URL of a PostgreSQL database holding db's rows (made now unless it exists)."""
    import psycopg

    name = name or f"jiesu_bench_{db.stem.replace('-', '_')}_{db.stat().st_size}"
    loading = f"{name}_loading"  # renamed once complete, so a broken load is never reused
    url = database_url(server, loading)
    with psycopg.connect(server, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return database_url(server, name)
        admin.execute(f"DROP DATABASE IF EXISTS {loading} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {loading}")
    from jiesu.rules import BUNDLED_RULES
    from jiesu.services.context import Office

    Office(db=url, rules_path=BUNDLED_RULES, now=datetime.now(UTC), operator="bench", create=True).engine.dispose()
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with psycopg.connect(url) as conn:
        types = {
            (table, column): kind
            for table, column, kind in conn.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'"
            )
        }
        conn.execute("SET TIME ZONE 'UTC'")  # the SQLite file's times are UTC
        conn.execute("SET session_replication_role = replica")  # no foreign-key checks while copying
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")
            cursor = source.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            flags = [types.get((table, c)) == "boolean" for c in columns]
            quoted = ", ".join(f'"{c}"' for c in columns)
            with conn.cursor().copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in cursor:
                    copy.write_row([bool(v) if f and v is not None else v for v, f in zip(row, flags, strict=True)])
            if "id" in columns:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
        conn.execute("SET session_replication_role = DEFAULT")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {loading} RENAME TO {name}")
    return database_url(server, name)
