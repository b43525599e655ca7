"""usage — wording a reviewer corrects, each entry with the rule it follows: 截止/截至, 年来/以来, 的/地/得, 法制/法治, 权力/权利, 制订/制定, colloquial words.

Every entry is data: a regular expression (Python syntax, ``regex`` library; matched on the
folded text, so write ``(`` not ``（``) whose match is exactly the wrong text, with lookarounds
for the context that makes it certainly wrong; ``replace`` — what to write instead (a template:
``\\1`` or ``\\g<name>`` insert groups of the match); ``because`` — the usage rule, quoted in the
message; optional ``advice`` when there is no mechanical correction (then ``checker fix`` leaves
it alone). Only write an entry where the wrong use is certain in that context: a false finding
costs more than a missed one.

Options:
  entries      list of {name, regex, replace | advice, because}; required
  timeout_ms   time limit of one search, in milliseconds (default 200)
  max_findings at most this many findings per document (default 50)

Placeholders: {match} (the wrong text), {fix} (the correction, or the advice), {because} (the rule),
{name} (the entry's name).

Passing: ``截至目前，共办理行政复议案件3件。`` ``认真地学习《宪法》。``
Failing: ``截止目前，共办理……`` (截止 → 截至); ``认真的学习《宪法》`` (的 → 地).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from checker.context import Context
from checker.kinds._prefilter import may_match
from checker.kinds._text import compile_regex, entry_mapping, prepared, rule_scope
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "entries": (list, None),
    "timeout_ms": (int, 200),
    "max_findings": (int, 50),
}

_KEYS = {"name", "regex", "replace", "advice", "because"}
_GROUP_REF = regex.compile(r"\\(?:(\d+)|g<(\w+)>)")


@dataclass(frozen=True)
class Entry:
    name: str
    pattern: regex.Pattern
    replace: str | None
    advice: str
    because: str


def _entry(item: object) -> Entry:
    item = entry_mapping(item, "entries", "{name, regex, replace, because}", _KEYS)
    source = item.get("regex")
    if not isinstance(source, str) or not source:
        raise ValueError("entries 中的条目缺少 regex")
    pattern = compile_regex(source)
    if ("replace" in item) == ("advice" in item):
        raise ValueError(f"entries 中的条目 {source!r} 须有 replace（改正）或 advice（建议）之一")
    if not item.get("because"):
        raise ValueError(f"entries 中的条目 {source!r} 缺少 because（所依据的用法规则）")
    replace = item.get("replace")
    if replace is not None:
        for ref in _GROUP_REF.findall(str(replace)):
            name = ref[0] or ref[1]
            if not (name in pattern.groupindex or (name.isdigit() and int(name) <= pattern.groups)):
                raise ValueError(f"replace {replace!r} 引用了正则表达式 {source!r} 中没有的组 {name}")
    return Entry(str(item.get("name") or source), pattern, None if replace is None else str(replace),
                 str(item.get("advice") or ""), str(item["because"]))


def validate(options: dict) -> dict:
    if not options.get("entries"):
        raise ValueError("缺少选项 entries")
    if options["timeout_ms"] <= 0:
        raise ValueError("timeout_ms 必须为正数")
    if options["max_findings"] < 1:
        raise ValueError("max_findings 应为正整数")
    prepare(options)
    return options


def prepare(options: dict) -> list[Entry]:
    return [_entry(item) for item in options["entries"]]


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    entries: list[Entry] = prepared(rule, prepare)
    timeout = rule.options["timeout_ms"] / 1000
    norm = ctx.document.norm
    hits = []
    for entry in entries:
        if not may_match(entry.pattern, scope.text):
            continue
        try:
            for match in entry.pattern.finditer(scope.text, timeout=timeout):
                hits.append((match.start(), match.end(), entry, match))
        except TimeoutError:
            continue
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    last_end = -1
    count = 0
    for start, end, entry, match in hits:
        if start < last_end:  # two entries on one span: the first wins
            continue
        last_end = end
        if count >= rule.options["max_findings"]:
            return
        count += 1
        orig_start, orig_end = scope.orig(start, end, norm)
        original = ctx.document.text[orig_start:orig_end]
        fix = match.expand(entry.replace) if entry.replace is not None else None
        # the folded text may differ from what was written (full-width marks): only a span the
        # document writes as matched can be replaced mechanically
        replacement = fix if fix is not None and original == match.group() else None
        yield ctx.finding(rule, orig_start, orig_end, replacement=replacement, match=original,
                          fix=fix if fix is not None else entry.advice, because=entry.because, name=entry.name)
