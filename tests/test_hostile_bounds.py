"""Inputs built to hang or blow up the checker are stopped in seconds with a one-line reason
(issue 14, items 5 and 11): an element with a million attributes, a flood of checker-disable
directives, a YAML anchor bomb, a rule file or pattern of megabytes. All inputs are built here."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from checker.errors import RuleFileError
from checker.load.html import most_attributes
from checker.packs import MAX_YAML_NODES, load_pack, read_yaml
from tests.conftest import seed
from tests.hostile import run_checker
from tests.makedocs import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def report_text() -> str:
    return seed("002").read_text(encoding="utf-8")


def test_most_attributes_counts_long_tags_only():
    assert most_attributes("<p class='a b c d e f'>x</p>", 20) == 0  # short tag: not counted
    assert most_attributes("<p " + " ".join(f"a{i}=1" for i in range(50)) + ">", 10) >= 50
    assert most_attributes("<p title=\"" + "a " * 500 + "\">", 10) <= 2  # quoted spaces are not attributes
    assert most_attributes("<p " + "<a " * 100, 10) >= 100  # '<' inside a tag does not end it


def test_element_with_a_million_attributes_is_refused_fast(tmp_path):
    attributes = " ".join(f"a{i}=x" for i in range(1_000_000))
    page = tmp_path / "attrs.html"
    page.write_text(f"<html><body><p {attributes}>一、主要举措和成效</p></body></html>", encoding="utf-8")
    run = run_checker("check", str(page), "--format", "json", timeout=30)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.cpu_seconds < 10, run.cpu_seconds
    error = json.loads(run.stdout)["documents"][0]["error"]
    assert error and "属性" in error


def comment_flood_docx(path: Path, count: int, rule: str) -> Path:
    """A .docx whose comments part holds `count` checker-disable comments."""
    base = write_docx(report_text(), path.with_suffix(".base.docx"))
    comments = "".join(f'<w:comment w:id="{i}"><w:p><w:r><w:t>checker-disable {rule.format(i=i)}: 无</w:t></w:r></w:p>'
                       f'</w:comment>' for i in range(count))
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}">{comments}</w:comments>'
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/comments.xml", xml)
    base.unlink()
    return path


def test_directive_flood_is_bounded(tmp_path):
    """100,000 Word comments naming unknown rules; 40,000 comment lines suppressing a real rule."""
    docx_path = comment_flood_docx(tmp_path / "flood.docx", 100_000, "bogus-{i}")
    text_path = tmp_path / "flood.txt"
    text_path.write_text("<!-- checker-disable title -->\n" * 40_000 + report_text(), encoding="utf-8")
    for path in (docx_path, text_path):
        run = run_checker("check", str(path), "--details", "--no-color", timeout=60)
        assert "Traceback" not in run.stderr, run.stderr
        assert "无法检查" not in run.stdout, run.stdout[:300]
        assert run.cpu_seconds < 10, (path.name, run.cpu_seconds)
        assert run.peak_mb < 1024
        assert run.stdout.count("\n") < 3000  # at most 1,000 notes about unknown rules, not 100,000


def test_yaml_anchor_bomb_is_refused(tmp_path):
    lines = ["settings:", '  a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"  a{level}: &a{level} [{', '.join([previous] * 10)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 1024
    started = time.process_time()
    with pytest.raises(RuleFileError, match="YAML 炸弹"):
        load_pack(str(bomb))
    assert time.process_time() - started < 2
    run = run_checker("check", "--rules", str(bomb), str(seed("002")), timeout=30)
    assert run.returncode == 3 and "Traceback" not in run.stderr and "炸弹" in run.stderr, run.stderr


def test_recursive_alias_is_refused():
    with pytest.raises(RuleFileError, match="循环"):
        read_yaml("x.yaml", "settings: &a\n  self: *a\n")


def test_ordinary_aliases_still_work():
    data = read_yaml("x.yaml", "settings:\n  a: &w [1, 2]\n  b: *w\n")
    assert list(data["settings"]["b"]) == [1, 2]
    assert MAX_YAML_NODES >= 100_000


def test_huge_pattern_and_rule_file_are_refused_fast(tmp_path):
    alternatives = "|".join(f"词语{i}" for i in range(300_000))
    big = tmp_path / "big.yaml"
    big.write_text(f"rules:\n  - id: big\n    kind: pattern\n    severity: warning\n    message: x\n"
                   f"    patterns: ['{alternatives}']\n", encoding="utf-8")
    started = time.process_time()
    with pytest.raises(RuleFileError, match="过大"):
        load_pack("national", [str(big)])
    small = tmp_path / "small.yaml"
    small.write_text(f"rules:\n  - id: long\n    kind: pattern\n    severity: warning\n    message: x\n"
                     f"    patterns: ['{alternatives[:20_000]}']\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="过长"):
        load_pack("national", [str(small)])
    assert time.process_time() - started < 3
