"""Batch comparisons (issue 15): units that did not report, shortcomings copied from last year,
last year's plan followed up, last year's report with the years changed, passages copied between
units — and none of these where the text was really rewritten."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.units import UnitMatcher, load_units, unit_key
from tests.conftest import seed

SEED_IDS = ("000", "001", "002", "003", "004")


def moved_on(text: str, years: int = 1) -> str:
    return re.sub(r"20[12]\d", lambda m: str(int(m.group()) + years), text)


def shortcomings_rewritten(text: str) -> str:
    """Seed text whose shortcomings part says something else entirely."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.search(r"不足|问题与短板|存在的问题", line) and len(line) < 60)
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"\s*[一二三四五六七八九]、", lines[i]))
    fresh = ["一是基层执法队伍专业化程度不高，新招录人员法律知识储备薄弱，原因是培训经费紧张、轮训周期过长。",
             "二是数字化监管平台数据更新滞后，村居一级信息录入依靠人工，原因在于平台建设时未考虑偏远村组网络条件。"]
    return "\n".join(lines[: start + 1] + fresh + lines[end:])


def run(args: list[str]) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", *args, "--format", "json", "--jobs", "1"])
    data, _ = json.JSONDecoder().raw_decode(result.output[result.output.index("{"):])
    return result.exit_code, data


def findings(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.fixture
def batches(tmp_path: Path) -> tuple[Path, Path]:
    previous, current = tmp_path / "2023", tmp_path / "2024"
    previous.mkdir()
    current.mkdir()
    for sid in SEED_IDS:
        text = seed(sid).read_text(encoding="utf-8")
        (previous / f"{sid}.txt").write_text(text, encoding="utf-8")
    # 000: last year's report with the years moved on; 002: shortcomings rewritten, the rest moved on;
    # 003 and 004 did really rewrite (stand-ins: another unit's text cannot be last year's)
    (current / "000.txt").write_text(moved_on(seed("000").read_text(encoding="utf-8")), encoding="utf-8")
    (current / "002.txt").write_text(shortcomings_rewritten(moved_on(seed("002").read_text(encoding="utf-8"))),
                                     encoding="utf-8")
    (current / "003.txt").write_text(moved_on(seed("003").read_text(encoding="utf-8")), encoding="utf-8")
    return previous, current


def test_previous_year_copy_and_shortcomings(batches):
    previous, current = batches
    code, data = run([str(current), "--previous", str(previous)])
    assert code in (0, 1)
    docs = {Path(d["path"]).stem: d for d in data["documents"]}
    copy = findings(docs["000"], "previous-copy")
    assert copy and copy[0]["severity"] == "error" and "000.txt" in copy[0]["message"]
    repeated = findings(docs["000"], "previous-shortcomings")
    assert repeated and "相似度" in repeated[0]["message"] and repeated[0]["line"]
    # shortcomings rewritten: not called repeated, and the rest is not a copy
    assert not findings(docs["002"], "previous-shortcomings")
    plan = findings(docs["000"], "previous-plan")
    assert plan and plan[0]["severity"] == "info" and "项" in plan[0]["message"]
    pairs = {Path(p["path"]).stem: Path(p["previous"]).stem for p in data["comparison"]["pairings"]}
    assert pairs == {"000": "000", "002": "002", "003": "003"}
    assert data["comparison"]["previous_reports"] == 5
    assert all(isinstance(item["reported"], bool) for p in data["comparison"]["pairings"] for item in p["plan"])


def test_reports_without_a_previous_one_are_not_compared(tmp_path):
    current = tmp_path / "2024"
    current.mkdir()
    (current / "002.txt").write_text(seed("002").read_text(encoding="utf-8"), encoding="utf-8")
    previous = tmp_path / "2023"
    previous.mkdir()
    (previous / "000.txt").write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    _, data = run([str(current), "--previous", str(previous)])
    rules = {f["rule"] for f in data["documents"][0]["findings"]}
    assert not rules & {"previous-copy", "previous-shortcomings", "previous-plan"}
    assert data["comparison"]["pairings"] == []


def test_units_missing_repeated_and_unmatched(tmp_path, batches):
    _, current = batches
    (current / "000-copy.txt").write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("单位名称\n东金庄乡人民政府\n北京市大兴区旧宫镇\n金城乡\n石桥镇人民政府\n", encoding="utf-8")
    _, data = run([str(current), "--expect", str(units), "--no-compare"])
    assert data["missing_units"] == ["石桥镇人民政府"]
    repeated = data["comparison"]["repeated_units"]
    assert list(repeated) == ["东金庄乡人民政府"] and len(repeated["东金庄乡人民政府"]) == 2
    assert data["comparison"]["unmatched_reports"] == []


def test_units_from_xlsx_without_header_and_fuzzy_names(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for name in ("某某县金城乡人民政府", "旧宫镇", "中共东金庄乡委员会"):
        book.active.append([name])
    path = tmp_path / "units.xlsx"
    book.save(path)
    units = load_units(str(path))
    assert [u.name for u in units] == ["某某县金城乡人民政府", "旧宫镇", "中共东金庄乡委员会"]
    matcher = UnitMatcher(units)
    assert matcher.match(["金城乡人民政府"]).name == "某某县金城乡人民政府"
    assert matcher.match(["北京市大兴区旧宫镇人民政府"]).name == "旧宫镇"
    assert matcher.match(["东金庄乡人民政府"]).name == "中共东金庄乡委员会"
    assert matcher.match(["石桥镇人民政府"]) is None
    assert unit_key("金城乡人民政府") == "金城乡"
    from checker.units import issuer_candidates

    both = issuer_candidates(None, None, "x.txt", issuer="中共金城乡委员会、金城乡人民政府")
    assert both[:2] == ["中共金城乡委员会", "金城乡人民政府"] and matcher.match(both).name == "某某县金城乡人民政府"


def test_shared_passage_between_units_but_not_boilerplate(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    texts = {sid: seed(sid).read_text(encoding="utf-8") for sid in SEED_IDS}
    lifted = next(line for line in texts["002"].split("\n") if len(line) > 150)
    lines = texts["004"].split("\n")
    at = next(i for i, line in enumerate(lines) if len(line) > 60)
    lines.insert(at + 1, lifted)
    texts["004"] = "\n".join(lines)
    for sid, text in texts.items():
        (batch / f"{sid}.txt").write_text(text, encoding="utf-8")
    _, data = run([str(batch), "--compare"])
    docs = {Path(d["path"]).stem: d for d in data["documents"]}
    shared_004 = findings(docs["004"], "shared-passage")
    shared_002 = findings(docs["002"], "shared-passage")
    assert len(shared_004) == 1 and "002.txt" in shared_004[0]["message"]
    assert shared_004[0]["line"] == at + 2
    assert len(shared_002) == 1 and "004.txt" in shared_002[0]["message"]
    assert not any(findings(docs[sid], "shared-passage") for sid in ("000", "001", "003"))


def test_boilerplate_every_report_shares_is_not_a_finding(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    # common wording the batch itself shows to be common (no phrase of the pack's list in it)
    slogan = ("全面贯彻党的二十大和二十届二中、三中全会精神，坚定不移走中国特色社会主义法治道路，"
              "统筹推进法治政府建设各项工作，为经济社会高质量发展提供坚强有力的法治保障。")
    for sid in SEED_IDS:
        lines = seed(sid).read_text(encoding="utf-8").split("\n")
        lines.insert(3, slogan)
        (batch / f"{sid}.txt").write_text("\n".join(lines), encoding="utf-8")
    _, data = run([str(batch), "--compare"])
    assert not any(findings(d, "shared-passage") for d in data["documents"])


def test_comparisons_in_every_output(tmp_path, batches):
    previous, current = batches
    units = tmp_path / "units.csv"
    units.write_text("东金庄乡\n石桥镇\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["check", str(current), "--previous", str(previous), "--expect", str(units),
                                       "--jobs", "1", "--format", "terminal", "--format", f"html:{out / 'r.html'}",
                                       "--format", f"xlsx:{out / 'r.xlsx'}", "--format", f"sarif:{out / 'r.sarif'}",
                                       "--format", f"csv:{out / 'r.csv'}"])
    assert result.exit_code in (0, 1), result.output
    assert "未报告的单位" in result.output and "石桥镇" in result.output and "与上一年度报告的对比" in result.output
    page = (out / "r.html").read_text(encoding="utf-8")
    assert "未报告的单位" in page and "上一年度安排的落实情况" in page and "previous-copy" in page
    import openpyxl

    book = openpyxl.load_workbook(out / "r.xlsx", read_only=True)
    assert {"未报告的单位", "与上一年度报告的对比", "上一年度安排的落实情况"} <= set(book.sheetnames)
    assert "previous-shortcomings" in (out / "r.sarif").read_text(encoding="utf-8")
    assert "previous-copy" in (out / "r.csv").read_text(encoding="utf-8-sig")


def test_bad_units_file_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(seed("002").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--expect", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "单位名单" in result.output and "Traceback" not in result.output


def test_results_held_for_the_comparisons_wait_on_disk_and_are_read_back_safely():
    """The comparison stage keeps results in a temporary file until the batch ends; reading it back
    builds only the checker's own result classes, never anything a tampered file names."""
    import os
    import pickle

    from checker.compare import _Spill
    from checker.result import DocumentResult, Finding, Severity

    spill = _Spill()
    result = DocumentResult(path="a.txt", findings=[Finding(rule="r", severity=Severity.WARNING, message="m", line=3)])
    offset = spill.write((result, [], None))
    spill.write(("second", [], None))
    assert spill.read(offset) == (result, [], None) and [record[0] for record in spill][1] == "second"
    spill.file.seek(0, os.SEEK_END)
    spill.write(os.system)  # what a tampered file could name
    with pytest.raises(pickle.UnpicklingError):
        list(spill)
    spill.close()
