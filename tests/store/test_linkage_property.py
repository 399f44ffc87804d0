"""Property: whatever the order of ordinary and confidential requests from one phone, nothing a
clerk is shown links a confidential ticket to the phone or to another ticket.

Runs through the services on a SQLite file per example (tests/cli/test_privacy.py has the named
cases on both databases, in the fast loop).
"""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiesu.rules import BUNDLED_RULES
from jiesu.services.context import Office
from jiesu.services.intake import intake_request
from jiesu.services.tickets import find_repeat_callers

PHONE = "13910467352"
START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
LOOKBACK = timedelta(days=7)  # the bundled rules' [intake] repeat_lookback

requests = st.lists(st.tuples(st.booleans(), st.integers(min_value=0, max_value=72)), min_size=1, max_size=10)


@pytest.mark.slow  # a case file per example: seconds
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_confidential_tickets_are_never_linked(sequence):
    with tempfile.TemporaryDirectory() as folder:
        office = Office(db=str(Path(folder) / "case.db"), rules_path=BUNDLED_RULES, now=START, operator="clerk")
        office.create = True
        taken: list[tuple[str, bool, datetime]] = []
        at = START
        for confidential, hours_later in sequence:
            at += timedelta(hours=hours_later)
            office.now = at
            raw = {"content": "楼上邻居每天半夜跺脚，吵得睡不着", "phone": PHONE, "confidential": confidential}
            outcome, _ = intake_request(office, raw, dispatch=False)
            expected = (
                []
                if confidential
                else [number for number, secret, when in taken if not secret and when >= at - LOOKBACK]
            )
            assert [repeat.number for repeat in outcome.repeat_of] == expected
            taken.append((outcome.number, confidential, at))
        office.now = at + timedelta(minutes=1)
        secret_numbers = {number for number, secret, _ in taken if secret}
        for caller in find_repeat_callers(office, full_phones=True):
            hidden = set(caller.numbers) & secret_numbers
            assert hidden in (set(), set(caller.numbers))  # never a mixed group
            assert caller.phone == ("***" if hidden else PHONE)
        office.engine.dispose()
