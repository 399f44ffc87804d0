"""What every use case needs to know about its surroundings, passed in rather than looked up."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jiesu.rules import Rules


@dataclass
class Office:
    """The case file, the rules, the clock and the operator of one command."""

    db: str
    rules_path: Path
    now: datetime  # UTC
    operator: str
    lang: str = "zh"

    @cached_property
    def rules(self) -> "Rules":
        """The rules file, loaded and validated once per process."""
        from jiesu.rules import load_rules

        return load_rules(self.rules_path)

    @cached_property
    def engine(self) -> "Engine":
        """The case file, created or upgraded to the current schema on first use."""
        from jiesu.store.engine import create_case_engine
        from jiesu.store.schema import ensure_schema

        engine = create_case_engine(self.db)
        ensure_schema(engine)
        return engine
