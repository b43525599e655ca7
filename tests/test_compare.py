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


def test_sentence_index_written_in_parts_finds_what_one_dictionary_would(tmp_path):
    """The index waits on disk in parts (a few sentences of each part in memory); the repeated keys
    and the line of each report's first sentence with the key are those of the whole batch."""
    import random
    from array import array

    from checker.compare import Sentences, _SentenceIndex

    rng = random.Random(3)
    index = _SentenceIndex()
    index.PARTS, index.CHUNK = 4, 5  # (on the instance: many parts written, some left in memory)
    index.parts, index.written = [index._empty() for _ in range(4)], [(array("q"), array("i")) for _ in range(4)]
    expected: dict[int, dict[int, int]] = {}  # key → report → line of its first sentence
    for report in range(40):
        sentences = Sentences()
        for position in range(rng.randrange(0, 12)):
            key = rng.choice([rng.randrange(-2 ** 63, 2 ** 63), rng.randrange(30)])
            sentences.add(key, position + 1, 0, 0, 20)
            expected.setdefault(key, {}).setdefault(report, position + 1)
        index.add(sentences)
    assert any(offsets for offsets, _ in index.written) and any(keys for keys, _, _ in index.parts)
    found = dict(index.repeated())
    index.close()
    assert found == {key: sorted(holders.items()) for key, holders in expected.items() if len(holders) > 1}


def test_pairings_wait_on_disk_and_every_output_reads_them_in_turn():
    import json as json_module

    from checker.compare import Pairing, PlanItem, Summary, Table, summary_tables

    summary = Summary(expect=True, previous=True, previous_reports=4, units_expected=2, missing_units=["乙"],
                      repeated_units={"甲": ["a.txt", "b.txt"]}, shared_passages=3)
    plans = [[], [PlanItem("推进“放管服”改革", True), PlanItem("完善\"规范性\"文件备案", False)],
             [PlanItem("x", False)] * 3, [PlanItem("y", False)]]
    for number, plan in enumerate(plans):
        summary.pairings.append(Pairing(f"{number}.txt", f"old/{number}.txt", plan))
    as_dict = {"units_expected": 2, "missing_units": ["乙"], "repeated_units": {"甲": ["a.txt", "b.txt"]},
               "unmatched_reports": [], "previous_reports": 4,
               "pairings": [{"path": f"{n}.txt", "previous": f"old/{n}.txt",
                             "plan": [{"item": i.text, "reported": i.reported} for i in plan]}
                            for n, plan in enumerate(plans)],
               "shared_passages": 3}
    assert "".join(summary.json_pieces()) == json_module.dumps(as_dict, ensure_ascii=False)
    assert "".join(Summary(shared_passages=2).json_pieces()) == '{"shared_passages": 2}'
    assert "".join(Summary(previous=True).json_pieces()) == \
        '{"previous_reports": 0, "pairings": [], "shared_passages": 0}'

    overview, items = summary_tables(summary)[-2:]
    assert len(overview.rows) == 4 and len(items.rows) == 6
    both = list(zip(overview.rows, overview.rows))  # two readers taking turns
    assert [a for a, _ in both] == [b for _, b in both] == [list(row) for row in overview.rows]
    assert [row[0] for row in items.rows] == ["1.txt", "1.txt", "2.txt", "2.txt", "2.txt", "3.txt"]
    # the terminal's first rows: most of last year's plan unreported first, as a stable sort gives
    assert overview.first(2) == sorted(overview.rows, key=lambda row: -int(row[-1]))[:2]
    assert [row[0] for row in overview.first(3)] == ["2.txt", "1.txt", "3.txt"]
    assert Table("t", ["a"], [["1"], ["2"]]).first(1) == [["1"]]
    summary.pairings.close()


def test_comparison_memory_does_not_grow_with_the_batch(seed_results, monkeypatch):
    """What the comparisons hold while a batch passes (results, last year's profiles, the sentence
    index, the pairings) waits on disk: four times the reports cost at most a few dozen bytes more
    per report (their paths and unit numbers), not their sentences, findings or plan items."""
    import dataclasses
    import tracemalloc

    from checker.compare import Comparison, _SentenceIndex

    monkeypatch.setattr(_SentenceIndex, "CHUNK", 64)  # (so the small batches here are written out too)
    texts = {sid: (seed(sid).read_text(encoding="utf-8")) for sid in SEED_IDS}
    current = {sid: dataclasses.replace(seed_results[sid], text=texts[sid]) for sid in SEED_IDS}
    past = {sid: dataclasses.replace(seed_results[sid], text=moved_on(texts[sid], -1), report_year=2023)
            for sid in SEED_IDS}

    def peak(reports: int) -> int:
        comparison = Comparison(units=None, shared=True)
        tracemalloc.start()
        try:
            comparison.add_previous(dataclasses.replace(past[SEED_IDS[n % 5]], path=f"old/{n:05d}.txt")
                                    for n in range(reports))
            for _ in comparison.run(dataclasses.replace(current[SEED_IDS[n % 5]], path=f"new/{n:05d}.txt")
                                    for n in range(reports)):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            comparison.summary.pairings.close()

    peak(20)  # (caches, regular expressions)
    small, large = peak(40), peak(160)
    assert (large - small) / 120 < 400, (small, large)
