"""The bulk path writes exactly what Core/the ORM would write."""

import gc
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from jiesu.store.bulk import BulkInsert, JsonText, few_collections, sqlite_utc_datetime
from jiesu.store.engine import create_case_engine, transaction
from jiesu.store.models import Event, Ticket
from jiesu.store.schema import ensure_schema
from jiesu.store.tables import EVENTS, META, TICKETS
from jiesu.store.tickets import TicketRows, TicketWriter, append_event

DIALECT = sqlite.dialect()
ORM_PROCESSOR = Ticket.__table__.c.created_at.type.dialect_impl(DIALECT).bind_processor(DIALECT)

aware = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]),
)


@given(aware)
def test_fast_datetime_text_equals_sqlalchemys(moment):
    assert sqlite_utc_datetime(moment) == ORM_PROCESSOR(moment)


def test_bulk_and_core_rows_read_back_alike(tmp_path):
    engine = create_case_engine(str(tmp_path / "c.db"))
    ensure_schema(engine)
    at = datetime(2021, 2, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    ticket = {
        "id": 1,
        "number": "2021021000001",
        "external_id": None,
        "status": "pending",
        "kind": "help",
        "channel": "phone",
        "requester_type": "person",
        "title": "t",
        "content": "c",
        "requester_name": None,
        "requester_phone": None,
        "confidential": True,
        "address": None,
        "district": None,
        "street": None,
        "community": None,
        "category": None,
        "category_source": None,
        "suggestion": None,
        "urgent": False,
        "reply": None,
        "guided_to": None,
        "lead_unit": None,
        "dispatched_at": None,
        "supervised": False,
        "merged_into": None,
        "reopen_count": 0,
        "exempt": False,
        "escalation_level": 0,
        "coordinator": None,
        "repeat_of": None,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "operator": "o",
        "version": 1,
    }
    event = {
        "ticket_id": 1,
        "at": at,
        "operator": "o",
        "login": "os-user",
        "action": "intake",
        "unit": None,
        "note": None,
        "data": None,
    }
    with transaction(engine, write=True) as conn:
        placeholders = [ticket | {"id": 0, "number": ""}], [event | {"ticket_id": 0}]
        new = TicketRows(conn.dialect).convert(*placeholders, [0], [], [])
        TicketWriter(conn).insert_new(new, {0: (1, ticket["number"])})  # the ids and number filled in
        append_event(conn, event | {"action": "reveal", "at": at + timedelta(microseconds=1), "data": {"k": "值"}})
    with transaction(engine, write=False) as conn:
        row = conn.execute(select(TICKETS)).mappings().one()
        assert row["created_at"] == at
        assert row["confidential"] is True
        events = conn.execute(select(EVENTS).order_by(EVENTS.c.at)).mappings().all()
        assert [e["action"] for e in events] == ["intake", "reveal"]
        assert events[0]["data"] is None
        assert events[1]["data"] == {"k": "值"}
        assert [e["login"] for e in events] == ["os-user", "os-user"]
        stored = conn.exec_driver_sql("SELECT at FROM events ORDER BY id").scalars().all()
        assert stored == ["2021-02-10 02:00:00.000000", "2021-02-10 02:00:00.000001"]
        assert conn.execute(select(Event).where(Event.at >= at)).all()


def test_skip_existing_leaves_out_the_rows_already_there(tmp_path):
    engine = create_case_engine(str(tmp_path / "c.db"))
    ensure_schema(engine)
    keys = ["first", "second", "third"]
    with transaction(engine, write=True) as conn:
        insert = BulkInsert(conn, META, ["key", "value"], skip_existing=True)
        assert insert.execute([{"key": "first", "value": "1"}, {"key": "second", "value": "2"}]) == 2
        assert insert.execute([{"key": "first", "value": "changed"}, {"key": "third", "value": "3"}]) == 1
        assert insert.execute([]) == 0
    with transaction(engine, write=False) as conn:
        stored = conn.execute(select(META.c.key, META.c.value).where(META.c.key.in_(keys))).all()
    assert dict(stored) == {"first": "1", "second": "2", "third": "3"}


def test_few_collections_restores_the_collector_even_when_the_work_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_collections():
        assert gc.get_threshold() != before
        assert gc.get_freeze_count() > 0
        raise RuntimeError("interrupted import")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_json_text_is_stored_as_the_dict_it_serializes_would_be(tmp_path):
    from sqlalchemy import JSON, Column, Integer, MetaData, Table

    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("data", JSON(none_as_null=True)))
    engine = create_case_engine(str(tmp_path / "c.db"))
    table.metadata.create_all(engine)
    data = {"rule": "供暖-暖气不热", "keywords": ["暖气"], "community": None, "urgent": False}
    with transaction(engine, write=True) as conn:
        rows = [{"data": data}, {"data": JsonText(json.dumps(data))}, {"data": None}]
        BulkInsert(conn, table, ["data"]).execute(rows)
    with transaction(engine, write=False) as conn:
        stored = conn.exec_driver_sql("SELECT data FROM t ORDER BY id").scalars().all()
        assert stored == [json.dumps(data), json.dumps(data), None]
        assert conn.execute(select(table.c.data).order_by(table.c.id)).scalars().all() == [data, data, None]


def test_columns_none_in_a_whole_batch_are_stored_as_null_and_defaults_are_not_filled_in(tmp_path):
    from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table

    table = Table(
        "t",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("plain", String),
        Column("with_default", String, server_default="d"),
        Column("flag", Boolean),
    )
    engine = create_case_engine(str(tmp_path / "c.db"))
    table.metadata.create_all(engine)
    columns = ["id", "plain", "with_default", "flag"]
    with transaction(engine, write=True) as conn:
        insert = BulkInsert(conn, table, columns)
        insert.execute([{"id": 1, "plain": None, "with_default": None, "flag": True}])
        second = [{"id": 2, "plain": "p", "with_default": None, "flag": None}, dict.fromkeys(columns) | {"id": 3}]
        insert.execute(second)
        insert.execute([{"id": 4, "plain": None, "with_default": "w", "flag": False}])
    with transaction(engine, write=False) as conn:
        stored = conn.exec_driver_sql("SELECT id, plain, with_default, flag, typeof(flag) FROM t ORDER BY id").all()
    assert [tuple(r) for r in stored] == [
        (1, None, None, 1, "integer"),
        (2, "p", None, None, "null"),
        (3, None, None, None, "null"),
        (4, None, "w", 0, "integer"),
    ]
