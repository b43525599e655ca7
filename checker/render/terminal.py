"""The colour terminal report (rich): per document a header with score and grade, the template
checklist (✓ present, ~ present in substance only, ✗ missing), then the findings by position."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.render import BaseReport, RenderOptions
from checker.result import DocumentResult, Severity

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
GRADE_STYLE = {0: "bold green", 1: "bold yellow", 2: "bold red"}
STATUS_MARK = {"present": ("✓", "green"), "substance": ("~", "yellow"), "missing": ("✗", "red")}


def _grade_style(result: DocumentResult, options: RenderOptions) -> str:
    pack = options.pack
    if pack is None or result.grade is None:
        return "bold"
    names = [grade for _, grade in pack.grades]
    index = names.index(result.grade) if result.grade in names else len(names) - 1
    return GRADE_STYLE.get(min(index, 2), "bold")


def render_document(console: Console, result: DocumentResult, options: RenderOptions) -> None:
    header = Text()
    header.append(result.path, style="bold")
    if result.error:
        header.append("  无法检查：", style="bold red")
        header.append(result.error, style="red")
        console.print(header)
        console.print()
        return
    header.append("  得分 ")
    header.append(f"{result.score:g}", style=_grade_style(result, options))
    header.append("  等级 ")
    header.append(result.grade or "—", style=_grade_style(result, options))
    console.print(header)
    facts = Text("  标题：", style="dim")
    facts.append(result.title or "（未识别）", style="default")
    facts.append("   报告年度：", style="dim")
    facts.append(str(result.report_year) if result.report_year else "（未识别）", style="default")
    console.print(facts)

    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1), pad_edge=False)
    table.add_column("", width=1)
    table.add_column("模板章节")
    table.add_column("文中标题")
    table.add_column("行", justify="right")
    table.add_column("相似度", justify="right")
    for row in result.checklist:
        mark, style = STATUS_MARK[row.status]
        if row.status == "missing" and not row.required:
            style = "dim"
        heading = row.heading or ("（缺少）" if row.required else "（可选，未写）")
        if row.status == "substance":
            heading = f"仅见于：{heading}"
        table.add_row(Text(mark, style=style), row.name, Text(heading, style=style if row.status != "present" else ""),
                      str(row.line or ""), f"{row.similarity:.0f}" if row.similarity else "")
    console.print(table)

    active = [f for f in result.findings if not f.suppressed]
    if not active:
        console.print(Text("  没有发现问题", style="green"))
    else:
        findings = Table.grid(padding=(0, 1))
        findings.add_column(justify="right", style="dim", no_wrap=True)
        findings.add_column(no_wrap=True)
        findings.add_column(ratio=1, overflow="fold")
        for finding in active:
            body = Text(finding.message)
            body.append(f"  [{finding.rule}]", style="dim")
            if finding.suggestion:
                body.append(f"\n建议：{finding.suggestion}", style="dim")
            place = f"{finding.line}:{finding.column}" if finding.line else "—"
            findings.add_row(f"  {place}", Text(finding.severity.chinese, style=SEVERITY_STYLE[finding.severity]), body)
        console.print(findings)
    suppressed = len(result.findings) - len(active)
    if suppressed:
        console.print(Text(f"  （另有 {suppressed} 条已被文档内指令屏蔽）", style="dim"))
    console.print()


class Report(BaseReport):
    """Prints each document's report as it arrives, then a one-line batch count."""

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        color = options.color
        self.console = Console(file=out, force_terminal=bool(color), no_color=not color,
                               color_system="standard" if color else None,
                               width=options.extras.get("width") or (None if color else 120),
                               highlight=False)
        self.total = 0
        self.failed = 0

    def add(self, result: DocumentResult) -> None:
        self.total += 1
        self.failed += bool(result.error)
        render_document(self.console, result, self.options)

    def close(self) -> None:
        if self.total > 1:
            self.console.print(Text(f"共 {self.total} 份文件：检查 {self.total - self.failed} 份，"
                                    f"无法读取 {self.failed} 份", style="bold"))
