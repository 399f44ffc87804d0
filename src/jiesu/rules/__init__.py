"""The rules file: TOML in, validated objects out, every problem reported with its location."""

from jiesu.rules.loader import BUNDLED_RULES, Rules, load_rules

__all__ = ["BUNDLED_RULES", "Rules", "load_rules"]
