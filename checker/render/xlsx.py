"""Excel workbook for reviewers (openpyxl, write-only so memory stays flat in big batches).

Sheet 汇总: one row per document — file, title, year, score, grade, finding counts, one column per
template section (✓ present, ~ in substance only, ✗ missing, coloured) and the reason for
unreadable files; score and grade cells are filled by grade (green best, yellow middle, red
lowest), unreadable files grey. Sheet 问题: one row per active finding — file, line, column,
severity, rule, section, message, suggestion and matched text. Both sheets have filter buttons.

Every text cell is stored as a string (never a formula) with characters XML cannot hold removed.
Styles are registered once as named styles: styling cell by cell is what makes openpyxl slow.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from checker.render import GENERATOR, BaseReport, RenderOptions, pack_label
from checker.render.safe import cap, xml_text
from checker.render.summary import STATUS_MARK
from checker.result import DocumentResult, Severity

GRADE_FILLS = ["C6EFCE", "FFEB9C", "FFC7CE"]  # best, middle, lowest grades (Excel's good/neutral/bad)
ERROR_FILL = "D9D9D9"
SEVERITY_FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
STATUS_FONTS = {"present": "1A7F37", "substance": "9A6700", "missing": "CF222E"}
FIXED = 9  # summary columns before the template sections


def quoted_text(finding, result: DocumentResult) -> str:
    """The text a finding is about, for the 原文 column: the words it matched, else the heading of
    the section it concerns (a section too short, without facts …), else the report's title for a
    finding on the title; empty for what is missing altogether."""
    if (finding.matched_text or "").strip():
        return finding.matched_text
    heading = next((row.heading for row in result.checklist if row.id == finding.section and row.heading), None)
    if heading:
        return heading
    if finding.section is None and finding.line == 1 and result.title:
        return result.title
    return ""


def _fill(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


class Report(BaseReport):
    BINARY = True

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.book = Workbook(write_only=True)
        pack = options.pack
        # Document properties say who wrote the workbook and with which pack (File > Properties).
        self.book.properties.creator = GENERATOR
        self.book.properties.title = "法治政府建设年度报告检查结果"
        self.book.properties.subject = f"规则包 {pack_label(pack)}" if pack is not None else None
        self.sections = [(spec.id, spec.name) for spec in pack.sections] if pack is not None else None
        self.section_names = dict(self.sections or [])
        self.grade_style = {grade: f"grade{min(i, 2)}"
                            for i, (_, grade) in enumerate(pack.grades if pack is not None else [])}
        self._styles: set[str] = set()
        self._style("header", font=Font(bold=True))
        for index, colour in enumerate(GRADE_FILLS):
            self._style(f"grade{index}", fill=_fill(colour))
        self._style("unreadable", fill=_fill(ERROR_FILL))
        self._style("wrap", alignment=Alignment(wrap_text=True, vertical="top"))
        for severity, colour in SEVERITY_FILLS.items():
            self._style(f"sev-{severity.label}", fill=_fill(colour))
        for status, colour in STATUS_FONTS.items():
            self._style(f"status-{status}", font=Font(color=colour, bold=True))
        self.summary = self.book.create_sheet("汇总")
        self.findings = self.book.create_sheet("问题")
        for sheet, widths in ((self.summary, [48, 40, 10, 8, 10, 60, 6, 6, 6]),
                              (self.findings, [48, 6, 6, 6, 30, 18, 60, 50, 30])):
            for index, width in enumerate(widths):
                sheet.column_dimensions[get_column_letter(index + 1)].width = width
            sheet.freeze_panes = "B2"
        self.started = False
        self.rows = 0
        self.finding_rows = 0
        self.findings.append([self._cell(self.findings, value, "header")
                              for value in ["文件", "行", "列", "级别", "规则", "章节", "问题", "建议", "原文"]])

    def _style(self, name: str, **attributes) -> None:
        self.book.add_named_style(NamedStyle(name=name, **attributes))
        self._styles.add(name)

    def _cell(self, sheet, value, style: str | None = None):
        """A plain value where possible (fast); a cell where it needs a style or must stay text."""
        if isinstance(value, str):
            value = cap(xml_text(value))
            if style is None and not value.startswith("="):
                return value
        elif style is None:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text from a document is never a formula
        if style is not None:
            cell.style = style
        return cell

    def _header(self, result: DocumentResult | None) -> None:
        if self.sections is None:
            self.sections = [(row.id, row.name) for row in (result.checklist if result else [])]
        self.summary.append([self._cell(self.summary, value, "header") for value in
                             ["文件", "标题", "报告年度", "得分", "等级", "等级原因", "错误", "警告", "提示",
                              *(name for _, name in self.sections), "无法检查原因"]])
        self.started = True

    def add(self, result: DocumentResult) -> None:
        if not self.started:
            self._header(result if result.checklist else None)
        s = self.summary
        if result.error is not None:
            s.append([self._cell(s, result.path, "unreadable"), *([None] * (FIXED - 1 + len(self.sections))),
                      self._cell(s, result.error, "unreadable")])
            self.rows += 1
            return
        active = [f for f in result.findings if not f.suppressed]
        status = {row.id: row.status for row in result.checklist}
        grade = self.grade_style.get(result.grade or "")
        counts = [sum(f.severity is sev for f in active) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
        marks = []
        for section_id, _ in self.sections:
            state = status.get(section_id, "")
            marks.append(self._cell(s, STATUS_MARK[state], f"status-{state}") if state in STATUS_MARK else None)
        s.append([self._cell(s, result.path), self._cell(s, result.title or ""), result.report_year,
                  self._cell(s, result.score, grade), self._cell(s, result.grade, grade),
                  self._cell(s, result.grade_reason or ""), *counts, *marks,
                  None if result.is_report else self._cell(s, f"不是法治政府建设年度报告：{result.not_report_reason or ''}")])
        self.rows += 1
        f = self.findings
        names = {**{row.id: row.name for row in result.checklist}, **self.section_names}
        for finding in active:
            section = names.get(finding.section or "", finding.section or "")
            f.append([self._cell(f, result.path), finding.line, finding.column,
                      self._cell(f, finding.severity.chinese, f"sev-{finding.severity.label}"),
                      self._cell(f, finding.rule), self._cell(f, section),
                      self._cell(f, finding.full_message, "wrap"), self._cell(f, finding.suggestion or "", "wrap"),
                      self._cell(f, quoted_text(finding, result), "wrap")])
            self.finding_rows += 1

    def discard(self) -> None:
        """Close openpyxl's half-written sheets and delete their temporary files (otherwise their
        generators are finalised at exit, writing to closed files: a traceback after Ctrl-C)."""
        for sheet in (self.summary, self.findings):
            rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
            try:
                if rows is not None:
                    rows.close()
                if writer is not None:
                    writer.close()
                    writer.cleanup()
            except Exception:  # noqa: BLE001 — best effort on the way out
                pass

    def close(self) -> None:
        if not self.started:
            self._header(None)
        # Filter buttons on both header rows (set last: only now are the sizes known).
        self.summary.auto_filter.ref = f"A1:{get_column_letter(FIXED + 1 + len(self.sections))}{self.rows + 1}"
        self.findings.auto_filter.ref = f"A1:I{self.finding_rows + 1}"
        comparison = self.options.extras.get("comparison")
        if comparison is not None:
            from checker.compare import summary_tables

            for table in summary_tables(comparison):
                sheet = self.book.create_sheet(table.title.split("（")[0][:31])
                sheet.append([self._cell(sheet, table.title, "header")])
                sheet.append([self._cell(sheet, name, "header") for name in table.header])
                for row in table.rows:
                    sheet.append([self._cell(sheet, value) for value in row])
        self.book.save(self.out)
