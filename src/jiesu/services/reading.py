"""Reading request files from other systems: CSV (comma, tab, semicolon or bar; UTF-8, GB18030 or
UTF-16 "Unicode text"), JSON Lines and XLSX, streamed as rows of the fields jiesu knows; Open311
GeoReport v2 files (.xml, or .json holding an array) are detected here and read by services/open311.py.

A header jiesu does not know refuses the file with a did-you-mean, unless it is named to be ignored:
a misspelt column would otherwise lose its data silently.
"""

import codecs
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from jiesu.domain.tickets import FIELDS
from jiesu.errors import UsageError

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
    cleaned = _clean(header)
    key = cleaned.lower().replace("-", "_").replace(" ", "_")
    if key in FIELDS:
        return key
    return HEADER_ALIASES.get(cleaned)


def _clean(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip()


# The two columns a rejects file puts before the fields; re-importing a rejects file skips them.
REJECTS_COLUMNS = ("row", "reason")
# Keys a reader adds to a row besides the fields: why the row cannot be read, and a JSON line as it was.
ROW_ERROR = "__error__"
SOURCE_LINE = "__line__"


def _suggestion(header: str) -> str:
    """' (did you mean 'phone'?)' for a near miss among the field names and Chinese headers, else ''."""
    from difflib import get_close_matches

    key = _clean(header).lower().replace("-", "_").replace(" ", "_")
    close = get_close_matches(key, [*FIELDS, *HEADER_ALIASES], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_columns(path: Path, headers: list[str], where: str = "") -> UsageError:
    listed = ", ".join(f"{_clean(h)!r}{_suggestion(h)}" for h in headers)
    plural = len(headers) > 1
    noun = ("keys" if plural else "key") if where else ("columns" if plural else "column")
    them = "them" if plural else "it"
    return UsageError(
        "file",
        f"{path.name}: {where}unknown {noun} {listed}; rename {them}, or skip {them} with --ignore-column NAME",
    )


def columns_of(path: Path, header: list[str | None], ignore: frozenset[str]) -> list[str | None]:
    """The field each column feeds (None: skipped), refusing unknown headers and a file without content.

    Skipped without asking: blank headers, the columns named in `ignore`, and the `row` and `reason`
    columns that lead a rejects file.
    """
    cleaned = [_clean(str(h)) if h is not None else "" for h in header]
    bookkeeping = 2 if [c.lower() for c in cleaned[:2]] == list(REJECTS_COLUMNS) else 0
    fields: list[str | None] = []
    unknown: list[str] = []
    for position, name in enumerate(cleaned):
        field = None
        if position >= bookkeeping and name and name.casefold() not in ignore:
            field = field_for_header(name)
            if field is None:
                unknown.append(name)
        fields.append(field)
    if unknown:
        raise _unknown_columns(path, unknown)
    if "content" not in fields:
        raise UsageError("file", f"{path.name}: no content column; name one 'content' or '诉求内容'")
    return fields


def is_json_lines(path: Path) -> bool:
    """Whether `path` is read as JSON Lines (by its name; a .json file holding an array is Open311)."""
    from jiesu.services.open311 import is_open311

    return READERS.get(path.suffix.lower()) is _read_jsonl and not is_open311(path)


Row = tuple[int, dict[str, Any]]  # (row number, field → raw value)
Progress = Callable[[int, int], None]  # (done, total) in the reader's own unit (bytes or rows)
Reader = Callable[[Path, "Progress | None", frozenset[str]], Iterator[Row]]


def _detect_text_encoding(path: Path) -> str:
    """UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 (with or without BOM), else GB18030.

    Files that are not text at all are named for what they look like.
    """
    with path.open("rb") as stream:
        head = stream.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if head.startswith(b"PK\x03\x04"):
            raise UsageError("file", f"{path.name}: is a zip file, most likely an XLSX workbook; name it .xlsx")
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise UsageError("file", f"{path.name}: is an old Excel .xls workbook; save it as .xlsx or CSV UTF-8")
        if b"\x00" in head:
            raise UsageError(
                "file",
                f"{path.name}: is not text (UTF-16 without a byte-order mark, or a binary file); save it as CSV UTF-8",
            )
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


DELIMITERS = ",\t;|"
SNIFF_CHARS = 16384


def _sniff_delimiter(path: Path, encoding: str) -> str:
    """Comma, tab, semicolon or bar, judged from the first few KB (csv.Sniffer, checked on the header)."""
    with path.open(encoding=encoding, newline="", errors="replace") as stream:
        sample = stream.read(SNIFF_CHARS)
    if len(sample) == SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    header = sample.splitlines()[0] if sample else ""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in header or not delimiter:
        counts = {d: header.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return delimiter


def _read_csv(path: Path, progress: Progress | None, ignore: frozenset[str]) -> Iterator[Row]:
    encoding = _detect_text_encoding(path)
    delimiter = _sniff_delimiter(path, encoding)
    total = path.stat().st_size
    with (
        path.open("rb") as binary,
        open(binary.fileno(), encoding=encoding, newline="", closefd=False) as text,
    ):
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        fields = columns_of(path, list(header), ignore)
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


# JSON types a field may hold besides a string (None is always an empty value).
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "phone": (int,),
    "external_id": (int,),
    "urgent": (bool, int),
    "confidential": (bool, int),
}


def _json_type_problem(field: str, value: Any) -> str | None:
    """Why a JSON value cannot be this field's value (a number is not a request text), or None."""
    if value is None or isinstance(value, str):
        return None
    allowed = _JSON_TYPES.get(field, ())
    if (bool if isinstance(value, bool) else type(value)) in allowed:
        return None
    if isinstance(value, bool):
        kind = f"true/false ({json.dumps(value)})"
    elif isinstance(value, int | float):
        kind = f"a number ({json.dumps(value)})"
    elif isinstance(value, dict):
        kind = "a JSON object"
    else:
        kind = "a JSON list"
    return f"is {kind}, not text; give it as a JSON string in quotes"


class _JsonKeys:
    """Maps a JSON Lines key to its field, refusing the file at the first key jiesu does not know."""

    def __init__(self, path: Path, ignore: frozenset[str]) -> None:
        self.path = path
        self.ignore = ignore
        self.known: dict[str, str | None] = {}

    def field(self, key: str, line: int) -> str | None:
        try:
            return self.known[key]
        except KeyError:
            pass
        name = None if _clean(key).casefold() in self.ignore else field_for_header(key)
        if name is None and _clean(key).casefold() not in self.ignore:
            raise _unknown_columns(self.path, [key], where=f"line {line}: ")
        self.known[key] = name
        return name


def _read_jsonl(path: Path, progress: Progress | None, ignore: frozenset[str]) -> Iterator[Row]:
    encoding = _detect_text_encoding(path)
    total = path.stat().st_size
    keys = _JsonKeys(path, ignore)
    with path.open("rb") as binary, open(binary.fileno(), encoding=encoding, closefd=False) as text:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield (
                    number,
                    {ROW_ERROR: ("row", f"not valid JSON ({exc.msg} at column {exc.colno})"), SOURCE_LINE: line},
                )
                continue
            if not isinstance(record, dict):
                yield number, {ROW_ERROR: ("row", "a line must hold one JSON object"), SOURCE_LINE: line}
                continue
            mapped: dict[str, Any] = {SOURCE_LINE: line}
            for key, value in record.items():
                name = keys.field(str(key), number)
                if name is None:
                    continue
                problem = _json_type_problem(name, value)
                if problem is not None and ROW_ERROR not in mapped:
                    mapped[ROW_ERROR] = (name, problem)
                mapped[name] = value
            yield number, mapped
            if progress is not None and number % 1000 == 0:
                progress(binary.tell(), total)
        if progress is not None:
            progress(total, total)


def _read_xlsx(path: Path, progress: Progress | None, ignore: frozenset[str]) -> Iterator[Row]:
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
        fields = columns_of(path, [str(h) if h is not None else None for h in header], ignore)
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


READERS: dict[str, Reader] = {
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".txt": _read_csv,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".json": _read_jsonl,
    ".xlsx": _read_xlsx,
}


def read_rows(path: Path, progress: Progress | None = None, *, ignore_columns: Iterable[str] = ()) -> Iterator[Row]:
    """The rows of a CSV, JSON Lines or XLSX file as field → raw value, with their row numbers.

    A column (or JSON key) jiesu does not know refuses the file unless `ignore_columns` names it.
    """
    from jiesu.services.open311 import is_open311, read_open311

    reader = READERS.get(path.suffix.lower())
    if reader is None and path.suffix.lower() != ".xml":
        raise UsageError("file", f"{path.name}: unknown file type; use .csv, .jsonl, .xlsx, or Open311 .json/.xml")
    if not path.is_file():
        raise UsageError("file", f"{path}: no such file")
    if is_open311(path):
        return _reported(path, read_open311(path))
    assert reader is not None
    ignore = frozenset(_clean(name).casefold() for name in ignore_columns)
    return _reported(path, reader(path, progress, ignore))


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


def spool_stream(stream: BinaryIO, folder: Path, name: str = "stdin") -> Path:
    """Standard input (`--file -`) copied into `folder` as NAME.xlsx, .xml, .json (an Open311 array),
    .jsonl or .csv by what its first bytes look like, so it is read like a file of that kind."""
    import shutil

    head = stream.read(4096)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        suffix = ".xlsx"
    elif start.startswith(b"<"):
        suffix = ".xml"
    elif start.startswith(b"["):
        suffix = ".json"
    elif start.startswith(b"{"):
        suffix = ".jsonl"
    else:
        suffix = ".csv"
    target = folder / f"{name}{suffix}"
    with target.open("wb") as out:
        out.write(head)
        shutil.copyfileobj(stream, out)
    return target
