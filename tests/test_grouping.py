"""Grouping: the same wrong text found again in one document is one finding with a count and its places."""

from __future__ import annotations

import json

from checker import fix as fixing
from checker.model.document import document_from_text
from checker.render import RenderOptions, render
from checker.result import Finding, Severity, group_findings

DRAFT = """某镇2023年度法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
深入学习党的20大精神，组织干部学习党的20大报告。
全年开展法治宣传活动12场。
各村传达党的20大精神，做到全覆盖。
"""


def _finding(line: int, start: int, text: str = "法制建设", rule: str = "r") -> Finding:
    return Finding(rule=rule, severity=Severity.WARNING, message=f"「{text}」是旧提法", line=line, column=1,
                   end_line=line, end_column=5, start=start, end=start + 4, matched_text=text)


def test_same_rule_same_text_is_one_finding_with_places():
    grouped = group_findings([_finding(3, 10), _finding(5, 40, "其他文字"), _finding(17, 90), _finding(42, 300)])
    assert [f.count for f in grouped] == [3, 1]
    first = grouped[0]
    assert (first.line, first.start) == (3, 10)
    assert [p.line for p in first.places] == [3, 17, 42]
    assert first.full_message == "「法制建设」是旧提法（共3处：第3、17、42行）"
    assert [f.start for f in first.each()] == [10, 90, 300]
    assert grouped[1].full_message == grouped[1].message and not grouped[1].places


def test_other_rules_and_findings_without_text_are_not_grouped():
    whole = Finding(rule="r", severity=Severity.ERROR, message="缺少部分")
    grouped = group_findings([whole, whole, _finding(3, 10), _finding(4, 20, rule="other")])
    assert [f.count for f in grouped] == [1, 1, 1, 1]


def test_long_place_lists_are_cut_in_the_message():
    grouped = group_findings([_finding(n, n * 10) for n in range(1, 14)])
    assert grouped[0].full_message.endswith("（共13处：第1、2、3、4、5、6、7、8、9、10等行）")


def test_engine_groups_and_outputs_show_count(engine):
    result = engine.check_document(document_from_text(DRAFT))
    hits = [f for f in result.findings if f.rule == "lexicon-terms"]
    assert len(hits) == 1 and hits[0].count == 3
    assert [p.line for p in hits[0].places] == [3, 3, 5]
    assert "（共3处：第3、5行）" in render("terminal", [result], RenderOptions(color=False))
    data = json.loads(render("json", [result]))
    item = next(f for f in data["documents"][0]["findings"] if f["rule"] == "lexicon-terms")
    assert item["count"] == 3 and [o["line"] for o in item["occurrences"]] == [3, 3, 5]
    sarif = json.loads(render("sarif", [result]))
    entry = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "lexicon-terms")
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in entry["relatedLocations"]] == [3, 5]
    assert entry["properties"]["count"] == 3
    for name in ("csv", "junit", "github", "html"):
        assert "共3处" in render(name, [result]), name


def test_fix_repairs_every_place_of_a_grouped_finding(engine):
    document = document_from_text(DRAFT)
    plan = fixing.plan(engine, document)
    assert plan.text.count("党的二十大") == 3 and "党的20大" not in plan.text


def test_a_grouped_finding_is_one_baseline_entry_and_stays_known(engine):
    from checker import baseline

    result = engine.check_document(document_from_text(DRAFT, path="draft.txt"))
    entries = [e for e in baseline.entries(result) if e["rule"] == "lexicon-terms"]
    assert len(entries) == 1
    known = baseline.Baseline({(e["path"], e["fingerprint"]) for e in baseline.entries(result)})
    again = known.apply(engine.check_document(document_from_text(DRAFT + "全年办结案件3件。\n", path="draft.txt")))
    assert all(f.suppressed_by == "baseline" for f in again.findings if f.rule == "lexicon-terms")


def _grouped_by_taking_apart(findings: list[Finding]) -> list[Finding]:
    """group_findings as first written: every grouped finding taken apart into its places, then
    grouped again (the quicker one builds a lone grouped finding directly: it must come out the same)."""
    from dataclasses import replace

    from checker.result import _group_key

    out: list = []
    groups: dict = {}
    for finding in findings:
        key = _group_key(finding)
        if key is None:
            out.append(finding)
        elif key in groups:
            groups[key].extend(finding.each())
        else:
            groups[key] = list(finding.each())
            out.append(groups[key])
    merged = []
    for item in out:
        if isinstance(item, Finding):
            merged.append(item)
        elif len(item) == 1:
            merged.append(item[0])
        else:
            first = item[0].message
            merged.append(replace(item[0], count=len(item), places=tuple(
                replace(f.place, message=None if f.message == first else f.message) for f in item)))
    return merged


def test_grouping_builds_what_taking_apart_and_regrouping_builds(engine):
    from dataclasses import replace
    from pathlib import Path

    from checker.result import Place

    def place(line: int, start: int, message: str | None = None, location: str | None = None) -> Place:
        return Place(line, 1, line, 5, start, start + 4, location, message)

    lone = replace(_finding(3, 10), count=3, places=(place(3, 10), place(8, 50, "另一处的说法"), place(9, 60)))
    elsewhere = replace(_finding(3, 10), line=4, count=2, places=(place(6, 30, "「法制建设」是旧提法"), place(7, 40)))
    single = replace(_finding(5, 20), count=1, places=(place(5, 20, "只有一处", "第2页"),))
    cases = [[lone], [elsewhere], [single], [lone, _finding(20, 200)], [_finding(1, 0), lone], [lone, lone],
             [single, _finding(6, 25, "其他文字"), elsewhere], [_finding(3, 10), _finding(4, 10)]]
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "seeds").glob("*.txt"))[:12]:
        found = engine.check_path(str(path)).findings
        cases.append(found)
        cases.append([f for finding in found for f in finding.each()])
    assert any(f.places for case in cases[8:] for f in case)
    for case in cases:
        quick, slow = group_findings(case), _grouped_by_taking_apart(case)
        assert quick == slow
        assert [f.places for f in quick] == [f.places for f in slow]
