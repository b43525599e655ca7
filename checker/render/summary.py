"""What a batch summary keeps: one small row per document and finding counts across the batch.

Shared by the reviewer outputs (terminal summary, html, csv). Rows hold no text or findings, so
the summary stays small however many documents stream past.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from checker.model.records import record
from checker.result import DocumentResult, Severity

STATUS_MARK = {"present": "✓", "substance": "~", "missing": "✗"}
_SEVERITY_SLOTS = max(Severity) + 1


@dataclass(frozen=True)
class Row:
    index: int  # order of arrival
    path: str
    title: str | None
    score: float | None
    grade: str | None
    error: str | None
    errors: int
    warnings: int
    infos: int
    sections: tuple[str, ...]  # status per pack section, in pack order ("present" | "substance" | "missing")
    grade_basis: str = ""  # short why: the grade ceilings that applied, or 按得分
    not_report: str | None = None  # why the page is not an annual report (then it is neither ranked nor graded)


@dataclass(frozen=True)
class Facts:
    """What a batch summary takes from one document (small: computed where the document was
    checked, in a worker, and sent instead of the whole result)."""

    row: Row  # (index 0: numbered on arrival)
    rules: tuple[tuple[str, int, Severity, str], ...]  # (rule, active findings, first severity, first message)
    grade: str | None  # counted among the grades (a checked report's)


def facts(result: DocumentResult) -> Facts:
    by_severity = [0] * _SEVERITY_SLOTS  # active findings by severity (indexed by its value)
    rules: dict[str, list] = {}
    for finding in result.findings:
        if finding.suppressed:
            continue
        by_severity[finding.severity] += 1
        if finding.rule in rules:
            rules[finding.rule][1] += 1
        else:
            rules[finding.rule] = [finding.rule, 1, finding.severity, finding.message]
    row = record(Row, {  # every field (see checker/model/records.py)
        "index": 0, "path": result.path, "title": result.title, "score": result.score, "grade": result.grade,
        "error": result.error, "errors": by_severity[Severity.ERROR], "warnings": by_severity[Severity.WARNING],
        "infos": by_severity[Severity.INFO], "sections": tuple(row.status for row in result.checklist),
        "grade_basis": "；".join(result.grade_caps) or ("按得分" if result.grade else ""),
        "not_report": None if result.is_report else (result.not_report_reason or "不是法治政府建设年度报告")})
    counted = result.grade if result.grade and not result.error and result.is_report else None
    return Facts(row, tuple(tuple(item) for item in rules.values()), counted)


class BatchSummary:
    def __init__(self, pack=None) -> None:
        self.pack = pack
        self.rows: list[Row] = []
        self.rule_counts: Counter[str] = Counter()  # findings per rule across the batch
        self.rule_documents: Counter[str] = Counter()  # documents with at least one finding of the rule
        self.rule_example: dict[str, tuple[Severity, str]] = {}
        self.grades: Counter[str] = Counter()

    def add(self, result: DocumentResult) -> Row:
        return self.add_facts(facts(result))

    def add_facts(self, document: Facts) -> Row:
        for rule, count, severity, message in document.rules:
            self.rule_counts[rule] += count
            self.rule_documents[rule] += 1
            self.rule_example.setdefault(rule, (severity, message))
        if document.grade:
            self.grades[document.grade] += 1
        row = record(Row, {**document.row.__dict__, "index": len(self.rows)})  # (as dataclasses.replace, quicker)
        self.rows.append(row)
        return row

    def counts_line(self, extras: dict) -> str:
        """'共找到 N 份：已检查 C 份，无法检查 F 份，跳过 S 份' — the same count the run prints on
        stderr: skipped files (temporary, hidden, the checker's own reports) and files not reached
        (an interrupted run) are counted as skipped."""
        failed, apart = len(self.unreadable), len(self.not_reports)
        checked = len(self.rows) - failed
        skipped = len(extras.get("skipped") or []) + max(0, (extras.get("total") or 0) - len(self.rows))
        among = f"（其中 {apart} 份不是年度报告）" if apart else ""
        return (f"共找到 {checked + failed + skipped} 份：已检查 {checked} 份{among}，无法检查 {failed} 份，"
                f"跳过 {skipped} 份")

    @property
    def checked(self) -> list[Row]:
        """Reports that were read and checked (not unreadable files, not pages that are no report)."""
        return [row for row in self.rows if row.error is None and row.not_report is None]

    @property
    def not_reports(self) -> list[Row]:
        """Pages that are not 法治政府建设年度报告: listed apart, never ranked or graded."""
        return [row for row in self.rows if row.error is None and row.not_report is not None]

    @property
    def unreadable(self) -> list[Row]:
        return [row for row in self.rows if row.error is not None]

    def ranked(self) -> list[Row]:
        """Checked documents, lowest score first (the ones a reviewer must look at), then by path."""
        return sorted(self.checked, key=lambda row: (row.score if row.score is not None else -1, row.path))

    def grade_names(self) -> list[str]:
        if self.pack is not None:
            return [grade for _, grade in self.pack.grades]
        return sorted(self.grades)

    def grade_rank(self, grade: str | None) -> int:
        """0 for the best grade, 1 for the next …; the last index for unknown grades."""
        names = self.grade_names()
        return names.index(grade) if grade in names else max(len(names) - 1, 0)

    def top_rules(self, limit: int = 10) -> list[tuple[str, int, int, Severity, str]]:
        """(rule, findings, documents, severity, example message), most frequent first."""
        return [(rule, count, self.rule_documents[rule], *self.rule_example[rule])
                for rule, count in sorted(self.rule_counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]
