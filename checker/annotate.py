"""Findings written into the draft itself: Word comments (``checker annotate``) and tracked
changes (``checker fix --track-changes``).

* Every active finding with a place becomes a comment anchored on exactly the text it is about
  (the finding's span, clipped to its line; a run is split at the span's edges when needed,
  keeping its formatting). Its text is the Chinese message, the suggestion and the rule id;
  author, initials and date are set. A finding on text Word generates itself (an automatic
  numbering label) is anchored on its whole paragraph.
* Findings about the whole document (a missing part, and anything without a place) go into one
  comment on the title, with the score, the grade and why, and the five-part checklist.
* Findings the document suppresses (``checker-disable``) are not written.
* With tracked changes, every mechanical fix of ``checker fix`` becomes a revision (``w:del`` +
  ``w:ins``) the clerk accepts or rejects in Word or WPS; accepting all gives the text ``checker
  fix`` writes. When both are asked for, the findings those fixes answer are not commented again.
* A .docx draft is marked in a copy (existing comments and revisions stay as they are); any other
  input (.txt, .html, .pdf …) becomes a .docx with one paragraph per line of its text first.

The input file is never changed; the output is written atomically; files are read within the
same limits as ``checker check``.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

from checker.fix import Fix, FixPlan, is_docx, text_to_docx
from checker.result import Finding

DEFAULT_AUTHOR = "法治报告检查"
DEFAULT_INITIALS = "检"
STATUS_MARK = {"present": "✓", "substance": "～", "missing": "✗"}
STATUS_WORD = {"present": "有", "substance": "只在内容中写到，没有单独标题", "missing": "缺少"}


@dataclass
class Marked:
    """A marked-up draft and what went into it."""

    data: bytes
    comments: int = 0
    tracked: int = 0
    not_tracked: list[Fix] = field(default_factory=list)  # fixes on text Word generates itself


def finding_paragraphs(finding: Finding) -> list[str]:
    """The text of a finding's comment, a paragraph per item (a grouped finding names its places)."""
    paragraphs = [f"【{finding.severity.chinese}】{finding.full_message}"]
    if finding.suggestion:
        paragraphs.append(f"建议：{finding.suggestion}")
    paragraphs.append(f"（规则 {finding.rule}）")
    return paragraphs


def summary_paragraphs(plan: FixPlan, pack, unplaced: list[Finding]) -> list[str]:
    """The comment on the title: score, grade and why, the checklist, document-level findings."""
    result = plan.result
    score = f"{result.score:g}" if result.score is not None else "—"
    paragraphs = [f"检查结果：得分 {score}，等级 {result.grade or '—'}（{pack.title or pack.name}）"]
    reason = getattr(result, "grade_reason", None)
    if reason:
        paragraphs.append(f"为什么是这个等级：{reason}")
    if result.checklist:
        paragraphs.append("必备部分：" + "；".join(
            f"{STATUS_MARK[row.status]} {row.name}"
            + ("" if row.status == "present" or (row.status == "missing" and not row.required)
               else f"（{STATUS_WORD[row.status]}）")
            for row in result.checklist))
    for finding in unplaced:
        paragraphs.append(f"【{finding.severity.chinese}】{finding.message}"
                          + (f" 建议：{finding.suggestion}" if finding.suggestion else ""))
    return paragraphs


def _title_line(plan: FixPlan) -> int:
    title = plan.document.outline.title
    if title is not None:
        return title.line
    text = plan.source_text
    lines = text.split("\n")
    return next((index for index, line in enumerate(lines, 1) if line.strip()), 1)


def _word_copy(plan: FixPlan, source, input_path: str):
    import docx

    if is_docx(input_path, source.format if source is not None else None):
        with open(input_path, "rb") as handle:
            return docx.Document(io.BytesIO(handle.read()))
    buffer = io.BytesIO()
    text_to_docx(plan.source_text, buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def _line_span(plan: FixPlan, start: int, end: int) -> tuple[int, int, int]:
    """(line, start column, end column) of an offset span, clipped to its first line."""
    document = plan.document
    line, _ = document.position(start)
    line_start = document.line_starts[line - 1]
    line_end = line_start + len(document.line_text(line))
    return line, start - line_start, min(end, line_end) - line_start


def _runs_for(plan: FixPlan, marks, finding: Finding) -> list | None:
    """The runs a finding's comment goes on: its span, else its whole paragraph (a point such as a
    missing part is about its line; a span on an automatic number has no runs), else None."""
    if finding.line is None:
        return None
    if finding.start is None:
        return marks.whole_paragraph(finding.line)
    end = finding.end if finding.end is not None else finding.start
    line, left, right = _line_span(plan, finding.start, max(end, finding.start))
    return (marks.runs(line, left, right) if right > left else None) or marks.whole_paragraph(line)


def mark(plan: FixPlan, source, input_path: str, pack, *, comments: bool = True, track: bool = False,
         author: str = DEFAULT_AUTHOR, initials: str = DEFAULT_INITIALS, when: datetime | None = None,
         revisions: bool = True) -> Marked:
    """The draft as a .docx with the plan's findings as comments and/or its fixes made (``track``):
    as tracked changes, or with ``revisions=False`` straight into the text (``checker fix``)."""
    from checker.wordedit import WordMarks

    word = _word_copy(plan, source, input_path)
    marks = WordMarks(word, author, initials, when or datetime.now(timezone.utc))
    marked = Marked(data=b"")
    if comments:
        answered = {id(f) for f in plan.claimed} if track else set()
        active = [f for f in plan.result.findings if not f.suppressed and id(f) not in answered]
        unplaced: list[Finding] = []
        for grouped in active:
            paragraphs = finding_paragraphs(grouped)
            for finding in grouped.each():  # a grouped finding: a comment at each of its places
                runs = _runs_for(plan, marks, finding)
                if runs is None:
                    unplaced.append(grouped)
                    break
                own = paragraphs if finding.message == grouped.message else [  # a place quoting its own context
                    f"【{grouped.severity.chinese}】{finding.message}{grouped.places_note}", *paragraphs[1:]]
                marks.comment(runs, own)
                marked.comments += 1
        title_runs = marks.whole_paragraph(_title_line(plan))
        if title_runs is None:
            title_runs = next((runs for line in range(1, len(marks.anchors) + 1)
                               if (runs := marks.whole_paragraph(line))), None)
        if title_runs is not None:
            marks.comment(title_runs, summary_paragraphs(plan, pack, unplaced))
            marked.comments += 1
    if track:
        placed = [(*_line_span(plan, fix.start, fix.end), fix) for fix in plan.fixes]
        # A fix across lines or on text Word generates (automatic numbering) is not made, and
        # neither is the rest of its group (renumbering half a list would make it worse).
        failed = {fix.group for line, left, right, fix in placed
                  if right - left != fix.end - fix.start or not marks.placeable(line, left, right, revisions)}
        # From the end backwards, so the columns of the fixes still to make stay valid.
        for line, left, right, fix in sorted(placed, key=lambda t: (t[3].start, t[3].end), reverse=True):
            if fix.group not in failed and marks.replace(line, left, right, fix.replacement, track=revisions):
                marked.tracked += 1
            else:
                marked.not_tracked.append(fix)
        marked.not_tracked.sort(key=lambda f: f.start)
    buffer = io.BytesIO()
    word.save(buffer)
    marked.data = buffer.getvalue()
    return marked


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory."""
    from checker.errors import CheckerError

    directory = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise CheckerError(f"{path}: 无法写入（{exc.strerror or exc}）") from None


def _plan_for(input_path: str, output: str, pack_name: str | None, level: str):
    """Load, check and plan fixes for ``checker annotate`` / ``checker fix --track-changes``."""
    from checker.engine import Engine
    from checker.errors import CheckerError, InputError
    from checker.fix import _same_file, plan_file
    from checker.levels import pack_for
    from checker.packs import load_pack

    if os.path.splitext(output)[1].lower() != ".docx":
        raise CheckerError(f"{output}: 输出文件必须是 .docx（批注和修订只能写入 Word 文档）")
    if os.path.exists(input_path) and _same_file(input_path, output):
        raise CheckerError(f"{output}: 输出文件不能是输入文件本身（原文件不会被修改）")
    engine = Engine(load_pack(pack_name) if pack_name else pack_for(level))
    source, fix_plan = plan_file(engine, input_path)
    if fix_plan.result.error:
        raise InputError(input_path, fix_plan.result.error)
    return engine, source, fix_plan


def run_annotate(input_path: str, output: str, pack_name: str | None, level: str, *, track: bool = False,
                 author: str = DEFAULT_AUTHOR, initials: str = DEFAULT_INITIALS, echo=print) -> Marked:
    """The ``checker annotate`` command: findings as comments (and, with ``track``, fixes as revisions)."""
    engine, source, fix_plan = _plan_for(input_path, output, pack_name, level)
    marked = mark(fix_plan, source, input_path, engine.pack, comments=True, track=track,
                  author=author, initials=initials)
    write_atomically(output, marked.data)
    tracked = f"，{marked.tracked} 处修订" if track else ""
    echo(f"已写入 {output}（{marked.comments} 条批注{tracked}；在 Word/WPS 的“审阅”中查看）")
    return marked


def run_track_changes(input_path: str, output: str, pack_name: str | None, level: str, *,
                      author: str = DEFAULT_AUTHOR, initials: str = DEFAULT_INITIALS, echo=print) -> Marked:
    """``checker fix --track-changes``: each mechanical fix as a revision to accept or reject."""
    from checker.fix import describe

    engine, source, fix_plan = _plan_for(input_path, output, pack_name, level)
    marked = mark(fix_plan, source, input_path, engine.pack, comments=False, track=True,
                  author=author, initials=initials)
    if not fix_plan.fixes:
        echo(f"{input_path}: 没有可以自动修正的问题")
    for change in fix_plan.changes():
        echo(f"第 {change.line} 行  {change.before} → {change.after}  （{change.fix.reason}；{change.fix.rule}）")
    for fix in marked.not_tracked:
        echo(f"未能修改（该处文字由 Word 自动生成，如自动编号）：第 {describe(fix_plan.document, fix).line} 行 "
             f"{fix_plan.document.text[fix.start:fix.end]} → {fix.replacement}")
    write_atomically(output, marked.data)
    echo(f"已写入 {output}（共 {marked.tracked} 处修订，请在 Word/WPS 的“审阅”中逐条接受或拒绝）")
    return marked
