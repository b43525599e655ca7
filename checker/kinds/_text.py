"""Shared helpers for rule kinds: the text of a scope, folded, with offsets back to the original.

Not a kind (the leading underscore keeps it out of the registry and the docs).

Kinds match on the *folded* text (``ctx.document.norm.text``: full-width ASCII and brackets
folded to half-width, every dash folded to ``—``, traditional characters simplified) and report
findings at original offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.context import Context
from checker.model.normalize import NormalizedText
from checker.packs import Rule


@dataclass(frozen=True)
class Scope:
    """A scope's span in the original text and its folded text."""

    name: str  # "body" or a template section id
    start: int  # original offsets
    end: int
    fstart: int  # folded offsets
    fend: int
    text: str  # folded text of the scope

    def orig(self, start: int, end: int, norm: NormalizedText) -> tuple[int, int]:
        """Original span of a span given relative to ``text``."""
        return norm.span_to_original(self.fstart + start, self.fstart + end)


def to_folded(norm: NormalizedText, offset: int) -> int:
    """The folded offset of an original offset (the inverse of ``norm.to_original``)."""
    breaks = norm._breaks  # noqa: SLF001 - the map's own data, read-only
    if not breaks:
        return offset
    shifts = norm._shifts  # noqa: SLF001
    # original offset at which each break starts applying: break + shift
    starts = [b + s for b, s in zip(breaks, shifts)]
    index = bisect_right(starts, offset) - 1
    shift = shifts[index] if index >= 0 else 0
    folded = offset - shift
    if index + 1 < len(breaks) and folded > breaks[index + 1]:  # inside a deleted run
        folded = breaks[index + 1]
    return max(0, folded)


def scope_of(ctx: Context, scope: str | None, skip_heading: bool = False) -> Scope | None:
    """The body (scope None/'body') or a matched template section; None when it is absent.

    With ``skip_heading`` a section's own heading is left out (``存在的不足和原因`` names causes
    without giving any). Built once per document and scope (``ctx.memo``)."""
    key = ("scope", scope, skip_heading)
    if key not in ctx.memo:
        ctx.memo[key] = _scope_of(ctx, scope, skip_heading)
    return ctx.memo[key]


def _scope_of(ctx: Context, scope: str | None, skip_heading: bool) -> Scope | None:
    span = ctx.scope_span(scope)
    if span is None:
        return None
    start, end = span
    match = ctx.template.find(scope) if scope not in (None, "body") else None
    if skip_heading and match is not None and match.heading.start == start:
        start = min(match.heading.end, end)
    norm = ctx.document.norm
    fstart, fend = to_folded(norm, start), to_folded(norm, end)
    return Scope(scope or "body", start, end, fstart, fend, norm.text[fstart:fend])


def scope_anchor(ctx: Context, scope: Scope) -> int:
    """Where a finding about a whole scope goes: its section heading, else its start."""
    match = ctx.template.find(scope.name) if scope.name != "body" else None
    return match.heading.start if match is not None else scope.start


def rule_scope(ctx: Context, rule: Rule, skip_heading: bool = False) -> Scope | None:
    return scope_of(ctx, rule.scope, skip_heading)


def prepared(rule: Rule, prepare: Callable[[dict], Any]) -> Any:
    """What the kind's ``prepare`` built for this rule at load; built now for hand-made rules."""
    if rule.prepared is not None:
        return rule.prepared
    return prepare(rule.options)


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def grouped_finding(ctx: Context, rule: Rule, spans: list[tuple[int, int]], replacement: str | None = None,
                    max_places: int = 200, each: Callable[[int, int], dict[str, Any]] | None = None,
                    **values: Any):
    """One finding for many places of one problem (original offsets, in text order): it stands at
    the first place and carries the count and every place (at most ``max_places``). ``each(start,
    end)`` gives placeholder values of one place (the context it quotes): every place then carries
    its own message."""
    from dataclasses import replace

    from checker.result import Place

    document = ctx.document
    start, end = spans[0]
    own = each(start, end) if each is not None else {}
    finding = ctx.finding(rule, start, end, replacement=replacement, count=len(spans), **{**values, **own})
    if len(spans) == 1:
        return finding
    places = []
    for a, b in spans[:max_places]:
        line, column = document.position(a)
        end_line, end_column = document.position(b)
        message = None
        if each is not None and (a, b) != (start, end):
            message = ctx.finding(rule, a, b, **{**values, **each(a, b)}).message
            message = None if message == finding.message else message
        places.append(Place(line, column, end_line, end_column, a, b, document.locations.get(line), message))
    return replace(finding, count=len(spans), places=tuple(places))


def skipped_lines(ctx: Context, headings: bool = True) -> list[tuple[int, int]]:
    """Original spans of lines that are not running text: page chrome, the title, the closing
    block and (with ``headings``) heading lines."""
    outline = ctx.document.outline
    spans = [(line.start, line.end) for line in outline.boilerplate]
    spans += [(line.start, line.end) for line in outline.closing]
    if outline.title is not None:
        spans.append((outline.title.start, outline.title.end))
    if headings:
        spans += [(h.start, h.end) for h in outline.headings]
    return sorted(spans)


def in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    index = bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def entry_mapping(item: object, where: str, shape: str, keys: set[str]) -> dict:
    """A list entry of a rule's options that must be a mapping with known keys only
    (``where``: the option's name; ``shape``: how the entry looks, for the message)."""
    if not isinstance(item, dict):
        raise ValueError(f"{where} 的条目应为映射 {shape}")
    unknown = set(item) - keys
    if unknown:
        raise ValueError(f"{where} 中的条目有未知的键 {', '.join(sorted(unknown))}（允许: {', '.join(sorted(keys))}）")
    return item


def compile_regex(source: str, flags: int = 0):
    """A rule's regular expression (``regex`` module), refused with a one-line reason when it
    does not compile or can match the empty string (it would report everywhere)."""
    import regex

    try:
        pattern = regex.compile(source, flags)
    except regex.error as exc:
        raise ValueError(f"正则表达式 {source!r} 有误: {exc}") from None
    if pattern.search("") is not None:
        raise ValueError(f"正则表达式 {source!r} 能匹配空字符串")
    return pattern
