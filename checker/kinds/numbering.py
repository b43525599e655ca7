"""numbering — heading numbers count 一二三… / 1 2 3… at every level, without gaps or repeats.

Headings and their levels come from the outline (一、 → level 1, （一） → 2, 1. / 1、 → 3,
（1） → 4). Under each parent heading the children are checked in order:

  * a missing or unreadable number: ``()强化领导`` — the finding says which number belongs there;
  * a list that does not start at one: the first sub-heading is ``（二）``;
  * a repeated number (two ``一、``), a number going backwards, or a gap (``（一）`` then ``（三）``);
  * styles mixed in one list: ``（1）（2）（三）`` — the finding is at ``（三）``, the heading that
    breaks the list's style;
  * a list may continue the count of the previous list at its level (``1.`` ``2.`` under
    ``（一）``, ``3.`` ``4.`` under ``（二）``): numbering that runs on through the document is fine;
  * an inline enumeration ``一是…二是…四是…`` that skips (or repeats) a number;
  * a number missing its opening bracket at a line start: ``一）强化领导`` → ``（一）``;
  * an arabic number inside a run-on line in the middle of a sentence (``依法行政 2、工作``, a web
    page's page or chunk number) is not taken for a heading;
  * (note) full-width and half-width brackets mixed at one level: ``（一）`` here, ``(二)`` there —
    reported once per level, with ``width_severity`` (default info).

Options:
  width_check     report mixed full/half-width brackets (default true)
  width_severity  severity of that note (default info)

Placeholders: {problem} (what is wrong, in Chinese), {fix} (the marker to write instead),
{marker} (the marker as written), {heading} (the heading text), {expected}.

Passing: ``一、…`` ``（一）…`` ``（二）…`` ``二、…`` ``（一）…``.
Failing: ``二、…`` followed directly by ``（二）…`` (the list starts at 二); ``（1）…（2）…（三）…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.context import Context
from checker.kinds._text import scope_of
from checker.model.outline import Heading, parse_number
from checker.packs import Rule
from checker.result import Finding, Severity

OPTIONS = {
    "width_check": (bool, True),
    "width_severity": (str, "info"),
}

_CN = "一二三四五六七八九"
_STYLE_NAMES = {"cn": "一、", "paren-cn": "（一）", "arabic": "1.", "paren-arabic": "（1）"}


def validate(options: dict) -> dict:
    try:
        Severity.parse(options["width_severity"])
    except KeyError:
        raise ValueError("width_severity 应为 error / warning / info") from None
    return options


def chinese_number(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else chinese_number(tens)) + "十" + (_CN[ones - 1] if ones else "")


def marker_for(heading: Heading, n: int) -> str:
    """The marker ``heading`` should carry to be number ``n``, in its own style and width."""
    digits = chinese_number(n) if heading.style in ("cn", "paren-cn") else str(n)
    if heading.style.startswith("paren"):
        return f"（{digits}）" if heading.fullwidth or "（" in heading.marker else f"({digits})"
    separator = heading.marker.rstrip()[-1:] if heading.marker.rstrip()[-1:] in ("、", ".", "．", ",") else "、"
    if heading.style == "cn" and separator != "、":
        separator = "、"
    return digits + separator


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    text = ctx.document.text
    headings = [h for h in ctx.document.outline.headings if h.style != "hint" and not _page_number(text, h)]
    children: dict[int, list[Heading]] = {}
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        children.setdefault(id(stack[-1]) if stack else 0, []).append(heading)
        stack.append(heading)
    run_on: dict[tuple[int, str], int] = {}
    found = [finding for siblings in children.values() for finding in _check_list(ctx, rule, siblings, run_on)]
    found += _check_enumerations(ctx, rule)
    found += _check_half_brackets(ctx, rule)
    yield from sorted(found, key=lambda f: f.start or 0)
    if rule.options["width_check"]:
        yield from _check_width(ctx, rule, headings)


# What may stand before a number that starts an item inside a run-on paragraph.
_ITEM_BREAK = "。;；:：!！?？"


def _page_number(text: str, heading: Heading) -> bool:
    """An arabic number found inside a run-on line in the middle of a sentence — ``依法行政 2、工作``,
    where a web page put its page or chunk number — is no heading."""
    if not heading.inline or heading.style not in ("arabic", "paren-arabic"):
        return False
    before = text[max(0, heading.start - 20):heading.start].rstrip()
    return bool(before) and before[-1] not in _ITEM_BREAK


def _finding(ctx: Context, rule: Rule, heading: Heading, problem: str, fix: str, expected: int,
             end_heading: Heading | None = None, severity: Severity | None = None) -> Finding:
    end = (end_heading or heading).end
    return ctx.finding(rule, heading.start, end, severity=severity, problem=problem, fix=fix,
                       marker=heading.marker, heading=heading.text, expected=expected)


def _check_list(ctx: Context, rule: Rule, siblings: list[Heading],
                run_on: dict[tuple[int, str], int]) -> Iterator[Finding]:
    """One parent's children. `run_on` holds the last number of each (level, style) in earlier
    lists, so that a list continuing the previous one's count (1. 2. under （一）, 3. 4. under
    （二）) is accepted."""
    counters: dict[int, int] = {}  # level -> number of the last sibling at that level
    first_at_level: dict[int, Heading] = {}
    previous: Heading | None = None
    for heading in siblings:
        level = heading.level
        last = counters.get(level)
        expected = 1 if last is None else last + 1
        number = heading.number
        if number is None:
            yield _finding(ctx, rule, heading, f"标题编号「{heading.marker}」缺少序号或无法识别",
                           marker_for(heading, expected), expected)
            counters[level] = expected
        elif previous is not None and previous.level > level and previous.number is not None \
                and number == previous.number + 1 and last is None:
            # （1）（2）（三）: the heading that breaks its list's style is the one to change
            yield _finding(ctx, rule, heading,
                           f"同一组标题编号样式混用：前面用「{_STYLE_NAMES[previous.style]}」式，"
                           f"此处「{heading.marker}」改用「{_STYLE_NAMES[heading.style]}」式",
                           marker_for(previous, number), expected)
            counters[level] = number
        elif last is None and number != 1 and run_on.get((level, heading.style)) == number - 1:
            counters[level] = number  # numbering that runs on through the document: 1. 2. | 3. 4.
        elif last is None and number != 1:
            yield _finding(ctx, rule, heading, f"这一组标题从「{heading.marker}」开始，缺少前面的序号",
                           marker_for(heading, 1), 1)
            counters[level] = number
        elif last is not None and number == last:
            yield _finding(ctx, rule, heading, f"标题编号「{heading.marker}」与上一个同级标题重复",
                           marker_for(heading, expected), expected)
            counters[level] = expected
        elif last is not None and number < last:
            yield _finding(ctx, rule, heading, f"标题编号「{heading.marker}」比上一个同级标题的序号还小",
                           marker_for(heading, expected), expected)
            counters[level] = expected
        elif last is not None and number > expected:
            skipped = "、".join(marker_for(heading, n) for n in range(expected, min(number, expected + 3)))
            yield _finding(ctx, rule, heading, f"标题编号从上一个跳到「{heading.marker}」，中间缺少 {skipped}",
                           marker_for(heading, expected), expected)
            counters[level] = number
        else:
            counters[level] = number
        first_at_level.setdefault(level, heading)
        previous = heading
        if heading.number is not None:
            run_on[(level, heading.style)] = counters[level]


# 一是…二是…三是 inside the text: an ordinal 是 after a sentence or clause break
# its first numeral, then "at the text's start or after a stop or space" (a look-behind over that
# numeral and the character before): a pattern that starts with a numeral is searched by skipping to
# the numerals, one that starts with ^|(?<=…) is tried at every position (the same matches)
_ENUMERATION = re.compile(r"(?P<n>[一二三四五六七八九十](?<![^。;:,!?\s].)[一二三四五六七八九十]{0,2})是")
# Two items further apart than this are not one enumeration.
_ENUMERATION_SPAN = 1500


def _check_enumerations(ctx: Context, rule: Rule) -> list[Finding]:
    """一是…二是…四是: an inline enumeration that skips or repeats a number. A new 一是 starts a
    new enumeration; items far apart are not compared."""
    scope = scope_of(ctx, None)
    if scope is None:
        return []
    found = []
    previous: tuple[int, int] | None = None  # (number, folded end) of the last item
    for match in _ENUMERATION.finditer(scope.text):
        number = parse_number("cn", match.group("n"))
        if number is None:
            continue
        if number == 1 or previous is None or match.start() - previous[1] > _ENUMERATION_SPAN:
            previous = (number, match.end()) if number == 1 else None
            continue
        last = previous[0]
        if number != last + 1:
            start, end = scope.orig(match.start(), match.end(), ctx.document.norm)
            expected = last + 1
            problem = (f"「{match.group(0)}」前面缺少「{chinese_number(expected)}是」" if number > expected
                       else f"「{match.group(0)}」与前面的「{chinese_number(last)}是」重复或倒序")
            found.append(ctx.finding(rule, start, end, problem=problem, fix=f"{chinese_number(expected)}是",
                                     marker=match.group(0), heading="", expected=expected))
        previous = (number, match.end())
    return found


# 一）强化领导 at a line start: a heading number with its opening bracket missing
_HALF_BRACKET = re.compile(r"(?m)^[ \t]*(?P<n>[一二三四五六七八九十]{1,3})\)(?=[^\s)])")


def _check_half_brackets(ctx: Context, rule: Rule) -> list[Finding]:
    scope = scope_of(ctx, None)
    if scope is None:
        return []
    found = []
    for match in _HALF_BRACKET.finditer(scope.text):
        number = parse_number("cn", match.group("n"))
        start, end = scope.orig(match.start("n"), match.end(), ctx.document.norm)
        marker = ctx.document.text[start:end]
        fixed = f"（{match.group('n')}）" if "）" in marker else f"({match.group('n')})"
        found.append(ctx.finding(rule, start, end, problem=f"标题编号「{marker}」缺少左括号", fix=fixed,
                                 marker=marker, heading="", expected=number or 0))
    return found


def _check_width(ctx: Context, rule: Rule, headings: list[Heading]) -> Iterator[Finding]:
    severity = Severity.parse(rule.options["width_severity"])
    by_level: dict[int, list[Heading]] = {}
    for heading in headings:
        if heading.style.startswith("paren"):
            by_level.setdefault(heading.level, []).append(heading)
    for level, group in sorted(by_level.items()):
        full = [h for h in group if h.fullwidth]
        half = [h for h in group if not h.fullwidth]
        if full and half:
            minority = half if len(half) < len(full) else full
            first = minority[0]
            width = "半角" if first in half else "全角"
            yield _finding(ctx, rule, first,
                           f"同一级标题的括号全角、半角混用（全角 {len(full)} 处，半角 {len(half)} 处），此处为{width}「{first.marker}」",
                           f"统一使用全角括号，如 {marker_for(first, 1).replace('(', '（').replace(')', '）')}",
                           first.number or 0, severity=severity)
