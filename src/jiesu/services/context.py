"""What every use case needs to know about its surroundings, passed in rather than looked up."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiesu.rules import RulesFile
    from jiesu.store.engine import CaseFile


@dataclass
class Office:
    """The case file, the rules, the clock and the operator of one command."""

    db: str
    rules_path: Path
    now: datetime  # UTC
    operator: str
    lang: str = "zh"
    # Whether this command may bring a new case file into being (init, demo, intake); every other
    # command refuses a missing one.
    create: bool = False

    @cached_property
    def rules(self) -> "RulesFile":
        """The rules file, loaded and validated once per process."""
        from jiesu.rules import load_rules

        return load_rules(self.rules_path)

    @cached_property
    def engine(self) -> "CaseFile":
        """The case file, upgraded to the current schema on first use (created only when `create`)."""
        from jiesu.store.casefile import open_case_file

        return open_case_file(self.db, create=self.create)
