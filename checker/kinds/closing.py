"""closing — the report ends with its issuer and date (落款), as a signed document does.

An annual report is an official document: it ends with the issuing body and the date
(``中共某某乡委员会 / 某某乡人民政府 / 2024年1月19日``). The outline reads this closing block:
a date line at the end of the text (after it only page furniture or a short note in brackets
such as ``（此件公开发布）``), with up to three short issuer lines above it, or issuer and date on
one line. The block is exposed as ``issuer`` and ``signed_date`` in the results.

What a reviewer would say, and what this rule says:

* issuer and date at the end — nothing;
* date at the end but no issuer above it — a note (``issuer_severity``, default info);
* no closing date, but the web page carries the publication date in its header (发布时间,
  日期 …) — the page is dated, so the date is not missing; when neither the title
  (``某某镇2023年度…报告``) nor the page header (发布机构/来源) names the issuer either, a note
  that the issuer is not written (``issuer_severity``);
* no date anywhere — the report is not signed: this rule's severity (default warning).

Options:
  issuer_severity  severity of the "issuer missing" note (default info)
  issuer_message   its message

Placeholders: {problem}.

Passing: a report ending ``某某镇人民政府 / 2024年1月19日``; a web page with ``发布时间：2024-03-20``
whose title names the town.
Failing: a draft that ends with its last paragraph and shows no date anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from checker.context import Context
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding, Severity

OPTIONS = {
    "issuer_severity": (str, "info"),
    "issuer_message": (str, "文末落款没有写明发文单位"),
}

# A title that names its issuer: something before 关于, the year or the subject (某某镇2023年度… / 某某局关于…).
_ISSUER_IN_TITLE = re.compile(r"^(?![\d〇零○]|关于|上一?年|本年)(?P<issuer>.{2,40}?)"
                              r"(?:关于|(?:19|20)\d{2}[ ]?年|[〇零○一二三四五六七八九]{4}年|法治政府|依法行政)")


def validate(options: dict) -> dict:
    try:
        Severity.parse(options["issuer_severity"])
    except KeyError:
        raise ValueError("issuer_severity 应为 error / warning / info") from None
    return options


def _issuer_elsewhere(ctx: Context) -> bool:
    outline = ctx.document.outline
    if outline.title is not None and _ISSUER_IN_TITLE.match(fold(outline.title.text)):
        return True
    return outline.publisher is not None


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    outline = ctx.document.outline
    end = outline.body[1]
    issuer_note = replace(rule, message=rule.options["issuer_message"], suggestion=rule.suggestion)
    issuer_severity = Severity.parse(rule.options["issuer_severity"])
    if outline.signed is not None:
        if not outline.issuer:
            line = ctx.document.line_starts[outline.signed.line - 1]
            yield ctx.finding(issuer_note, line, line + len(ctx.document.line_text(outline.signed.line).rstrip()),
                              severity=issuer_severity, problem="落款没有发文单位")
        return
    if outline.published is not None or outline.document_date is not None:
        if not _issuer_elsewhere(ctx):
            yield ctx.finding(issuer_note, end, end, severity=issuer_severity, problem="没有写明发文单位")
        return
    yield ctx.finding(rule, end, end, problem="文末没有落款（发文单位和日期）")
