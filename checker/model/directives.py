"""In-document directives: comment lines that suppress a rule, with a reason.

Plain-text drafts may hold HTML-style comment lines, a whole line each::

    <!-- checker-disable title: 本单位报告标题由上级统一拟定 -->
    <!-- checker-disable-next-line year-consistency: 引用的是上年度文件 -->

``checker-disable RULE[, RULE…]: REASON`` suppresses those rules in the whole document;
``checker-disable-next-line RULE[, RULE…]: REASON`` only for findings that start on the next
non-blank, non-comment line. In a .docx, a Word comment whose text starts with
``checker-disable RULE: REASON`` suppresses the rule in the whole document. At most 1,000
directives are used per document (`MAX_DIRECTIVES`); later ones are ignored.

Every comment line (directive or not, e.g. the ``ruleid:`` annotations of rule tests) is
blanked to spaces before the outline is built, so it is invisible to the checker while every
offset, line and column stays where it was.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from checker.result import Finding, Severity

# Rule id of the note about a directive naming a rule the pack does not have.
UNKNOWN_RULE = "checker-disable"
# Directives used per document (real drafts have a handful); later ones are ignored, so a file with
# 100,000 of them costs what one with 1,000 does.
MAX_DIRECTIVES = 1000

_COMMENT_LINE = re.compile(r"^[ \t\u3000]*<!--(?P<body>.*?)-->[ \t\u3000]*$", re.M)
_DIRECTIVE = re.compile(
    r"^\s*checker-disable(?P<next>-next-line)?(?:\s+(?P<rules>[^:：]*?))?\s*(?:[:：]\s*(?P<reason>.*?))?\s*$", re.S)
NO_REASON = "（未说明原因）"


@dataclass(frozen=True)
class CommentLine:
    line: int  # 1-based
    start: int  # offsets of the whole line (without its newline)
    end: int
    body: str  # text between <!-- and -->, stripped


@dataclass(frozen=True)
class Directive:
    rules: tuple[str, ...]
    reason: str
    line: int | None  # where the directive is written
    target_line: int | None = None  # None: the whole document

    def covers(self, finding: Finding) -> bool:
        if finding.rule not in self.rules:
            return False
        return self.target_line is None or finding.line == self.target_line


def comment_lines(text: str) -> list[CommentLine]:
    if "<!--" not in text:
        return []
    out = []
    line, counted = 1, 0  # lines counted incrementally: linear however many comment lines there are
    for match in _COMMENT_LINE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        out.append(CommentLine(line, match.start(), match.end(), match.group("body").strip()))
    return out


def blank_comments(text: str, comments: list[CommentLine]) -> str:
    """`text` with every comment line replaced by spaces of the same length."""
    if not comments:
        return text
    parts, last = [], 0
    for comment in comments:
        parts.append(text[last:comment.start])
        parts.append(" " * (comment.end - comment.start))
        last = comment.end
    parts.append(text[last:])
    return "".join(parts)


def parse_directive(body: str, line: int | None, target_line: int | None = None) -> Directive | None:
    """A directive from a comment's text, or None if it is not one."""
    match = _DIRECTIVE.match(body)
    if not match or not match.group("rules"):
        return None
    rules = tuple(r.strip() for r in re.split(r"[,，\s]+", match.group("rules")) if r.strip())
    if not rules:
        return None
    reason = (match.group("reason") or "").strip() or NO_REASON
    return Directive(rules, reason, line, target_line if match.group("next") else None)


def directives_of(text: str, comments: list[CommentLine], external: Iterable[tuple[int | None, str]] = ()
                  ) -> list[Directive]:
    """Directives from comment lines (with next-line targets) and from format comments (Word)."""
    lines = text.split("\n") if comments else []
    comment_at = {c.line for c in comments}
    # The first content line (not blank, not a comment) after each line, found in one backward pass:
    # a run of 100,000 comment lines costs linear time, not quadratic.
    following: list[int | None] = [None] * (len(lines) + 2)
    for number in range(len(lines), 0, -1):
        content = number not in comment_at and lines[number - 1].strip()
        following[number - 1] = number if content else following[number]
    found: list[Directive] = []
    for comment in comments:
        if len(found) >= MAX_DIRECTIVES:
            break
        if "checker-disable" not in comment.body:
            continue
        directive = parse_directive(comment.body, comment.line, following[comment.line])
        if directive and not (directive.target_line is None and _is_next_line(comment.body)):
            found.append(directive)
    for line, body in external:
        if len(found) >= MAX_DIRECTIVES:
            break
        directive = parse_directive(body, line)
        if directive is not None:
            found.append(dataclasses.replace(directive, target_line=None))
    return found


def _is_next_line(body: str) -> bool:
    return body.lstrip().startswith("checker-disable-next-line")


def apply_directives(findings: list[Finding], directives: list[Directive]) -> list[Finding]:
    """Mark findings covered by a directive as suppressed (the reason kept), others unchanged."""
    if not directives:
        return findings
    # Indexed by rule (and line): as fast with 100,000 directives as with one. The first directive wins.
    whole: dict[str, str] = {}
    by_line: dict[tuple[str, int | None], str] = {}
    for directive in directives:
        for rule in directive.rules:
            if directive.target_line is None:
                whole.setdefault(rule, directive.reason)
            else:
                by_line.setdefault((rule, directive.target_line), directive.reason)
    out = []
    for finding in findings:
        reason = _first_reason(directives, finding, whole, by_line)
        out.append(dataclasses.replace(finding, suppressed=reason, suppressed_by="document")
                   if reason is not None and not finding.suppressed else finding)
    return out


def _first_reason(directives: list[Directive], finding: Finding, whole: dict[str, str],
                  by_line: dict[tuple[str, int | None], str]) -> str | None:
    """The reason of the first directive (in document order) covering `finding`."""
    candidates = [reason for reason in (whole.get(finding.rule), by_line.get((finding.rule, finding.line)))
                  if reason is not None]
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    return next(d.reason for d in directives if d.covers(finding))


def unknown_rule_findings(directives: list[Directive], known: set[str], limit: int = 1000) -> list[Finding]:
    """An info finding for each directive rule id the pack lacks (a typo would silently do nothing);
    at most `limit` of them (a document with 100,000 bogus directives gets 1,000 notes)."""
    out = []
    for directive in directives:
        for rule in directive.rules:
            if len(out) >= limit:
                return out
            if rule not in known:
                out.append(Finding(rule=UNKNOWN_RULE, severity=Severity.INFO,
                                   message=f"屏蔽指令中的规则 {rule} 在当前规则包中不存在，该指令不起作用",
                                   suggestion="检查规则 ID 的拼写（见报告中每条问题末尾方括号内的 ID）",
                                   line=directive.line, column=1 if directive.line else None,
                                   end_line=directive.line, end_column=1 if directive.line else None,
                                   matched_text=rule))
    return out
