"""deadline — the report is published (or signed) no later than the deadline.

《法治政府建设与责任落实督察工作规定》第二十四条: annual reports are made public before 1 April of
the following year; some provinces and levels set earlier dates (departments often 1 March).
The deadline for a report on year Y is ``month``/``day`` of year Y + ``year_offset``.

The date checked is the first one found among ``dates``, in that order: 发布时间 (the web page's
publication date, also 发布日期/日期 lines), 成文日期 (the document date in the page's metadata
table) and 落款日期 (the date under the issuer at the end of the report). A report with no
such date gets a note with ``missing_severity`` (default info), not an error; a report whose
year is unknown is not checked.

Options:
  month, day       the deadline (default 4, 1: 1 April)
  year_offset      years after the report year (default 1)
  dates            which dates to use, in order (default [发布时间, 成文日期, 落款日期])
  missing_severity severity of the "no date found" note (default info)
  missing_message  message of that note

Placeholders: {date} (the date as written), {label} (which date), {deadline} (e.g. 2024年4月1日),
{days} (days late).

Passing: a 2023 report with ``发布时间: 2024-03-20``.
Failing: a 2023 report with ``发布时间: 2024-05-08`` (37 days after 1 April 2024).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace

from checker.context import Context
from checker.model.outline import CN_DIGITS, YEAR_DIGITS
from checker.packs import Rule
from checker.result import Finding, Severity

OPTIONS = {
    "month": (int, 4),
    "day": (int, 1),
    "year_offset": (int, 1),
    "dates": (list, ["发布时间", "成文日期", "落款日期"]),
    "missing_severity": (str, "info"),
    "missing_message": (str, "没有找到发布时间或落款日期，无法判断是否在 {deadline} 前公开"),
}

_DATE = re.compile(r"(?P<y>\d{4}|[〇零○一二三四五六七八九]{4})\s*[-/.年]\s*(?P<m>[0-9一二三四五六七八九十]{1,3})\s*[-/.月]"
                   r"\s*(?P<d>[0-9一二三四五六七八九十]{1,3})")


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


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS[text[1]]
    if len(text) >= 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + (CN_DIGITS[text[2]] if len(text) == 3 else 0)
    return CN_DIGITS[text]


def parse_date(text: str) -> dt.date | None:
    """2024-03-20, 2024/3/20, 2024年1月19日, 二〇二四年一月十九日 → date; None if unreadable."""
    match = _DATE.search(text)
    if not match:
        return None
    year = match.group("y")
    if not year.isdigit():
        year = "".join(YEAR_DIGITS[ch] for ch in year)
    try:
        return dt.date(int(year), _small_number(match.group("m")), _small_number(match.group("d")))
    except (ValueError, KeyError):
        return None


def locate(ctx: Context, written: str) -> tuple[int | None, int | None]:
    """Where a date string stands in the text, if it does (metadata dates do not)."""
    text = ctx.document.text
    at = text.find(written)
    if at == -1:
        compact = written.replace(" ", "")
        for line_no, line in enumerate(text.split("\n"), 1):
            if compact and compact in line.replace(" ", ""):
                start = ctx.document.line_starts[line_no - 1]
                return start, start + len(line)
        return None, None
    return at, at + len(written)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    year = ctx.report_year
    if year is None:
        return
    options = rule.options
    deadline = dt.date(year + options["year_offset"], options["month"], options["day"])
    shown = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    dates = ctx.document.outline.dates
    for label in options["dates"]:
        written = dates.get(label)
        date = parse_date(written) if written else None
        if date is None:
            continue
        if date > deadline:
            start, end = locate(ctx, written)
            yield ctx.finding(rule, start, end, date=written, label=label, deadline=shown,
                              days=(date - deadline).days)
        return
    note = replace(rule, message=options["missing_message"], suggestion=None)
    yield ctx.finding(note, None, None, severity=Severity.parse(options["missing_severity"]), deadline=shown,
                      date="", label="", days="")
