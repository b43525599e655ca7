"""consistency — the years a report names agree with each other (title, opening, sections, dates).

(Registered also under its former name ``year-consistency``.)

The report year is read from the title, else the opening sentence, else the first top-level
heading. Then:
  * the opening sentence must name the title's year (when both name one) — ``check_opening``;
  * a heading of a section whose standard wording names the report year (measures,
    shortcomings, first-responsible) must not name another year, and the next-year heading
    must name the report year + 1 — ``check_headings``;
  * the signing date (落款日期) cannot fall in a year before the report year (a 2023 report
    signed in 2022 has the wrong year somewhere) — ``check_dates``.

Dates of the web page (发布时间, 成文日期, a news dateline) are never read as the report year and
never checked here: they are facts about publication, not text the author can correct.

Options:
  check_opening   (default true)
  check_headings  (default true)
  check_dates     (default true)

Placeholders: {found} (year written), {expected} (year expected), {where} (标题/开头/章节标题/落款日期).

Passing: 2023年度…报告 / 一、2023年度…主要举措和成效 / 四、2024年度…主要安排.
Failing: a 2025 report whose 一、 heading says 2024; a next-year heading naming the report year.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.kinds.deadline import span_of
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "check_opening": (bool, True),
    "check_headings": (bool, True),
    "check_dates": (bool, True),
}


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    outline = ctx.document.outline
    report_year = outline.report_year
    if report_year is None:
        return
    title_years = [e for e in outline.years if e.source == "title"]
    if title_years and rule.options["check_opening"]:
        for evidence in outline.years:
            if evidence.source == "opening" and evidence.year != report_year:
                yield ctx.finding(rule, evidence.start, evidence.end, where="开头", found=evidence.year,
                                  expected=report_year)
    if rule.options["check_headings"]:
        yield from _headings(ctx, rule, report_year)
    if rule.options["check_dates"]:
        yield from _dates(ctx, rule, report_year)


def _headings(ctx: Context, rule: Rule, report_year: int) -> Iterator[Finding]:
    outline = ctx.document.outline
    for match in ctx.template.sections:
        spec = ctx.pack.section(match.section)
        if spec.year == "none":
            continue
        expected = report_year + 1 if spec.year == "next" else report_year
        heading = match.heading
        for evidence in outline.years:
            if evidence.source == "heading" and heading.start <= evidence.start < heading.end \
                    and evidence.year != expected:
                yield ctx.finding(rule, evidence.start, evidence.end, section=match.section,
                                  where=f"「{spec.name}」标题", found=evidence.year, expected=expected)


def _dates(ctx: Context, rule: Rule, report_year: int) -> Iterator[Finding]:
    signed = ctx.document.outline.signed
    if signed is not None and signed.date.year < report_year:
        start, end = span_of(ctx, signed)
        yield ctx.finding(rule, start, end, where="落款日期", found=signed.date.year,
                          expected=f"{report_year} 或 {report_year + 1}")
