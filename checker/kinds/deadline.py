"""deadline — the report is made public before the deadline.

《法治政府建设与责任落实督察工作规定》第二十四条: local governments *and* departments make their
annual report public through newspapers, websites etc. **before 1 April** of the following year
(每年4月1日之前). The other date of that article, 1 March, is when departments *submit* their
report to the Party committee, the government and the department above; a published text cannot
show when it was submitted, so it is not checked. Some provinces set earlier publication dates:
a pack sets its own ``month``/``day``.

How the boundary is read: the deadline for a report on year Y is ``month``/``day`` of year
Y + ``year_offset``, and the report must be public *before* that day: with the national 1 April,
a publication on 31 March is on time and one on 1 April is one day late (之前 excludes the day).
``inclusive: true`` makes the day itself still on time, for packs whose rule reads "3月31日前（含）".

The date checked is the first one found among ``dates``, in that order: 发布时间 (the earliest
credible publication date of the page: 发布时间/发布日期/日期/更新时间 lines, a news dateline, file
metadata; see ``checker.model.dates``), 成文日期 (the document date in the page's metadata table)
and 落款日期 (the date under the issuer at the end of the report; a report signed after the deadline
cannot have been published before it). A report with no such date gets a note with
``missing_severity`` (default info), never an error; a report whose year is unknown is not
checked. The finding never advises changing a date: a published date is a fact.

Options:
  month, day       the deadline (default 4, 1: before 1 April)
  year_offset      years after the report year (default 1)
  inclusive        the deadline day itself is on time (default false)
  dates            which dates to use, in order (default [发布时间, 成文日期, 落款日期])
  missing_severity severity of the "no date found" note (default info)
  missing_message  message of that note

Placeholders: {date} (the date as written), {label} (which date), {deadline} (e.g. 2024年4月1日),
{days} (days late).

Passing: a 2023 report with ``发布时间: 2024-03-20`` (also in the department pack); ``2024-03-31``.
Failing: a 2023 report with ``发布时间: 2024-05-08`` (38 days late); ``2024-04-01`` (1 day late).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from checker.context import Context
from checker.model.dates import DateMark
from checker.packs import Rule
from checker.result import Finding, Severity

OPTIONS = {
    "month": (int, 4),
    "day": (int, 1),
    "year_offset": (int, 1),
    "inclusive": (bool, False),
    "dates": (list, ["发布时间", "成文日期", "落款日期"]),
    "missing_severity": (str, "info"),
    "missing_message": (str, "没有找到发布时间或落款日期，无法判断是否在 {deadline} 前公开"),
}

def validate(options: dict) -> dict:
    try:
        dt.date(2000, options["month"], options["day"])
    except ValueError:
        raise ValueError(f"month/day 不是有效日期: {options['month']}月{options['day']}日") from None
    try:
        Severity.parse(options["missing_severity"])
    except KeyError:
        raise ValueError("missing_severity 应为 error / warning / info") from None
    if not options["dates"] or not all(isinstance(d, str) for d in options["dates"]):
        raise ValueError("dates 应为日期名称的列表，如 [发布时间, 成文日期, 落款日期]")
    return options


def marked_dates(ctx: Context) -> dict[str, DateMark]:
    """The document's dates by label: 发布时间, 成文日期, 落款日期."""
    outline = ctx.document.outline
    return {label: mark for label, mark in (("发布时间", outline.published), ("成文日期", outline.document_date),
                                             ("落款日期", outline.signed)) if mark is not None}


def span_of(ctx: Context, mark: DateMark) -> tuple[int | None, int | None]:
    """Where a date stands in the text: on its own line when known (metadata dates stand nowhere)."""
    if mark.line is None:
        return None, None
    line_start = ctx.document.line_starts[mark.line - 1]
    line = ctx.document.line_text(mark.line)
    at = line.find(mark.written)
    if at == -1:
        return line_start, line_start + len(line.rstrip())
    return line_start + at, line_start + at + len(mark.written)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    year = ctx.report_year
    if year is None:
        return
    options = rule.options
    deadline = dt.date(year + options["year_offset"], options["month"], options["day"])
    shown = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    dates = marked_dates(ctx)
    for label in options["dates"]:
        mark = dates.get(label)
        if mark is None:
            continue
        last_on_time = deadline if options["inclusive"] else deadline - dt.timedelta(days=1)
        if mark.date > last_on_time:
            start, end = span_of(ctx, mark)
            yield ctx.finding(rule, start, end, date=mark.written, label=label, deadline=shown,
                              days=(mark.date - last_on_time).days)
        return
    note = replace(rule, message=options["missing_message"], suggestion=None)
    yield ctx.finding(note, None, None, severity=Severity.parse(options["missing_severity"]), deadline=shown,
                      date="", label="", days="")
