"""Helpers for the robustness tests: run the CLI in a child process with a time bound and
measure its peak memory.

The child is started by a small launcher process that forks and execs it and reports the
child's own rusage: a process forked straight from pytest would count pytest's resident memory
at the fork in its maximum (Linux keeps the pre-exec high-water mark in ru_maxrss), so the
figure would depend on what earlier tests loaded into the pytest process."""

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
    seconds: float  # wall clock
    peak_mb: float  # the child's maximum resident set size
    cpu_seconds: float = 0.0  # CPU time of the checker (with the children it waited for; not a pool's
    # workers): what bounds on the work of a serial run measure, whatever else the machine is doing


# argv: launcher REPORT_FILE PROGRAM ARGS…; exits as the program did, its ru_maxrss (KB) in REPORT_FILE
_LAUNCHER = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_checker(*args: str, timeout: float = 60, env: dict | None = None, cwd: str | None = None) -> Run:
    """`python -m checker ARGS` with output captured to files (no pipe can fill up)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".maxrss") as report:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, report.name, sys.executable, "-m", "checker",
                                    *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, 9)  # the launcher and the checker it started
                os.wait4(process.pid, 0)
                raise AssertionError(f"checker {' '.join(args)} took longer than {timeout} s")
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        peak = report.read().strip()
        return Run(process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, int(peak) / 1024 if peak else 0.0, usage.ru_utime + usage.ru_stime)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of the given object bodies (numbered from 1, object 1 the catalog), with its
    cross-reference table and trailer: hand-made PDFs for the reader's robustness tests."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (a forkserver and the workers it forked), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found
