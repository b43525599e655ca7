"""Helpers for the robustness tests: run the CLI in a child process with a time bound and
measure its peak memory (os.wait4 gives the child's own rusage)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the child's maximum resident set size


def run_checker(*args: str, timeout: float = 60, env: dict | None = None, cwd: str | None = None) -> Run:
    """`python -m checker ARGS` with output captured to files (no pipe can fill up)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "checker", *args], stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, cwd=cwd)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise AssertionError(f"checker {' '.join(args)} took longer than {timeout} s")
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, usage.ru_maxrss / 1024)
