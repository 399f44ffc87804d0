"""The project's one exception hierarchy; the CLI turns these into `Error: …` and an exit code."""


class JiesuError(Exception):
    """Base of every error jiesu reports to a user. `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(JiesuError):
    """A value given on the command line or in an input row is not acceptable (exit 2)."""

    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotFoundError(JiesuError):
    """The named ticket, unit or file does not exist."""


class RefusedError(JiesuError):
    """The case file's state does not allow the operation."""


class ConflictError(RefusedError):
    """Someone else changed the ticket in between; the operation can be retried."""


class BusyError(ConflictError):
    """Another command held the case file's write lock longer than a command waits for it."""


class VerificationError(JiesuError):
    """`report verify` found a publication that does not chain or a published month that no longer
    holds (exit 4: the command ran, and what it checks is not so)."""

    exit_code = 4


class CaseFileError(JiesuError):
    """The case file cannot be opened or upgraded."""


class RulesError(JiesuError):
    """The rules file is broken; `problems` lists every problem with its location."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0] if problems else "invalid"
        more = f" (and {len(problems) - 1} more; run `jiesu rules check`)" if len(problems) > 1 else ""
        super().__init__(f"rules file {path}: {first}{more}")
