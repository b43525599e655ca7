"""concepts — a scope must cover at least N of a list of concepts.

Each concept is a name plus synonyms. A concept is covered when one of its synonyms (or its
name) occurs in the scope's folded text (full-width folded to half-width, traditional to
simplified); a section's own heading does not count (``存在的不足和原因`` gives no cause).
With ``fuzzy: true`` a synonym also counts when rapidfuzz's partial similarity with some stretch of the scope reaches ``threshold`` (0–100): this forgives one wrong character
in a long synonym, never in a two-character one. When the scope's section is absent the rule
is silent (the ``required-section`` rules report that).

One finding, at the scope's heading, names the concepts that are missing.

Options:
  concepts    list; each item is a string (the name, also its only synonym) or a mapping
              ``{name: 述法, synonyms: [述法, 年终述职中报告法治建设]}``; required
  min         how many concepts must be covered (default: all of them)
  fuzzy       also accept near matches (default false)
  threshold   similarity 0–100 a fuzzy match needs (default 90)

Placeholders: {missing} (names of the missing concepts, joined by 、), {found} (names found),
{count} (how many were found), {min}, {total}, {needed} (how many more are needed).

With min 3 of 学法/述法/亲自部署/合法性审查/法律顾问/出庭应诉 on first-responsible:

Passing: ``党政主要负责人带头出庭应诉……重大行政决策合法性审核……会前学法12次``.
Failing: ``党政主要负责人高度重视法治政府建设，取得了明显成效。`` (none of the concepts).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from checker.context import Context
from checker.kinds._text import prepared, rule_scope, scope_anchor
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "concepts": (list, None),
    "min": (int, None),
    "fuzzy": (bool, False),
    "threshold": ((int, float), 90),
}


@dataclass(frozen=True)
class Concept:
    name: str
    synonyms: tuple[str, ...]  # folded


def prepare(options: dict) -> list[Concept]:
    concepts = []
    for item in options["concepts"]:
        if isinstance(item, str):
            name, synonyms = item, [item]
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            unknown = set(item) - {"name", "synonyms"}
            if unknown:
                raise ValueError(f"概念 {item['name']} 有未知的键 {', '.join(sorted(unknown))}（允许: name, synonyms）")
            name = item["name"]
            synonyms = item.get("synonyms") or [name]
            if not isinstance(synonyms, list) or not all(isinstance(s, str) and s for s in synonyms):
                raise ValueError(f"概念 {name} 的 synonyms 应为非空字符串的列表")
            if name not in synonyms:
                synonyms = [name, *synonyms]
        else:
            raise ValueError("concepts 的条目应为字符串或含 name 的映射")
        concepts.append(Concept(name, tuple(dict.fromkeys(fold(s) for s in synonyms))))
    return concepts


def validate(options: dict) -> dict:
    if not options.get("concepts"):
        raise ValueError("缺少选项 concepts")
    concepts = prepare(options)
    minimum = options.get("min")
    if minimum is not None and not 1 <= minimum <= len(concepts):
        raise ValueError(f"min 应在 1 到 {len(concepts)} 之间")
    if not 0 < options["threshold"] <= 100:
        raise ValueError("threshold 应在 0 到 100 之间")
    return options


def covered(concept: Concept, text: str, fuzzy: bool, threshold: float) -> bool:
    if any(synonym in text for synonym in concept.synonyms):
        return True
    if not fuzzy:
        return False
    return any(len(synonym) > 2 and fuzz.partial_ratio(synonym, text, score_cutoff=threshold)
               for synonym in concept.synonyms)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule, skip_heading=True)
    if scope is None:
        return
    concepts: list[Concept] = prepared(rule, prepare)
    options = rule.options
    found = [c.name for c in concepts if covered(c, scope.text, options["fuzzy"], options["threshold"])]
    minimum = options.get("min") or len(concepts)
    if len(found) >= minimum:
        return
    missing = [c.name for c in concepts if c.name not in found]
    # a point at the section's heading: the finding is about the section, not the heading's wording
    start = end = scope_anchor(ctx, scope)
    yield ctx.finding(rule, start, end, missing="、".join(missing), found="、".join(found) or "无",
                      count=len(found), min=minimum, total=len(concepts), needed=minimum - len(found))
