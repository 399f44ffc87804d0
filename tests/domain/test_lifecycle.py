"""The lifecycle state machine: pure rules, and any sequence of real steps on a real case file."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from jiesu.domain.enums import Status
from jiesu.domain.lifecycle import ALLOWED, Step, after, allowed_steps, require, typed
from jiesu.errors import JiesuError, RefusedError

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("status", list(Status))
def test_every_step_is_allowed_or_refused_with_a_message(step, status):
    if status in ALLOWED[step]:
        assert isinstance(after(step, status), Status)
    else:
        with pytest.raises(RefusedError) as caught:
            require(step, status, "2021021000001")
        message = str(caught.value)
        assert message.startswith(f"ticket 2021021000001 is {status.value}: {typed(step)} needs a ticket that is ")
        assert "decide-" not in message  # not a command anyone can type
        assert "now it allows" in message


def test_closed_merged_and_guided_are_final():
    assert [s.value for s in allowed_steps(Status.CLOSED)] == ["note", "appeal", "decide-appeal"]
    assert [s.value for s in allowed_steps(Status.MERGED)] == ["note"]
    assert [s.value for s in allowed_steps(Status.GUIDED)] == ["note"]


@pytest.mark.parametrize("status", list(Status))
def test_guiding_is_for_tickets_not_yet_finished(status):
    """Pending, or with its units (dispatched, accepted, reopened): after that the callback decides."""
    if status in (Status.PENDING, Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED):
        assert after(Step.GUIDE, status) is Status.GUIDED
    else:
        with pytest.raises(RefusedError):
            require(Step.GUIDE, status, "2021021000001")
    assert after(Step.DECIDE_APPEAL, Status.CLOSED) is Status.CLOSED


START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
_TEMPLATE: list[tuple[bytes, list[str]]] = []


def _template() -> tuple[bytes, list[str]]:
    """The case file every sequence starts from (two tickets that repeat each other), built once."""
    if not _TEMPLATE:
        import tempfile

        from jiesu.services.context import Office
        from jiesu.services.intake import intake_request

        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "case.db"
            office = Office(db=str(db), rules_path=SAMPLE, now=START, operator="fuzz", create=True)
            office.rules = RULES
            numbers = []
            for content in ("和平里东街11号院停水了", "和平里东街11号院又停水了"):
                outcome, _ = intake_request(office, {"content": content, "address": "和平里东街11号院"})
                numbers.append(outcome.number)
            office.engine.dispose()  # the last connection folds the WAL into the file
            _TEMPLATE.append((db.read_bytes(), numbers))
    return _TEMPLATE[0]


class TicketLife(RuleBasedStateMachine):
    """Random sequences of real steps, through the services, on a real SQLite case file."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        from jiesu.services.context import Office

        self.folder = tempfile.TemporaryDirectory()
        self.clock = START
        template, self.numbers = _template()
        db = Path(self.folder.name) / "case.db"
        db.write_bytes(template)  # a copy: building the two tickets anew took most of an example's time
        self.office = Office(db=str(db), rules_path=SAMPLE, now=self.clock, operator="fuzz")
        self.office.rules = RULES  # loaded once for all examples
        self.events = {n: len(self.show(n).events) for n in self.numbers}

    def teardown(self) -> None:
        self.office.engine.dispose()
        self.folder.cleanup()

    def show(self, number: str):
        from jiesu.services.tickets import show_ticket

        return show_ticket(self.office, number)

    def attempt(self, number: str, action, *, may_hold: bool = False) -> None:
        self.clock += timedelta(minutes=7)
        self.office.now = self.clock
        before = len(self.show(number).events)
        try:
            result = action()
        except JiesuError:
            assert len(self.show(number).events) == before, "a refused step wrote events"
            return
        held = may_hold and result[0].decision.outcome.value == "hold"  # no unit left to take it
        if held:
            assert len(self.show(number).events) == before, "a held dispatch wrote events"
        else:
            assert len(self.show(number).events) > before, "a step recorded no event"

    def lead(self, number: str) -> str:
        return self.show(number).ticket.lead_unit or "hepingli"

    tickets = st.sampled_from([0, 1])

    @rule(which=tickets)
    def dispatch(self, which):
        from jiesu.services.dispatch import dispatch

        number = self.numbers[which]
        self.attempt(number, lambda: dispatch(self.office, [number]), may_hold=True)

    @rule(which=tickets, co=st.booleans())
    def accept(self, which, co):
        from jiesu.services.handling import accept

        number = self.numbers[which]
        unit = "hepingli" if co else self.lead(number)
        self.attempt(number, lambda: accept(self.office, number, unit=unit))

    @rule(which=tickets)
    def return_it(self, which):
        from jiesu.services.handling import return_ticket

        number = self.numbers[which]
        self.attempt(number, lambda: return_ticket(self.office, number, unit=self.lead(number), reason="不归我们管"))

    @rule(which=tickets)
    def contact(self, which):
        from jiesu.services.handling import contact

        number = self.numbers[which]
        self.attempt(number, lambda: contact(self.office, number, unit=self.lead(number)))

    @rule(which=tickets, decide=st.sampled_from([None, True, False]))
    def extend(self, which, decide):
        from jiesu.domain.durations import parse_duration
        from jiesu.services.handling import decide_extension, request_extension

        number = self.numbers[which]
        if decide is None:
            self.attempt(
                number,
                lambda: request_extension(
                    self.office, number, unit=self.lead(number), until=None, by=parse_duration("2wd"), reason="需要协调"
                ),
            )
        else:
            self.attempt(number, lambda: decide_extension(self.office, number, approve=decide, reason="决定"))

    @rule(which=tickets, result=st.sampled_from(["resolved", "partly", "unresolved", "explained"]))
    def finish(self, which, result):
        from jiesu.services.handling import finish

        number = self.numbers[which]
        self.attempt(number, lambda: finish(self.office, number, unit=self.lead(number), result=result, text="已处理"))

    @rule(
        which=tickets,
        reached=st.booleans(),
        resolved=st.booleans(),
        reopen=st.booleans(),
        satisfaction=st.sampled_from(["satisfied", "basically", "unsatisfied"]),
    )
    def callback(self, which, reached, resolved, reopen, satisfaction):
        from jiesu.services.callback import callback

        number = self.numbers[which]
        if reached:
            self.attempt(
                number,
                lambda: callback(
                    self.office,
                    number,
                    reached=True,
                    contacted=True,
                    resolved=resolved,
                    satisfaction=satisfaction,
                    reopen=reopen and not resolved,
                ),
            )
        else:
            self.attempt(number, lambda: callback(self.office, number, reached=False))

    @rule(which=tickets, decide=st.sampled_from([None, True, False]))
    def appeal(self, which, decide):
        from jiesu.services.callback import appeal, decide_appeal

        number = self.numbers[which]
        if decide is None:
            self.attempt(number, lambda: appeal(self.office, number, unit=self.lead(number), reason="不合理诉求"))
        else:
            self.attempt(number, lambda: decide_appeal(self.office, number, approve=decide, reason="决定"))

    @rule()
    def merge(self):
        from jiesu.services.callback import merge

        self.attempt(self.numbers[1], lambda: merge(self.office, self.numbers[1], into=self.numbers[0]))

    @rule(which=tickets)
    def supervise_and_note(self, which):
        from jiesu.services.callback import supervise
        from jiesu.services.handling import add_note

        number = self.numbers[which]
        self.attempt(number, lambda: supervise(self.office, number, reason="督办"))
        self.attempt(number, lambda: add_note(self.office, number, text="进展"))

    @rule(which=tickets, by_lead=st.booleans(), to=st.sampled_from(["market", "social"]))
    def guide(self, which, by_lead, to):
        from jiesu.services.guidance import guide

        number = self.numbers[which]
        unit = self.lead(number) if by_lead else None
        self.attempt(number, lambda: guide(self.office, number, to=to, text="小区物业服务企业", unit=unit))

    @invariant()
    def consistent(self):
        for number in self.numbers:
            history = self.show(number)
            ticket = history.ticket
            status = Status(ticket.status)  # always a known status
            actions = [e.action for e in history.events]
            assert actions[0] == "intake"
            assert len(actions) >= self.events[number], "events were lost"
            self.events[number] = len(actions)
            closes = actions.count("close")
            assert closes <= 1, "closed twice"
            assert (status is Status.CLOSED) == (closes == 1)
            active_leads = [a for a in history.assignments if a.state == "active" and a.role == "lead"]
            if status in (Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED, Status.FINISHED):
                assert len(active_leads) == 1 and active_leads[0].unit == ticket.lead_unit
            if status in (Status.PENDING, Status.MERGED, Status.CLOSED, Status.GUIDED):  # ends end every assignment
                assert not [a for a in history.assignments if a.state == "active"]
            if status is Status.CLOSED:
                closed_leads = [a for a in history.assignments if a.state == "closed" and a.role == "lead"]
                assert len(closed_leads) == 1 and closed_leads[0].unit == ticket.lead_unit
            if status is Status.MERGED:
                assert ticket.merged_into is not None and ticket.closed_at is not None
            if status is Status.GUIDED:
                assert ticket.guided_to in ("market", "social") and ticket.closed_at is not None
                assert actions.count("guide") == 1 and actions[-1] in ("guide", "note", "supervise")
            ats = [e.at for e in history.events]
            assert ats == sorted(ats), "history out of order"


from jiesu.rules import load_rules  # noqa: E402

RULES = load_rules(SAMPLE)

# 200 sequences in CI; JIESU_FUZZ=slow (the fuzz suite's long profile) runs 10,000.
SEQUENCES = 10_000 if os.environ.get("JIESU_FUZZ") == "slow" else 200

TestTicketLife = pytest.mark.slow(TicketLife.TestCase)
TestTicketLife.settings = settings(
    max_examples=SEQUENCES,
    derandomize=SEQUENCES == 200,  # CI: the same sequences every run; the long profile draws afresh
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
