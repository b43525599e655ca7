"""Batch runs: discovery, bad files among good ones, worker death, Ctrl-C, counts, inputs untouched."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.batch import CRASH_ENV, discover
from checker.cli import main
from tests.conftest import SEEDS, seed


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def mixed(tmp_path) -> Path:
    """Five good seed reports, three bad files and two that must be skipped."""
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / ("sub" if path.name.startswith("00") and path.name < "002" else "") / path.name)
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "~$draft.docx").write_bytes(b"owner file")
    (folder / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("not a report", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    return folder


def test_discover_skips_hidden_and_temp_and_respects_globs(mixed):
    found = discover([str(mixed)])
    names = sorted(os.path.basename(p) for p in found.documents)
    assert names == sorted(["binary.txt", "corrupt.docx", "empty.txt", *(p.name for p in SEEDS.glob("*.txt"))])
    assert sorted(os.path.basename(p) for p, _ in found.skipped) == [".hidden.txt", "~$draft.docx"]
    assert found.found == 10
    only_sub = discover([str(mixed)], include=["sub/*.txt"])
    assert len(only_sub.documents) == 2
    no_sub = discover([str(mixed)], exclude=["sub"])
    assert not any("sub" in p for p in no_sub.documents)
    assert discover([str(mixed)], exclude=["*.docx", "empty.*"]).found == 7
    avoided = discover([str(mixed)], avoid=[str(mixed / "empty.txt")])
    assert not any(p.endswith("empty.txt") for p in avoided.documents)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_files_among_good_reports(mixed, tmp_path, jobs):
    before = digest(mixed)
    out = tmp_path / "out.csv"
    result = run(str(mixed), "--format", f"csv:{out}", "--format", f"json:{tmp_path / 'out.json'}", "-j", jobs)
    assert result.exit_code == 2  # README: an input file could not be read
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    by_name = {os.path.basename(r["文件"]): r for r in rows}
    assert len(rows) == 8
    for path in SEEDS.glob("*.txt"):
        assert by_name[path.name]["得分"] and not by_name[path.name]["无法检查原因"]
    for bad in ("corrupt.docx", "empty.txt", "binary.txt"):
        assert by_name[bad]["无法检查原因"], bad
        assert not by_name[bad]["得分"]
    assert "共找到 10 份：已检查 5 份，无法检查 3 份，跳过 2 份" in result.output
    documents = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["documents"]
    assert [d["path"] for d in documents] == [r["文件"] for r in rows]  # input order, same in every output
    assert digest(mixed) == before  # inputs are never written


def test_worker_death_costs_one_document(mixed, tmp_path, monkeypatch):
    victim = seed("003").name
    monkeypatch.setenv(CRASH_ENV, victim)
    before = digest(mixed)
    out = tmp_path / "out.json"
    result = run(str(mixed), "--format", f"json:{out}", "-j", "2")
    documents = {os.path.basename(d["path"]): d for d in json.loads(out.read_text(encoding="utf-8"))["documents"]}
    assert len(documents) == 8
    assert "进程" in documents[victim]["error"]
    for path in SEEDS.glob("*.txt"):
        if path.name != victim:
            assert documents[path.name]["error"] is None and documents[path.name]["score"] is not None
    assert "共找到 10 份：已检查 4 份，无法检查 4 份，跳过 2 份" in result.output
    assert result.exit_code == 2
    assert digest(mixed) == before


def test_fail_under_is_per_document():
    weak = str(seed("000"))  # scores 81.1
    assert run(weak, "--fail-on", "never", "--fail-under", "90").exit_code == 1
    assert run(weak, "--fail-on", "never", "--fail-under", "50").exit_code == 0


def test_ctrl_c_stops_cleanly_and_keeps_results(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = seed("002").read_bytes()
    for i in range(4000):
        (folder / f"r{i:04d}.txt").write_bytes(text)
    out = tmp_path / "out.json"
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(folder), "--format", f"json:{out}",
                             "--format", "terminal", "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while not out.exists() and time.time() < deadline:  # not there until the report is complete…
        time.sleep(0.05)
        if any(p.name.startswith(".out.json.") for p in tmp_path.iterdir()):  # …but its temp file is
            break
    time.sleep(0.4)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 130:
        pytest.skip(f"run finished before the interrupt (exit {proc.returncode})")
    documents = json.loads(out.read_text(encoding="utf-8"))["documents"]  # closed properly, valid JSON
    assert 0 < len(documents) < 4000
    assert f"已检查 {len(documents)} 份，无法检查 0 份，跳过 {4000 - len(documents)} 份" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_hung_worker_is_stopped_and_costs_one_document(mixed, tmp_path, monkeypatch):
    from checker.batch import HANG_ENV

    victim = seed("001").name
    monkeypatch.setenv(HANG_ENV, victim)
    out = tmp_path / "out.json"
    start = time.monotonic()
    # 3 s: a healthy document finishes in well under a second, also when the machine is loaded (a
    # parallel test run); the hung one is stopped all the same
    result = run(str(mixed), "--format", f"json:{out}", "-j", "2", "--timeout", "3")
    assert time.monotonic() - start < 30
    documents = {os.path.basename(d["path"]): d for d in json.loads(out.read_text(encoding="utf-8"))["documents"]}
    assert len(documents) == 8
    assert "超时" in documents[victim]["error"]
    assert sum(1 for d in documents.values() if d["error"] is None) == 4
    assert result.exit_code == 2


def test_forced_progress_bar_never_touches_stdout(mixed):
    result = CliRunner().invoke(main, ["check", str(mixed), "--progress", "--format", "json", "-j", "2"])
    data = json.loads(result.stdout)  # stdout is exactly the JSON report
    assert len(data["documents"]) == 8


def test_workers_render_documents_and_outputs_stay_byte_identical(mixed, tmp_path):
    """Issue 12: in parallel runs the workers render each document's JSON object, CSV row, JUnit
    suite and summary row and send only those (`Rendered`); the reports are byte for byte those of
    a serial run, bad files and --fail-on included. (A worker's death: test_worker_death_….)"""
    from checker.batch import check_documents
    from checker.packs import load_pack
    from checker.render import Rendered, RenderOptions, pieces_supported

    names = ("json", "csv", "junit", "terminal")
    outputs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"j{jobs}"
        folder.mkdir()
        formats = [arg for name in names for arg in ("--format", f"{name}:{folder / ('out.' + name)}")]
        result = run(str(mixed), *formats, "-j", jobs, "--fail-on", "warning", "--no-details")
        assert result.exit_code == 2
        outputs[jobs] = {name: (folder / f"out.{name}").read_bytes() for name in names}
    assert outputs["1"] == outputs["2"]

    pack = load_pack("national")
    plan = [(name, RenderOptions(pack=pack, extras={"fail_on": "warning", "details": False})) for name in names]
    assert pieces_supported(plan)
    assert not pieces_supported([("terminal", RenderOptions(pack=pack, extras={"details": True}))])
    assert not pieces_supported([("html", RenderOptions(pack=pack))])
    documents = discover([str(mixed)]).documents
    results = list(check_documents(documents, pack, jobs=2, render=plan))
    assert all(isinstance(r, Rendered) for r in results) and [r.path for r in results] == documents
    assert all(r.facts is not None and set(r.pieces) == set(names) for r in results)
