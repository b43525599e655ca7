"""The acceptance facts of the core issue, on the five seed reports."""

from __future__ import annotations


def rules_of(result, severity=None):
    return {f.rule for f in result.findings if severity is None or f.severity.label == severity}


def test_complete_seed_scores_top_grade_without_errors(seed_results, national):
    result = seed_results["002"]
    assert result.grade == national.grades[0][1]
    assert not rules_of(result, "error")
    assert [s["id"] for s in result.sections] == ["measures", "shortcomings", "first-responsible", "next-year", "other"]


def test_seed_000_misses_first_responsible(seed_results):
    result = seed_results["000"]
    assert "required-section-first-responsible" in rules_of(result, "error")
    status = {row.id: row.status for row in result.checklist}
    assert status["first-responsible"] == "missing"


def test_seed_000_next_year_recognised_with_standard_heading_note(seed_results):
    result = seed_results["000"]
    next_year = [s for s in result.sections if s["id"] == "next-year"]
    assert next_year and next_year[0]["heading"] == "下一步法治建设改进措施"
    notes = [f for f in result.findings if f.rule == "standard-heading" and f.section == "next-year"]
    assert notes and "2024年度推进法治政府建设的主要安排" in notes[0].suggestion
    assert notes[0].line == next_year[0]["line"]


def test_seeds_003_and_004_are_out_of_order(seed_results):
    for key in ("003", "004"):
        findings = [f for f in seed_results[key].findings if f.rule == "section-order"]
        assert len(findings) == 1, key
        assert findings[0].section == "shortcomings"


def test_seed_001_inline_sections_all_found(seed_results):
    result = seed_results["001"]
    assert [s["id"] for s in result.sections] == ["measures", "shortcomings", "first-responsible", "next-year"]
    assert all(s["line"] == 7 for s in result.sections)


def test_report_years_and_titles(seed_results):
    years = {key: r.report_year for key, r in seed_results.items()}
    assert years == {"000": 2023, "001": 2024, "002": 2022, "003": 2023, "004": 2022}
    assert seed_results["004"].title is None
    assert "title" in rules_of(seed_results["004"])
    assert seed_results["001"].title == "北洋镇2024年度法治政府建设年度报告"
