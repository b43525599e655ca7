"""Size limits: huge files are refused with one clear line, long lines and heading floods stay
linear in time and flat in memory. Everything big is generated here in tmp_path."""

from __future__ import annotations

import json
import time

import pytest

from checker.load import Limits
from checker.model.document import DEFAULT_MAX_CHARS, document_from_text
from checker.model.outline import MAX_HEADINGS
from tests.hostile import MB, run_checker
from tests.test_properties import assert_outline_inside, assert_result_inside

# Units that once made, or could make, a pass over a line super-linear: whitespace the page
# number pattern and \s both match, enumerations, inline headings, brackets, years, pinyin.
ADVERSARIAL_UNITS = ["\x0b", "—\x0b", " ", "一是", "。一、强化领导 ", "(", "（一", "2023年", "2021—", "設(shè)",
                     "一、(一)1.(1)", "《", "|", "1", "a", "\u3000"]


@pytest.mark.parametrize("unit", ADVERSARIAL_UNITS)
def test_a_million_character_line_is_linear(engine, unit):
    """1M characters of one unit on one line: quadratic work would take hours, linear well under a second.
    CPU time of this process (the engine runs here), not the wall clock: other load on the machine
    (a parallel test run) must not fail it."""
    text = "—" + unit * (1_000_000 // len(unit))
    started = time.process_time()
    doc = document_from_text(text)
    result = engine.check_document(doc)
    assert time.process_time() - started < 6
    assert_result_inside(doc, result)


@pytest.mark.parametrize("separator", ["", "\n", " ", "。"])
def test_a_flood_of_headings_is_capped(engine, separator):
    """Tens of thousands of numbered headings: only the first MAX_HEADINGS are kept, with a note."""
    text = ("一、(一)1.(1)强化领导" + separator) * 40_000
    started = time.process_time()  # CPU time, as above
    doc = document_from_text(text)
    result = engine.check_document(doc)
    assert time.process_time() - started < 15
    assert len(doc.outline.headings) <= MAX_HEADINGS
    assert_outline_inside(doc)
    assert_result_inside(doc, result)
    if len(doc.outline.headings) == MAX_HEADINGS:
        assert doc.outline.notes


def test_text_longer_than_max_chars_is_refused_with_a_reason(engine, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("推进依法行政。" * (DEFAULT_MAX_CHARS // 7 + 10), encoding="utf-8")
    result = engine.check_path(str(path))
    assert result.error and "文字过长" in result.error and str(DEFAULT_MAX_CHARS) in result.error
    assert "\n" not in result.error


def test_limits_are_configurable_on_the_engine(national, tmp_path):
    from checker.engine import Engine

    path = tmp_path / "r.txt"
    path.write_text("一、主要举措和成效\n推进依法行政。\n" * 50, encoding="utf-8")
    assert Engine(national, limits=Limits(max_bytes=100)).check_path(str(path)).error.startswith("文件过大")
    assert Engine(national, max_chars=100).check_path(str(path)).error.startswith("文字过长")
    assert Engine(national).check_path(str(path)).error is None


def test_a_100_mb_text_file_is_refused_quickly_without_reading_it(tmp_path):
    """Over --max-bytes (default 20M): refused from its size alone, one line, memory flat."""
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write("一、主要举措和成效\n".encode())
        handle.truncate(100 * MB)  # sparse: costs no disk
    run = run_checker("check", "--no-progress", "--format", "json", str(path), timeout=30)
    assert run.returncode == 2
    document = json.loads(run.stdout)["documents"][0]
    assert document["error"] == f"文件过大（{100 * MB} 字节，上限 {20 * MB} 字节）"
    assert run.peak_mb < 300, run.peak_mb
    assert "Traceback" not in run.stderr


def test_a_100_mb_text_file_with_a_raised_byte_limit_is_refused_by_the_character_limit(tmp_path):
    path = tmp_path / "huge.txt"
    line = "一、主要举措和成效。推进依法行政，加强法治政府建设。\n".encode()
    with open(path, "wb") as handle:
        handle.write(line * (100 * MB // len(line)))
    run = run_checker("check", "--no-progress", "--max-bytes", "200M", "--format", "json", str(path), timeout=60)
    assert run.returncode == 2, run.stderr
    error = json.loads(run.stdout)["documents"][0]["error"]
    assert error.startswith("文字过长（") and "上限 2000000 个字符" in error
    assert run.peak_mb < 1500, run.peak_mb


def test_a_10_mb_single_line_is_refused_by_default_and_checked_when_allowed(tmp_path):
    """A 10 MB line mixing every adversarial unit: refused at the default character limit;
    with --max-chars raised it is checked in bounded time and memory."""
    path = tmp_path / "one-line.txt"
    unit = "".join(ADVERSARIAL_UNITS)
    path.write_text(unit * (10 * MB // len(unit.encode())), encoding="utf-8")
    refused = run_checker("check", "--no-progress", "--format", "json", str(path), timeout=60)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["documents"][0]["error"].startswith("文字过长")
    allowed = run_checker("check", "--no-progress", "--max-chars", "20000000", "--format", "json", str(path),
                          timeout=120)
    assert allowed.returncode in (0, 1), allowed.stderr
    document = json.loads(allowed.stdout)["documents"][0]
    assert document["error"] is None and document["score"] is not None
    assert allowed.peak_mb < 1500, allowed.peak_mb


def test_max_bytes_option_accepts_units_and_rejects_nonsense(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("一、主要举措和成效\n" * 100, encoding="utf-8")
    small = run_checker("check", "--no-progress", "--max-bytes", "1K", "--format", "json", str(path))
    assert "上限 1024 字节" in json.loads(small.stdout)["documents"][0]["error"]
    bad = run_checker("check", "--max-bytes", "lots", str(path))
    assert bad.returncode == 2 and "--max-bytes" in bad.stderr and "Traceback" not in bad.stderr
