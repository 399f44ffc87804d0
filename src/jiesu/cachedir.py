"""Where jiesu keeps what it can rebuild: checked rules files (rules/cache.py) and the tables'
MetaData (store/tables.py). Imported from any layer; it only reads the environment.

The folder: $JIESU_CACHE_DIR, else $XDG_CACHE_HOME/jiesu, else ~/.cache/jiesu.
"""

import os
from pathlib import Path


def cache_dir() -> Path:
    """The folder of jiesu's caches (it may not exist yet)."""
    given = os.environ.get("JIESU_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiesu"
