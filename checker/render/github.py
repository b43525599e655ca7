"""GitHub Actions workflow commands: annotations on the changed files, plus the plain report.

For each document: ``::group::PATH`` with the plain-text report inside (GitHub shows only a
limited number of annotations per step, so the log keeps the whole report), then one
``::error``/``::warning``/``::notice`` command per active finding with ``file``, ``line``,
``col``, ``endLine``, ``endColumn`` and ``title``, then ``::endgroup::``. Values are escaped as
the Actions toolkit does: ``%``, CR and LF in the message; additionally ``:`` and ``,`` in
properties. Suppressed findings are not annotated.

Everything from a document or a file name goes through `checker.render.safe` first: control
characters (ESC, CR …) become visible stand-ins, and a line of the plain report that would start a
workflow command (``::warning …`` or ``##[…`` after the leading whitespace the runner trims) is
prefixed with ``| ``, so only our own lines are commands.
"""

from __future__ import annotations

import io

from checker.render import BaseReport, RenderOptions
from checker.render.paths import relative_path
from checker.render.safe import not_a_command, plain
from checker.result import DocumentResult, Finding, Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return plain(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, path: str, text_file: bool = True) -> str:
    """One workflow command; line/column properties only where they are lines of the file
    itself (plain text), not of text extracted from a .docx/.pdf/.html."""
    props = [("file", path)]
    if finding.line is not None and text_file:
        props.append(("line", str(finding.line)))
        if finding.column is not None:
            props.append(("col", str(finding.column)))
        if finding.end_line is not None:
            props.append(("endLine", str(finding.end_line)))
            # GitHub only honours column ranges within a single line.
            if finding.end_column is not None and finding.end_line == finding.line:
                props.append(("endColumn", str(finding.end_column)))
    props.append(("title", f"{finding.severity.chinese} [{finding.rule}]"))
    message = finding.full_message
    if finding.line is not None and not text_file:
        message += f"（提取文本第 {finding.line} 行）"
    message += f"\n建议：{finding.suggestion}" if finding.suggestion else ""
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMAND[finding.severity]} {joined}::{escape_data(message)}"


class Report(BaseReport):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        from checker.render import terminal

        self.buffer = io.StringIO()
        plain_options = RenderOptions(pack=options.pack, color=False, base_dir=options.base_dir,
                              # each document's report sits in its own collapsed group: always in full
                              extras={**options.extras, "details": True,
                                      "width": options.extras.get("width") or 160})
        self.plain = terminal.Report(self.buffer, plain_options)

    def _flush_plain(self) -> None:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        # The plain report is already free of control characters (terminal renderer).
        self.out.write(not_a_command(text))

    def add(self, result: DocumentResult) -> None:
        path = relative_path(result.path, self.options.base_dir)
        self.out.write(f"::group::{escape_data(path)}\n")
        self.plain.add(result)
        self._flush_plain()
        if result.error:
            self.out.write(f"::error file={escape_property(path)},title={escape_property('无法检查')}::"
                           f"{escape_data(result.error)}\n")
        for finding in result.findings:
            if not finding.suppressed:
                self.out.write(annotation(finding, path, result.format in (None, "text")) + "\n")
        self.out.write("::endgroup::\n")

    def close(self) -> None:
        self.plain.close()
        self._flush_plain()
