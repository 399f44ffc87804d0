"""A write the database refuses never prints the rows it was given, on SQLite and on PostgreSQL.

PostgreSQL's own error carries the failing row in its DETAIL line and SQLAlchemy adds the
statement's parameters; both would put a confidential requester on a clerk's screen or in a log.
"""

import traceback
from datetime import UTC, datetime

import pytest

from jiesu.domain.enums import Channel, Kind, RequesterType
from jiesu.domain.tickets import TicketInput
from jiesu.errors import RefusedError
from jiesu.store.casefile import open_case_file
from jiesu.store.engine import transaction
from jiesu.store.rows import ticket_row
from jiesu.store.tickets import TicketRows, TicketWriter

SECRETS = ("李建国", "13912345678", "举报隔壁饭店无证经营", "兴华大街8号")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "case.db")
    return request.getfixturevalue("postgres_url")


def confidential_row(ticket_id, *, content=SECRETS[2]):
    request = TicketInput(
        created_at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC),
        kind=Kind.REPORT,
        channel=Channel.PHONE,
        requester_type=RequesterType.PERSON,
        title=content[:20],
        content=content,
        name=SECRETS[0],
        phone=SECRETS[1],
        confidential=True,
        address=SECRETS[3],
    )
    return ticket_row(
        ticket_id=ticket_id,
        number=f"20261102{ticket_id:05d}",
        request=request,
        status="pending",
        district=None,
        street=None,
        community=None,
        operator="clerk-1",
    )


def write_tickets(conn, rows):
    """The rows through batch intake's writer: converted, then given their ids and numbers."""
    new = TicketRows(conn.dialect).convert(rows, [], [], [], [])
    TicketWriter(conn).insert_new(new, {n: (row["id"], row["number"]) for n, row in enumerate(rows)})


def refused_write(engine, rows):
    with pytest.raises(RefusedError) as caught, transaction(engine, write=True) as conn:
        write_tickets(conn, rows)
    return caught.value


def assert_value_free(error):
    shown = str(error) + "".join(traceback.format_exception(error))
    for secret in SECRETS:
        assert secret not in shown, shown


def test_a_refused_duplicate_names_the_constraint_but_no_value(db):
    engine = open_case_file(db, create=True)
    try:
        with transaction(engine, write=True) as conn:
            write_tickets(conn, [confidential_row(1)])
        error = refused_write(engine, [confidential_row(2), confidential_row(1)])
        assert_value_free(error)
        assert "refused the write" in str(error) and "rolled back" in str(error)
        assert "tickets" in str(error)  # what was refused: the table, and on PostgreSQL its constraint
        with transaction(engine, write=False) as conn:  # rolled back: ticket 2 is not there
            assert conn.exec_driver_sql("SELECT id FROM tickets").scalars().all() == [1]
    finally:
        engine.dispose()


def test_a_missing_value_is_refused_without_the_failing_row(db):
    engine = open_case_file(db, create=True)
    try:
        bad = confidential_row(1) | {"title": None}
        error = refused_write(engine, [bad])
        assert_value_free(error)  # PostgreSQL's DETAIL would say "Failing row contains (… 李建国 …)"
        assert "title" in str(error)
    finally:
        engine.dispose()


def test_text_postgresql_cannot_store_is_refused_without_values(postgres_url):
    engine = open_case_file(postgres_url, create=True)
    try:
        error = refused_write(engine, [confidential_row(1, content=SECRETS[2] + "\x00")])
        assert_value_free(error)
        assert "NUL" in str(error)
    finally:
        engine.dispose()
