"""punctuation — paired marks balanced within a paragraph, no doubled punctuation.

Checked on each line (paragraph) of the scope, after folding (so ``（`` and ``(`` count alike):

  * paired marks — 《》 “” () 【】 ‘’ — each opened mark closed in the same paragraph and
    every closing mark opened; ``《民法典《公务员法》`` (a 《 opened inside another 《) is reported
    as a missing 》. A ``1)`` / ``a)`` list marker is not an unopened bracket;
  * doubled punctuation — ``，，`` ``。。`` ``,、`` ``、，`` ``;;`` (two marks of the set
    ，。、；： in a row); one finding per paragraph, with the count of the others.

Options:
  pairs     the pairs to check, each a two-character string (default ["《》", "“”", "()", "【】"])
  doubled   check doubled punctuation (default true)
  max_findings  at most this many findings per document (default 30)

Placeholders: {problem} (what is wrong, in Chinese), {fix} (what to write), {mark} (the mark).

Passing: ``组织学习《宪法》《民法典》《公务员法》等法律法规。``
Failing: ``组织学习《宪法》、《民法典《公务员法》等`` (missing 》 after 民法典); ``依法行政，，提升能力``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.context import Context
from checker.kinds._text import prepared, rule_scope
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "pairs": (list, ["《》", "“”", "()", "【】"]),
    "doubled": (bool, True),
    "max_findings": (int, 30),
}

_MAX_MARKS = 5000  # paired marks examined per paragraph
# Doubled marks from the set ，。、；：(folded: , 。 、 ; :) — not "..." and not digits (1,000 / 11:13)
_DOUBLED = re.compile(r"(?<!\d)[,。、;:][ ]?[,。、;:](?!\d)")
# A list marker closing bracket: "1)" "a)" "十)" at a paragraph start or after a sentence mark
_LIST_MARKER = re.compile(r"(?:^|[ ,。、;:!?])[0-9a-zA-Z一二三四五六七八九十]{1,3}$")


def validate(options: dict) -> dict:
    prepare(options)
    if options["max_findings"] < 1:
        raise ValueError("max_findings 应为正整数")
    return options


def prepare(options: dict) -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    openers: dict[str, str] = {}
    closers: dict[str, str] = {}
    for pair in options["pairs"]:
        if not isinstance(pair, str) or len(fold(pair)) != 2 or fold(pair)[0] == fold(pair)[1]:
            raise ValueError(f"pairs 的条目应为两个不同字符组成的字符串，如 《》，而不是 {pair!r}")
        folded = fold(pair)
        openers[folded[0]] = folded[1]
        closers[folded[1]] = folded[0]
    return openers, closers, re.compile("[" + re.escape("".join(openers) + "".join(closers)) + "]")


def _display(mark: str) -> str:
    return {"(": "（", ")": "）", ",": "，", ";": "；", ":": "："}.get(mark, mark)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    openers, closers, marks = prepared(rule, prepare)
    limit = rule.options["max_findings"]
    count = 0
    for offset, start, end, problem, fix, mark in _problems(scope.text, openers, closers, marks, rule.options["doubled"], limit):
        if count >= limit:
            return
        count += 1
        orig_start, orig_end = scope.orig(start, end, ctx.document.norm)
        yield ctx.finding(rule, orig_start, orig_end, problem=problem, fix=fix, mark=_display(mark))


def _problems(text: str, openers: dict[str, str], closers: dict[str, str], marks: re.Pattern[str],
              doubled: bool, limit: int):
    """(line offset, start, end, problem, fix, mark) for each problem, in text order (at most
    ``limit`` per paragraph, so a hostile line of a million brackets stays linear and cheap)."""
    position = 0
    for line in text.split("\n"):
        found = _pair_problems(line, openers, closers, marks, limit)
        if doubled:
            matches = _DOUBLED.finditer(line)
            first = next(matches, None)
            if first is not None:  # one finding per paragraph, counting the others
                count = 1 + sum(1 for _ in matches)
                pair = "".join(_display(ch) for ch in first.group() if ch != " ")
                more = f"（本段共 {count} 处）" if count > 1 else ""
                found.append((first.start(), first.end(), f"标点重复或连用「{pair}」{more}", "只保留一个合适的标点", pair))
        for start, end, problem, fix, mark in sorted(found):
            yield position, position + start, position + end, problem, fix, mark
        position += len(line) + 1


def _unmatched(open_char: str, at: int, openers: dict[str, str]) -> tuple[int, int, str, str, str]:
    close = _display(openers[open_char])
    return (at, at + 1, f"「{_display(open_char)}」没有对应的「{close}」",
            f"补上「{close}」或删去「{_display(open_char)}」", open_char)


def _pair_problems(line: str, openers: dict[str, str], closers: dict[str, str], marks: re.Pattern[str],
                   limit: int) -> list[tuple[int, int, str, str, str]]:
    out: list[tuple[int, int, str, str, str]] = []
    stack: list[tuple[str, int]] = []
    depth: dict[str, int] = dict.fromkeys(openers, 0)  # open marks of each kind on the stack
    seen = 0
    for found in marks.finditer(line):
        seen += 1
        if seen > _MAX_MARKS:  # no real paragraph has this many: stop without guessing the rest
            return out
        if len(out) >= limit:
            return out
        index, char = found.start(), found.group()
        if char in openers:
            if char == "《" and depth["《"]:
                at = next(i for c, i in reversed(stack) if c == "《")
                out.append((at, index + 1, "书名号不配对：「《」还没有用「》」结束，又开始了新的「《」",
                            f"在「{line[at:index][-12:]}」后补上「》」", "《"))
                while stack and stack[-1][1] >= at:
                    depth[stack.pop()[0]] -= 1
            stack.append((char, index))
            depth[char] += 1
        elif char in closers:
            opener = closers[char]
            if stack and stack[-1][0] == opener:
                depth[stack.pop()[0]] -= 1
            elif depth.get(opener):
                # marks opened after the matching opener were never closed
                while stack[-1][0] != opener:
                    open_char, at = stack.pop()
                    depth[open_char] -= 1
                    out.append(_unmatched(open_char, at, openers))
                depth[stack.pop()[0]] -= 1
            elif char == ")" and _LIST_MARKER.search(line, max(0, index - 5), index):
                continue
            else:
                out.append((index, index + 1, f"「{_display(char)}」前面没有对应的「{_display(opener)}」",
                            f"补上「{_display(opener)}」或删去「{_display(char)}」", char))
    out.extend(_unmatched(open_char, at, openers) for open_char, at in stack[:max(0, limit - len(out))])
    return out
