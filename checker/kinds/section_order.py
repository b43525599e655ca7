"""section-order — template sections must appear in the template's order.

Part of the ``section`` family (see ``required-section``); the order is that of
``template.sections`` in the pack.

The national order is: measures → shortcomings → first-responsible → next-year → other.
Each top-level section that follows one that should come after it gets a finding at its
heading. Placeholders: {heading}, {name} (this section), {before} (the section it should precede).

Passing: 一、主要举措和成效 / 二、存在的不足和原因 / 三、党政主要负责人履行… / 四、…主要安排.
Failing: 二、党政主要负责人履行… placed before 三、存在的不足和原因.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.packs import Rule
from checker.result import Finding

OPTIONS: dict = {}


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    rank = {spec.id: index for index, spec in enumerate(ctx.pack.sections)}
    previous = None
    for match in ctx.template.sections:
        if previous is not None and rank[match.section] < rank[previous.section]:
            heading = match.heading
            yield ctx.finding(rule, heading.start, heading.end, section=match.section, heading=heading.text,
                              name=ctx.pack.section(match.section).name,
                              before=ctx.pack.section(previous.section).name)
        if previous is None or rank[match.section] > rank[previous.section]:
            previous = match
