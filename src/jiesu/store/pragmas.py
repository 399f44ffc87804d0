"""How long a connection waits for the case file's lock, and its page cache: the settings every
connection to a SQLite case file is given (store/engine.py), kept here so the reader that imports
no SQLAlchemy (store/due.py) is given the same."""

# How long a command waits for another's lock before it says the case file is busy (SQLite's
# busy_timeout; PostgreSQL's lock_timeout).
BUSY_TIMEOUT_MS = 60_000
# Page cache per connection, in KiB (SQLite's default is 2 MiB). Pages are allocated as used, so a
# small case file costs nothing more; a large import or report keeps its indexes' hot pages in
# memory instead of re-reading them (a 500k-ticket import into jiesu's schema: 8% faster).
CACHE_KIB = 65_536
