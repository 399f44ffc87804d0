"""Batch intake from CSV, JSON Lines or XLSX: streamed in batches, bad rows set aside, one transaction.

The whole file is one transaction: an interrupted import leaves the case file as it was, and a
re-run adds only what is not there yet (rows are matched on external_id).
"""

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiesu.domain.tickets import FIELDS, TicketInput, build_ticket_input
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.intake import IntakeBatch
from jiesu.services.reading import REJECTS_COLUMNS, ROW_ERROR, SOURCE_LINE, Progress, Row, is_json_lines, read_rows
from jiesu.store.bulk import few_collections
from jiesu.store.engine import transaction
from jiesu.store.files import keep_mode, open_private

BATCH_SIZE = 5000


@dataclass
class Rejected:
    """A row that could not be taken in, with its row number as a spreadsheet shows it."""

    row: int
    reason: str
    values: dict[str, Any]


@dataclass
class ImportSummary:
    """What an import did."""

    rows: int = 0
    created: int = 0
    existing: int = 0
    rejected: int = 0
    rejects_path: str | None = None
    rejects_removed: str | None = None  # a rejects file re-imported without a bad row left in it


def default_rejects_path(path: Path) -> Path:
    """FILE.rejects.csv (FILE.rejects.jsonl for JSON Lines); a rejects file's own rejects go back into it."""
    stem = path.stem.removesuffix(".rejects")
    suffix = path.suffix if is_json_lines(path) else ".csv"
    return path.with_name(f"{stem}.rejects{suffix}")


class RejectsFile:
    """Bad rows, written to a partial file beside the target and moved into place once the import is done.

    CSV (UTF-8 with BOM, so Excel opens it): row, reason, then the fields. For JSON Lines, each bad line
    exactly as it was, so it can be fixed in an editor and imported again. Written as rows are found, so
    memory stays flat however many rows are bad; the target is only touched after the input has been
    read to the end, so a rejects file can be re-imported and replaced by its own rejects.
    """

    def __init__(self, target: Path, *, source: Path, lines: bool = False, group: str = "") -> None:
        self.target = target
        self.source = source
        self.lines = lines
        self.group = group  # bad rows hold requesters' data: 0600, or 0660 for this group (store/files.py)
        self.partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        self._stream: Any = None
        self._writer: Any = None

    def add(self, item: Rejected) -> None:
        """Append one bad row."""
        if self._stream is None:
            self._open()
        if self.lines:
            self._stream.write(str(item.values.get(SOURCE_LINE, "")).rstrip("\r\n") + "\n")
        else:
            self._writer.writerow([item.row, item.reason, *(item.values.get(f, "") for f in FIELDS)])

    def _open(self) -> None:
        try:
            encoding = "utf-8" if self.lines else "utf-8-sig"
            self._stream = open_private(self.partial, group=self.group, encoding=encoding)
        except OSError as exc:
            raise UsageError("rejects", f"cannot write {self.target}: {exc.strerror or exc}") from exc
        if not self.lines:
            self._writer = csv.writer(self._stream)
            self._writer.writerow([*REJECTS_COLUMNS, *FIELDS])

    def commit(self, summary: ImportSummary) -> None:
        """Move the bad rows into place; a rejects file re-imported with nothing left bad is removed."""
        if self._stream is None:
            if self._is_source():
                self.target.unlink()
                summary.rejects_removed = str(self.target)
            return
        self._stream.close()
        try:
            keep_mode(self.target, self.partial)  # a rejects file that is there keeps its mode
            os.replace(self.partial, self.target)
        except OSError as exc:
            raise UsageError(
                "rejects", f"cannot write {self.target}: {exc.strerror or exc}; the bad rows are in {self.partial}"
            ) from exc
        summary.rejects_path = str(self.target)

    def discard(self) -> None:
        """Drop what was written (the import failed, so the rows are not rejects of anything)."""
        if self._stream is not None:
            self._stream.close()
            self.partial.unlink(missing_ok=True)

    def _is_source(self) -> bool:
        try:
            return self.target.exists() and os.path.samefile(self.target, self.source)
        except OSError:
            return False


@dataclass
class _Batch:
    rows: int
    tickets: list[TicketInput]
    rejected: list[Rejected]


def _validated_batches(rows: Iterator[Row], tz: Any, now: Any) -> Iterator[_Batch]:
    batch = _Batch(0, [], [])
    for number, raw in rows:
        batch.rows += 1
        try:
            if ROW_ERROR in raw:
                raise UsageError(*raw[ROW_ERROR])
            batch.tickets.append(build_ticket_input(raw, tz=tz, now=now))
        except UsageError as exc:
            batch.rejected.append(Rejected(number, str(exc), raw))
        if batch.rows >= BATCH_SIZE:
            yield batch
            batch = _Batch(0, [], [])
    if batch.rows:
        yield batch


def import_file(
    office: Office,
    path: Path,
    *,
    rejects_path: Path | None = None,
    ignore_columns: Iterable[str] = (),
    progress: Progress | None = None,
    on_reject: Callable[[Rejected], None] | None = None,
    dispatch: bool = True,
) -> ImportSummary:
    """Take in every good row of `path` (dispatching each by the rules unless `dispatch` is off).

    Bad rows are reported and written to a rejects file (see `default_rejects_path`) once the whole
    file has been read and the import has committed; a failed import writes none.
    """
    summary = ImportSummary()
    rows = read_rows(path, progress, ignore_columns=ignore_columns)
    rejects = RejectsFile(
        _rejects_target(path, rejects_path), source=path, lines=is_json_lines(path), group=office.rules.privacy.group
    )
    tz, now = office.rules.timezone, office.now
    try:
        with few_collections(), transaction(office.engine, write=True) as conn:
            intake = IntakeBatch(conn, office, dispatch=dispatch)
            for batch in _validated_batches(rows, tz, now):
                summary.rows += batch.rows
                for rejected in batch.rejected:
                    summary.rejected += 1
                    rejects.add(rejected)
                    if on_reject is not None:
                        on_reject(rejected)
                _store(intake, batch.tickets, summary)
    except BaseException:
        rejects.discard()
        raise
    rejects.commit(summary)
    return summary


def _rejects_target(path: Path, given: Path | None) -> Path:
    """Where the rejects go; a --rejects name must suit their format (JSON Lines or CSV)."""
    if given is None:
        return default_rejects_path(path)
    if is_json_lines(path) and not is_json_lines(given):
        raise UsageError(
            "rejects", f"{given.name}: a JSON Lines file's rejects are its lines as they were; name it .jsonl"
        )
    if is_json_lines(given) and not is_json_lines(path):
        raise UsageError("rejects", f"{given.name}: the rejects of {path.name} are written as CSV; name it .csv")
    return given


def _store(batch: IntakeBatch, pending: list[TicketInput], summary: ImportSummary) -> None:
    if not pending:
        return
    for outcome in batch.store(pending):
        if outcome.created:
            summary.created += 1
        else:
            summary.existing += 1
