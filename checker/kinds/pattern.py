"""pattern — text that must not (or must) appear in a scope: template leftovers, wrong citations, old names.

Patterns are matched on the folded text of the scope: full-width letters, digits and brackets are
folded to half-width (write ``(`` not ``（``), every dash (－ – — ―) to ``—``, traditional
characters to simplified. A plain string is a regular expression (Python syntax, run by the
``regex`` library with a time limit, so a pathological pattern cannot hang the checker); with
``literal: true`` strings are plain text. An item may also be a mapping
``{regex: …}`` / ``{literal: …}`` with its own ``replace`` (what to write instead) and ``note``.

Options:
  patterns    list of patterns (strings or mappings as above); required
  literal     treat string items as plain text (default false)
  mode        forbidden (default): every match is a finding;
              required: a finding when none of the patterns occurs in the scope
  target      where to look: text (default, the whole scope), headings (the heading lines in
              the scope, numbering excluded), title (the document title); a list combines them
  timeout_ms  time limit of one search, in milliseconds (default 200)
  max_findings at most this many findings per document (default 20)

A pattern may be at most 10,000 characters long (a longer one is refused when the pack is
loaded: a regex of 300,000 alternatives takes many seconds and hundreds of MB to compile; long
word lists belong in a ``lexicon`` rule).

Placeholders: {match} (text found), {replace} (the item's replacement, else empty),
{note} (the item's note), {pattern} (the pattern as written), {year} / {next_year} (the report
year and the year after it).

Passing (forbidden ``XX镇|××``): ``金城乡2023年法治政府建设工作报告``.
Failing: ``XX镇2023年度法治政府建设情况报告`` — a template leftover in the title.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from checker.context import Context
from checker.kinds._prefilter import may_match
from checker.kinds._text import Scope, as_list, prepared, rule_scope, to_folded
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding, Severity

MAX_PATTERN_CHARS = 10_000  # characters of one pattern as written (the bundled packs' longest: ~100)

OPTIONS = {
    "patterns": (list, None),
    "literal": (bool, False),
    "mode": (str, "forbidden"),
    "target": ((str, list), "text"),
    "timeout_ms": (int, 200),
    "max_findings": (int, 20),
}

TARGETS = ("text", "headings", "title")


@dataclass(frozen=True)
class Compiled:
    source: str
    pattern: regex.Pattern
    replace: str
    note: str


def compile_items(items: list, literal: bool, what: str = "patterns") -> list[Compiled]:
    """Compile pattern items (strings or {regex|literal, replace, note}); ValueError names the bad one."""
    compiled = []
    for item in items:
        if isinstance(item, str):
            source, is_literal, repl, note = item, literal, "", ""
        elif isinstance(item, dict):
            unknown = set(item) - {"regex", "literal", "replace", "note"}
            if unknown:
                raise ValueError(f"{what} 中的条目有未知的键 {', '.join(sorted(unknown))}（允许: regex, literal, replace, note）")
            if ("regex" in item) == ("literal" in item):
                raise ValueError(f"{what} 中的映射条目须有 regex 或 literal 之一")
            is_literal = "literal" in item
            source = item["literal"] if is_literal else item["regex"]
            repl, note = str(item.get("replace", "")), str(item.get("note", ""))
        else:
            raise ValueError(f"{what} 的条目应为字符串或映射")
        if not isinstance(source, str) or not source:
            raise ValueError(f"{what} 中有空的模式")
        if len(source) > MAX_PATTERN_CHARS:
            raise ValueError(f"{what} 中有一个模式过长（{len(source)} 个字符，上限 {MAX_PATTERN_CHARS}；"
                             "很多个词请分成多条或改用 lexicon 规则）")
        text = regex.escape(fold(source)) if is_literal else source
        try:
            pattern = regex.compile(text)
        except regex.error as exc:
            raise ValueError(f"正则表达式 {source!r} 有误: {exc}") from None
        if pattern.search("") is not None and not is_literal:
            raise ValueError(f"正则表达式 {source!r} 能匹配空字符串")
        compiled.append(Compiled(source, pattern, repl, note))
    return compiled


def search_all(compiled: list[Compiled], text: str, timeout: float) -> Iterator[tuple[Compiled, regex.Match]]:
    """Every match of every pattern; raises TimeoutError when one search runs out of time."""
    for item in compiled:
        if not may_match(item.pattern, text):
            continue
        for match in item.pattern.finditer(text, timeout=timeout):
            yield item, match


def _targets(value) -> list[str]:
    targets = as_list(value)
    for target in targets:
        if target not in TARGETS:
            raise ValueError(f"target 应为 {' / '.join(TARGETS)}，而不是 {target!r}")
    return targets


def validate(options: dict) -> dict:
    if not options.get("patterns"):
        raise ValueError("缺少选项 patterns")
    if options["mode"] not in ("forbidden", "required"):
        raise ValueError("mode 应为 forbidden 或 required")
    _targets(options["target"])
    if options["timeout_ms"] <= 0:
        raise ValueError("timeout_ms 必须为正数")
    compile_items(options["patterns"], options["literal"])
    return options


def prepare(options: dict) -> list[Compiled]:
    return compile_items(options["patterns"], options["literal"])


def segments(ctx: Context, scope: Scope, targets: list[str]) -> Iterator[tuple[int, str]]:
    """(folded offset, folded text) pieces of the scope to search."""
    norm = ctx.document.norm
    if "text" in targets:
        yield scope.fstart, scope.text
    if "headings" in targets and "text" not in targets:
        for heading in ctx.document.outline.headings:
            if scope.start <= heading.start < scope.end:
                yield heading.key_start, heading.key
    title = ctx.document.outline.title
    if "title" in targets and title is not None and not (scope.start <= title.start < scope.end and "text" in targets):
        start = to_folded(norm, title.start)
        yield start, norm.text[start:to_folded(norm, title.end)]


def timeout_finding(ctx: Context, rule: Rule, scope: Scope) -> Finding:
    note = replace(rule, message=f"规则 {rule.id} 的正则表达式运行超时，已跳过本文件的这项检查", suggestion=None)
    return ctx.finding(note, scope.start, scope.start, severity=Severity.INFO)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    options = rule.options
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    compiled: list[Compiled] = prepared(rule, prepare)
    timeout = options["timeout_ms"] / 1000
    norm = ctx.document.norm
    next_year = ctx.report_year + 1 if ctx.report_year else "下一"
    count = 0
    found_any = False
    try:
        for offset, text in segments(ctx, scope, _targets(options["target"])):
            for item, match in search_all(compiled, text, timeout):
                found_any = True
                if options["mode"] == "required":
                    break
                if count >= options["max_findings"]:
                    return
                count += 1
                start, end = norm.span_to_original(offset + match.start(), offset + match.end())
                yield ctx.finding(rule, start, end, match=match.group(), replace=item.replace, note=item.note,
                                  pattern=item.source, next_year=next_year)
            if found_any and options["mode"] == "required":
                break
    except TimeoutError:
        yield timeout_finding(ctx, rule, scope)
        return
    if options["mode"] == "required" and not found_any:
        yield ctx.finding(rule, scope.start, scope.start, pattern="、".join(i.source for i in compiled),
                          match="", replace=compiled[0].replace, note=compiled[0].note)
