"""Temporary files never outlive a run (issue 14 leftovers): libraries' own temporary files
(openpyxl's write-only worksheets) go into a directory of the run, removed at its end or, after a
SIGKILL, by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from checker.scratch import ScratchRoot, private_tempdir
from tests.conftest import ROOT, seed


def dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)


def test_private_tempdir_is_used_and_removed(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    stale = tmp_path / f"checker-run-{dead_pid()}-x"
    (stale / "openpyxl.abc").mkdir(parents=True)
    mine = tmp_path / f"checker-run-{os.getpid()}-y"  # a live run's directory is left alone
    mine.mkdir()
    with private_tempdir() as path:
        assert not stale.exists() and mine.exists()
        assert tempfile.gettempdir() == path
        assert Path(tempfile.mkstemp()[1]).parent == Path(path)
    assert not Path(path).exists()
    assert tempfile.tempdir is None
    root = ScratchRoot("checker-x-", str(tmp_path))
    assert Path(root.subdir()).parent == Path(root.path)
    root.close()
    assert not Path(root.path).exists()


def test_spreadsheet_temp_files_of_a_killed_run_are_removed_by_the_next(tmp_path):
    docs, scratch = tmp_path / "docs", tmp_path / "tmp"
    docs.mkdir()
    scratch.mkdir()
    text = seed("002").read_bytes()
    for number in range(400):
        (docs / f"{number:03d}.txt").write_bytes(text)
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "checker", "check", "-j", "1", "--no-progress"]
    run = subprocess.Popen([*command, str(docs), "--format", f"xlsx:{tmp_path / 'out.xlsx'}"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(scratch.glob("*/openpyxl*")):  # the worksheet is being written
            assert run.poll() is None and time.monotonic() < deadline, "no openpyxl temporary file seen"
            time.sleep(0.05)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    assert not list(scratch.glob("openpyxl*"))  # nothing loose in the temp dir: all in the run's own
    assert [p.name for p in scratch.glob("checker-run-*")] == [p.name for p in scratch.glob(f"checker-run-{run.pid}-*")]
    assert len(list(scratch.glob("checker-run-*"))) == 1
    subprocess.run([*command, str(seed("003")), "--format", f"xlsx:{tmp_path / 'again.xlsx'}"], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    assert not list(scratch.glob("checker-run-*"))  # the next run removed it, and its own
    assert not list(scratch.glob("**/openpyxl*"))
