"""title — the report has a title that names the year and the subject.

Options:
  require_year   the title must name the report year (default true)
  required_words words the title must contain (default [法治政府建设])
Placeholder {problem} is filled with what is wrong (缺少标题 / 标题没有写明年度 / 标题缺少“…”).

Passing: ``金城乡2023年法治政府建设工作报告``.
Failing: no title line; ``法治政府建设工作报告`` (no year); ``2023年度依法行政工作报告`` (no 法治政府建设).
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "require_year": (bool, True),
    "required_words": (list, ["法治政府建设"]),
}


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    outline = ctx.document.outline
    title = outline.title
    if title is None:
        start = outline.body[0]
        yield ctx.finding(rule, start, start, problem="缺少标题", title="")
        return
    if rule.options["require_year"] and not any(e.source == "title" for e in outline.years):
        yield ctx.finding(rule, title.start, title.end, problem="标题没有写明年度", title=title.text)
    folded = fold(title.text)
    for word in rule.options["required_words"]:
        if fold(word) not in folded:
            yield ctx.finding(rule, title.start, title.end, problem=f"标题缺少“{word}”", title=title.text)
