"""metric — bounds on a scope's length and on how many concrete facts (numbers with units) it gives.

Evaluation reports on these annual reports keep naming the same defect: few facts and figures
(运用事例少). A *fact* here is an Arabic number followed by a unit of count or amount —
``12次`` ``33份`` ``1.5万元`` ``98%`` ``10000余份`` — years (``2023年``) and dates do not count.

Options (each bound is checked only when set):
  min_chars, max_chars            characters of the scope, spaces excluded
  min_paragraphs, max_paragraphs  non-empty lines of the scope (its heading included)
  min_facts                       numbers with units in the scope
  facts_per_1000                  minimum facts per 1000 characters (checked only when the scope
                                  has at least 300 characters and min_facts is met)
  count_headings                  count the characters of headings too (default true); false
                                  measures the text written under them (an unfilled skeleton has
                                  headings and almost nothing else)
  units                           the units that make a number a fact (default: 次 件 人次 场 %
                                  万元 亿元 元 个 起 份 人 名 家 条 项 期 户 篇 部 批 处 所 村 宗 小时 天)

One finding per violated bound, at the scope's heading. Placeholders: {problem} (what is wrong,
in Chinese), {metric} (chars / paragraphs / facts / density), {value}, {bound}, {examples}
(the first facts found).

Passing (measures, min_facts 3): ``共组织法治宣传活动22场，律师讲座34场，发放宣传资料10万余份``.
Failing: a measures section that only says ``积极开展法治宣传，取得了良好效果``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.context import Context
from checker.kinds._text import prepared, rule_scope, scope_anchor
from checker.packs import Rule
from checker.result import Finding

DEFAULT_UNITS = ["人次", "万元", "亿元", "小时", "次", "件", "场", "%", "元", "个", "起", "份", "人", "名", "家",
                 "条", "项", "期", "户", "篇", "部", "批", "处", "所", "村", "宗", "天"]

OPTIONS = {
    "min_chars": (int, None),
    "max_chars": (int, None),
    "min_paragraphs": (int, None),
    "max_paragraphs": (int, None),
    "min_facts": (int, None),
    "facts_per_1000": ((int, float), None),
    "units": (list, None),
    "count_headings": (bool, True),
}

BOUNDS = ("min_chars", "max_chars", "min_paragraphs", "max_paragraphs", "min_facts", "facts_per_1000")


def validate(options: dict) -> dict:
    if all(options.get(key) is None for key in BOUNDS):
        raise ValueError(f"至少要设置一个界限（{', '.join(BOUNDS)}）")
    for key in BOUNDS:
        if options.get(key) is not None and options[key] < 0:
            raise ValueError(f"{key} 不能为负数")
    units = options.get("units")
    if units is not None and not all(isinstance(u, str) and u for u in units):
        raise ValueError("units 应为非空字符串的列表")
    return options


def prepare(options: dict) -> re.Pattern[str]:
    units = sorted(options.get("units") or DEFAULT_UNITS, key=len, reverse=True)
    alternatives = "|".join(re.escape(u) for u in units)
    # a number (not part of a longer number, not a year) + optional 余/多 + optional 万/亿 + unit;
    # its first digit, then "not after a digit or point" (a look-behind over that digit and the
    # character before): a pattern that starts with a digit is searched by skipping to the digits,
    # one that starts with a look-behind (?<![\d.])\d+ is tried at every position (same matches)
    return re.compile(rf"\d(?<![\d.]\d)\d*(?:\.\d+)?[ ]?(?:余|多)?(?:万|亿)?(?:余|多)?(?:{alternatives})")


def facts_in(pattern: re.Pattern[str], text: str) -> list[str]:
    return pattern.findall(text)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    options = rule.options
    text = scope.text
    chars = len(text) - text.count(" ") - text.count("\n")
    if not options["count_headings"]:
        chars -= sum(len(h.key.replace(" ", "")) + len(h.marker.replace(" ", ""))
                     for h in ctx.document.outline.headings if scope.start <= h.start < scope.end)
        chars = max(0, chars)
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    # the facts are read where a bound needs them, else only for a finding's {examples}
    counted = options.get("min_facts") is not None or options.get("facts_per_1000") is not None
    facts = facts_in(prepared(rule, prepare), text) if counted else None
    # a point at the section's heading: the finding is about the section, not the heading's wording
    start = end = scope_anchor(ctx, scope)

    def finding(metric: str, value, bound, problem: str) -> Finding:
        nonlocal facts
        if facts is None:
            facts = facts_in(prepared(rule, prepare), text)
        return ctx.finding(rule, start, end, metric=metric, value=value, bound=bound, problem=problem,
                           examples="、".join(facts[:3]) or "无")

    if options.get("min_chars") is not None and chars < options["min_chars"]:
        yield finding("chars", chars, options["min_chars"], f"篇幅过短：只有 {chars} 字，至少应有 {options['min_chars']} 字")
    if options.get("max_chars") is not None and chars > options["max_chars"]:
        yield finding("chars", chars, options["max_chars"], f"篇幅过长：有 {chars} 字，不宜超过 {options['max_chars']} 字")
    if options.get("min_paragraphs") is not None and paragraphs < options["min_paragraphs"]:
        yield finding("paragraphs", paragraphs, options["min_paragraphs"],
                      f"段落过少：只有 {paragraphs} 段，至少应有 {options['min_paragraphs']} 段")
    if options.get("max_paragraphs") is not None and paragraphs > options["max_paragraphs"]:
        yield finding("paragraphs", paragraphs, options["max_paragraphs"],
                      f"段落过多：有 {paragraphs} 段，不宜超过 {options['max_paragraphs']} 段")
    if options.get("min_facts") is not None and len(facts) < options["min_facts"]:
        yield finding("facts", len(facts), options["min_facts"],
                      f"具体数据太少：只有 {len(facts)} 处带单位的数字，至少应有 {options['min_facts']} 处")
    density = options.get("facts_per_1000")
    too_few = options.get("min_facts") is not None and len(facts) < options["min_facts"]
    if density is not None and not too_few and chars >= 300 and len(facts) * 1000 / chars < density:
        value = round(len(facts) * 1000 / chars, 1)
        yield finding("density", value, density, f"具体数据偏少：每千字只有 {value} 处带单位的数字，应不少于 {density} 处")
