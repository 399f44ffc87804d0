"""A district office simulated, deterministically for a seed.

- `requests`: generated requests, the hand-written samples varied;
- `history`: plausible later steps of a dispatched ticket, drawn without touching the case file;
- `bulk`: large case files for the benchmarks, those histories written through the bulk inserts;
- `samples`: the sample district the demo plays in, and its fresh case file;
- `office`: `jiesu demo`, a month replayed through the real commands' services.
"""

from jiesu.services.simulation.bulk import bulk_case_file
from jiesu.services.simulation.office import DemoResult, example_tickets, run_demo
from jiesu.services.simulation.requests import Template, load_templates, requests
from jiesu.services.simulation.samples import (
    SAMPLE_MONTH,
    SAMPLE_REQUESTS,
    SAMPLE_RULES,
    fresh_case_file,
    sample_data_dir,
)

__all__ = [
    "SAMPLE_MONTH",
    "SAMPLE_REQUESTS",
    "SAMPLE_RULES",
    "DemoResult",
    "Template",
    "bulk_case_file",
    "example_tickets",
    "fresh_case_file",
    "load_templates",
    "requests",
    "run_demo",
    "sample_data_dir",
]
