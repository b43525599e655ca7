"""standard-heading — a recognised section heading should use the standard wording.

For each top-level heading matched to a template section whose wording differs from the
section's standard heading (years, numbering and punctuation aside), one finding quotes the
standard wording with the report's years filled in. Placeholders: {heading} (as written),
{standard}, {name}, {similarity}.

Passing: ``四、2024年度推进法治政府建设的主要安排``.
Failing: ``三、下一步法治建设改进措施`` (recognised as next-year; the note quotes the standard).
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.packs import Rule
from checker.result import Finding
from checker.template import match_key

OPTIONS: dict = {}


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    for match in ctx.template.sections:
        spec = ctx.pack.section(match.section)
        heading = match.heading
        if match_key(heading.key) == match_key(spec.standard):
            continue
        yield ctx.finding(rule, heading.start, heading.end, section=spec.id, heading=heading.text,
                          standard=ctx.standard_heading(spec), name=spec.name, similarity=match.similarity,
                          marker=heading.marker)
