"""CSV for reviewers' spreadsheets: UTF-8 with BOM (so Excel and WPS detect the encoding), one row
per document.

Columns: 文件, 标题, 报告年度, 得分, 等级, 错误/警告/提示 counts, one column per template section of
the pack (✓ present, ~ present in substance only, ✗ missing), then 问题 — every active finding of the
document in one cell, one per line (``第12行 错误 [rule] message``) — and 无法检查原因 for unreadable
files and for pages that are not annual reports (not-report: no score or grade). One row per document keeps the sheet sortable and filterable; the xlsx report adds a
separate sheet with one row per finding, and JSON/SARIF carry every field.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a control character)
are prefixed with an apostrophe, so nothing from a document can execute in Excel. A cell holds at
most 32,000 characters (Excel and WPS cut at 32,767); a longer one ends in "…（已截断）".
"""

from __future__ import annotations

import csv
import io

from checker.render import NO_PIECE, BaseReport, Rendered, RenderOptions
from checker.render.safe import cap
from checker.render.summary import STATUS_MARK
from checker.result import DocumentResult, Severity

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SEVERITY_SLOTS = max(Severity) + 1


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formula injection in text cells and cap their length; numbers pass unchanged."""
    if isinstance(value, str):
        value = cap(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def finding_lines(result: DocumentResult) -> str:
    lines = []
    for finding in result.findings:
        if finding.suppressed:
            continue
        place = f"{finding.where} " if finding.line else ""
        lines.append(f"{place}{finding.severity.chinese} [{finding.rule}] {finding.full_message}")
    return "\n".join(lines)


def _not_report(result: DocumentResult) -> str:
    """The last column also says why a page that is no annual report was not scored."""
    return "" if result.is_report else f"不是法治政府建设年度报告：{result.not_report_reason or ''}"


class Report(BaseReport):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.sections: list[tuple[str, str]] | None = (
            [(spec.id, spec.name) for spec in options.pack.sections] if options.pack is not None else None)
        self.started = False

    def _header(self, result: DocumentResult | None) -> None:
        if self.sections is None:
            self.sections = [(row.id, row.name) for row in (result.checklist if result else [])]
        self.out.write("\ufeff")
        self.writer.writerow(["文件", "标题", "报告年度", "得分", "等级", "等级原因", "错误", "警告", "提示",
                              *(name for _, name in self.sections), "问题", "无法检查原因"])
        self.started = True

    @staticmethod
    def cells(result: DocumentResult, sections: list[tuple[str, str]]) -> list:
        status = {row.id: row.status for row in result.checklist}
        counts = [0] * _SEVERITY_SLOTS  # active findings by severity (indexed by its value)
        for finding in result.findings:
            if not finding.suppressed:
                counts[finding.severity] += 1
        checked = result.error is None
        return [safe_cell(cell) for cell in [
            result.path, result.title or "", result.report_year or "",
            result.score if checked and result.score is not None else "", result.grade if checked else "",
            (result.grade_reason or "") if checked else "",
            *(counts[s] if checked else "" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)),
            *(STATUS_MARK.get(status.get(section_id, ""), "") for section_id, _ in sections),
            finding_lines(result), result.error or _not_report(result),
        ]]

    @classmethod
    def piece(cls, result: DocumentResult, options: RenderOptions) -> object:
        """The document's row as CSV text (with the pack's sections; without a pack the columns
        come from the first document, so the row is made here)."""
        if options.pack is None:
            return NO_PIECE
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(
            cls.cells(result, [(spec.id, spec.name) for spec in options.pack.sections]))
        return buffer.getvalue()

    def add(self, result: DocumentResult | Rendered) -> None:
        if isinstance(result, Rendered):
            if not self.started:
                self._header(None)
            self.out.write(result.pieces["csv"])
            return
        if not self.started:
            self._header(result if result.checklist else None)
        self.writer.writerow(self.cells(result, self.sections or []))

    def close(self) -> None:
        if not self.started:
            self._header(None)
