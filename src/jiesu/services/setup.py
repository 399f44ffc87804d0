"""Getting set up: a starter rules file, and a case file created or brought up to date."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from jiesu.services.context import Office


@dataclass(frozen=True)
class CaseFileReady:
    """What `init` found and left: the case file's schema version before (0: new) and now."""

    db: str
    before: int
    version: int

    @property
    def created(self) -> bool:
        """Whether the case file is new."""
        return self.before == 0

    @property
    def upgraded(self) -> bool:
        """Whether an older case file was brought up to date."""
        return 0 < self.before < self.version


def write_starter_rules(target: Path) -> bool:
    """Copy the bundled starter rules to `target` unless a file is there; whether it was written."""
    from jiesu.rules.loader import BUNDLED_RULES

    if target.exists():
        return False
    shutil.copyfile(BUNDLED_RULES, target)
    return True


def init_case_file(office: Office) -> CaseFileReady:
    """Create or upgrade office's case file, after checking its rules file (a broken one is refused
    before the case file is touched)."""
    from jiesu.store.casefile import init_case_file as create_or_upgrade
    from jiesu.store.schema import SCHEMA_VERSION

    group = office.rules.privacy.group  # loading validates
    return CaseFileReady(office.db, create_or_upgrade(office.db, owner=office.login, group=group), SCHEMA_VERSION)
