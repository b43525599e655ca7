"""Score, grade and the grade's explanation, from a pack's ``scoring`` policy.

* **Score**: 100 minus the points each rule loses, floored at 0. A rule loses ``weight`` ×
  ``severity_factors[s]`` for the worst severity ``s`` among its active findings, so a rule
  firing many times counts once (its count is shown in the explanation). Weights are points:
  adding a rule to a pack does not change what the other rules cost.
* **Grade**: the best of ``scoring.grades`` whose ``min`` the score reaches, then lowered to the
  ceiling of every ``scoring.caps`` entry some active finding matches (a missing required part or
  an unfilled template → 需修改; any error → at most 合格).
* **Explanation** (``为什么是这个等级``): in Chinese, the caps that applied with the findings behind
  them, the score and the rules that cost most.

Suppressed findings (in-document directives, baselines) never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from checker.model.records import record
from checker.packs import GradeCap, Pack, Rule
from checker.result import Finding, Severity

# How many costly rules and how many findings per cap the explanation names.
SHOWN_DEDUCTIONS = 3
SHOWN_FINDINGS = 4


@dataclass(frozen=True)
class Deduction:
    rule: str
    label: str  # what the rule asks for, in Chinese
    severity: Severity
    count: int  # active findings of the rule
    points: float


@dataclass(frozen=True)
class Grading:
    score: float
    grade: str
    reason: str
    deductions: tuple[Deduction, ...]
    caps: tuple[GradeCap, ...]  # the ceilings that lowered or held the grade


def rule_label(rule: Rule) -> str:
    """The Chinese half of a rule's description (``标题写明年度 / the title …`` → ``标题写明年度``)."""
    return (rule.description or rule.id).split(" / ")[0].strip()


def _points(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def grade(pack: Pack, rules: Iterable[Rule] | Mapping[str, Rule], findings: Iterable[Finding]) -> Grading:
    """`rules`: the rules run, or (cheaper for many documents) a mapping of their ids to them."""
    active = [f for f in findings if not f.suppressed]
    by_rule = rules if isinstance(rules, Mapping) else {rule.id: rule for rule in rules}
    worst: dict[str, Severity] = {}
    counts: dict[str, int] = {}
    for finding in active:
        rule_id, severity, count = finding.rule, finding.severity, finding.count
        counts[rule_id] = counts.get(rule_id, 0) + (count if count > 1 else 1)
        known = worst.get(rule_id)
        if known is None or severity > known:
            worst[rule_id] = severity
    deductions = []
    for rule_id, severity in worst.items():
        rule = by_rule.get(rule_id)
        points = (rule.weight if rule else 0.0) * pack.severity_factors.get(severity, 0.0)
        if points > 0:
            deductions.append(record(Deduction, {"rule": rule_id, "label": rule_label(rule) if rule else rule_id,
                                                 "severity": severity, "count": counts[rule_id], "points": points}))
    if len(deductions) > 1:
        deductions.sort(key=_costliest_first)
    score = round(max(0.0, 100.0 - sum(d.points for d in deductions)), 1)
    by_score = pack.grade_for(score)

    rank = {name: index for index, (_, name) in enumerate(pack.grades)}
    result = by_score
    applied: list[tuple[GradeCap, list[Finding]]] = []
    for cap in pack.caps:
        # the findings `cap.matches`, tested inline (a method call per finding and cap cost more
        # than the rest of grading)
        named, floor = cap.rules, cap.severity
        hits = [f for f in active if (not named or f.rule in named) and (floor is None or f.severity >= floor)]
        if not hits:
            continue
        if rank.get(cap.grade, 0) >= rank.get(result, 0):
            applied.append((cap, hits))
    for cap, _ in applied:
        if rank.get(cap.grade, 0) > rank.get(result, 0):
            result = cap.grade
    # keep only the caps at the final grade: those are the reasons for it
    applied = [(cap, hits) for cap, hits in applied if cap.grade == result]
    return Grading(score, result, _explain(pack, score, by_score, result, applied, deductions),
                   tuple(deductions), tuple(cap for cap, _ in applied))


def _costliest_first(deduction: Deduction) -> tuple[float, str]:
    return -deduction.points, deduction.rule


def _explain(pack: Pack, score: float, by_score: str, final: str,
             applied: list[tuple[GradeCap, list[Finding]]], deductions: list[Deduction]) -> str:
    """``需修改。缺少必备部分：缺少“…”部分。得分 64（低于 70 分为需修改）；其他扣分：…（警告，2 处，−3）。``"""
    sentences = [final]
    named: set[str] = set()
    for cap, hits in applied:
        messages: dict[str, int] = {}
        for finding in hits:
            messages[finding.message] = messages.get(finding.message, 0) + max(1, finding.count)
        shown = [f"{m}（{n} 处）" if n > 1 else m for m, n in list(messages.items())[:SHOWN_FINDINGS]]
        more = f"等，共 {sum(messages.values())} 处" if len(messages) > SHOWN_FINDINGS else ""
        sentences.append(f"{cap.reason}：{'；'.join(shown)}{more}")
        named |= {f.rule for f in hits}
    scored = f"得分 {_points(score)}（{_band(pack, by_score)}）"
    if by_score != final:
        scored += f"，按得分本为{by_score}，因上述问题定为{final}"
    rest = [d for d in deductions if d.rule not in named]
    if rest:
        costly = "、".join(
            f"{d.label}（{d.severity.chinese}{f'，{d.count} 处' if d.count > 1 else ''}，−{_points(d.points)}）"
            for d in rest[:SHOWN_DEDUCTIONS])
        more = f"等 {len(rest)} 项" if len(rest) > SHOWN_DEDUCTIONS else ""
        scored += f"；{'其他扣分' if named else '扣分'}：{costly}{more}"
    elif not deductions:
        scored += "；没有扣分的问题"
    sentences.append(scored)
    return "。".join(sentences) + "。"


def _band(pack: Pack, name: str) -> str:
    """``90 分及以上为优秀`` / ``70–90 分为合格``: the score range of grade ``name``."""
    ordered = pack.grades  # best first
    for index, (minimum, grade_name) in enumerate(ordered):
        if grade_name != name:
            continue
        upper = ordered[index - 1][0] if index > 0 else None
        if upper is None:
            return f"{_points(minimum)} 分及以上为{name}"
        if minimum <= 0:
            return f"低于 {_points(upper)} 分为{name}"
        return f"{_points(minimum)}–{_points(upper)} 分为{name}"
    return name
