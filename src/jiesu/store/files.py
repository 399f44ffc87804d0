"""Files jiesu creates that hold requesters' data, and the OS accounts behind them.

A case file (SQLite; its -wal and -shm files take the database file's mode from SQLite) and a
rejects file are created readable by their owner only (0600), or by their owner and one group
(0660) when the rules file names one (`[privacy] group`). The mode is set at creation, never
afterwards: a file that exists keeps the mode it has, so an administrator's choice stands.
"""

import os
import stat
from pathlib import Path
from typing import IO

from jiesu.errors import RefusedError

OWNER_ONLY = 0o600
OWNER_AND_GROUP = 0o660


def account_name(uid: int) -> str:
    """The login name of an OS user id; `uid:1000` for an id without an account (a bare container user)."""
    try:
        import pwd
    except ImportError:  # Windows has no user ids
        return f"uid:{uid}"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid:{uid}"


def owner_of(path: Path) -> str:
    """The login name of the account that owns a file."""
    return account_name(path.stat().st_uid)


def group_id(group: str) -> int:
    """The id of an OS group; RefusedError naming `[privacy] group` when there is none."""
    try:
        import grp
    except ImportError:  # Windows: no groups to share files with
        raise RefusedError("[privacy] group: this system has no POSIX groups; remove the key") from None
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise RefusedError(
            f"[privacy] group: there is no group {group!r} on this machine; create it or fix the rules file"
        ) from None


def create_private(path: Path, *, group: str = "") -> bool:
    """Create an empty file readable by its owner only (0600), or by the owner and `group` (0660).

    Returns False and changes nothing when the file already exists. The mode is set exactly,
    whatever the umask; a file that cannot be given to the group is removed again.
    """
    gid = group_id(group) if group else None
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    try:
        if gid is not None:
            os.fchown(descriptor, -1, gid)
        os.chmod(path, OWNER_AND_GROUP if gid is not None else OWNER_ONLY)  # exactly, whatever the umask
    except PermissionError:
        path.unlink(missing_ok=True)
        raise RefusedError(
            f"[privacy] group: cannot give {path} to group {group!r}; the account running jiesu must be a member of it"
        ) from None
    finally:
        os.close(descriptor)
    return True


def open_private(path: Path, *, group: str = "", encoding: str = "utf-8", errors: str = "strict") -> IO[str]:
    """A new text file for writing, created as `create_private` does (an existing one is truncated
    and keeps its mode)."""
    create_private(path, group=group)
    return path.open("w", encoding=encoding, errors=errors, newline="")


def keep_mode(existing: Path, replacement: Path) -> None:
    """Give `replacement` the mode of `existing`, if that exists, before one replaces the other."""
    try:
        mode = stat.S_IMODE(existing.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(replacement, mode)
