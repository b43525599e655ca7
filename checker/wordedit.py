"""Marking a Word document the way a reviewer does: comments on text spans, tracked changes.

The document model gives every finding offsets into the text the reader made of the .docx;
``checker.load.docx.line_anchors`` walks the body the same way and says, for each text line,
which ``w:p`` it came from and where in that paragraph's text it starts. ``WordMarks`` turns a
span of a line into whole ``w:r`` runs, splitting a run at the span's edges when needed (the
copy keeps the run's ``w:rPr``, so the formatting does not change), then:

  * ``comment(span, text)`` anchors a comment on exactly those runs. python-docx (1.2+) does
    this (``Document.add_comment``); it sets no date, so ``w:date`` is set on the element.
  * ``replace(span, new)`` records a tracked change: the runs go into ``w:del`` (their ``w:t``
    become ``w:delText``) and the new text into a ``w:ins`` run with the same formatting, both
    with author and date. python-docx has no API for revisions, so this part is XML.
  * ``replace(span, new, track=False)`` edits the text in place for ``checker fix``: the first
    run touched takes the new text, the others lose the replaced part, all keep their formatting.

Spans that fall on text Word generates itself (an automatic-numbering label) have no runs:
``runs`` returns None and callers fall back (a comment on the whole paragraph; the fix is
reported as not applied). Runs holding more than text (fields, drawings) are never split: a
comment then covers the whole run, a tracked change is not made there.
"""

from __future__ import annotations

import copy
from datetime import datetime

from docx.oxml.ns import qn

from checker.load.docx import line_anchors, paragraph_runs
from checker.render.safe import xml_text

_TEXT_CHILDREN = {qn(tag) for tag in ("w:rPr", "w:t", "w:tab", "w:br", "w:cr", "w:noBreakHyphen",
                                      "w:softHyphen", "w:lastRenderedPageBreak")}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _text_length(node) -> int:
    """Characters ``node`` (a child of a w:r) adds to the paragraph text, as the reader counts."""
    from checker.load.docx import _visible

    return sum(len(text) for _, text in _visible(node) if text)


def _splittable(run) -> bool:
    return all(child.tag in _TEXT_CHILDREN for child in run)


def _split(run, at: int) -> None:
    """Split a text-only ``w:r`` after ``at`` characters into two runs with the same ``w:rPr``."""
    right = copy.deepcopy(run)
    position = 0
    for left_child, right_child in zip(list(run), list(right)):
        if left_child.tag == qn("w:rPr"):
            continue
        length = _text_length(left_child)
        if position + length <= at:
            right.remove(right_child)
        elif position >= at:
            run.remove(left_child)
        else:  # the cut falls inside this w:t
            cut = at - position
            text = left_child.text or ""
            left_child.text, right_child.text = text[:cut], text[cut:]
            left_child.set(_XML_SPACE, "preserve")
            right_child.set(_XML_SPACE, "preserve")
        position += length
    run.addnext(right)


def _overwrite(runs: list, start: int, end: int, replacement: str) -> None:
    """Replace [start, end) of the runs' joined text in place: the first run touched takes the new
    text, the others lose the replaced part; every run keeps its formatting."""
    from docx.text.run import Run

    position = 0
    placed = False
    for element in runs:
        run = Run(element, None)
        text = run.text
        run_start, run_end = position, position + len(text)
        position = run_end
        if run_end < start or run_start > end or (run_end == start and start != end):
            continue
        if run_start == end and placed:
            break
        left = max(start, run_start) - run_start
        right = min(end, run_end) - run_start
        new = text[:left] + ("" if placed else replacement) + text[right:]
        placed = True
        if new != text:
            run.text = new
        if run_end >= end:
            break


class WordMarks:
    """Comments and tracked changes on a python-docx Document, addressed by text line and column."""

    def __init__(self, document, author: str, initials: str, when: datetime) -> None:
        self.document = document
        self.author = xml_text(author)  # text entering XML: characters XML cannot hold are replaced
        self.initials = xml_text(initials)
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.anchors = line_anchors(document)
        self._next_id: int | None = None  # revision ids: set at the first revision, above every id in use

    def paragraph(self, line: int):
        """The w:p a 1-based text line came from (None past the end)."""
        return self.anchors[line - 1][0] if 0 < line <= len(self.anchors) else None

    def runs(self, line: int, start: int, end: int, split: bool = True) -> list | None:
        """The runs holding columns [start, end) of a line (0-based, end exclusive), split at the
        edges where possible; None where the span is not (wholly) in runs."""
        if not 0 < line <= len(self.anchors):
            return None
        p, offset = self.anchors[line - 1]
        start, end = start + offset, end + offset
        if p is None or start < 0 or end <= start:
            return None
        if split:
            for edge in (end, start):  # the end first: splitting there leaves earlier offsets as they are
                for run, run_start, run_end in paragraph_runs(p):
                    if run_start < edge < run_end and _splittable(run):
                        _split(run, edge - run_start)
                        break
        covered = [(run, s, e) for run, s, e in paragraph_runs(p) if s < end and e > start]
        if not covered or covered[0][1] > start or covered[-1][2] < end:
            return None
        return [run for run, _, _ in covered]

    def whole_paragraph(self, line: int) -> list | None:
        p = self.paragraph(line)
        runs = [run for run, _, _ in paragraph_runs(p)] if p is not None else []
        return runs or None

    def comment(self, runs: list, paragraphs: list[str]) -> None:
        """A comment anchored from the first to the last of ``runs``, one paragraph per item."""
        from docx.text.run import Run

        first, last = Run(runs[0], None), Run(runs[-1], None)
        comment = self.document.add_comment([first, last], text=xml_text(paragraphs[0]), author=self.author,
                                            initials=self.initials)
        comment._comment_elm.set(qn("w:date"), self.date)
        for text in paragraphs[1:]:
            comment.add_paragraph(xml_text(text))

    def _revision(self, tag: str):
        from docx.oxml import OxmlElement

        if self._next_id is None:
            roots = [self.document.element] + [  # and the comments, made here or before
                part.element for part in self.document.part.package.iter_parts()
                if str(part.partname) == "/word/comments.xml" and hasattr(part, "element")]
            ids = [int(v) for root in roots for v in root.xpath("//@w:id") if str(v).isdigit()]
            self._next_id = max(ids, default=0) + 1
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self._next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        self._next_id += 1
        return element

    def _exact_runs(self, line: int, start: int, end: int) -> list | None:
        """Text-only runs holding exactly columns [start, end) of a line (split to fit), or None."""
        runs = self.runs(line, start, end)
        if runs is None or not all(_splittable(run) for run in runs):
            return None
        p, offset = self.anchors[line - 1]
        spans = {id(run): (s, e) for run, s, e in paragraph_runs(p)}
        if spans[id(runs[0])][0] != start + offset or spans[id(runs[-1])][1] != end + offset:
            return None  # an edge could not be split
        return runs

    def _neighbours(self, line: int, at: int) -> tuple[object, object] | None:
        """The runs ending and starting at column ``at`` of a line (a run split there if need be)."""
        if not 0 < line <= len(self.anchors):
            return None
        p, offset = self.anchors[line - 1]
        at += offset
        if p is None or at < 0:
            return None
        for run, run_start, run_end in paragraph_runs(p):
            if run_start < at < run_end:
                if not _splittable(run):
                    return None
                _split(run, at - run_start)
                break
        runs = paragraph_runs(p)
        before = next((run for run, _, e in runs if e == at), None)
        after = next((run for run, s, _ in runs if s == at), None)
        return None if before is None and after is None else (before, after)

    def _in_place(self, line: int, start: int, end: int) -> tuple[list, int, int] | None:
        """For an in-place edit: the paragraph's text runs and the span in its text, where the span
        lies in text-only runs (not on a number Word generates, not inside a field)."""
        if not 0 < line <= len(self.anchors):
            return None
        p, offset = self.anchors[line - 1]
        start, end = start + offset, end + offset
        runs = paragraph_runs(p) if p is not None else []
        if start < 0 or not runs or end > runs[-1][2]:
            return None
        if not all(_splittable(run) for run, s, e in runs if s <= end and e >= start):
            return None
        return [run for run, _, _ in runs], start, end

    def placeable(self, line: int, start: int, end: int, track: bool = True) -> bool:
        """Whether ``replace`` can be made on columns [start, end) of a line. For a tracked change
        runs may be split to find out; the text and its formatting stay as they are."""
        if not track:
            return self._in_place(line, start, end) is not None
        if start == end:
            return self._neighbours(line, start) is not None
        return self._exact_runs(line, start, end) is not None

    def replace(self, line: int, start: int, end: int, new: str, track: bool = True) -> bool:
        """Replace columns [start, end) of a line by ``new`` (an empty span is an insertion): as a
        tracked change, or with ``track=False`` in place. The new text takes the formatting of the
        first replaced run (of the run before an insertion). False where it cannot be placed on
        runs (nothing is changed then). Make several changes from the end of the document
        backwards: a change moves the columns after it."""
        from docx.oxml import OxmlElement

        if not track:
            found = self._in_place(line, start, end)
            if found is None:
                return False
            runs, start, end = found
            _overwrite(runs, start, end, new)
            return True
        if start == end:
            neighbours = self._neighbours(line, start)
            if neighbours is None or not new:
                return False
            before, after = neighbours
            added = self._new_run(before if before is not None else after, new, OxmlElement)
            if track:
                insertion = self._revision("w:ins")
                insertion.append(added)
                added = insertion
            if before is not None:
                before.addnext(added)
            else:
                after.addprevious(added)
            return True
        runs = self._exact_runs(line, start, end)
        if runs is None:
            return False
        added = self._new_run(runs[0], new, OxmlElement) if new else None
        last = None
        for run in runs:
            deletion = self._revision("w:del")
            run.addprevious(deletion)
            deletion.append(run)
            for text in run.iter(qn("w:t")):
                text.tag = qn("w:delText")
            last = deletion
        if added is not None:
            insertion = self._revision("w:ins")
            insertion.append(added)
            last.addnext(insertion)
        return True

    @staticmethod
    def _new_run(like, text: str, make):
        run = make("w:r")
        properties = like.find(qn("w:rPr"))
        if properties is not None:
            run.append(copy.deepcopy(properties))
        node = make("w:t")
        node.text = xml_text(text)
        node.set(_XML_SPACE, "preserve")
        run.append(node)
        return run
