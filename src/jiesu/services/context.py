"""What every use case needs to know about its surroundings, passed in rather than looked up."""

import os
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiesu.rules import RulesFile
    from jiesu.store.engine import CaseFile


def os_login() -> str:
    """The OS account this process runs as: what the audit records beside the claimed operator,
    and what `[privacy] revealers` lists.

    Not getpass.getuser(), which believes LOGNAME and USER, that anyone can set: the account of
    the effective user id is what the OS vouches for. A uid without an account (a bare container
    user) is `uid:1000`; on Windows, which has no user ids, the login name Windows gives.
    """
    if not hasattr(os, "geteuid"):  # Windows
        import getpass

        return getpass.getuser()
    from jiesu.store.files import account_name

    return account_name(os.geteuid())


@dataclass
class Office:
    """The case file, the rules, the clock, the operator and the OS login of one command."""

    db: str
    rules_path: Path
    now: datetime  # UTC
    operator: str
    lang: str = "zh"
    # Whether this command may bring a new case file into being (init, demo, intake); every other
    # command refuses a missing one.
    create: bool = False
    # The OS account running the command (recorded on every event, checked for reveals).
    login: str = field(default_factory=os_login)

    def close(self) -> None:
        """Close the case file's connections, if it was opened. A process that runs several
        commands (tests, a program using jiesu) must: on SQLite, a connection left open loses its
        file locks when the same file is opened and closed again in the process (POSIX locks
        belong to the process), and another process may then take itself for the file's last
        user and remove its -wal file."""
        engine = self.__dict__.get("engine")
        if engine is not None:
            engine.dispose()

    def __getstate__(self) -> dict[str, object]:
        """Its fields alone, for a worker process (services.workers): the rules and the case file's
        engine, once loaded, are not sent across but loaded again there."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    @cached_property
    def rules(self) -> "RulesFile":
        """The rules file, loaded and validated once per process."""
        from jiesu.rules import load_rules

        return load_rules(self.rules_path)

    @cached_property
    def engine(self) -> "CaseFile":
        """The case file, upgraded to the current schema on first use (created only when `create`)."""
        from jiesu.store.casefile import open_case_file

        group = self.rules.privacy.group if self.create else ""
        return open_case_file(self.db, create=self.create, owner=self.login, group=group)
