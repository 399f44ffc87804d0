"""Work that feeds this process from others: generators run in worker processes, their items
handed over in turn while this process goes on with the ones before (batch intake reads,
validates and decides the next batches while this process writes one).

Each worker is started fresh (the "spawn" way on every system: no state, threads or open case file
is inherited), ignores Ctrl-C (this process stops it), and its items come through a pipe, so it
runs at most an item or two ahead: memory stays flat however long the work. An error there is
raised here when its item's turn comes: jiesu's own errors (a bad file's one-line message) as
themselves, anything else as a WorkerError carrying the worker's traceback.
"""

import multiprocessing
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from jiesu.errors import JiesuError

Job = TypeVar("Job")
Item = TypeVar("Item")

# How long a worker may take to stop once this process is done with it.
STOP_SECONDS = 5.0


class WorkerError(Exception):
    """The worker process failed unexpectedly (a bug, or it was killed)."""


@dataclass(frozen=True)
class _Done:
    pass


@dataclass(frozen=True)
class _Failed:
    kind: type[JiesuError]
    state: dict[str, Any]
    args: tuple[Any, ...]

    def error(self) -> JiesuError:
        """The worker's error as it was raised there (its class, its fields, its message)."""
        error = self.kind.__new__(self.kind)
        error.__dict__.update(self.state)
        error.args = self.args
        return error


@dataclass(frozen=True)
class _Crashed:
    trace: str


def in_workers(work: Callable[[Job], Iterator[Item]], jobs: Sequence[Job]) -> Iterator[Item]:
    """The items of `work(job)` for each job, each computed in a worker process of its own, taken
    in turn: the first item of the first job's, of the second's, …, then the second item of the
    first job's, and so on, until a worker has no next item. `work` is a module-level function,
    and the jobs and the items can be pickled. Leaving the loop early stops the workers."""
    context = multiprocessing.get_context("spawn")
    workers = []
    try:
        for job in jobs:
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_run, args=(work, job, sending), name="jiesu-worker", daemon=True)
            workers.append((receiving, process))
            process.start()
            sending.close()  # the worker's end: only the worker holds it now, so its exit ends the pipe
        while True:
            for receiving, process in workers:
                item = _next(receiving, process)
                if isinstance(item, _Done):
                    return
                yield item
    finally:
        for receiving, _ in workers:
            receiving.close()  # a worker still sending gets a broken pipe and ends
        for _, process in workers:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.terminate()
                process.join()


def _next(receiving: Any, process: Any) -> Any:
    """The worker's next item, or _Done; what went wrong there, raised."""
    try:
        item = receiving.recv()
    except EOFError:
        process.join(STOP_SECONDS)
        raise WorkerError(f"a worker process stopped unexpectedly (exit code {process.exitcode})") from None
    if isinstance(item, _Failed):
        raise item.error()
    if isinstance(item, _Crashed):
        raise WorkerError(f"a worker process failed:\n{item.trace}")
    return item


def _run(work: Callable[[Job], Iterator[Item]], job: Job, sending: Any) -> None:
    """The worker process: send each item, then _Done, or what went wrong."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the process that started it
    try:
        for item in work(job):
            sending.send(item)
        sending.send(_Done())
    except (BrokenPipeError, EOFError):
        pass  # the other end stopped listening: nothing to report to
    except JiesuError as exc:
        sending.send(_Failed(type(exc), dict(exc.__dict__), exc.args))
    except BaseException:
        sending.send(_Crashed(traceback.format_exc()))
    finally:
        sending.close()
