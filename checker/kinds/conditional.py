"""conditional — if one text appears in a scope, another must appear there too.

Both lists are patterns as in the ``pattern`` kind (regular expressions on the folded text, or
plain text with ``literal: true``; mapping items ``{regex: …}`` / ``{literal: …}`` allowed).
When any ``if`` pattern occurs in the scope and no ``then`` pattern does, one finding is placed
at the first ``if`` match.

Options:
  if          patterns that trigger the rule; required
  then        patterns of which at least one must then occur; required
  literal     treat string items as plain text (default false)
  timeout_ms  time limit of one search, in milliseconds (default 200)

Placeholders: {trigger} (the text that triggered the rule), {expected} (the ``then`` patterns
joined by 、).

Passing (if ``重大行政决策`` then ``合法性审查|合法性审核``): ``重大行政决策全部经过合法性审查``.
Failing: a measures section that describes 重大行政决策 but never says they were reviewed for legality.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.context import Context
from checker.kinds._text import prepared, rule_scope
from checker.kinds.pattern import Compiled, compile_items, search_all, timeout_finding
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "if": (list, None),
    "then": (list, None),
    "literal": (bool, False),
    "timeout_ms": (int, 200),
}


def validate(options: dict) -> dict:
    for key in ("if", "then"):
        if not options.get(key):
            raise ValueError(f"缺少选项 {key}")
    if options["timeout_ms"] <= 0:
        raise ValueError("timeout_ms 必须为正数")
    prepare(options)
    return options


def prepare(options: dict) -> tuple[list[Compiled], list[Compiled]]:
    return (compile_items(options["if"], options["literal"], "if"),
            compile_items(options["then"], options["literal"], "then"))


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    triggers, consequences = prepared(rule, prepare)
    timeout = rule.options["timeout_ms"] / 1000
    try:
        trigger = next(search_all(triggers, scope.text, timeout), None)
        if trigger is None or next(search_all(consequences, scope.text, timeout), None) is not None:
            return
    except TimeoutError:
        yield timeout_finding(ctx, rule, scope)
        return
    match = trigger[1]
    start, end = scope.orig(match.start(), match.end(), ctx.document.norm)
    expected = "、".join(item.note or item.source for item in consequences)
    yield ctx.finding(rule, start, end, trigger=match.group(), expected=expected)
