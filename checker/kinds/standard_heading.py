"""standard-heading — a recognised section heading should use the standard wording.

A top-level heading matched to a template section is compared with the section's standard
wording after both are reduced to their core: numbering, punctuation and years dropped, and the
words of the ``ignore`` option (年/年度, 和/与/及, 的, 情况/有关情况 …) removed. A heading whose
core equals the standard's is silent — ``一、2023年法治政府建设的主要举措及成效情况`` needs no note.
Otherwise one finding names what differs (``「推荐」应为「推进」``, ``少了「原因」``) and quotes
the standard wording with the report's concrete years; when the year is unknown the standard is
quoted without a year, never with a placeholder such as 上一年度 (which another rule flags).

Options:
  ignore       words removed from both sides before comparing (list; the pack's default covers
               年度, 和/与/及, 的, 有关情况/情况, 上一年度/下一年度)
  max_changes  more differing pieces than this and the note says the wording differs as a whole
               instead of listing them (default 3)

Placeholders: {heading} (as written), {standard}, {name}, {difference} (what differs, in
Chinese), {marker}, {similarity}.

Passing: ``四、2024年推进法治政府建设主要安排``.
Failing: ``二、2023年度推进法治政府建设存在的不足`` (the note: 少了「原因」);
``一、2023年度推荐法治政府建设的主要举措和成效`` (「推荐」应为「推进」).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import lru_cache

from checker.context import Context
from checker.kinds.numbering import marker_for
from checker.model.outline import Heading
from checker.packs import Rule
from checker.result import Finding
from checker.template import match_key

OPTIONS = {
    "ignore": (list, ["上一年度", "下一年度", "本年度", "年度", "有关情况", "情况", "以及", "和", "与", "及", "的"]),
    "max_changes": (int, 3),
}


def validate(options: dict) -> dict:
    if not all(isinstance(word, str) and word for word in options["ignore"]):
        raise ValueError("ignore 应为非空字符串的列表")
    if options["max_changes"] < 1:
        raise ValueError("max_changes 应为正整数")
    return options


_PLACEHOLDER_YEARS = re.compile("上一年度|下一年度|本年度")


def _words(ignore: list[str]) -> re.Pattern[str] | None:
    return _words_of(tuple(ignore))


@lru_cache(maxsize=64)
def _words_of(ignore: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted(ignore, key=len, reverse=True)  # 有关情况 before 情况
    return re.compile("|".join(map(re.escape, words))) if words else None


@lru_cache(maxsize=64)
def _trimmer(ignore: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted([*ignore, "有关"], key=len, reverse=True)))
    return re.compile(f"^(?:{words})+|(?:{words})+$")


def core(text: str, ignore: list[str]) -> str:
    """What is compared: the heading's key without years, punctuation and the ignored words."""
    pattern = _words(ignore)
    key = match_key(text)
    return pattern.sub("", key) if pattern else key


def difference(written: str, standard: str, ignore: list[str], max_changes: int) -> str | None:
    """In Chinese, what separates heading `written` from `standard`; None when their cores agree.

    The diff runs on the readable keys (years, punctuation and 上一年度 dropped), pieces made
    only of ignored words are left out, and pieces separated by a single equal character are
    merged so that the note quotes words, not stray characters."""
    if core(written, ignore) == core(standard, ignore):
        return None
    pattern = _words(ignore)
    left = _PLACEHOLDER_YEARS.sub("", match_key(written))
    right = _PLACEHOLDER_YEARS.sub("", match_key(standard))
    pieces: list[list[int]] = []  # [i1, i2, j1, j2] of each differing stretch
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if pieces and i1 - pieces[-1][1] <= 1 and j1 - pieces[-1][3] <= 1:
            pieces[-1][1], pieces[-1][3] = i2, j2
        else:
            pieces.append([i1, i2, j1, j2])
    changes = []
    for i1, i2, j1, j2 in pieces:
        if max(i2 - i1, j2 - j1) == 1:  # one character says little: quote it with its neighbour
            if i1 > 0 and j1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            elif i2 < len(left) and j2 < len(right):
                i2, j2 = i2 + 1, j2 + 1
        old, new = _trim(left[i1:i2], ignore), _trim(right[j1:j2], ignore)
        if old == new:  # only ignored words differ here (a neighbour quoted with 的 gives 「设」 and 「设的」)
            continue
        if old and new:
            changes.append(f"「{old}」应为「{new}」")
        elif old:
            changes.append(f"多了「{old}」")
        else:
            changes.append(f"少了「{new}」")
    similar = matcher.ratio() >= 0.5
    if not changes or len(changes) > max_changes or not similar:
        return "措辞与标准表述差别较大"
    return "；".join(changes)


def _trim(piece: str, ignore: list[str]) -> str:
    """`piece` without ignored words (and a dangling 有关) at either end: 「的主要举措和成效」 →
    「主要举措和成效」."""
    return _trimmer(tuple(ignore)).sub("", piece)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    ignore = rule.options["ignore"]
    for match in ctx.template.sections:
        spec = ctx.pack.section(match.section)
        heading = match.heading
        differs = difference(heading.key, spec.standard, ignore, rule.options["max_changes"])
        if differs is None:
            continue
        yield ctx.finding(rule, heading.start, heading.end, section=spec.id, heading=heading.text,
                          standard=ctx.standard_heading(spec), name=spec.name, similarity=match.similarity,
                          marker=_clean_marker(heading), difference=differs)


def _clean_marker(heading: Heading) -> str:
    """The heading's marker, rewritten in its own style where it is garbled (``一,、`` → ``一、``)."""
    if heading.number is None:
        return heading.marker
    return marker_for(heading, heading.number)
