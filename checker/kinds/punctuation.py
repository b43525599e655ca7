"""punctuation — paired marks balanced, no doubled marks; optionally ASCII marks, 、及, 二是, stray spaces, mixed date styles.

Checked on each line (paragraph) of the scope, after folding (so ``（`` and ``(`` count alike):

  * paired marks — 《》 “” () 【】 ‘’ — each opened mark closed in the same paragraph and
    every closing mark opened; ``《民法典《公务员法》`` (a 《 opened inside another 《) is reported
    as a missing 》. A ``1)`` / ``a)`` list marker is not an unopened bracket;
  * doubled punctuation — ``，，`` ``。。`` ``,、`` ``、，`` ``;;`` (two marks of the set
    ，。、；： in a row); one finding per paragraph, with the count of the others.

Optional checks (each off by default; the national pack runs each as its own rule), on the
running text of the body (page chrome, title, closing block and, for spaces, headings left out):

  * ``ascii_marks`` — ASCII double quotes and full stops written inside Chinese text
    (``依法行政."`` → ``依法行政。”``): ONE finding per document with the count and places;
    ``checker fix`` turns ``.`` into ``。`` and the quotes of a paragraph with an even number of
    them into “ ”. ASCII commas, colons, semicolons and brackets are not reported: saved web
    pages fold them to ASCII, so they are noise. Also a title nested in a title written with
    angle brackets (``《关于贯彻落实<法治政府建设实施纲要>的意见》``, ASCII or full-width ＜＞):
    one finding per nested title, fixed to 〈…〉 (the nested title mark); never a ``<`` outside
    《…》 (markup, comparisons) nor one holding no Chinese text (``《<b>…``);
  * ``enumeration`` — ``、及`` / ``、以及`` / ``、等，`` (a 顿号 before a conjunction or 等 is
    superfluous; fixed) and an enumeration ``二是`` … ``十是`` not preceded by 。 or ； when the
    paragraph has the item before it (fixed with the mark the paragraph uses elsewhere, else ；);
  * ``spaces`` — spaces between a Chinese punctuation mark and the next character (``工作。 在``),
    before a mark (``过程中 ，``), just inside brackets (``( 2021``), outside Chinese quotation
    marks and book-title marks (``锚定 “目标” 的``), not before a heading marker
    of a run-on paragraph, not between characters set with letter spacing (``政 府 工 作 报 告``:
    three or more characters, each alone between single spaces); and a space inside a word: a dictionary
    word that is no name (``主 体``, ``负责 人``), or a word the document writes whole at least twice
    elsewhere (``深 入`` where ``深入`` occurs), not where words meet on both sides of the space
    (``副组长 成员``), not in a PDF; in a heading only a space inside a word counts (``持 续深化``;
    a heading of two or three characters may be spaced out: ``前 言``); and a line break inside a
    common word of running text (``学习宣传贯⏎彻``: a long line that stops where no word ends, the
    next starting where none starts), not in a PDF; one finding per document with the count, each
    place quoting its own context, fixed by deleting them;
  * ``dates`` — full dates of the body written in more than one style (2023年3月1日 / 2023.3.1 /
    2023-03-01 / 2023/3/1): one finding per minority style, with its count.

Options:
  pairs     the pairs to check, each a two-character string (default ["《》", "“”", "()", "【】"]; [] for none)
  doubled   check doubled punctuation (default true)
  ascii_marks   ASCII quotes and full stops in Chinese text (default false)
  enumeration   、及 and 二是 without 。/； before it (default false)
  spaces    stray spaces around Chinese punctuation (default false)
  dates     mixed date styles (default false)
  max_findings  at most this many findings per document (default 30)

Placeholders: {problem} (what is wrong, in Chinese), {fix} (what to write), {mark} (the mark).

Passing: ``组织学习《宪法》《民法典》《公务员法》等法律法规。``
Failing: ``组织学习《宪法》、《民法典《公务员法》等`` (missing 》 after 民法典); ``依法行政，，提升能力``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from checker.context import Context
from checker.kinds._chars import is_han as _han
from checker.kinds._text import Scope, grouped_finding, in_spans, prepared, rule_scope, skipped_lines
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "pairs": (list, ["《》", "“”", "()", "【】"]),
    "doubled": (bool, True),
    "ascii_marks": (bool, False),
    "enumeration": (bool, False),
    "spaces": (bool, False),
    "dates": (bool, False),
    "max_findings": (int, 30),
}

_MAX_MARKS = 5000  # paired marks examined per paragraph
# Doubled marks from the set ，。、；：(folded: , 。 、 ; :) — not "..." and not digits (1,000 / 11:13)
# the first mark, then "not after a digit" (a look-behind over it and the character before): a
# pattern that starts with a mark is searched by skipping to the marks, one that starts with a
# look-behind is tried at every position (the same matches, several times the cost)
_DOUBLED = re.compile(r"[,。、;:](?<!\d.)[ ]?[,。、;:](?!\d)")
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
    if not openers:
        return openers, closers, None
    return openers, closers, re.compile("[" + re.escape("".join(openers) + "".join(closers)) + "]")


def _display(mark: str) -> str:
    return {"(": "（", ")": "）", ",": "，", ";": "；", ":": "："}.get(mark, mark)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    openers, closers, marks = prepared(rule, prepare)
    limit = rule.options["max_findings"]
    options = rule.options
    if options["ascii_marks"] or options["enumeration"] or options["spaces"] or options["dates"]:
        yield from islice(_additions(ctx, rule, scope, options), limit)
    if marks is None and not options["doubled"]:
        return
    count = 0
    for offset, start, end, problem, fix, mark in _problems(scope.text, openers, closers, marks, rule.options["doubled"], limit):
        if count >= limit:
            return
        count += 1
        orig_start, orig_end = scope.orig(start, end, ctx.document.norm)
        yield ctx.finding(rule, orig_start, orig_end, problem=problem, fix=fix, mark=_display(mark))


_FINISHED = re.compile(r"[。！？；：.!?;:”’）)》」』…]\s*$")


def _problems(text: str, openers: dict[str, str], closers: dict[str, str], marks: re.Pattern[str],
              doubled: bool, limit: int):
    """(line offset, start, end, problem, fix, mark) for each problem, in text order (at most
    ``limit`` per paragraph, so a hostile line of a million brackets stays linear and cheap).
    The last paragraph of a text that stops mid-sentence (a cut-off copy) is not judged for marks
    left open: their other half was cut off."""
    position = 0
    lines = text.split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    pairs = _plain_pairs(openers, closers)
    for index, line in enumerate(lines):
        found = _pair_problems(line, openers, closers, marks, limit, pairs)
        if index == last and not _FINISHED.search(line):
            found = [p for p in found if not p[2].endswith("」") or "没有对应的" not in p[2] or p[4] not in openers]
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


_QUICK_MARKS = 64  # paired marks of a paragraph that `_well_paired` looks at (more: the walk below)


def _plain_pairs(openers: dict[str, str], closers: dict[str, str]) -> list[str] | None:
    """The pairs (“”, （）, 《》 …) when each closes only its own opener and no mark is both an
    opener and a closer: then `_well_paired` may stand in for the walk; None otherwise."""
    if len(openers) != len(closers) or set(openers) & set(closers) \
            or any(closers.get(closer) != opener for opener, closer in openers.items()):
        return None
    return [opener + closer for opener, closer in openers.items()]


def _well_paired(line: str, marks: re.Pattern[str], pairs: list[str]) -> bool:
    """Whether the walk of `_pair_problems` finds nothing on ``line``, known quicker (most
    paragraphs): its paired marks, taken in order, come to nothing when every pair written next to
    each other is taken away, again and again; and no 《 opens inside another. A paragraph with
    more than `_QUICK_MARKS` marks is left to the walk."""
    found = marks.findall(line)
    if not found:
        return True
    if len(found) > _QUICK_MARKS:
        return False
    sequence = "".join(found)
    written = sequence
    while written:
        shorter = written
        for pair in pairs:
            shorter = shorter.replace(pair, "")
        if len(shorter) == len(written):
            return False
        written = shorter
    if "《》" in pairs:  # a 《 opened before the last one is closed: a problem of its own
        at = sequence.find("《")
        while at >= 0:
            following = sequence.find("《", at + 1)
            if 0 <= following < sequence.find("》", at):
                return False
            at = following
    return True


def _pair_problems(line: str, openers: dict[str, str], closers: dict[str, str], marks: re.Pattern[str] | None,
                   limit: int, pairs: list[str] | None = None) -> list[tuple[int, int, str, str, str]]:
    """Marks left open or closed without an opener on ``line``, walking its marks with a stack;
    ``pairs`` (`_plain_pairs`): the paragraphs with nothing to find are known without the walk."""
    out: list[tuple[int, int, str, str, str]] = []
    if marks is None or (pairs is not None and _well_paired(line, marks, pairs)):
        return out
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


# ── optional checks, on the original text of the body ────────────────────────────────────

_HAN = "\u4e00-\u9fff"
# an ASCII quote touching a Chinese character or mark; an ASCII full stop after a Chinese
# character (or a %) and before one, a quote or the line end (not 1.5, www.gov.cn, "一." numbering)
# (the literal comes first in each pattern, lookbehinds after it: a pattern that opens with a
# lookbehind is tried at every position of the text)
_ASCII_QUOTE = re.compile(f'"(?<=[{_HAN}，。；：、！？]")|"(?=[{_HAN}，。；：、！？])')
_ASCII_STOP = re.compile(f"\\.(?<=[{_HAN}”）》\"%]\\.)(?=[{_HAN}“”\"]|[ \\t]*$)", re.M)
# a title in 《…》 holding a nested title between angle brackets (ASCII or full-width): the inner
# title has Chinese characters and no markup characters
_TITLE_WITH_ANGLES = re.compile(r"《[^《》\n]*?[<＜][^《》\n]*》")
_ANGLED = re.compile(f"[<＜]([^<>＜＞《》\\n/=\"']*[{_HAN}][^<>＜＞《》\\n/=\"']*)[>＞]")
_NUMBERING_STOP = re.compile(f"^[ \\t\u3000]*[一二三四五六七八九十]{{1,3}}$")
_ENUM_CONJ = re.compile(r"、(?=以及|及(?!时|早|格|其)|等[，。；,;])")
# (not the 二是 of 十二是: an item from eleven on is written with two numerals)
_ENUM_ITEM = re.compile(f"([二三四五六七八九十])是(?<=[{_HAN}][二三四五六七八九十]是)(?<![第其一二三四五六七八九十][二三四五六七八九十]是)"
                        f"(?!否|非|不是)(?=[{_HAN}])")
_CN_ORDER = "一二三四五六七八九十"
_ENUM_MARK = re.compile(f"([。；;])[{_CN_ORDER}]是")
_SPACES = re.compile("[ \u3000\xa0]+")
_MARKS_AFTER = set("，。；：、！？")  # a space after one of these and before text is stray
_MARKS_BEFORE = set("，。；：、！？,;:")  # a space before one of these is stray
_OPENERS, _CLOSERS = set("（(《“"), set("）)》”")
# a space between two Chinese characters: reported only where it splits a word the document
# writes whole elsewhere (深 入 / 深入), not where web pages and run-on headings put one
MAX_WORD_LOOKUPS = 30
_FUNCTION_CHARS = set("的了在和是与及对为等把被向从以于就也都而并或")
# Chinese characters each standing alone between single spaces, three or more: a title set with
# letter spacing (政 府 工 作 报 告), deliberate layout, not stray spaces
_LETTER_SPACED = re.compile(f"(?<![{_HAN}])[{_HAN}](?:[ \u3000\xa0][{_HAN}]){{2,}}(?![{_HAN}])")
_HEADING_MARKER = re.compile(r"[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)")
_DATE = re.compile(r"(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|([./-])\d{1,2}\1\d{1,2}(?![\d./-]))")
_DATE_STYLES = {"年": "年月日", ".": "点号", "-": "连字符", "/": "斜线"}
_STYLE_ORDER = list(_DATE_STYLES.values())


def _additions(ctx: Context, rule: Rule, scope: Scope, options: dict) -> Iterator[Finding]:
    text = ctx.document.text
    start, end = scope.start, scope.end
    chrome = skipped_lines(ctx, headings=False)
    if options["ascii_marks"]:
        yield from _ascii_marks(ctx, rule, text, start, end, chrome)
    if options["enumeration"]:
        yield from _enumeration(ctx, rule, text, start, end, chrome)
    if options["spaces"]:
        yield from _spaces(ctx, rule, text, start, end, skipped_lines(ctx, headings=False))
    if options["dates"]:
        yield from _dates(ctx, rule, text, start, end, chrome)


def _ascii_marks(ctx: Context, rule: Rule, text: str, start: int, end: int, chrome: list[tuple[int, int]]) -> Iterator[Finding]:
    spans = []
    for pattern in (_ASCII_QUOTE, _ASCII_STOP):
        for match in pattern.finditer(text, start, end):
            at = match.start()
            if in_spans(at, chrome):
                continue
            if match.group() == ".":  # "一." numbering at a line start (looked for a few characters back)
                line_start = text.rfind("\n", max(0, at - 8), at) + 1
                if (line_start or at <= 8) and _NUMBERING_STOP.match(text, line_start, at):
                    continue
            spans.append((at, at + 1))
    if spans:
        spans.sort()
        marks = sorted({text[a] for a, _ in spans})  # the marks this document has: '"', '.'
        advice = {'"': "引号用「“”」", ".": "句号用「。」"}
        yield grouped_finding(ctx, rule, spans,
                              problem="中文句子中使用了英文（半角）标点" + "".join(f"「{m}」" for m in marks),
                              fix="改为中文标点：" + "，".join(advice[m] for m in marks), mark=text[spans[0][0]])
    yield from _angled_titles(ctx, rule, text, start, end, chrome)


def _angled_titles(ctx: Context, rule: Rule, text: str, start: int, end: int, chrome: list[tuple[int, int]]) -> Iterator[Finding]:
    """A title nested in a 《…》 title between angle brackets (``《贯彻落实<纲要>的意见》``): the
    nested title mark is 〈…〉. One finding per nested title, replaced by it written with 〈〉."""
    if "<" not in text and "＜" not in text:  # (most documents)
        return
    for title in _TITLE_WITH_ANGLES.finditer(text, start, end):
        if in_spans(title.start(), chrome):
            continue
        for inner in _ANGLED.finditer(text, title.start() + 1, title.end() - 1):
            written = inner.group()
            yield ctx.finding(rule, inner.start(), inner.end(), replacement=f"〈{inner.group(1)}〉",
                              problem=f"书名号内的书名「{written}」用了尖括号", fix=f"书名号内再用书名号时用单书名号：〈{inner.group(1)}〉",
                              mark=written[0])


def _enumeration(ctx: Context, rule: Rule, text: str, start: int, end: int, chrome: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _ENUM_CONJ.finditer(text, start, end):
        if in_spans(match.start(), chrome):
            continue
        word = "以及" if text.startswith("以及", match.end()) else text[match.end()]
        yield ctx.finding(rule, match.start(), match.end() + len(word), replacement=word,
                          problem=f"「、{word}」：顿号后不再用“{word}”", fix=f"删去“{word}”前的顿号", mark="、")
    line_start = line_end = -1
    line = ""
    mark = "；"
    first = {}
    for match in _ENUM_ITEM.finditer(text, start, end):
        at = match.start()
        if at >= line_end:  # a new paragraph: its bounds and the mark it uses before 二是…, once
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line_end = len(text) if line_end == -1 else line_end
            line = text[line_start:line_end]
            used = Counter(m.replace(";", "；") for m in _ENUM_MARK.findall(line))
            mark = used.most_common(1)[0][0] if used else "；"
            first: dict[str, int] = {}  # where each 一是/二是… first stands in the paragraph
        if in_spans(at, chrome):
            continue
        number = match.group(1)
        previous = _CN_ORDER[_CN_ORDER.index(number) - 1] + "是"
        found = first.get(previous)
        if found is None:
            found = first[previous] = line.find(previous)
        if found == -1 or line_start + found >= at:
            continue
        item = number + "是"
        yield ctx.finding(rule, at, at + 2, replacement=mark + item,
                          problem=f"「{text[max(line_start, at - 4):at]}{item}」：分项的“{item}”前缺少句号或分号",
                          fix=f"在“{item}”前加「{mark}」", mark=item)


def _spaces(ctx: Context, rule: Rule, text: str, start: int, end: int, skipped: list[tuple[int, int]]) -> Iterator[Finding]:
    spans = []
    body = None
    split_words = ctx.document.format != "pdf"  # a PDF's line joins are not the author's spaces
    lookups = 0  # word look-ups in the body (each reads the body): bounded, so a text of spaced-out
    # characters (a spaced title, a hostile file) stays linear; it is layout, not a slip per word
    runs = [m.span() for m in _SPACES.finditer(text, start, end)]
    spaced = letter_spaced(text, start, end, runs)  # 政 府 工 作 报 告
    # in a heading only a word split by a space counts (持 续深化依法行政); spaces after its marker
    # or around its marks are layout, and a two-character heading may be spaced out (前 言)
    headings = sorted((h.start, h.end) for h in ctx.document.outline.headings)
    short: list[tuple[int, int]] | None = None  # the headings of at most three characters, listed on first need
    for a, b in runs:
        if a == 0 or b >= len(text):
            continue
        before, after = text[a - 1], text[b]
        if before == "\n" or after == "\n" or in_spans(a, skipped) or in_spans(a, spaced):
            continue
        if b - a <= 2 and _splits_a_date(text, a, b):  # in headings too
            spans.append((a, b))
            continue
        in_heading = in_spans(a, headings)
        if in_heading:
            if short is None:
                short = [(h0, h1) for h0, h1 in headings if len(_HAN_CHARS.findall(text, h0, h1)) <= 3]
            if in_spans(a, short):
                continue
        stray = not in_heading and (
            (before in _MARKS_AFTER and (_han(after) or after in "“《") and not _HEADING_MARKER.match(text, b))
            or ((_han(before) or before in "”》）") and after in _MARKS_BEFORE)
            or (before in _OPENERS and (_han(after) or after.isdigit()))
            or ((_han(before) or before.isdigit()) and after in _CLOSERS)
            or (_han(before) and after in "“《") or (before in "”》" and _han(after)))
        if not stray and split_words and b - a == 1 and _han(before) and _han(after) \
                and before not in _FUNCTION_CHARS and after not in _FUNCTION_CHARS:
            lookups += 1
            if lookups > MAX_WORD_LOOKUPS:
                split_words = False
                continue
            body = text[start:end] if body is None else body
            stray = _splits_a_word(body, text, a)
            if stray:
                b = a + 1
        if stray:
            spans.append((a, b))
    breaks = _broken_words(text, start, end, skipped, headings) if split_words else []
    if spans or breaks:
        spans = sorted(spans + [(at, at + 1) for at in breaks])

        def context(a: int, b: int) -> dict[str, str]:  # each place quotes its own text
            if text[a] == "\n":
                return {"problem": f"词语中间断了行（「{text[max(0, a - 3):a]}⏎{text[b:b + 3]}」）"}
            if _splits_a_date(text, a, b):
                first = a
                while first > max(0, a - 6) and (text[first - 1].isdigit() or text[first - 1] in "年月"):
                    first -= 1
                stop = b
                while stop < min(len(text), b + 6) and (text[stop].isdigit() or text[stop] in "年月日"):
                    stop += 1
                return {"problem": f"日期中间有多余的空格（「{text[first:stop]}」）"}
            return {"problem": f"标点前后有多余的空格（「{text[max(0, a - 3):b + 2].strip()}」）"}

        yield grouped_finding(ctx, rule, spans, replacement="", each=context,
                              fix="删去多余的空格" + ("和断行" if breaks else ""), mark=" ")


def _splits_a_date(text: str, a: int, b: int) -> bool:
    """The space text[a:b] splits a date: 2025 年, 12 月 31 日, （2021—2025 年）."""
    before, after = text[a - 1], text[b]
    return (before.isdigit() and after in "年月日") or (before in "年月" and after.isdigit() and text[a - 2:a - 1].isdigit())


BROKEN_LINE = 15  # a line this long that stops inside a word was broken by a hard wrap, not ended


def _broken_words(text: str, start: int, end: int, skipped: list[tuple[int, int]],
                  headings: list[tuple[int, int]]) -> list[int]:
    """Line breaks inside a word of running text (学习宣传贯⏎彻习近平法治思想): a long line that
    stops between the two characters of a common word, where no word ends before the break and none
    starts after it (工作机制⏎成立了… ends one word and starts another: a new paragraph)."""
    from checker.kinds._dictionary import word_ends_at, word_starts_at

    found = []
    at = text.find("\n", start, end)
    while 0 <= at < end:
        if 0 < at < len(text) - 1 and _han(text[at - 1]) and _han(text[at + 1]) \
                and at - (text.rfind("\n", 0, at) + 1) >= BROKEN_LINE \
                and not any(in_spans(p, spans) for p in (at - 1, at + 1) for spans in (skipped, headings)) \
                and _common_word(text[at - 1] + text[at + 1], COMMON_LINE_WORD) \
                and not word_ends_at(text, at) and not word_starts_at(text, at + 1):
            found.append(at)
        at = text.find("\n", at + 1, end)
    return found


def letter_spaced(text: str, start: int, end: int, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``_LETTER_SPACED.finditer(text, start, end)``, tried only where one can start:
    on the character before a single space (``runs``: the spans of ``_SPACES`` in [start, end), in
    order). Each match has one right after its first character; the regex, whose look-behind
    stands first, would otherwise be tried at every position of the text."""
    spans: list[tuple[int, int]] = []
    after = start  # where the next match may start (the search goes on after each match)
    for a, b in runs:
        if b - a == 1 and a - 1 >= after:
            match = _LETTER_SPACED.match(text, a - 1, end)
            if match:
                spans.append(match.span())
                after = match.end()
    return spans


def _splits_a_word(body: str, text: str, at: int) -> bool:
    """Whether the space at ``at`` splits a word: a common dictionary word (主 体), or a word the
    body writes whole elsewhere: the two characters around it at least twice (深 入 / 深入), or
    with a second character on either side at least once (中心 组 / 中心组)."""
    from checker.kinds._dictionary import word_ends_at, word_starts_at

    left, right = text[max(0, at - 2):at], text[at + 1:at + 3]
    if word_ends_at(text, at, least=SIDE_WORD) and word_starts_at(text, at + 1, least=SIDE_WORD):
        # a space between two words (副组长 成员), however the pair across it reads; unless the two
        # make one common word of three or four characters (生态 环境, 议事 日程, 齐抓 共管)
        return any(_HAN_WORD.fullmatch(word) and _common_word(word, COMMON_LONGER if len(word) == 3 else IDIOM)
                   for word in {left[-k:] + text[at + 1:at + 1 + n] for k in (1, 2) for n in (1, 2, 3)
                                if 3 <= k + n <= 4 and len(left) >= k})
    pair = left[-1] + right[0]
    if body.count(pair) >= 2 or _common_word(pair):
        return True
    longer = {left[-1] + right} if len(right) == 2 else set()
    if len(left) == 2:
        longer.add(left + right[0])
    return any(_HAN_WORD.fullmatch(word) and (word in body or _common_word(word, COMMON_LONGER)) for word in longer) \
        or (len(left + right) == 4 and _HAN_WORD.fullmatch(left + right) is not None and _common_word(left + right, IDIOM))


_HAN_WORD = re.compile(f"[{_HAN}]+")
_HAN_CHARS = re.compile(f"[{_HAN}]")
COMMON_WORD = 50  # a pair of characters this frequent in the dictionary is a word a space must not split
COMMON_LONGER = 50  # the same for three characters (负责 人, 知 情权, 高 质量)
IDIOM = 3  # a four-character dictionary word this frequent (生态环境, 齐抓共管: jieba rates compounds low)
COMMON_LINE_WORD = 500  # a line break splits only a common word (a new paragraph may start anywhere)
SIDE_WORD = 50  # words this frequent on both sides of a space: it stands between words, not inside one


def _common_word(word: str, least: int = COMMON_WORD) -> bool:
    """A common dictionary word that is no name (主体, 高效, 负责人; not 王强)."""
    from checker.kinds._dictionary import words

    table = words()
    return table.get(word, 0) >= least and not table.is_name(word)


def _dates(ctx: Context, rule: Rule, text: str, start: int, end: int, chrome: list[tuple[int, int]]) -> Iterator[Finding]:
    found: dict[str, list[tuple[int, int]]] = {}
    for match in _DATE.finditer(text, start, end):
        at = match.start()
        if at and (text[at - 1].isdigit() or text[at - 1] in "./-") or in_spans(at, chrome):
            continue
        found.setdefault(_DATE_STYLES[match.group(1) or "年"], []).append(match.span())
    if len(found) < 2:
        return
    ranked = sorted(found, key=lambda name: (-len(found[name]), _STYLE_ORDER.index(name)))
    major = ranked[0]
    example = text[found[major][0][0]:found[major][0][1]]
    def context(a: int, b: int) -> dict[str, str]:  # each place quotes its own date
        date = text[a:b]
        return {"problem": f"日期写法不统一：正文多写作「{example}」式，这里写作「{date}」",
                "fix": f"统一写作「{example}」式（如“{_as_style(date, major)}”）", "mark": date}

    for name in ranked[1:]:
        yield grouped_finding(ctx, rule, found[name], each=context)


def _as_style(date: str, style: str) -> str:
    year, month, day = re.findall(r"\d+", date)[:3]
    month, day = str(int(month)), str(int(day))
    if style == "年月日":
        return f"{year}年{month}月{day}日"
    sep = {"点号": ".", "连字符": "-", "斜线": "/"}[style]
    return f"{year}{sep}{month}{sep}{day}"
