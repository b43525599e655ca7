"""Scans in a batch (issue 12): the document timeout grows by an allowance for every page read by
OCR, in-process and in workers; the OCR is followed page by page (for the progress bar). Every
scan is built in the test: image-only PDFs of blank pages, with the recogniser replaced by a slow
stand-in where time matters."""

from __future__ import annotations

import time
from array import array

import pytest
from click.testing import CliRunner

import checker.load.ocr as ocr
from checker import batch
from checker.engine import Engine
from checker.load import Limits

pytest.importorskip("rapidocr_onnxruntime")


def blank_scan(path, pages: int):
    """An image-only PDF: `pages` white A4 pictures (no text layer; nothing for OCR to read)."""
    from PIL import Image

    images = [Image.new("L", (124, 175), 255) for _ in range(pages)]
    images[0].save(path, "PDF", resolution=15, save_all=True, append_images=images[1:])
    return path


@pytest.fixture
def slow_ocr(monkeypatch):
    """Each page takes 0.25 s of wall time (no CPU: the OCR's own CPU budget is not what is tested)."""
    calls: list[float] = []

    def recognise(image):
        calls.append(time.monotonic())
        time.sleep(0.25)
        return []

    monkeypatch.setattr(ocr, "recognise", recognise)
    return calls


def test_timeout_grows_by_the_allowance_for_every_ocr_page(tmp_path, national, slow_ocr):
    scan = blank_scan(tmp_path / "scan.pdf", 4)  # 1 s of OCR against a 0.4 s timeout
    told: list[tuple[int, int]] = []
    engine = Engine(national, limits=Limits(ocr_page_seconds=1.0))
    result = batch.check_one(engine, str(scan), timeout=0.4, pages=lambda done, total: told.append((done, total)))
    assert len(slow_ocr) == 4
    assert result.error and "超时" not in result.error and "文字识别没有读出文字" in result.error
    assert told == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4), (0, 0)]


def test_a_scan_past_its_extended_timeout_is_stopped_and_the_message_says_why(tmp_path, national, slow_ocr):
    scan = blank_scan(tmp_path / "scan.pdf", 4)
    engine = Engine(national, limits=Limits(ocr_page_seconds=0.05))  # 0.4 + 4 × 0.05 s < 1 s of OCR
    result = batch.check_one(engine, str(scan), timeout=0.4)
    assert len(slow_ocr) < 4
    assert result.error == "检查超时（超过 0.6 秒：0.4 秒，另加 4 页扫描页的文字识别每页 0.05 秒），已跳过此文件"


def test_text_documents_keep_the_plain_timeout(engine):
    from tests.conftest import seed

    assert batch.timeout_result("a.txt", 120).error == "检查超时（超过 120 秒），已跳过此文件"
    told: list = []
    result = batch.check_one(engine, str(seed("000")), timeout=5, pages=lambda *figures: told.append(figures))
    assert result.error is None and told == []  # no scan: nothing told


def test_a_worker_moves_its_clock_on_and_shows_its_pages(tmp_path, national, slow_ocr, monkeypatch):
    """The worker side of a parallel run, in-process: while a scan is read, the parent's view of
    the worker (when it started its document, which pages it is on) follows the OCR."""
    scan = blank_scan(tmp_path / "scan.pdf", 3)
    clock, scans = array("d", [0.0, 0.0]), array("i", [0, 0, 0, 0])
    seen: list[tuple[float, int, int]] = []

    def recognise(image):
        seen.append((clock[1], scans[2], scans[3]))
        return []

    monkeypatch.setattr(ocr, "recognise", recognise)
    monkeypatch.setattr(batch, "_WORKER", {"engine": Engine(national, limits=Limits(ocr_page_seconds=30.0)),
                                           "keep_text": False, "hooks": {}, "timeout": 10.0,
                                           "clock": clock, "slot": 1, "scans": scans})
    before = time.time()
    [result] = batch._work((str(scan),))
    assert "文字识别没有读出文字" in result.error
    started = seen[0][0]
    assert before + 90 - 1 <= started <= time.time() + 90  # 3 pages × 30 s: the parent waits that much longer
    assert [(done, total) for _, done, total in seen] == [(0, 3), (1, 3), (2, 3)]
    assert list(scans) == [0, 0, 0, 0] and clock[1] == 0.0  # done: idle again


def test_the_parent_sums_the_workers_pages_and_respects_extended_clocks(national):
    told: list[tuple[int, int]] = []
    parallel = batch._Parallel(national, 2, False, 10.0, pages=lambda *figures: told.append(figures))
    parallel.scans = array("i", [2, 5, 1, 3])
    parallel._tell_pages()
    parallel._tell_pages()  # unchanged: told once
    parallel.scans = array("i", [0, 0, 0, 0])
    parallel._tell_pages()
    assert told == [(3, 8), (0, 0)]
    now = time.time()
    parallel.clock = array("d", [now - 20, 0.0])
    assert parallel._overdue()
    parallel.clock = array("d", [now - 20 + 60, 0.0])  # a scan added 60 s
    assert not parallel._overdue()


def test_scans_in_a_parallel_batch(tmp_path, national):
    """Real workers: blank scans among text reports are refused with the OCR's reason, the others
    checked, and the OCR progress ends at (0, 0)."""
    from tests.conftest import SEEDS

    for index in range(2):
        blank_scan(tmp_path / f"scan{index}.pdf", 2)
    for path in sorted(SEEDS.glob("*.txt")):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "extra.txt").write_text(next(SEEDS.glob("*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    documents = sorted(str(p) for p in tmp_path.iterdir())
    told: list[tuple[int, int]] = []
    results = list(batch.check_documents(documents, national, jobs=2, pages=lambda *figures: told.append(figures)))
    assert [r.path for r in results] == documents
    errors = {r.path.rsplit("/", 1)[1]: r.error for r in results if r.error}
    assert set(errors) == {"scan0.pdf", "scan1.pdf"} and all("文字识别没有读出文字" in e for e in errors.values())
    assert not told or told[-1] == (0, 0)


def test_timeout_help_and_docs_state_the_allowance():
    from pathlib import Path

    from checker.cli import main

    assert "扫描件每页文字识别另加60秒" in "".join(CliRunner().invoke(main, ["check", "--help"]).output.split())
    security = (Path(__file__).parent.parent / "docs" / "security.md").read_text(encoding="utf-8")
    assert "每页另加" in security


def test_html_report_says_which_pages_were_read_by_ocr(engine):
    from dataclasses import replace

    from checker.render import RenderOptions, render
    from tests.conftest import seed

    result = replace(engine.check_path(str(seed("000")), keep_text=True), ocr_pages=[2, 3])
    page = render("html", [result], RenderOptions(pack=engine.pack))
    assert "第2-3页为扫描件，经文字识别读取，未做错别字检查" in page
