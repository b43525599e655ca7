"""Excel workbook for reviewers (openpyxl, write-only so memory stays flat in big batches).

Sheet 汇总: one row per document — file, title, year, score, grade, finding counts, one column per
template section (✓ present, ~ in substance only, ✗ missing) and the reason for unreadable files;
rows are filled by grade (green best, yellow middle, red lowest, grey unreadable).
Sheet 问题: one row per active finding — file, line, column, severity, rule, section, message,
suggestion and matched text.

Every text cell is stored as a string (never a formula) with characters XML cannot hold removed.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from checker.render import BaseReport, RenderOptions
from checker.render.summary import STATUS_MARK
from checker.result import DocumentResult, Severity

GRADE_FILLS = ["C6EFCE", "FFEB9C", "FFC7CE"]  # best, middle, lowest grades (Excel's good/neutral/bad)
ERROR_FILL = "D9D9D9"
SEVERITY_FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
STATUS_FONTS = {"present": "1A7F37", "substance": "9A6700", "missing": "CF222E"}
MAX_CELL = 32_000  # Excel's limit is 32,767 characters per cell


def _fill(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


class Report(BaseReport):
    BINARY = True

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.book = Workbook(write_only=True)
        self.summary = self.book.create_sheet("汇总")
        self.findings = self.book.create_sheet("问题")
        pack = options.pack
        self.sections = [(spec.id, spec.name) for spec in pack.sections] if pack is not None else None
        self.grades = [grade for _, grade in pack.grades] if pack is not None else []
        self.fills = {name: _fill(GRADE_FILLS[min(i, 2)]) for i, name in enumerate(self.grades)}
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        for sheet, widths in ((self.summary, [48, 40, 10, 8, 10, 6, 6, 6]),
                              (self.findings, [48, 6, 6, 6, 30, 18, 60, 50, 30])):
            for index, width in enumerate(widths):
                sheet.column_dimensions[get_column_letter(index + 1)].width = width
            sheet.freeze_panes = "B2"
        self.started = False
        self.rows = 0
        self.finding_rows = 0
        self.findings.append(self._row(["文件", "行", "列", "级别", "规则", "章节", "问题", "建议", "原文"],
                                       self.findings, font=self.bold))

    def _cell(self, sheet, value, fill=None, font=None, alignment=None) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text from a document is never a formula
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def _row(self, values, sheet, **style) -> list[WriteOnlyCell]:
        return [self._cell(sheet, value, **style) for value in values]

    def _header(self, result: DocumentResult | None) -> None:
        if self.sections is None:
            self.sections = [(row.id, row.name) for row in (result.checklist if result else [])]
        self.summary.append(self._row(["文件", "标题", "报告年度", "得分", "等级", "错误", "警告", "提示",
                                       *(name for _, name in self.sections), "无法检查原因"],
                                      self.summary, font=self.bold))
        self.started = True

    def add(self, result: DocumentResult) -> None:
        if not self.started:
            self._header(result if result.checklist else None)
        active = [f for f in result.findings if not f.suppressed]
        status = {row.id: row.status for row in result.checklist}
        if result.error is not None:
            fill = _fill(ERROR_FILL)
            values = [result.path, "", "", "", "", "", "", "", *("" for _ in self.sections), result.error]
        else:
            fill = self.fills.get(result.grade or "")
            counts = [sum(f.severity is s for f in active) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
            values = [result.path, result.title or "", result.report_year, result.score, result.grade, *counts,
                      *(STATUS_MARK.get(status.get(section_id, ""), "") for section_id, _ in self.sections), ""]
        cells = self._row(values, self.summary, fill=fill)
        for offset, (section_id, _) in enumerate(self.sections if result.error is None else []):
            colour = STATUS_FONTS.get(status.get(section_id, ""))
            if colour:
                cells[8 + offset].font = Font(color=colour, bold=True)
        self.summary.append(cells)
        self.rows += 1
        for finding in active:
            self.findings.append([
                self._cell(self.findings, result.path), self._cell(self.findings, finding.line),
                self._cell(self.findings, finding.column),
                self._cell(self.findings, finding.severity.chinese, fill=_fill(SEVERITY_FILLS[finding.severity])),
                self._cell(self.findings, finding.rule), self._cell(self.findings, finding.section or ""),
                self._cell(self.findings, finding.message, alignment=self.wrap),
                self._cell(self.findings, finding.suggestion or "", alignment=self.wrap),
                self._cell(self.findings, finding.matched_text or ""),
            ])
            self.finding_rows += 1

    def close(self) -> None:
        if not self.started:
            self._header(None)
        # Filter buttons on both header rows (set last: only now are the sizes known).
        self.summary.auto_filter.ref = f"A1:{get_column_letter(9 + len(self.sections))}{self.rows + 1}"
        self.findings.auto_filter.ref = f"A1:I{self.finding_rows + 1}"
        self.book.save(self.out)
