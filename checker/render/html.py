"""One self-contained HTML file for reviewers: a summary table, then per document its checklist,
its findings and its full text with every finding highlighted where it is.

Nothing is loaded from the network and nothing runs: there is no JavaScript at all and a
Content-Security-Policy forbids scripts, so even a `<script>` smuggled into a report stays text.
Hover a highlight to see the explanation (``title``); click it (focus) to show it beside the text
(CSS ``::after`` with ``attr(data-tip)``, so the text itself stays exactly the document's); the finding list
links to each highlight. Everything taken from a document — path, title, text, headings,
messages — goes through `html.escape`. Documents are written as they arrive (flat memory); the
summary comes last in the file and is shown first with CSS ``order``.
"""

from __future__ import annotations

from html import escape

from checker import __version__
from checker.render import GENERATOR, BaseReport, RenderOptions, pack_label
from checker.render.summary import STATUS_MARK, BatchSummary
from checker.render.safe import plain
from checker.result import DocumentResult, Finding, Severity

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SEVERITY_CLASS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
STATUS_CLASS = {"present": "ok", "substance": "part", "missing": "miss"}

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#f6f7f9;color:#222}
main{display:flex;flex-direction:column;gap:1.5rem;max-width:1100px;margin:0 auto;padding:1.5rem}
section{background:#fff;border:1px solid #dde;border-radius:6px;padding:1rem 1.25rem}
.summary{order:-1}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:.2rem 0 .6rem;word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
th,td{border:1px solid #dde;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f4}td.num{text-align:right}
.g0{background:#c6efce}.g1{background:#ffeb9c}.g2{background:#ffc7ce}.unreadable{background:#e4e4e4}
.ok{color:#1a7f37}.part{color:#9a6700}.miss{color:#cf222e}
.sev{display:inline-block;min-width:2.5em;font-weight:bold}
.sev.error{color:#cf222e}.sev.warning{color:#9a6700}.sev.info{color:#0969da}
ol.findings{padding-left:1.5rem}ol.findings li{margin:.3rem 0}
.suggest{color:#555;font-size:.9rem}.rule{color:#777;font-size:.85rem}
pre.text{white-space:pre-wrap;word-break:break-all;font-family:inherit;line-height:1.7;background:#fcfcfd;
 border:1px solid #eee;padding:.75rem;max-height:40rem;overflow:auto}
mark{position:relative;border-radius:2px;cursor:help;padding:0 1px}
mark.error{background:#ffc7ce;border-bottom:2px solid #cf222e}
mark.warning{background:#fff1b8;border-bottom:2px solid #d4a72c}
mark.info{background:#ddebf7;border-bottom:2px dotted #0969da}
mark.point::before{content:"▼";font-size:.7em;color:#cf222e}
mark:focus::after,mark:target::after{content:attr(data-tip);position:absolute;left:0;top:1.6em;z-index:10;
 width:22rem;white-space:pre-line;background:#24292f;color:#fff;font-size:.85rem;line-height:1.4;
 padding:.4rem .6rem;border-radius:4px}
mark:target{outline:2px solid #0969da}
.error-text{color:#cf222e}.muted{color:#777}
"""


def _e(value: object) -> str:
    """Text for the page (names, headings, messages, tooltips): escaped, control characters and
    bidi overrides made visible (`plain`). The document's own text is only escaped (`highlight`)."""
    return escape(plain(value), quote=True)


def _explain(finding: Finding) -> str:
    text = f"{finding.severity.chinese} [{finding.rule}] {finding.full_message}"
    if finding.suggestion:
        text += f"\n建议：{finding.suggestion}"
    return text


def highlight(text: str, findings: list[Finding], prefix: str) -> tuple[str, dict[int, str]]:
    """The escaped text with ``<mark>`` around every finding's span; returns (html, finding → anchor).

    Overlapping findings are cut into segments, each marked with the most severe finding that
    covers it and explained with all of them. Zero-width findings become a small marker.
    """
    n = len(text)
    spans = []  # (start, end, finding index); a grouped finding has one span per place
    for index, finding in enumerate(findings):
        for place in finding.each():
            if place.start is None or place.end is None:
                continue
            start = max(0, min(place.start, n))
            end = max(start, min(place.end, n))
            spans.append((start, end, index))
    anchors: dict[int, str] = {}
    if not spans:
        return escape(text, quote=True), anchors
    cuts = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    starts: dict[int, list[int]] = {}
    points: dict[int, list[int]] = {}
    for span_id, (start, end, _) in enumerate(spans):
        (points if start == end else starts).setdefault(start, []).append(span_id)
    ends = {span_id: end for span_id, (_, end, _) in enumerate(spans)}
    owner = {span_id: index for span_id, (_, _, index) in enumerate(spans)}
    active: list[int] = []
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [n]):
        for span_id in points.get(a, []):
            index = owner[span_id]
            ident = ""
            if index not in anchors:
                anchors[index] = f"{prefix}-m{index}"
                ident = f' id="{anchors[index]}"'
            tip = _e(_explain(findings[index]))
            parts.append(f'<mark class="point {SEVERITY_CLASS[findings[index].severity]}"{ident} tabindex="0" '
                         f'title="{tip}" data-tip="{tip}"></mark>')
        active = [i for i in active if ends[i] > a] + starts.get(a, [])
        if a >= b:
            continue
        chunk = escape(text[a:b], quote=True)
        if not active:
            parts.append(chunk)
            continue
        covering = list(dict.fromkeys(owner[i] for i in active))
        worst = max(covering, key=lambda i: findings[i].severity)
        new = [i for i in covering if i not in anchors]
        ident = ""
        if new:
            anchors.update((i, f"{prefix}-m{new[0]}") for i in new)
            ident = f' id="{prefix}-m{new[0]}"'
        tip = _e("\n".join(_explain(findings[i]) for i in covering))
        parts.append(f'<mark class="{SEVERITY_CLASS[findings[worst].severity]}"{ident} tabindex="0" title="{tip}" data-tip="{tip}">'
                     f'{chunk}</mark>')
    return "".join(parts), anchors


class Report(BaseReport):
    NEEDS_TEXT = True  # the check command keeps each document's text for this report

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.summary = BatchSummary(options.pack)
        title = "法治政府建设年度报告检查结果"
        out.write(f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
                  f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
                  f'<meta name="generator" content="{GENERATOR} {__version__}">\n'
                  f'<meta name="referrer" content="no-referrer">\n'
                  f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                  f"<title>{title}</title>\n<style>{STYLE}</style></head>\n<body><main>\n")

    def _grade_class(self, grade: str | None) -> str:
        return f"g{min(self.summary.grade_rank(grade), 2)}"

    def add(self, result: DocumentResult) -> None:
        row = self.summary.add(result)
        doc_id = f"doc-{row.index + 1}"
        w = self.out.write
        w(f'<section class="doc" id="{doc_id}">\n<h2>{_e(result.path)}</h2>\n')
        if result.error is not None:
            w(f'<p class="error-text">无法检查：{_e(result.error)}</p>\n</section>\n')
            return
        if not result.is_report:
            w(f'<p class="error-text">不是法治政府建设年度报告，未评分：{_e(result.not_report_reason or "")}</p>\n'
              "</section>\n")
            return
        w(f'<p><span class="{self._grade_class(result.grade)}">&nbsp;得分 <b>{_e(f"{result.score:g}")}</b>'
          f' 等级 <b>{_e(result.grade)}</b>&nbsp;</span> 标题：{_e(result.title or "（未识别）")}'
          f' 报告年度：{_e(result.report_year or "（未识别）")}</p>\n')
        if result.grade_reason:
            w(f'<p class="grade-reason">为什么是这个等级：{_e(result.grade_reason)}</p>\n')
        if result.ocr_note():  # which pages were read by OCR (and so not proofread)
            w(f'<p class="grade-reason">{_e(result.ocr_note())}</p>\n')
        w("<table><tr><th></th><th>模板章节</th><th>文中标题</th><th>行</th></tr>\n")
        for item in result.checklist:
            heading = item.heading or ("（缺少）" if item.required else "（可选，未写）")
            if item.status == "substance":
                heading = f"仅见于：{heading}"
            status_class = STATUS_CLASS[item.status] if item.required or item.status != "missing" else "muted"
            w(f'<tr class="{status_class}"><td>{STATUS_MARK[item.status]}</td><td>{_e(item.name)}</td>'
              f'<td>{_e(heading)}</td><td class="num">{_e(item.line or "")}</td></tr>\n')
        w("</table>\n")
        active = [f for f in result.findings if not f.suppressed]
        marked, anchors = highlight(result.text, active, doc_id) if result.text is not None else ("", {})
        if active:
            w('<ol class="findings">\n')
            for index, finding in enumerate(active):
                place = _e(finding.where)  # 第12段 for a Word draft, 第12行（第3页） for a PDF
                if index in anchors:
                    place = f'<a href="#{anchors[index]}">{place}</a>'
                w(f'<li id="{doc_id}-f{index}">{place} <span class="sev {SEVERITY_CLASS[finding.severity]}">'
                  f'{finding.severity.chinese}</span> {_e(finding.full_message)} <span class="rule">[{_e(finding.rule)}]</span>')
                if finding.suggestion:
                    w(f'<div class="suggest">建议：{_e(finding.suggestion)}</div>')
                w("</li>\n")
            w("</ol>\n")
        else:
            w('<p class="ok">没有发现问题</p>\n')
        suppressed = len(result.findings) - len(active)
        if suppressed:
            w(f'<p class="muted">另有 {suppressed} 条已被文档内指令屏蔽</p>\n')
        if result.text is not None:
            w(f'<details open><summary>全文（标出问题所在，悬停或点击查看说明）</summary>\n<pre class="text">{marked}</pre>'
              f"</details>\n")
        w("</section>\n")

    def close(self) -> None:
        w = self.out.write
        summary = self.summary
        w('<section class="summary"><h1>法治政府建设年度报告检查结果</h1>\n')
        ranked = summary.ranked()
        sections = [spec.name for spec in self.options.pack.sections] if self.options.pack is not None else []
        if self.options.pack is not None:
            w(f'<p class="pack">规则包 {_e(pack_label(self.options.pack))}</p>\n')
        w(f"<p>{_e(summary.counts_line(self.options.extras))}。按得分从低到高排列。</p>\n")
        if ranked:
            w("<table><tr><th>#</th><th>文件</th><th>标题</th><th>得分</th><th>等级</th><th>等级原因</th><th>错误</th><th>警告</th>"
              "<th>提示</th>" + "".join(f"<th>{_e(name)}</th>" for name in sections) + "</tr>\n")
            for number, row in enumerate(ranked, 1):
                marks = "".join(f'<td class="{STATUS_CLASS[s]}">{STATUS_MARK[s]}</td>' for s in row.sections[:len(sections)])
                w(f'<tr><td class="num">{number}</td><td><a href="#doc-{row.index + 1}">{_e(row.path)}</a></td>'
                  f'<td>{_e(row.title or "")}</td><td class="num {self._grade_class(row.grade)}">'
                  f'{_e(f"{row.score:g}" if row.score is not None else "")}</td>'
                  f'<td class="{self._grade_class(row.grade)}">{_e(row.grade or "")}</td>'
                  f'<td>{_e(row.grade_basis)}</td>'
                  f'<td class="num">{row.errors}</td><td class="num">{row.warnings}</td><td class="num">{row.infos}</td>'
                  f"{marks}</tr>\n")
            w("</table>\n<h2>等级分布</h2><table><tr><th>等级</th><th>份数</th></tr>\n")
            for grade in summary.grade_names():
                w(f'<tr><td class="{self._grade_class(grade)}">{_e(grade)}</td>'
                  f'<td class="num">{summary.grades.get(grade, 0)}</td></tr>\n')
            w("</table>\n")
        top = summary.top_rules()
        if top:
            w("<h2>最常见的问题</h2><table><tr><th>规则</th><th>级别</th><th>条数</th><th>涉及文件</th><th>示例</th></tr>\n")
            for rule, count, documents, severity, message in top:
                w(f'<tr><td>{_e(rule)}</td><td class="sev {SEVERITY_CLASS[severity]}">{severity.chinese}</td>'
                  f'<td class="num">{count}</td><td class="num">{documents}</td><td>{_e(message)}</td></tr>\n')
            w("</table>\n")
        if summary.not_reports:
            w("<h2>不是法治政府建设年度报告（未排名、未计入等级）</h2><table><tr><th>文件</th><th>原因</th></tr>\n")
            for row in summary.not_reports:
                w(f'<tr><td><a href="#doc-{row.index + 1}">{_e(row.path)}</a></td><td>{_e(row.not_report)}</td></tr>\n')
            w("</table>\n")
        skipped = self.options.extras.get("skipped") or []
        if summary.unreadable or skipped:
            w("<h2>无法检查或跳过的文件</h2><table><tr><th>文件</th><th>原因</th></tr>\n")
            for row in summary.unreadable:
                w(f'<tr class="unreadable"><td><a href="#doc-{row.index + 1}">{_e(row.path)}</a></td>'
                  f'<td class="error-text">{_e(row.error)}</td></tr>\n')
            for path, reason in skipped:
                w(f'<tr><td>{_e(path)}</td><td class="muted">跳过：{_e(reason)}</td></tr>\n')
            w("</table>\n")
        comparison = self.options.extras.get("comparison")
        if comparison is not None:
            from checker.compare import summary_tables

            for table in summary_tables(comparison):
                w(f"<h2>{_e(table.title)}</h2><table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in table.header)
                  + "</tr>\n")
                for row in table.rows or [["（无）"] + [""] * (len(table.header) - 1)]:
                    w("<tr>" + "".join(f"<td>{_e(value)}</td>" for value in row) + "</tr>\n")
                w("</table>\n")
        w("</section>\n</main></body></html>\n")
