"""noise — text that is not part of the report: placeholders, 范文-site text, spam, mojibake, pinyin debris, watermarks.

Each category is data: regular expressions (Python syntax, ``regex`` library) matched on the
original text (write both widths where it matters: ``[(（]``), an optional ``unless`` expression
that clears a match (a URL of a government site), and what a reviewer reads. A category is
reported **once per document**, at its first place, with the count and the lines of the others
(``（共5处：第1、3、9行）``), not once per hit. Lines the outline recognises as web-page chrome
(回到首页, 打印本页, 发布时间 …) are skipped unless the category says ``chrome: true`` (page
numbers, watermarks) or ``chrome: inside`` (web-page text found between paragraphs of the body,
where it was pasted in with the text); the PDF reader already drops running headers and footers, so what is left
is debris); ``skip_formats`` leaves a category out for some input formats. With ``remove: true`` the debris is deleted by
``checker fix`` (pinyin after a character); otherwise a person decides.

Options:
  categories   list of {name, label, patterns, unless, unless_before, advice, remove, chrome,
               skip_formats, whole_line, misdecoded}; required. ``misdecoded: true``: the category
               also finds Chinese text stored as UTF-8 and read as GBK (鏀垮簻涓嶆柇寤鸿 for 政府不断建设),
               checked by decoding it back, not by a pattern. ``unless_before``: a match is cleared when this
               expression is found in the 16 characters before it on its line (打击…网上赌场). ``whole_line: true``: a match counts only where it opens its
               line (spaces before it) and at most 20 characters follow it on the line (write the
               pattern without a leading run of spaces: that makes every blank line slow)
  timeout_ms   time limit of one search, in milliseconds (default 200)

Placeholders: {label} (the category, in Chinese), {match} (the first text found), {advice},
{name} (the category's name), {count} (how many places).

Passing: ``金城镇2023年度法治政府建设情况报告`` ``二〇〇八年``.
Failing: ``XX镇2023年度法治政府建设情况报告`` (a placeholder); ``加強黨對法治政府建設(shè)的領(lǐng)導`` (pinyin debris).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from checker.context import Context
from checker.kinds._prefilter import LiteralScan
from checker.kinds._text import compile_regex, entry_mapping, grouped_finding, in_spans, prepared
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "categories": (list, None),
    "timeout_ms": (int, 200),
}

_KEYS = {"name", "label", "patterns", "unless", "unless_before", "advice", "remove", "chrome", "skip_formats",
         "whole_line", "misdecoded"}
BEFORE = 16  # characters before a match that `unless_before` looks at
LINE_TAIL = 20  # characters a whole-line match may leave after it on its line
MAX_PLACES = 200  # places kept per category (the count goes on)


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    patterns: tuple[regex.Pattern, ...]
    unless: regex.Pattern | None
    unless_before: regex.Pattern | None
    advice: str
    remove: bool
    chrome: bool | str  # False: skip page chrome; True: look there too; "inside": only inside the body
    skip_formats: frozenset[str]
    whole_line: bool = False
    misdecoded: bool = False  # also Chinese text stored as UTF-8 and read as GBK (``misdecoded_runs``)


def _compile(source: object, what: str) -> regex.Pattern:
    if not isinstance(source, str) or not source:
        raise ValueError(f"{what} 中有空的模式")
    return compile_regex(source, regex.MULTILINE)


def _category(item: object) -> Category:
    item = entry_mapping(item, "categories", "{name, label, patterns, …}", _KEYS)
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("categories 中的条目缺少 name")
    patterns = item.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise ValueError(f"类别 {name} 缺少 patterns")
    unless = item.get("unless")
    skip = item.get("skip_formats") or []
    if not isinstance(skip, list):
        raise ValueError(f"类别 {name} 的 skip_formats 应为列表")
    chrome = item.get("chrome", False)
    if chrome not in (True, False, "inside"):
        raise ValueError(f"类别 {name} 的 chrome 应为 true、false 或 inside")
    return Category(name, str(item.get("label") or name), tuple(_compile(p, f"类别 {name}") for p in patterns),
                    _compile(unless, f"类别 {name} 的 unless") if unless else None,
                    _compile(item["unless_before"], f"类别 {name} 的 unless_before") if item.get("unless_before") else None,
                    str(item.get("advice") or ""),
                    bool(item.get("remove")), chrome, frozenset(map(str, skip)), bool(item.get("whole_line")),
                    bool(item.get("misdecoded")))


def validate(options: dict) -> dict:
    if not options.get("categories"):
        raise ValueError("缺少选项 categories")
    if options["timeout_ms"] <= 0:
        raise ValueError("timeout_ms 必须为正数")
    names = [c.name for c in prepare(options).categories]
    if len(names) != len(set(names)):
        raise ValueError("categories 中有重名的类别")
    return options


@dataclass(frozen=True)
class Prepared:
    categories: tuple[Category, ...]
    scan: LiteralScan  # the literals every pattern of every category requires, found in one pass


def prepare(options: dict) -> Prepared:
    categories = tuple(_category(item) for item in options["categories"])
    return Prepared(categories, LiteralScan(pattern for category in categories for pattern in category.patterns))


def _chrome_spans(ctx: Context) -> list[tuple[int, int]]:
    return sorted((line.start, line.end) for line in ctx.document.outline.boilerplate)


def _running_text(ctx: Context, chrome: list[tuple[int, int]]) -> tuple[int, int]:
    """From the start of the first to the end of the last line of running text in the body (not
    blank, not page chrome): web-page text between them was pasted into the report."""
    text = ctx.document.text
    start, end = ctx.document.outline.body
    first = last = None
    position = start
    for raw in text[start:end].split("\n"):
        line_start, position = position, position + len(raw) + 1
        if raw.strip() and not in_spans(line_start, chrome):
            first = line_start if first is None else first
            last = line_start + len(raw)
    return (first, last) if first is not None else (0, 0)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    compiled: Prepared = prepared(rule, prepare)
    document = ctx.document
    text = document.text
    scan, found = compiled.scan, compiled.scan.found(text)
    timeout = rule.options["timeout_ms"] / 1000
    chrome = _chrome_spans(ctx)
    inside: tuple[int, int] | None = None
    for category in compiled.categories:
        if document.format in category.skip_formats:
            continue
        spans: list[tuple[int, int]] = []
        try:
            for pattern in category.patterns:
                if not scan.may_match(pattern, text, found):
                    continue
                for match in pattern.finditer(text, timeout=timeout):
                    start, end = match.span()
                    if category.unless is not None and category.unless.search(match.group()):
                        continue
                    if category.unless_before is not None and category.unless_before.search(
                            text[max(0, start - BEFORE):start].rsplit("\n", 1)[-1]):
                        continue
                    if category.whole_line and not _starts_line(text, start, end):
                        continue
                    if not category.chrome and in_spans(start, chrome):
                        continue
                    if category.chrome == "inside":
                        inside = inside or _running_text(ctx, chrome)
                        if not inside[0] < start < inside[1]:
                            continue
                    spans.append((start, end))
        except TimeoutError:
            continue
        if category.misdecoded:
            spans += [span for span in misdecoded_runs(text) if category.chrome or not in_spans(span[0], chrome)]
        if not spans:
            continue
        spans = _disjoint(spans)
        yield grouped_finding(ctx, rule, spans, replacement="" if category.remove else None, max_places=MAX_PLACES,
                              label=category.label, match=text[spans[0][0]:spans[0][1]], advice=category.advice,
                              name=category.name)

MISDECODED_RUN = 4  # characters in a row that may be UTF-8 bytes read as GBK
MISDECODED_CHARS = 3  # common characters they must read as, decoded again


def _gbk(char: str) -> bytes:
    """The character's GBK bytes; empty when GBK has no such character."""
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return b""


@lru_cache(maxsize=1)
def _misdecoded_candidates() -> re.Pattern[str]:
    """Runs of Chinese characters whose GBK bytes all occur in UTF-8 Chinese text (lead bytes
    E4–E9, continuation bytes 80–BF): what such text becomes when read as GBK."""
    def possible(code: int) -> bool:
        data = _gbk(chr(code))
        return len(data) == 2 and all(0x80 <= b <= 0xBF or 0xE4 <= b <= 0xE9 for b in data)

    codes = [c for c in range(0x4E00, 0xA000) if possible(c)]
    ranges, first = [], codes[0]
    for previous, code in zip(codes, codes[1:] + [-1]):
        if code != previous + 1:
            ranges.append(chr(first) if first == previous else f"{chr(first)}-{chr(previous)}")
            first = code
    return re.compile(f"[{''.join(ranges)}]{{{MISDECODED_RUN},}}")


@lru_cache(maxsize=1)
def _misdecoded_leads() -> re.Pattern[str]:
    """The characters a UTF-8 lead byte of Chinese (E4–E9) becomes as the first byte of a GBK pair:
    every misread stretch of four or more characters holds one (a quick test before the runs)."""
    def lead(code: int) -> bool:
        data = _gbk(chr(code))
        return len(data) == 2 and 0xE4 <= data[0] <= 0xE9 and 0x80 <= data[1] <= 0xBF

    return re.compile("[" + "".join(chr(c) for c in range(0x4E00, 0xA000) if lead(c)) + "]")


def _common_char(char: str) -> bool:
    """A character of GB2312's first level (the 3,755 most used)."""
    data = _gbk(char)
    return bool(data) and 0xB0 <= data[0] <= 0xD7


def misdecoded_runs(text: str) -> list[tuple[int, int]]:
    """Stretches of Chinese stored as UTF-8 and read as GBK (鏀垮簻涓嶆柇寤鸿 for 政府不断建设): a run
    of such characters that, encoded back to GBK and read as UTF-8 (bytes lost on the way
    ignored), gives at least three Chinese characters, all common, from most of its bytes. Real
    text almost never does (none in about a million characters of reports)."""
    found: list[tuple[int, int]] = []
    if not _misdecoded_leads().search(text):
        return found
    for match in _misdecoded_candidates().finditer(text):
        data = match.group().encode("gbk")
        chinese = [c for c in data.decode("utf-8", errors="ignore") if "\u4e00" <= c <= "\u9fff"]
        if len(chinese) >= MISDECODED_CHARS and all(map(_common_char, chinese)) and 3 * len(chinese) >= 0.6 * len(data):
            found.append(match.span())
    return found


def _starts_line(text: str, start: int, end: int) -> bool:
    """Whether a match opens its line (only spaces before it) and little text follows it there."""
    at = start
    while at > 0 and text[at - 1] in " \t\u3000":  # (bounded look-arounds: a giant line stays linear)
        at -= 1
    if at > 0 and text[at - 1] != "\n":
        return False
    line_end = text.find("\n", end, end + LINE_TAIL + 1)
    if line_end == -1:
        line_end = min(len(text), end + LINE_TAIL + 1)
    return len(text[end:line_end].strip()) <= LINE_TAIL


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in text order; overlapping or touching ones (two patterns on one place, 百家乐娱乐城) merged."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
