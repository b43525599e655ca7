"""required-section — a template section must stand in the report as a top-level section.

Part of the ``section`` family with ``section-order`` and ``standard-heading``: the sections
themselves (id, name, standard wording, aliases, required/optional, year, ``bullet_keywords``
that let a section appear as an 一是… bullet) are defined under ``template.sections`` of the pack.

Options:
  section            id of the template section (measures, shortcomings, first-responsible, next-year, other)
  substance_severity severity used when the content exists only inside another section
                     (a sub-heading or an 一是… bullet), default warning
  substance_message  message for that case; placeholders {name} {standard} {found} {line}

The finding for a missing section sits where the section should be inserted: at the next
template section present after it, or at the end of the body. Placeholders in ``message``:
{name} (section name), {standard} (standard heading with the report's years).

Passing: ``三、2023年度党政主要负责人履行推进法治建设第一责任人职责情况`` as a top-level heading.
Failing: no such heading anywhere; or only ``二是扛牢法治建设第一责任人职责`` inside the measures.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.packs import Rule
from checker.result import Finding, Severity

OPTIONS = {
    "section": (str, None),
    "substance_severity": (str, "warning"),
    "substance_message": (str, "「{name}」没有作为独立的一级标题出现，相关内容只见于第 {line} 行「{found}」"),
}


def validate(options: dict) -> dict:
    if not options.get("section"):
        raise ValueError("缺少选项 section")
    Severity.parse(options["substance_severity"])
    return options


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    section_id = rule.options["section"]
    if ctx.template.find(section_id) is not None:
        return
    spec = ctx.pack.section(section_id)
    standard = ctx.standard_heading(spec)
    substance = ctx.template.substance.get(section_id)
    if substance is not None:
        yield ctx.finding(rule, substance.start, substance.end, section=section_id,
                          severity=Severity.parse(rule.options["substance_severity"]),
                          message=rule.options["substance_message"], name=spec.name,
                          standard=standard, found=substance.text.strip(), line=substance.line)
        return
    yield ctx.finding(rule, *_insertion_point(ctx, section_id), section=section_id, name=spec.name,
                      standard=standard)


def _insertion_point(ctx: Context, section_id: str) -> tuple[int, int]:
    order = [spec.id for spec in ctx.pack.sections]
    later = set(order[order.index(section_id) + 1:])
    for match in ctx.template.sections:
        if match.section in later:
            return match.heading.start, match.heading.start
    end = ctx.document.outline.body[1]
    return end, end
