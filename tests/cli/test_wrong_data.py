"""Issue 11, "Wrong data": closed tickets in the overdue and unit lists, hand dispatch that ignored
urgency, and a response rate that ignored the requester's own answer at callback."""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
NOW = "2026-11-26T10:00:00+08:00"  # a Thursday
WATER = ("和平里东街11号院从昨晚停水到现在，家里有老人", "和平里东街11号院")  # water-co, co-handler hepingli


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))


@pytest.fixture
def cli(cli, sample_rules):
    """The CLI on a case file `jiesu init` created."""
    cli("init")
    return cli


def at(moment):
    return ["--now", f"2026-{moment}:00+08:00"]


def take_in(cli, when, content, address, *extra):
    return cli.json(*at(when), "intake", "--content", content, "--address", address, *extra)["number"]


def handle(cli, number, unit, *, accept, contact, finish):
    cli(*at(accept), "accept", number, "--unit", unit)
    cli(*at(contact), "contact", number, "--unit", unit)
    cli(*at(finish), "finish", number, "--unit", unit, "--result", "resolved", "--text", "已处理")


def call_back(cli, number, when, *, contacted="yes", resolved="yes", satisfaction="satisfied", reopen=False):
    answers = ["--contacted", contacted, "--resolved", resolved, "--satisfaction", satisfaction]
    return cli.json(*at(when), "callback", number, "--reached", *answers, *(["--reopen"] if reopen else []))


def states(cli, number):
    return [(a["unit"], a["role"], a["state"]) for a in cli.json("show", number)["assignments"]]


def numbers(cli, when, *args):
    return [t["number"] for t in cli.json(*at(when), "list", *args)]


def closed_water_ticket(cli):
    """A water outage: water-co leads, the street hepingli co-handles and never acts; the first
    callback reopens it, the second closes it."""
    number = take_in(cli, "11-26T10:00", *WATER)
    assert states(cli, number) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    handle(cli, number, "water-co", accept="11-26T10:30", contact="11-26T11:00", finish="11-26T15:00")
    reopened = call_back(cli, number, "11-26T16:00", resolved="no", satisfaction="unsatisfied", reopen=True)
    assert reopened["status"] == "reopened"
    # 重办 is no end: every part goes on, and the lead can finish again
    assert states(cli, number) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    cli(*at("11-27T10:00"), "finish", number, "--unit", "water-co", "--result", "resolved", "--text", "已恢复供水")
    assert call_back(cli, number, "11-27T11:00")["status"] == "closed"
    return number


def test_closing_ends_every_assignment_and_the_lists_show_only_open_tickets(cli):
    closed = closed_water_ticket(cli)
    shown = cli.json("show", closed)
    assert [(a["unit"], a["state"], a["ended_at"]) for a in shown["assignments"]] == [
        ("water-co", "closed", "2026-11-27T11:00:00+08:00"),
        ("hepingli", "closed", "2026-11-27T11:00:00+08:00"),
    ]
    still_open = take_in(cli, "11-27T12:00", "和平里东街12号院也停水了", "和平里东街12号院")
    assert states(cli, still_open) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    # two weeks on, hepingli never accepted either ticket: only the open one is overdue or its
    assert numbers(cli, "12-10T10:00", "--overdue") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "water-co") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli", "--overdue") == [still_open]
    # the closed lead assignment still counts in water-co's assessment
    report = cli.json(*at("12-01T09:00"), "report", "--month", "2026-11", "--by", "unit")
    water = next(r for r in report if r["unit"] == "water-co")
    assert (water["assessed"], water["contacted_in_time"], water["response_rate"]) == (1, 1, 1.0)


def test_older_case_files_closed_tickets_lose_their_active_assignments(cli, sql):
    closed = closed_water_ticket(cli)
    # what versions before 5 left behind: the closed ticket's parts still active
    sql("UPDATE assignments SET state = 'active', ended_at = NULL")
    assert numbers(cli, "12-10T10:00", "--overdue") == []  # reads look at the ticket's status too
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli") == []
    sql("UPDATE jiesu_meta SET value = '4' WHERE key = 'schema_version'")
    shown = cli.json("show", closed)  # opening the file upgrades it
    assert [(a["unit"], a["state"], a["ended_at"]) for a in shown["assignments"]] == [
        ("water-co", "closed", "2026-11-27T11:00:00+08:00"),
        ("hepingli", "closed", "2026-11-27T11:00:00+08:00"),
    ]


def test_hand_dispatch_of_an_urgent_ticket_uses_the_urgent_limits(cli):
    waiting = cli.json("--now", NOW, "intake", "--content", "说不清归谁管的事情", "--urgent", "--no-dispatch")
    number = waiting["number"]
    assert (waiting["status"], waiting["urgent"]) == ("pending", True)
    done = cli.json("--now", NOW, "dispatch", number, "--unit", "hepingli")
    assert (done[0]["limits"], done[0]["finish_due"]) == ("urgent", "2026-11-27T10:00:00+08:00")  # 24h, not 7d
    assert cli.json("show", number)["assignments"][0]["accept_due"] == "2026-11-26T10:30:00+08:00"  # 30m
    # returned, then dispatched by hand again: still urgent
    cli(*at("11-26T10:10"), "return", number, "--unit", "hepingli", "--reason", "不属于本街道")
    again = cli.json(*at("11-26T10:20"), "dispatch", number, "--unit", "jiaodaokou")
    assert (again[0]["limits"], again[0]["finish_due"]) == ("urgent", "2026-11-27T10:20:00+08:00")
    # a person's explicit choice still wins
    other = cli.json("--now", NOW, "intake", "--content", "另一件急事", "--urgent", "--no-dispatch")["number"]
    chosen = cli.json("--now", NOW, "dispatch", other, "--unit", "hepingli", "--limits", "complex")
    assert chosen[0]["limits"] == "complex"


def test_a_requester_who_says_nobody_called_makes_the_ticket_not_responded(cli):
    noise = ("楼上装修，电钻声音从早响到晚", "交道口南大街8号")  # jiaodaokou leads alone
    denied = take_in(cli, "11-02T09:00", *noise)
    confirmed = take_in(cli, "11-03T09:00", noise[0], "交道口南大街9号")
    for number, day in [(denied, "11-02"), (confirmed, "11-03")]:
        handle(cli, number, "jiaodaokou", accept=f"{day}T09:30", contact=f"{day}T10:00", finish=f"{day}T16:00")
        assert cli.json("show", number)["assignments"][0]["contacted_at"] == f"2026-{day}T10:00:00+08:00"
    call_back(cli, denied, "11-04T10:00", contacted="no")  # the unit recorded a contact in time; 诉求人 says no
    call_back(cli, confirmed, "11-04T11:00", contacted="是")
    report = cli.json(*at("12-01T09:00"), "report", "--month", "2026-11", "--by", "unit")
    unit = next(r for r in report if r["unit"] == "jiaodaokou")
    assert (unit["assessed"], unit["contacted_in_time"], unit["response_rate"]) == (2, 1, 0.5)
    by_class = cli.json(*at("12-01T09:00"), "report", "--month", "2026-11", "--by", "class")
    street = next(r for r in by_class if r["class"] == "street")
    assert (street["assessed"], street["contacted_in_time"]) == (2, 1)


# --- the SQL count against the rule, over every mix of records and answers -------------------------

START = datetime(2026, 11, 1, tzinfo=UTC)
CONTACT_DUE = START + timedelta(days=1)
CONTACTED_AT = {None: None, "in time": CONTACT_DUE - timedelta(hours=1), "late": CONTACT_DUE + timedelta(hours=1)}

# a closed, assessed ticket: its lead unit; the unit's contact (none, in time, late); the requester's
# answer at callback (yes, no, not asked); the lead assignment (still active, as older files have it,
# or closed with its ticket)
TICKET = st.tuples(
    st.sampled_from(["jiaodaokou", "hepingli"]),
    st.sampled_from(list(CONTACTED_AT)),
    st.sampled_from([True, False, None]),
    st.sampled_from(["active", "closed"]),
)


def write_closed_ticket(conn, number, unit, contact, answer, state):
    """The rows of a ticket closed by a reached callback the day after its contact deadline."""
    from jiesu.store.tables import ASSIGNMENTS, CALLBACKS, TICKETS

    closed_at = CONTACT_DUE + timedelta(days=1)
    ticket_id = conn.execute(
        TICKETS.insert().values(
            number=f"20261101{number:05d}",
            status="closed",
            kind="help",
            channel="phone",
            requester_type="person",
            title="路灯不亮",
            content="路灯不亮",
            operator="clerk-1",
            lead_unit=unit,
            created_at=START,
            updated_at=closed_at,
            closed_at=closed_at,
        )
    ).inserted_primary_key[0]
    due = {"accept_due": CONTACT_DUE, "contact_due": CONTACT_DUE, "finish_due": CONTACT_DUE + timedelta(days=7)}
    conn.execute(
        ASSIGNMENTS.insert().values(
            ticket_id=ticket_id,
            unit=unit,
            role="lead",
            state=state,
            assigned_at=START,
            contacted_at=CONTACTED_AT[contact],
            **due,
        )
    )
    answers = {"contacted": answer, "resolved": True, "satisfaction": "satisfied"}
    conn.execute(
        CALLBACKS.insert().values(
            ticket_id=ticket_id, at=closed_at, operator="clerk-1", unit=unit, reached=True, closed=True, **answers
        )
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(TICKET, max_size=8))
def test_responded_is_in_time_by_the_units_record_and_not_denied_by_the_requester(tickets):
    from jiesu.store.engine import create_case_engine, transaction
    from jiesu.store.reports import unit_counts
    from jiesu.store.schema import ensure_schema
    from jiesu.store.tables import UNITS

    with tempfile.TemporaryDirectory() as folder:
        engine = create_case_engine(str(Path(folder) / "case.db"))
        ensure_schema(engine)
        with transaction(engine, write=True) as conn:
            for code in ("jiaodaokou", "hepingli"):
                conn.execute(UNITS.insert().values(code=code, name=code, unit_class="street", updated_at=START))
            for number, ticket in enumerate(tickets, start=1):
                write_closed_ticket(conn, number, *ticket)
        with transaction(engine, write=False) as conn:
            counts = unit_counts(conn, START, START + timedelta(days=30))
        engine.dispose()
    expected: dict[str, tuple[int, int]] = {}
    for unit, contact, answer, _state in tickets:
        assessed, responded = expected.get(unit, (0, 0))
        expected[unit] = (assessed + 1, responded + (contact == "in time" and answer is not False))
    assert {c.unit: (c.assessed, c.contacted_in_time) for c in counts} == expected
