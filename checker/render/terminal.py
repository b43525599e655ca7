"""The colour terminal report (rich): per document a header with score and grade, the template
checklist (✓ present, ~ present in substance only, ✗ missing), then the findings by position."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.render import NO_PIECE, BaseReport, Rendered, RenderOptions, pack_label
from checker.render.linebreak import wrap
from checker.render.safe import plain, rich_text
from checker.render.summary import BatchSummary
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
    header.append(plain(result.path), style="bold")
    if result.error:
        header.append("  无法检查：", style="bold red")
        header.append(plain(result.error), style="red")
        console.print(header, soft_wrap=True)  # one line however long the path: the terminal wraps it
        console.print()
        return
    if not result.is_report:
        header.append("  不是法治政府建设年度报告，未评分", style="bold yellow")
        console.print(header)
        console.print(Text("  " + plain(result.not_report_reason or ""), style="yellow"))
        console.print()
        return
    header.append("  得分 ")
    header.append(f"{result.score:g}", style=_grade_style(result, options))
    header.append("  等级 ")
    header.append(plain(result.grade or "—"), style=_grade_style(result, options))
    console.print(header)
    facts = Text("  标题：", style="dim")
    facts.append(plain(result.title or "（未识别）"), style="default")
    facts.append("   报告年度：", style="dim")
    facts.append(str(result.report_year) if result.report_year else "（未识别）", style="default")
    console.print(facts)
    if result.grade_reason:
        label = "  为什么是这个等级："
        lines = wrap(label + plain(result.grade_reason), console.width)
        reason = Text("\n".join(lines))
        reason.stylize("dim", 0, len(label))
        console.print(reason)
    if result.ocr_note():
        console.print(Text("  " + result.ocr_note(), style="yellow"))

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
        table.add_row(Text(mark, style=style), rich_text(row.name), rich_text(heading, style if row.status != "present" else ""),
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
        places = [plain(f"  {_terminal_place(finding)}") for finding in active]
        # Messages are broken by Chinese line-breaking rules here (rich would cut anywhere).
        body_width = max(20, console.width - max(cell_len(p) for p in places) - 4 - 2)
        for finding, place in zip(active, places):
            message = plain(f"{finding.full_message}  [{finding.rule}]")
            text = "\n".join(wrap(message, body_width))
            body = Text(text)
            body.stylize("dim", text.rfind("["))
            if finding.suggestion:
                body.append("\n" + "\n".join(wrap(plain(f"建议：{finding.suggestion}"), body_width)), style="dim")
            findings.add_row(Text(place), Text(finding.severity.chinese, style=SEVERITY_STYLE[finding.severity]), body)
        console.print(findings)
    in_document = sum(1 for f in result.findings if f.suppressed and f.suppressed_by != "baseline")
    in_baseline = sum(1 for f in result.findings if f.suppressed_by == "baseline")
    if in_document:
        console.print(Text(f"  （另有 {in_document} 条已被文档内指令屏蔽）", style="dim"))
    if in_baseline:
        console.print(Text(f"  （另有 {in_baseline} 条已记录在基线中，未列出）", style="dim"))
    console.print()


def _terminal_place(finding) -> str:
    """line:column for text; a Word draft's paragraph or table cell as its reader finds it."""
    location = finding.location or ""
    if location.endswith("段") or location.startswith("表"):
        return location
    place = f"{finding.line}:{finding.column}" if finding.line else "—"
    return place + (f" {location}" if location else "")


def _columns() -> int | None:
    """The width asked for with COLUMNS (also when the report is not going to a terminal)."""
    import os

    try:
        return int(os.environ.get("COLUMNS", "")) or None
    except ValueError:
        return None


def shorten_middle(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells by dropping its middle (a file's directory and its
    distinguishing name both stay visible): ``乡镇/261_北洋…报告_1.txt``."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    head, tail = "", ""
    budget = max(width - 1, 2)
    left, right = 0, len(text)
    turn = False  # take from the end first: the file name tells documents apart
    while left < right:
        candidate = text[right - 1] if not turn else text[left]
        if cell_len(head) + cell_len(tail) + cell_len(candidate) > budget:
            break
        if turn:
            head += candidate
            left += 1
        else:
            tail = candidate + tail
            right -= 1
        turn = not turn
    return f"{head}…{tail}"


def display_paths(paths: list[str]) -> dict[str, str]:
    """Paths as the batch tables show them: the directory all documents share is dropped (every
    row would start alike), so each row shows what sets it apart."""
    import os

    directories = {os.path.dirname(path) for path in paths}
    common = os.path.commonpath(list(directories)) if directories and all(directories) else ""
    if len(paths) < 2 or not common:
        return {path: path for path in paths}
    return {path: os.path.relpath(path, common) for path in paths}


WIDE = 110  # narrower consoles get the compact batch tables
SUMMARY_ROWS = 30  # documents listed in the ranking; the rest are counted (csv/xlsx list them all)


def render_summary(console: Console, summary: BatchSummary, options: RenderOptions) -> None:
    """Batch summary: documents ranked by score, grade counts, frequent findings, unreadable files."""
    ranked = summary.ranked()
    console.print(Text(summary.counts_line(options.extras), style="bold"))
    grade_style = {grade: GRADE_STYLE.get(min(summary.grade_rank(grade), 2), "bold") for grade in summary.grade_names()}
    if ranked:
        shown = ranked[:SUMMARY_ROWS]
        names = display_paths([row.path for row in shown])
        narrow = console.width < WIDE  # at 80 columns the counts share a column: the file name needs the room
        table = Table(title="文件得分排名（从低到高）", title_justify="left", header_style="bold")
        table.add_column("#", justify="right", style="dim", no_wrap=True)
        table.add_column("文件", no_wrap=True)
        table.add_column("得分", justify="right", no_wrap=True)
        table.add_column("等级", no_wrap=True)
        table.add_column("原因", overflow="ellipsis", no_wrap=True, max_width=8 if narrow else None)
        counts = ["错/警/提"] if narrow else ["错误", "警告", "提示"]
        for header in counts:
            table.add_column(header, justify="right", no_wrap=True)
        if options.pack is not None:
            table.add_column("章节" if narrow else "模板章节", no_wrap=True)
        # The file column gets what the other columns leave; a long path loses its middle.
        widths = [len(str(len(shown))), 4, max([cell_len(r.grade or "—") for r in shown] + [4]),
                  min(8, max([cell_len(r.grade_basis or "") for r in shown] + [4])) if narrow
                  else max([cell_len(r.grade_basis or "") for r in shown] + [4]),
                  *([max(8, *(len(f"{r.errors}/{r.warnings}/{r.infos}") for r in shown))] if narrow else [4, 4, 4])]
        if options.pack is not None:
            widths.append(max(4 if narrow else 8, len(options.pack.sections)))
        budget = max(12, console.width - sum(widths) - 3 * (len(widths) + 1) - 1)
        for number, row in enumerate(shown, 1):
            style = grade_style.get(row.grade or "", "bold")
            numbers = ([f"{row.errors}/{row.warnings}/{row.infos}"] if narrow
                       else [str(row.errors or ""), str(row.warnings or ""), str(row.infos or "")])
            cells = [str(number), rich_text(shorten_middle(names[row.path], budget)), Text(f"{row.score:g}", style=style),
                     rich_text(row.grade or "—", style), rich_text(row.grade_basis), *numbers]
            if options.pack is not None:
                marks = Text()
                for status in row.sections:
                    mark, mark_style = STATUS_MARK[status]
                    marks.append(mark, style=mark_style)
                cells.append(marks)
            table.add_row(*cells)
        console.print(table)
        if len(ranked) > SUMMARY_ROWS:
            console.print(Text(f"另有 {len(ranked) - SUMMARY_ROWS} 份得分较高的文件未列出（完整列表请用 --format csv 或 xlsx）",
                               style="dim"))
        console.print()

        grades = Table(title="等级分布", title_justify="left", header_style="bold")
        grades.add_column("等级")
        grades.add_column("份数", justify="right")
        for grade in summary.grade_names():
            grades.add_row(rich_text(grade, grade_style.get(grade, "bold")), str(summary.grades.get(grade, 0)))
        console.print(grades)
        scores = [row.score for row in ranked if row.score is not None]
        if scores:
            console.print(Text(f"平均得分 {sum(scores) / len(scores):.1f}，最低 {min(scores):g}，最高 {max(scores):g}",
                               style="dim"))
        console.print()

    top = summary.top_rules()
    if top:
        rules = Table(title="最常见的问题", title_justify="left", header_style="bold")
        longest = max(cell_len(rule) for rule, *_ in top)
        # a rule id is looked up with `checker explain`: never cut; the example gives way instead
        rules.add_column("规则", no_wrap=True, min_width=longest)
        rules.add_column("级别", no_wrap=True, min_width=4)
        rules.add_column("条数", justify="right", no_wrap=True, min_width=4)
        rules.add_column("文件数" if console.width < WIDE else "涉及文件", justify="right", no_wrap=True, min_width=6)
        rules.add_column("示例", overflow="ellipsis", no_wrap=True,
                         max_width=max(10, console.width - longest - 4 - 4 - 6 - 3 * 6 - 1))
        for rule, count, documents, severity, message in top:
            rules.add_row(rich_text(rule), Text(severity.chinese, style=SEVERITY_STYLE[severity]), str(count),
                          str(documents), rich_text(message))
        console.print(rules)
        console.print()

    if summary.not_reports:
        apart = Table(title="不是法治政府建设年度报告（未排名、未计入等级）", title_justify="left", header_style="bold")
        apart.add_column("文件")
        apart.add_column("原因")
        for row in summary.not_reports:
            apart.add_row(rich_text(row.path), rich_text(row.not_report or "", "yellow"))
        console.print(apart)
        console.print()

    unreadable = summary.unreadable
    skipped = options.extras.get("skipped") or []
    if unreadable or skipped:
        bad = Table(title="无法检查或跳过的文件", title_justify="left", header_style="bold")
        bad.add_column("文件")
        bad.add_column("原因")
        for row in unreadable:
            bad.add_row(rich_text(row.path), rich_text(row.error or "", "red"))
        for path, reason in skipped:
            bad.add_row(rich_text(path), rich_text(f"跳过：{reason}", "dim"))
        console.print(bad)
        console.print()


def render_comparison(console: Console, summary) -> None:
    """The batch comparisons (units, last year's reports): one table each, of at most
    `SUMMARY_ROWS` rows (the pairings with most of last year's plan unreported first); the full
    lists and the plan items are in the html, xlsx and json reports."""
    from checker.compare import summary_tables

    for table in summary_tables(summary, plan_items=False):
        console.print(rich_text(table.title, "bold"))
        shown = Table(header_style="bold")
        for name in table.header:
            shown.add_column(name)
        for row in table.first(SUMMARY_ROWS):
            shown.add_row(*(rich_text(value) for value in row))
        if not table.rows:
            shown.add_row(*([rich_text("（无）")] + [rich_text("")] * (len(table.header) - 1)))
        console.print(shown)
        if len(table.rows) > SUMMARY_ROWS:
            console.print(Text(f"另有 {len(table.rows) - SUMMARY_ROWS} 行未列出（完整列表请用 --format html、xlsx 或 json）",
                               style="dim"))
        console.print()
    if summary.shared_passages:
        console.print(rich_text(f"不同单位报告之间几乎一字不差的段落：{summary.shared_passages} 处（见各报告的 shared-passage）"))


class Report(BaseReport):
    """Prints each document's report as it arrives (``extras["details"]``, default on), then for a
    batch the summary; details are off by default for big batches (see the ``check`` command)."""

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        color = options.color
        self.console = Console(file=out, force_terminal=bool(color), no_color=not color,
                               color_system="standard" if color else None,
                               width=options.extras.get("width") or (None if color else _columns() or 120),
                               highlight=False)
        self.details = options.extras.get("details", True)
        self.summary = BatchSummary(options.pack)
        if options.pack is not None:
            self.console.print(Text(f"规则包 {pack_label(options.pack)}", style="dim"))

    SUMMARY = True

    @classmethod
    def piece(cls, result: DocumentResult, options: RenderOptions) -> object:
        """Nothing per document for a batch summary (its row comes with the piece's Facts); a
        document's details are printed from the whole result."""
        return NO_PIECE if options.extras.get("details", True) else None

    def add(self, result: DocumentResult | Rendered) -> None:
        if isinstance(result, Rendered):
            self.summary.add_facts(result.facts)
            return
        self.summary.add(result)
        if self.details:
            render_document(self.console, result, self.options)

    def close(self) -> None:
        rows = self.summary.rows
        if len(rows) > 1 or (not self.details and rows):
            render_summary(self.console, self.summary, self.options)
        comparison = self.options.extras.get("comparison")
        if comparison is not None:
            render_comparison(self.console, comparison)
