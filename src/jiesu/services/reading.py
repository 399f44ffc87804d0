"""Reading request files from other systems: CSV (comma, tab, semicolon or bar; UTF-8, GB18030 or
UTF-16 "Unicode text"), JSON Lines and XLSX, streamed as rows of the fields jiesu knows; Open311
GeoReport v2 files (.xml, or .json holding an array) are detected here and read by services/open311.py.

A header jiesu does not know refuses the file with a did-you-mean, unless it is named to be ignored:
a misspelt column would otherwise lose its data silently.
"""

import codecs
import csv
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TextIO

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
    "引导": "guide",
    "引导内容": "guide",
    "引导市场和社会力量": "guide",
    "引导类型": "guide_to",
    "引导方向": "guide_to",
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


def _two_columns(path: Path, first: str, second: str, field: str) -> UsageError:
    return UsageError(
        "file",
        f"{path.name}: columns {first!r} and {second!r} both give {field}; keep one, "
        "or skip the other with --ignore-column NAME",
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
    first_column: dict[str, str] = {}
    for name, field in zip(cleaned, fields, strict=True):
        if field is None:
            continue
        if field in first_column:  # one would silently overwrite the other's values
            raise _two_columns(path, first_column[field], name, field)
        first_column[field] = name
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


class TextEncoding(NamedTuple):
    """How a text file is decoded: the codec, and "surrogateescape" when a UTF-8 file has a few rows
    that are not (their bytes survive as lone surrogates, so each such row is rejected on its own)."""

    name: str
    errors: str = "strict"


# Bytes that were not UTF-8 in a UTF-8 file, as surrogateescape keeps them.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _detect_text_encoding(path: Path) -> TextEncoding:
    """UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 (with or without BOM, and with a
    few rows in another encoding: those rows are rejected), else GB18030 when it reads as Chinese.

    Files that are not text at all, or text in another encoding (Big5, Shift-JIS), are named for
    what they look like.
    """
    with path.open("rb") as stream:
        head = stream.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return TextEncoding("utf-16")
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
            return _not_utf8(path)
    return TextEncoding("utf-8-sig")


def _not_utf8(path: Path) -> TextEncoding:
    """A file that is not all UTF-8: UTF-8 with some bad rows when most of its non-ASCII lines are
    UTF-8; else GB18030, unless that reading fails or is full of rare characters (then refused)."""
    utf8 = other = 0
    with path.open("rb") as stream:
        for line in stream:
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8 += 1
            except UnicodeDecodeError:
                other += 1
    if utf8 and utf8 >= other:
        return TextEncoding("utf-8-sig", "surrogateescape")
    with path.open("rb") as stream:
        head = stream.read(1 << 20)
    head = head[: head.rfind(b"\n") + 1] or head
    try:
        text = head.decode("gb18030")
    except UnicodeDecodeError:
        raise _other_encoding(path, head) from None
    if _rare_share(text) > RARE_SHARE:
        raise _other_encoding(path, head)
    return TextEncoding("gb18030")


# GB18030 decodes nearly any bytes; Chinese text read right has almost all of its characters in
# GB2312's common set, while Big5 or Shift-JIS bytes read as GB18030 are mostly rare ones (70–100%).
RARE_SHARE = 0.3


def _rare_share(text: str) -> float:
    wide = [ch for ch in text if ord(ch) >= 0x80]
    if len(wide) < 4:
        return 0.0
    rare = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(wide)


def _other_encoding(path: Path, head: bytes) -> UsageError:
    """The file is in an encoding jiesu does not read: name the likely one."""
    likely = "an encoding other than UTF-8 or GB18030"
    readings = {}
    for codec, name in (("shift_jis", "Shift-JIS (Japanese)"), ("big5", "Big5 (traditional Chinese)")):
        try:
            readings[name] = head.decode(codec)
        except UnicodeDecodeError:
            continue
    kana = [name for name, text in readings.items() if any("\u3040" <= ch <= "\u30ff" for ch in text)]
    if kana and "Shift-JIS (Japanese)" in kana:
        likely = "Shift-JIS (Japanese)"
    elif "Big5 (traditional Chinese)" in readings:
        likely = "Big5 (traditional Chinese)"
    elif readings:
        likely = next(iter(readings))
    return UsageError(
        "file",
        f"{path.name}: is not UTF-8 or GB18030 text; it looks like {likely}. Save it as CSV UTF-8 "
        "(Excel: Save As → CSV UTF-8) and import it again",
    )


DELIMITERS = ",\t;|"
SNIFF_CHARS = 16384


def _sniff_delimiter(path: Path, encoding: TextEncoding) -> str:
    """Comma, tab, semicolon or bar, judged from the first few KB (csv.Sniffer, checked on the header)."""
    with path.open(encoding=encoding.name, newline="", errors="replace") as stream:
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


# A field may be this long before the csv module refuses it (its default, 128 KiB, would refuse the
# whole file at one long field); a field longer than a request may be is then rejected with its row.
MAX_CSV_FIELD = 16 << 20


class _LinesRead:
    """The file's lines for the csv reader, read a megabyte at a time and kept until the rows they
    make are done, so a row the reader cannot take is handed on with its text. The reader takes
    them through itertools.chain: no Python runs per line."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._kept: list[tuple[int, list[str]]] = []  # (the number of lines before, the lines)
        self.lines = itertools.chain.from_iterable(self._chunks())

    def _chunks(self) -> Iterator[list[str]]:
        before = 0
        while lines := self._text.readlines(1 << 20):
            self._kept.append((before, lines))
            before += len(lines)
            yield lines

    def between(self, start: int, end: int) -> str:
        """The text of lines start to end (counted from 0, end excluded), as read."""
        return "".join("".join(lines[max(start - before, 0) : max(end - before, 0)]) for before, lines in self._kept)

    def forget_before(self, start: int) -> None:
        """Let go of the chunks whose lines all come before line `start`."""
        while len(self._kept) > 1 and self._kept[1][0] <= start:
            del self._kept[0]


def _read_csv(path: Path, progress: Progress | None, ignore: frozenset[str]) -> Iterator[Row]:
    """Long because the row loop is the import's hot path: a row the csv module cannot read (quotes
    that do not close, a file cut inside a quoted field, bytes that are not UTF-8) is handed on as a
    bad row with its text, so it is rejected alone and the rows around it still land."""
    encoding = _detect_text_encoding(path)
    delimiter = _sniff_delimiter(path, encoding)
    total = path.stat().st_size
    csv.field_size_limit(MAX_CSV_FIELD)
    with (
        path.open("rb") as binary,
        open(binary.fileno(), encoding=encoding.name, errors=encoding.errors, newline="", closefd=False) as text,
    ):
        lines = _LinesRead(text)
        reader = csv.reader(lines.lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UsageError("file", f"{path.name}: cannot read the header row ({exc})") from exc
        fields = columns_of(path, list(header), ignore)
        used = [(i, f) for i, f in enumerate(fields) if f is not None]
        every_column_used = len(used) == len(fields)
        check_bytes = encoding.errors == "surrogateescape"
        number = 1
        end = reader.line_num
        while True:
            number += 1
            start = end
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = reader.line_num
                yield number, _unreadable_row(lines.between(start, end), str(exc))
                continue
            end = reader.line_num
            joined = "".join(values)
            if not joined.strip():
                continue  # a blank line, or a row of empty cells
            row: dict[str, Any]
            if every_column_used:
                row = dict(zip(fields, values, strict=False))  # type: ignore[arg-type]
            else:
                row = {f: values[i] for i, f in used if i < len(values)}
            if check_bytes and _UNDECODED.search(joined):
                row[ROW_ERROR] = _row_not_utf8(lines.between(start, end))
            yield number, row
            if number % 1000 == 0:
                lines.forget_before(end)
                if progress is not None:
                    progress(binary.tell(), total)
        if progress is not None:
            progress(total, total)


def _unreadable_row(raw: str, problem: str) -> dict[str, Any]:
    if problem == "unexpected end of data":
        problem = "the file ends inside a quoted field: this last row was cut short"
    elif problem.startswith("field larger than field limit"):
        problem = f"a field is over {MAX_CSV_FIELD >> 20} MB"
    else:
        problem = f"cannot read this row as CSV ({problem}); check its quotes"
    return {ROW_ERROR: ("row", problem), "content": raw.rstrip("\r\n")[:MAX_CONTENT_SHOWN]}


def _row_not_utf8(raw: str) -> tuple[str, str]:
    """Why a row of a UTF-8 file with bytes that are not UTF-8 is rejected (its bytes go to the
    rejects file as they were)."""
    reading = raw.encode("utf-8", "surrogateescape").decode("gb18030", "replace").strip()
    return (
        "row",
        f"is not UTF-8 text like the rest of the file (read as GB18030: {reading[:40]!r}); fix it and import it again",
    )


# How much of a row the csv module could not read is kept in its rejects entry.
MAX_CONTENT_SHOWN = 1 << 20


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


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a value a field can hold")


def _json_record(line: str) -> Any:
    """One line's JSON; ValueError for anything a field cannot hold (NaN, 1e400, nesting too deep)."""
    try:
        return json.loads(line, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise ValueError("not valid JSON here (nested too deeply)") from exc


def _read_jsonl(path: Path, progress: Progress | None, ignore: frozenset[str]) -> Iterator[Row]:
    encoding = _detect_text_encoding(path)
    total = path.stat().st_size
    keys = _JsonKeys(path, ignore)
    check_bytes = encoding.errors == "surrogateescape"
    with (
        path.open("rb") as binary,
        open(binary.fileno(), encoding=encoding.name, errors=encoding.errors, closefd=False) as text,
    ):
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            if check_bytes and _UNDECODED.search(line):
                yield number, {ROW_ERROR: _row_not_utf8(line), SOURCE_LINE: line}
                continue
            try:
                record = _json_record(line)
            except ValueError as exc:
                yield number, {ROW_ERROR: ("row", str(exc)), SOURCE_LINE: line}
                continue
            if not isinstance(record, dict):
                yield number, {ROW_ERROR: ("row", "a line must hold one JSON object"), SOURCE_LINE: line}
                continue
            mapped: dict[str, Any] = {SOURCE_LINE: line}
            given: dict[str, str] = {}  # field -> the key that gave it
            for key, value in record.items():
                name = keys.field(str(key), number)
                if name is None:
                    continue
                problem = _json_type_problem(name, value)
                if name in given:  # one key would silently overwrite the other's value
                    problem = f"keys {given[name]!r} and {str(key)!r} both give {name}; keep one"
                given[name] = str(key)
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
    if path.is_dir():
        raise UsageError("file", f"{path} is a folder; name the file to import in it")
    if path.exists() and not path.is_file():
        raise UsageError("file", f"{path} is not a regular file (a pipe, socket or device); import a file")
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
