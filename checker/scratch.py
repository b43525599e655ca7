"""Private scratch directories that do not outlive the run, even one killed with SIGKILL.

A `ScratchRoot` is one directory named after its process (``PREFIX<pid>-…``). It is removed when
the run ends; a root whose process is gone (killed outright, the machine reset) is removed by the
next run that makes a root with the same prefix in the same place. `private_tempdir` points
``tempfile`` at such a root for the time of a command, so the temporary files libraries make on
their own (openpyxl's write-only worksheets) go there too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    try:  # a killed process not yet reaped by its parent still answers os.kill
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


class ScratchRoot:
    """One directory for this process under `base` (default: the system temp dir)."""

    def __init__(self, prefix: str, base: str | None = None) -> None:
        base = base or tempfile.gettempdir()
        self.prefix = prefix
        remove_stale(base, prefix)
        self.path = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base)

    def subdir(self, prefix: str = "") -> str:
        return tempfile.mkdtemp(prefix=prefix, dir=self.path)

    @staticmethod
    def release(path: str) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def remove_stale(base: str, prefix: str) -> None:
    """Remove this user's ``PREFIX<pid>-…`` directories under `base` whose process is gone."""
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split("-", 1)[0]
        if not name.startswith(prefix) or not pid.isdigit() or _alive(int(pid)):
            continue
        path = os.path.join(base, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if info.st_uid == os.getuid() and os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def private_tempdir(prefix: str = "checker-run-") -> Iterator[str]:
    """For the block: this process's temporary files (``tempfile``'s default directory) go into a
    `ScratchRoot`, removed afterwards (or by the next run, after a SIGKILL). Worker processes are
    not redirected (a forkserver outlives the block and would keep a removed directory)."""
    import multiprocessing.util

    previous = tempfile.tempdir
    # multiprocessing makes its own directory (the forkserver's socket) once per process, under
    # tempfile's directory, and keeps using it after the block and until exit: made first, outside.
    multiprocessing.util.get_temp_dir()
    root = ScratchRoot(prefix)
    tempfile.tempdir = root.path
    try:
        yield root.path
    finally:
        tempfile.tempdir = previous
        root.close()
