"""The engine: run a pack's rules over documents and compute score and grade.

One `Engine` per pack; it is reused for every document of a batch. Each document is loaded,
modelled once, matched to the template once, then handed to every rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from checker.context import Context
from checker.errors import CheckerError
from checker.grading import Grading, grade
from checker.kinds import KINDS, WORDING
from checker.load import DEFAULT_MAX_BYTES, Limits, Source, load
from checker.model.directives import apply_directives, unknown_rule_findings
from checker.model.document import DEFAULT_MAX_CHARS, Document, build_document
from checker.model.records import record
from checker.packs import Pack
from checker.result import DocumentResult, Finding, SectionStatus, Severity, group_findings, one_finding_per_problem
from checker.template import TemplateMatcher


# Findings kept per rule and document (kinds have their own, smaller `max_findings` options).
MAX_FINDINGS_PER_RULE = 1000


class Engine:
    def __init__(self, pack: Pack, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
                 limits: Limits | None = None) -> None:
        self.pack = pack
        self.matcher = TemplateMatcher(pack)
        self.limits = limits or Limits(max_bytes=max_bytes, max_chars=max_chars)
        self.rules = [(rule, KINDS[rule.kind]) for rule in pack.rules]
        self.rules_by_id = {rule.id: rule for rule, _ in self.rules}
        self.rule_ids = list(self.rules_by_id)
        # Rules that decide whether the page is a report at all run first (kind not-report).
        self.gates = [(rule, kind) for rule, kind in self.rules if rule.kind == "not-report"]
        # how specific each wording rule is: two of them on one span are one problem
        self.wording = {rule.id: WORDING[rule.kind] for rule, _ in self.rules if rule.kind in WORDING}

    def warm(self) -> None:
        """Load the data some kinds read on first use (dictionaries), so a batch worker pays for
        it at start, not inside its first document's time limit."""
        for rule, kind in self.rules:
            if hasattr(kind, "warm"):
                kind.warm(rule)

    def read(self, path: str) -> tuple[Source, Document]:
        """Load and model one file within this engine's limits; raises InputError (a CheckerError)."""
        source = load(path, limits=self.limits)
        return source, build_document(source, self.limits.max_chars)

    def check_path(self, path: str, keep_text: bool = False) -> DocumentResult:
        """Check one file; input problems become `result.error`, never an exception."""
        try:
            _, document = self.read(path)
        except CheckerError as exc:
            return DocumentResult(path=path, error=getattr(exc, "reason", str(exc)))
        return self.check_document(document, keep_text=keep_text)

    def check_document(self, document: Document, keep_text: bool = False) -> DocumentResult:
        template = self.matcher.match(document)
        ctx = Context(document=document, pack=self.pack, template=template)
        cleared: set[str] = set()  # gates that found nothing: their findings in the loop below are none
        for rule, kind in self.gates:
            verdict = apply_directives(list(islice(kind.check(ctx, rule), 1)), document.directives)
            if verdict and not verdict[0].suppressed:  # checker-disable not-report: check it as a report
                return self.not_report(document, verdict, keep_text)
            if not verdict:
                cleared.add(rule.id)
        findings: list[Finding] = []
        withdrawn: list[Finding] = []  # made by a rule that does not apply there (years, cited titles)
        for rule, kind in self.rules:
            if rule.id in cleared:  # a pure function of the document, already run: nothing to add
                continue
            applies = ctx.in_years(rule)
            if not applies and rule.id not in self.wording:
                continue  # its findings would settle nothing: not run at all
            try:
                # A safety net for every kind: a hostile text cannot make one rule report (and
                # the reports render) millions of findings.
                found = islice(kind.check(ctx, rule), MAX_FINDINGS_PER_RULE)
                if document.ocr_lines and getattr(kind, "PROOFREADS", False):
                    # text read by OCR is not proofread: its slips are the recogniser's
                    found = (f for f in found if f.line is None or f.line not in document.ocr_lines)
                found = list(found)
            except Exception as exc:  # a broken rule costs its own findings, not the document
                findings.append(Finding(rule=rule.id, severity=Severity.ERROR,
                                        message=f"规则运行出错（{type(exc).__name__}: {exc}），请报告此问题"))
                continue
            if not applies:
                withdrawn.extend(found)
                continue
            if rule.skip_cited_titles:
                kept = []
                for finding in found:  # a cited document's title is not the writer's wording
                    titled = finding.start is not None and ctx.in_cited_title(finding.start, finding.end)
                    (withdrawn if titled else kept).append(finding)
                found = kept
            findings.extend(found)
        # two wording rules on one span are one problem; a rule's withdrawn finding takes along
        # another rule's finding around it
        findings = one_finding_per_problem(findings, self.wording, withdrawn, _whole_title(document.text))
        findings.sort(key=Finding.sort_key)
        findings = apply_directives(findings, document.directives)
        if document.directives:
            findings += unknown_rule_findings(document.directives, self.rules_by_id.keys(),
                                              limit=MAX_FINDINGS_PER_RULE)
            findings.sort(key=Finding.sort_key)
        # The same wrong text found again is one finding with a count and its places, not N rows.
        findings = group_findings(findings)
        grading = self.grade(findings)
        outline = document.outline
        return DocumentResult(
            path=document.path,
            title=outline.title.text if outline.title else None,
            report_year=outline.report_year,
            score=grading.score,
            grade=grading.grade,
            grade_reason=grading.reason,
            grade_caps=[cap.reason for cap in grading.caps],
            sections=[{"id": m.section, "heading": m.heading.text, "line": m.heading.line,
                       "similarity": m.similarity} for m in template.sections],
            checklist=self.checklist(ctx),
            findings=findings,
            rules_run=list(self.rule_ids),
            format=document.format,
            text=document.text if keep_text else None,
            **self.dates(document),
            ocr_pages=list(document.ocr_pages),
        )

    def grade(self, findings: Iterable[Finding]) -> Grading:
        """Score, grade and explanation under the pack's scoring policy (see checker/grading.py)."""
        return grade(self.pack, self.rules_by_id, findings)

    def not_report(self, document: Document, findings: list[Finding], keep_text: bool) -> DocumentResult:
        """A page that is not an annual report: its one finding, nothing claimed, no score or grade."""
        return DocumentResult(
            path=document.path,
            findings=findings,
            rules_run=[rule.id for rule, _ in self.gates],
            format=document.format,
            text=document.text if keep_text else None,
            is_report=False,
            not_report_reason=findings[0].message,
            **self.dates(document),
        )

    @staticmethod
    def dates(document: Document) -> dict:
        outline = document.outline
        return {
            "published": outline.published.as_dict() if outline.published else None,
            "signed_date": outline.signed.date.isoformat() if outline.signed else None,
            "issuer": outline.issuer,
            "publisher": outline.publisher,
        }

    def score(self, findings: Iterable[Finding]) -> float:
        return self.grade(findings).score

    def regrade(self, result: DocumentResult) -> None:
        """Recompute score, grade and explanation of `result` from its (changed) findings; a result
        without a grade (a page that is no report) stays without one."""
        if result.grade is None:
            return
        grading = self.grade(result.findings)
        result.score, result.grade, result.grade_reason = grading.score, grading.grade, grading.reason
        result.grade_caps = [cap.reason for cap in grading.caps]

    def checklist(self, ctx: Context) -> list[SectionStatus]:
        rows = []
        for spec in self.pack.sections:
            match = ctx.template.find(spec.id)
            if match is not None:
                heading, line, similarity, status = match.heading.text, match.heading.line, match.similarity, "present"
            elif spec.id in ctx.template.substance:
                found = ctx.template.substance[spec.id]
                heading, line, similarity, status = found.text.strip(), found.line, found.similarity, "substance"
            else:
                heading = line = similarity = None
                status = "missing"
            rows.append(record(SectionStatus, {"id": spec.id, "name": spec.name, "required": spec.required,
                                               "status": status, "heading": heading, "line": line,
                                               "similarity": similarity}))
        return rows


def _whole_title(text: str):
    """Is a finding the whole name of a cited title, 《…》 (a year bracket after it allowed)? Then
    it says the title is misquoted (《法制政府建设实施纲要》), which a rule letting the wording of
    the title's time stand does not settle."""
    def stands(finding: Finding) -> bool:
        start, end = finding.start, finding.end
        return start is not None and end is not None and 0 < start and text[start - 1] == "《" \
            and text[end:end + 1] in ("》", "（", "(")
    return stands
