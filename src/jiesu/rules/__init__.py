"""The rules file: TOML in, checked domain objects out, every problem reported with its location."""

from jiesu.domain.catalogue import RulesFile
from jiesu.rules.loader import BUNDLED_RULES, check_rules, load_rules

__all__ = ["BUNDLED_RULES", "RulesFile", "check_rules", "load_rules"]
