"""Batch intake from CSV, JSON Lines or XLSX: streamed in batches, bad rows set aside, committed in chunks.

A long import commits every couple of seconds (store.engine.WriteChunks), so a clerk's intake waits
a moment, never the whole import. An interrupted import keeps its committed chunks whole, and a re-run
of the same file takes in the rest exactly once: rows are matched on external_id, and rows without
one are skipped up to the point the committed chunks reached (kept in the case file until the
import completes).
"""

import csv
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jiesu.domain.tickets import FIELDS, TicketInput, build_ticket_input
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.intake import IntakeBatch, IntakePreparer, PreparedIntake
from jiesu.services.reading import REJECTS_COLUMNS, ROW_ERROR, SOURCE_LINE, Progress, Row, is_json_lines, read_rows
from jiesu.services.suggesting import Suggester
from jiesu.services.workers import in_workers
from jiesu.store.bulk import few_collections
from jiesu.store.engine import WriteChunks, create_case_engine
from jiesu.store.files import keep_mode, open_private
from jiesu.store.tickets import TicketRows, record_resume_point, resume_point

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
            # surrogateescape: a row that was not UTF-8 goes back as the bytes it was
            self._stream = open_private(self.partial, group=self.group, encoding=encoding, errors="surrogateescape")
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
    last_row: int = 0
    resumed: int = 0  # good rows an interrupted run already took in
    prepared: PreparedIntake | None = None  # the tickets, decided and turned into rows
    read: tuple[int, int] | None = None  # how far into the file the batch reaches, of its size


def _batches_of_rows(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _validated(rows: list[Row], tz: Any, now: Any, *, resume_after: int = 0) -> _Batch:
    batch = _Batch(len(rows), [], [], last_row=rows[-1][0])
    for number, raw in rows:
        try:
            if ROW_ERROR in raw:
                raise UsageError(*raw[ROW_ERROR])
            ticket = build_ticket_input(raw, tz=tz, now=now)
            if number > resume_after:
                batch.tickets.append(ticket)
            else:
                batch.resumed += 1
        except UsageError as exc:
            batch.rejected.append(Rejected(number, str(exc), raw))
    return batch


@dataclass(frozen=True)
class _Job:
    """What preparing a file's batches takes, as a worker process is handed it."""

    office: Office
    rules_sha256: str  # the rules this process loaded: a worker must decide by the same
    path: Path
    ignore_columns: tuple[str, ...]
    dispatch: bool
    resume_after: int
    batch_size: int = BATCH_SIZE
    share: int = 0  # of every `workers` batches, the one this job prepares (the others it reads past)
    workers: int = 1


def _prepared_batches(job: _Job) -> Iterator[_Batch]:
    """The file's batches (its `share` of them) read, validated, decided and converted into rows
    (`IntakePreparer`): everything an import does before it writes, in this process or a worker's."""
    office = job.office
    if office.rules.sha256 != job.rules_sha256:
        raise UsageError("rules", f"{office.rules_path} changed during the import; run the import again")
    read: list[tuple[int, int]] = []
    rows = read_rows(job.path, lambda done, total: read.append((done, total)), ignore_columns=job.ignore_columns)
    preparer = IntakePreparer(
        office, TicketRows(create_case_engine(office.db).dialect), Suggester(None, office), dispatch=job.dispatch
    )
    tz, now = office.rules.timezone, office.now
    for index, rows_read in enumerate(_batches_of_rows(rows, job.batch_size)):
        if index % job.workers != job.share:
            read.clear()
            continue
        batch = _validated(rows_read, tz, now, resume_after=job.resume_after)
        if batch.tickets:
            batch.prepared, batch.tickets = preparer.prepare(batch.tickets), []
        if read:
            batch.read = read[-1]
            read.clear()
        yield batch


def _prepared_in_worker(job: _Job) -> Iterator[_Batch]:
    """`_prepared_batches` as a worker process runs it, with the collector out of the way."""
    with few_collections():
        yield from _prepared_batches(job)


def file_key(path: Path) -> str:
    """What names a file's content across runs (its SHA-256), for resuming an interrupted import."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise UsageError("file", f"cannot read {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def import_file(
    office: Office,
    path: Path,
    *,
    rejects_path: Path | None = None,
    ignore_columns: Iterable[str] = (),
    progress: Progress | None = None,
    on_reject: Callable[[Rejected], None] | None = None,
    dispatch: bool = True,
    force: bool = False,
    workers: int | None = None,
) -> ImportSummary:
    """Take in every good row of `path` (dispatching each by the rules unless `dispatch` is off).

    Committed in chunks (see the module's docstring). Bad rows are reported and written to a rejects
    file (see `default_rejects_path`, never the input, never an existing file unless `force`) once the
    whole file has been read; a failed import writes none, and its re-run reports them all again.

    With `workers` (by default, for a file of more than one batch on a machine of two cores or
    more: see `worker_count`), the batches are read, validated, decided and converted in that many
    worker processes, in turn, while this one writes the batches before them (services.workers);
    0 does it all here.
    """
    summary = ImportSummary()
    read_rows(path, ignore_columns=ignore_columns)  # the file's own problems first, before any other
    target = _rejects_target(path, rejects_path, force=force)
    if "://" not in office.db and _same_file(target, Path(office.db)):
        raise UsageError("rejects", f"{target} is the case file; name another file for the bad rows")
    rejects = RejectsFile(target, source=path, lines=is_json_lines(path), group=office.rules.privacy.group)
    key = file_key(path)
    try:
        with few_collections(), WriteChunks(office.engine) as chunks:
            resume_after = resume_point(chunks.connection(), key)
            job = _Job(office, office.rules.sha256, path, tuple(ignore_columns), dispatch, resume_after, BATCH_SIZE)
            count = worker_count(path) if workers is None else workers
            batches = (
                in_workers(_prepared_in_worker, [replace(job, share=k, workers=count) for k in range(count)])
                if count
                else _prepared_batches(job)
            )
            intake, chunk = None, -1
            for batch in batches:
                summary.rows += batch.rows
                summary.existing += batch.resumed
                for rejected in batch.rejected:
                    summary.rejected += 1
                    rejects.add(rejected)
                    if on_reject is not None:
                        on_reject(rejected)
                conn = chunks.connection()
                if intake is None or chunk != chunks.chunks:  # a new chunk: a new transaction
                    intake, chunk = IntakeBatch(conn, office, dispatch=dispatch), chunks.chunks
                if batch.prepared is not None:
                    _store(intake, batch.prepared, summary)
                record_resume_point(conn, key, max(batch.last_row, resume_after))
                chunks.end_chunk_if_due()
                if progress is not None and batch.read is not None:
                    progress(*batch.read)
            record_resume_point(chunks.connection(), key, None)
    except BaseException:
        rejects.discard()
        raise
    rejects.commit(summary)
    return summary


# A file this large holds more than one batch: preparing the next batches in workers while this
# process writes one pays for the workers' start (~0.4 s of CPU each) from the second batch on.
WORKER_FILE_BYTES = 4 << 20
# Two workers keep this process writing on a machine of two cores (a dispatched batch takes about
# twice as long to prepare as to write); with more, the database is the bottleneck.
MAX_WORKERS = 2


def worker_count(path: Path, said: str | None = None) -> int:
    """How many worker processes prepare the batches of `path`: as many as `said` (the CLI's
    JIESU_IMPORT_WORKERS) when given; else none for a file of one batch or on a machine of one
    core, and MAX_WORKERS otherwise."""
    if said is not None and said.strip():
        try:
            return max(0, int(said))
        except ValueError:
            raise UsageError("$JIESU_IMPORT_WORKERS", f"{said!r} is not a number; set it to 0, 1 or 2") from None
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return MAX_WORKERS if (os.cpu_count() or 1) >= 2 and size >= WORKER_FILE_BYTES else 0


def _rejects_target(path: Path, given: Path | None, *, force: bool) -> Path:
    """Where the rejects go: never the input itself (by any name or link), never a file that is
    there already unless `force` (the default name, a rejects file of this input, may be replaced);
    a --rejects name must suit their format (JSON Lines or CSV)."""
    if given is None:
        return default_rejects_path(path)  # a rejects file re-imported is replaced by its own rejects
    if _same_file(given, path):
        raise UsageError("rejects", f"{given} is the input file {path.name} itself; name another file for the bad rows")
    if given.is_dir():
        raise UsageError("rejects", f"{given} is a folder; name a file for the bad rows, e.g. {given / 'rejects.csv'}")
    if (given.exists() or given.is_symlink()) and not force:
        raise UsageError("rejects", f"{given} already exists; name a new file, or replace it with --force")
    if is_json_lines(path) and not is_json_lines(given):
        raise UsageError(
            "rejects", f"{given.name}: a JSON Lines file's rejects are its lines as they were; name it .jsonl"
        )
    if is_json_lines(given) and not is_json_lines(path):
        raise UsageError("rejects", f"{given.name}: the rejects of {path.name} are written as CSV; name it .csv")
    return given


def _same_file(one: Path, other: Path) -> bool:
    """Whether two names reach the same file (through links, relative paths, hard links)."""
    try:
        if one.exists() and other.exists():
            return os.path.samefile(one, other)
    except OSError:
        pass
    return one.expanduser().resolve() == other.expanduser().resolve()


def _store(batch: IntakeBatch, prepared: PreparedIntake, summary: ImportSummary) -> None:
    for outcome in batch.write(prepared):
        if outcome.created:
            summary.created += 1
        else:
            summary.existing += 1
