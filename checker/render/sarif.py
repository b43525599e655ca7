"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule of the pack. Each result carries the rule id,
level, message, a relative artifact URI (relative to ``RenderOptions.base_dir`` or the working
directory, forward slashes), a region in unicode code points where the finding has a place
(findings about the document as a whole have none), ``partialFingerprints`` from
`checker.fingerprint` and, for suppressed findings, ``suppressions`` (``inSource`` for an
in-document directive, ``external`` for a baseline) with the reason as justification.
Unreadable documents are reported as tool execution notifications.
"""

from __future__ import annotations

import json
import re

from checker import __version__
from checker.fingerprint import VERSION as FINGERPRINT_KEY
from checker.fingerprint import fingerprints
from checker.model.directives import UNKNOWN_RULE
from checker.render import BaseReport, RenderOptions
from checker.render.paths import artifact_uri
from checker.result import DocumentResult, Finding, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Not a pack rule: the engine's note on a checker-disable directive naming an unknown rule.
DIRECTIVE_DESCRIPTOR = {
    "id": UNKNOWN_RULE,
    "shortDescription": {"text": "屏蔽指令引用了不存在的规则"},
    "fullDescription": {"text": "文档中的 checker-disable 指令写了当前规则包中没有的规则 ID，该指令不起作用。"},
    "help": {"text": "检查规则 ID 的拼写；规则 ID 见报告中每条问题末尾方括号内的 ID。"},
    "defaultConfiguration": {"level": "note", "enabled": True},
    "properties": {"tags": ["checker", "directive"]},
}


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _kind_summary(kind: str) -> str:
    from checker.kinds import KINDS

    module = KINDS.get(kind)
    doc = (module.__doc__ or "").strip().splitlines() if module else []
    return doc[0].split("—", 1)[-1].strip() if doc else kind


def rule_descriptor(rule, pack) -> dict:
    """The SARIF reportingDescriptor of a pack rule."""
    values = _Fill()
    section_id = rule.options.get("section") or rule.scope
    if pack is not None and section_id:
        try:
            spec = pack.section(section_id)
            values.update(name=spec.name, standard=spec.standard.replace("{year}", "上一")
                          .replace("{next_year}", "下一"))
        except KeyError:
            pass
    message = rule.message.format_map(values)
    if rule.description:
        short = rule.description.strip().split("\n")[0]
    elif "…" not in message and not _PLACEHOLDER.search(message):
        short = message
    else:
        short = _kind_summary(rule.kind)
    full = " ".join(x for x in (rule.description, f"依据：{rule.basis}" if rule.basis else None) if x) or short
    suggestion = rule.suggestion.format_map(values) if rule.suggestion else None
    help_text = "\n".join(x for x in (f"建议：{suggestion}" if suggestion else None,
                                       f"依据：{rule.basis}" if rule.basis else None) if x) or full
    descriptor = {
        "id": rule.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text.replace("\n", "  \n")},
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": True},
        "properties": {"kind": rule.kind, "weight": rule.weight,
                       "tags": ["checker", rule.kind] + ([section_id] if section_id else [])},
    }
    if rule.link:
        descriptor["helpUri"] = rule.link
    return descriptor


def result_dict(finding: Finding, fingerprint: str, uri: str, rule_index: dict[str, int],
                text_file: bool = True) -> dict:
    """One SARIF result. Regions only for plain-text files: in a .docx/.pdf/.html the lines are
    those of the extracted text, which a viewer of the file cannot show, so the line goes into
    the message instead."""
    text = finding.full_message
    if not text_file and finding.line is not None:
        text += f"（提取文本第 {finding.line} 行）"
    text += f"\n建议：{finding.suggestion}" if finding.suggestion else ""
    physical: dict = {"artifactLocation": {"uri": uri}}
    if finding.line is not None and text_file:
        region = {"startLine": finding.line, "startColumn": finding.column or 1}
        if finding.end_line is not None:
            region["endLine"] = finding.end_line
            region["endColumn"] = max(finding.end_column or 1, 1)
            if finding.end_line == finding.line and region["endColumn"] < region["startColumn"]:
                region["endColumn"] = region["startColumn"]
        if finding.matched_text:
            region["snippet"] = {"text": finding.matched_text}
        physical["region"] = region
    result: dict = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.count > 1 and text_file:
        # the other places of a grouped finding (the same wrong text found again)
        related = []
        for number, place in enumerate(finding.places[1:], start=2):
            if place.line is None:
                continue
            region = {"startLine": place.line, "startColumn": place.column or 1}
            if place.end_line is not None:
                region["endLine"] = place.end_line
                region["endColumn"] = max(place.end_column or 1, region["startColumn"] if place.end_line == place.line else 1)
            note = f"同一问题的第 {number} 处" + (f"：{place.message}" if place.message else "")
            related.append({"id": number, "message": {"text": note},
                            "physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}})
        if related:
            result["relatedLocations"] = related
    if finding.count > 1:
        result["properties"] = {"count": finding.count}
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.section:
        result.setdefault("properties", {})["section"] = finding.section
    if finding.suppressed:
        result["suppressions"] = [{
            "kind": "external" if finding.suppressed_by == "baseline" else "inSource",
            "status": "accepted",
            "justification": finding.suppressed,
        }]
    return result


def is_text_file(result: DocumentResult) -> bool:
    """Whether finding lines are lines of the file itself (plain text) or of extracted text."""
    return result.format in (None, "text")


class Report(BaseReport):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        pack = options.pack
        rules = [rule_descriptor(rule, pack) for rule in (pack.rules if pack else [])]
        rules.append(DIRECTIVE_DESCRIPTOR)
        self.rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
        driver: dict = {"name": "checker", "version": __version__, "semanticVersion": __version__, "rules": rules}
        if options.extras.get("information_uri"):
            driver["informationUri"] = options.extras["information_uri"]
        if pack is not None:
            driver["properties"] = {"pack": pack.name, "packTitle": pack.title}
        tool = json.dumps({"driver": driver}, ensure_ascii=False, indent=1)
        # Stream results: the run's "results" array is opened here and closed in close().
        self.out.write(f'{{"$schema": "{SCHEMA_URI}", "version": "2.1.0", "runs": [{{\n "tool": {tool},\n'
                       ' "columnKind": "unicodeCodePoints",\n "results": [')
        self.count = 0
        self.notifications: list[dict] = []
        self.artifacts: list[dict] = []

    def add(self, result: DocumentResult) -> None:
        uri = artifact_uri(result.path, self.options.base_dir)
        if result.error:
            self.notifications.append({
                "level": "error", "message": {"text": f"无法检查：{result.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
            return
        self.artifacts.append({"location": {"uri": uri},
                               "properties": {"score": result.score, "grade": result.grade,
                                              "gradeReason": result.grade_reason,
                                              "title": result.title, "reportYear": result.report_year}})
        for finding, fingerprint in zip(result.findings, fingerprints(result.findings)):
            item = result_dict(finding, fingerprint, uri, self.rule_index, is_text_file(result))
            self.out.write(("," if self.count else "") + "\n   " + json.dumps(item, ensure_ascii=False))
            self.count += 1

    def close(self) -> None:
        tail = {"artifacts": self.artifacts,
                "invocations": [{"executionSuccessful": not self.notifications,
                                 "toolExecutionNotifications": self.notifications}]}
        body = json.dumps(tail, ensure_ascii=False)[1:-1]
        self.out.write(f"\n ],\n {body}\n}}]}}\n")
