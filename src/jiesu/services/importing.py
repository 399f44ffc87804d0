"""Batch intake from CSV, JSON Lines or XLSX: streamed in batches, bad rows set aside, one transaction.

The whole file is one transaction: an interrupted import leaves the case file as it was, and a
re-run adds only what is not there yet (rows are matched on external_id).
"""

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiesu.domain.tickets import FIELDS, TicketInput, build_ticket_input
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.intake import IntakeBatch
from jiesu.store.bulk import few_collections
from jiesu.store.engine import transaction

BATCH_SIZE = 5000

# Column headers accepted besides the field names themselves (诉求内容 → content, …).
HEADER_ALIASES: dict[str, str] = {
    "外部编号": "external_id",
    "工单编号": "external_id",
    "来源编号": "external_id",
    "受理时间": "created_at",
    "来电时间": "created_at",
    "诉求类型": "kind",
    "类型": "kind",
    "渠道": "channel",
    "来源渠道": "channel",
    "诉求人类型": "requester_type",
    "诉求人": "name",
    "姓名": "name",
    "联系人": "name",
    "联系电话": "phone",
    "电话": "phone",
    "手机": "phone",
    "保密": "confidential",
    "是否保密": "confidential",
    "地址": "address",
    "诉求地址": "address",
    "事发地址": "address",
    "区": "district",
    "所属区": "district",
    "街乡镇": "street",
    "街道": "street",
    "所属街道": "street",
    "社区村": "community",
    "社区": "community",
    "诉求分类": "category",
    "分类": "category",
    "标题": "title",
    "诉求标题": "title",
    "诉求内容": "content",
    "内容": "content",
    "紧急": "urgent",
    "是否紧急": "urgent",
    "直接答复": "answer",
    "答复内容": "answer",
    "引导法定途径": "refer",
    "不予受理": "refer",
}


def field_for_header(header: str) -> str | None:
    """The request field a column header names, or None for a column jiesu does not read."""
    cleaned = header.strip().lstrip("\ufeff")
    key = cleaned.lower().replace("-", "_").replace(" ", "_")
    if key in FIELDS:
        return key
    return HEADER_ALIASES.get(cleaned)


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


class RejectsFile:
    """Bad rows as CSV (UTF-8 with BOM, so Excel opens it): row, reason, then the fields.

    Written as rows are found, so memory stays flat however many rows are bad; the file is only
    created when there is something to put in it.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._stream: Any = None
        self._writer: Any = None

    def add(self, item: Rejected) -> None:
        """Append one bad row."""
        if self._writer is None:
            try:
                self._stream = self.target.open("w", encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise UsageError("rejects", f"cannot write {self.target}: {exc.strerror or exc}") from exc
            self._writer = csv.writer(self._stream)
            self._writer.writerow(["row", "reason", *FIELDS])
        self._writer.writerow([item.row, item.reason, *(item.values.get(f, "") for f in FIELDS)])

    def close(self) -> str | None:
        """Close the file; its path if anything was written."""
        if self._stream is None:
            return None
        self._stream.close()
        return str(self.target)


Row = tuple[int, dict[str, Any]]  # (row number, field → raw value)
Progress = Callable[[int, int], None]  # (done, total) in the reader's own unit (bytes or rows)


def _detect_text_encoding(path: Path) -> str:
    """utf-8-sig for UTF-8 (with or without BOM), else GB18030, which offices' exports still use."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _read_csv(path: Path, progress: Progress | None) -> Iterator[Row]:
    encoding = _detect_text_encoding(path)
    total = path.stat().st_size
    with (
        path.open("rb") as binary,
        open(binary.fileno(), encoding=encoding, newline="", closefd=False) as text,
    ):
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            return
        fields = [field_for_header(h) for h in header]
        if "content" not in fields:
            raise UsageError("file", f"{path.name}: no content column; name one 'content' or '诉求内容'")
        used = [(i, f) for i, f in enumerate(fields) if f is not None]
        every_column_used = len(used) == len(fields)
        for number, values in enumerate(reader, start=2):
            if not "".join(values).strip():
                continue  # a blank line, or a row of empty cells
            if every_column_used:
                yield number, dict(zip(fields, values, strict=False))  # type: ignore[arg-type]
            else:
                yield number, {f: values[i] for i, f in used if i < len(values)}
            if progress is not None and number % 1000 == 0:
                progress(binary.tell(), total)
        if progress is not None:
            progress(total, total)


def _read_jsonl(path: Path, progress: Progress | None) -> Iterator[Row]:
    encoding = _detect_text_encoding(path)
    total = path.stat().st_size
    with path.open("rb") as binary, open(binary.fileno(), encoding=encoding, closefd=False) as text:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON ({exc.msg} at column {exc.colno})"}
                continue
            if not isinstance(record, dict):
                yield number, {"__error__": "a line must hold one JSON object"}
                continue
            mapped = {}
            for key, value in record.items():
                name = field_for_header(str(key))
                if name is not None:
                    mapped[name] = value
            yield number, mapped
            if progress is not None and number % 1000 == 0:
                progress(binary.tell(), total)
        if progress is not None:
            progress(total, total)


def _read_xlsx(path: Path, progress: Progress | None) -> Iterator[Row]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UsageError("file", f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        fields = [field_for_header(str(h)) if h is not None else None for h in header]
        if "content" not in fields:
            raise UsageError("file", f"{path.name}: no content column; name one 'content' or '诉求内容'")
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield (
                number,
                {f: v for f, v in zip(fields, values, strict=False) if f is not None and v is not None},
            )
            if progress is not None and number % 1000 == 0:
                progress(number, total)
        if progress is not None:
            progress(total, total)
    finally:
        book.close()


READERS: dict[str, Callable[[Path, Progress | None], Iterator[Row]]] = {
    ".csv": _read_csv,
    ".txt": _read_csv,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".json": _read_jsonl,
    ".xlsx": _read_xlsx,
}


def read_rows(path: Path, progress: Progress | None = None) -> Iterator[Row]:
    """The rows of a CSV, JSON Lines or XLSX file as field → raw value, with their row numbers."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UsageError("file", f"{path.name}: unknown file type; use .csv, .jsonl or .xlsx")
    if not path.is_file():
        raise UsageError("file", f"{path}: no such file")
    return _reported(path, reader(path, progress))


def _reported(path: Path, rows: Iterator[Row]) -> Iterator[Row]:
    """A file that breaks half-way (bad bytes, a malformed record) stops the import with one line."""
    last = 1
    try:
        for last, values in rows:
            yield last, values
    except UnicodeDecodeError as exc:
        raise UsageError("file", f"{path.name}: after row {last}: not UTF-8 or GB18030 text ({exc.reason})") from exc
    except (csv.Error, OSError, ValueError) as exc:
        raise UsageError("file", f"{path.name}: after row {last}: cannot read the file ({exc})") from exc


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
            if "__error__" in raw:
                raise UsageError("row", raw["__error__"])
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
    progress: Progress | None = None,
    on_reject: Callable[[Rejected], None] | None = None,
    dispatch: bool = True,
) -> ImportSummary:
    """Take in every good row of `path` (dispatching each by the rules unless `dispatch` is off).

    Bad rows are reported and written to a rejects file.
    """
    summary = ImportSummary()
    rows = read_rows(path, progress)
    rejects = RejectsFile(rejects_path or path.with_name(path.stem + ".rejects.csv"))
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
    finally:
        summary.rejects_path = rejects.close()
    return summary


def _store(batch: IntakeBatch, pending: list[TicketInput], summary: ImportSummary) -> None:
    if not pending:
        return
    for outcome in batch.store(pending):
        if outcome.created:
            summary.created += 1
        else:
            summary.existing += 1
