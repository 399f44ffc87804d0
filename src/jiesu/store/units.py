"""The units table, kept in line with the rules file's [[units]]."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from jiesu.store.tables import META, UNITS


def sync_units(conn: Connection, units: Iterable[Any], *, rules_sha256: str, now: datetime) -> bool:
    """Bring the units table in line with the rules file (once per rules file version).

    Units are never deleted: one the rules file no longer lists is kept, inactive, because
    assignments and reports still name it. Returns whether anything had to be written.
    """
    synced = conn.execute(select(META.c.value).where(META.c.key == "units_sha256")).scalar_one_or_none()
    if synced == rules_sha256:
        return False
    existing = set(conn.execute(select(UNITS.c.code)).scalars())
    listed = []
    for unit in units:
        values = {
            "name": unit.name,
            "unit_class": unit.unit_class.value,
            "parent": unit.parent or None,
            "active": True,
            "updated_at": now,
        }
        listed.append(unit.code)
        if unit.code in existing:
            conn.execute(UNITS.update().where(UNITS.c.code == unit.code).values(**values))
        else:
            conn.execute(UNITS.insert().values(code=unit.code, **values))
    gone = existing - set(listed)
    if gone:
        conn.execute(UNITS.update().where(UNITS.c.code.in_(sorted(gone))).values(active=False, updated_at=now))
    if synced is None:
        conn.execute(META.insert().values(key="units_sha256", value=rules_sha256))
    else:
        conn.execute(META.update().where(META.c.key == "units_sha256").values(value=rules_sha256))
    return True
