"""The case file's schema version and where it is kept, importable without SQLAlchemy (a dry run of
`jiesu escalate` checks it through sqlite3 alone, store/due.py); store/schema.py writes it."""

SCHEMA_VERSION = 9
VERSION_KEY = "schema_version"  # its row in jiesu_meta
