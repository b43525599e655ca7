"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure…).

One ``<testsuite>`` per document (name = relative path), one ``<testcase>`` per rule run on it,
passing ones included. A testcase fails when the rule has an active finding at or above the
``--fail-on`` level (``RenderOptions.extras["fail_on"]``, default error); findings below it and
suppressed ones are listed in ``<system-out>``. An unreadable document is one testcase with
an ``<error>``. Score and grade are testsuite properties.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from checker.render import BaseReport, Rendered, RenderOptions
from checker.render.paths import relative_path
from checker.render.safe import xml_text
from checker.result import DocumentResult, Finding, Severity

_clean = xml_text  # XML 1.0 forbids most control characters and U+FFFE/U+FFFF, even escaped


def _line(finding: Finding, path: str) -> str:
    place = f"{path}:{finding.line}:{finding.column}" if finding.line else path
    text = f"{place}: {finding.severity.chinese} {finding.full_message} [{finding.rule}]"
    if finding.suggestion:
        text += f"\n    建议：{finding.suggestion}"
    if finding.suppressed:
        text += f"\n    （已屏蔽：{finding.suppressed}）"
    return text


class Report(BaseReport):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        fail_on = options.extras.get("fail_on", "error")
        self.threshold = None if fail_on == "never" else Severity.parse(fail_on)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="checker">\n')

    def _fails(self, finding: Finding) -> bool:
        return not finding.suppressed and self.threshold is not None and finding.severity >= self.threshold

    def add(self, result: DocumentResult | Rendered) -> None:
        self.out.write(result.pieces["junit"] if isinstance(result, Rendered) else self._suite(result))

    @classmethod
    def piece(cls, result: DocumentResult, options: RenderOptions) -> str:
        return cls(io.StringIO(), options)._suite(result)

    def _suite(self, result: DocumentResult) -> str:
        path = relative_path(result.path, self.options.base_dir)
        name = quoteattr(_clean(path))
        if result.error:
            return (f'  <testsuite name={name} tests="1" failures="0" errors="1" skipped="0">\n'
                    f'    <testcase classname={name} name="load">\n'
                    f'      <error message={quoteattr(_clean(result.error))} type="unreadable"/>\n'
                    f'    </testcase>\n  </testsuite>\n')
        by_rule: dict[str, list[Finding]] = {}
        for finding in result.findings:
            if finding.suppressed_by == "baseline":
                continue
            by_rule.setdefault(finding.rule, []).append(finding)
        rules = list(result.rules_run) + [r for r in by_rule if r not in result.rules_run]
        failures = sum(1 for r in rules if any(self._fails(f) for f in by_rule.get(r, [])))
        out = [f'  <testsuite name={name} tests="{len(rules)}" failures="{failures}" errors="0" skipped="0">\n',
               '    <properties>\n']
        for key, value in (("score", result.score), ("grade", result.grade),
                           ("grade_reason", result.grade_reason), ("title", result.title),
                           ("report_year", result.report_year)):
            if value is not None:
                out.append(f'      <property name="{key}" value={quoteattr(_clean(str(value)))}/>\n')
        out.append('    </properties>\n')
        for rule in rules:
            findings = by_rule.get(rule, [])
            failing = [f for f in findings if self._fails(f)]
            out.append(f'    <testcase classname={name} name={quoteattr(rule)}')
            if not findings:
                out.append('/>\n')
                continue
            out.append('>\n')
            if failing:
                worst = max(f.severity for f in failing)
                body = "\n".join(_line(f, path) for f in failing)
                out.append(f'      <failure message={quoteattr(_clean(failing[0].message))} type="{worst.label}">'
                           f'{escape(_clean(body))}</failure>\n')
            others = [f for f in findings if f not in failing]
            if others:
                body = "\n".join(_line(f, path) for f in others)
                out.append(f'      <system-out>{escape(_clean(body))}</system-out>\n')
            out.append('    </testcase>\n')
        out.append('  </testsuite>\n')
        return "".join(out)

    def close(self) -> None:
        self.out.write('</testsuites>\n')
