"""Mechanical fixes: what can be rewritten without judgement, as data.

A fix is ``(start, end, replacement, rule, reason)`` over the document text (the same offsets
findings use). Fixers propose candidates; the plan keeps those that answer a finding of the
pack (or, where the pack has no rule of that kind, those the fixer is sure of), drops overlaps
(earlier fixers win), and applies the rest from the end backwards. Writing a fixed file never
touches the input; for .docx the text of runs is edited in place so paragraph and run formatting
is kept.

Fixers:
  standard-heading   a recognised top-level heading gets the standard wording of its section,
                     with the report's years; the document's own numbering marker is kept.
  year-consistency   a wrong year in a section heading is replaced by the expected year.
  numbering          broken sequences of headings under one parent: an empty ``()``, a gap, a
                     repeat, a list starting at （二）, mixed （1）（2）（三） → one style; full-
                     and half-width brackets mixed at one level → the level's usual width.
  punctuation        ``《A《B》`` gets its missing ``》``; a bracket left open (or unopened before
                     a year range) inside a 《…》 title is paired; quotes written in the wrong
                     direction (``“A“B”``) are turned round where the pairing is unambiguous.
                     ASCII full stops and quotes inside Chinese text become 。 and “ ”.
  lexicon            a near-miss of a canonical term becomes the canonical term (the finding's
                     suggested form); a slogan in the wrong order is put in order.
  typo               a typo becomes the corrected word the finding suggests (the written span
                     is replaced as a whole: 踪合 → 综合).
  any other finding  that carries a mechanical ``replacement`` (usage, noise, punctuation
                     additions): its span — at every place of a grouped finding — becomes it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from checker.context import Context
from checker.model.document import Document
from checker.model.outline import Heading
from checker.packs import Pack
from checker.result import DocumentResult, Finding

# Suffixes a fixed draft can be written as: Word, or plain text (no suffix, too).
OUTPUT_SUFFIXES = (".docx", ".txt", ".text", ".md", "")
CN_YEAR_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Fix:
    start: int
    end: int
    replacement: str
    rule: str  # the rule id answered (or the kind name where the pack has no such rule)
    reason: str  # plain Chinese: what was wrong
    group: int = 0  # fixes of one group stand or fall together (a renumbered list)


@dataclass(frozen=True)
class Change:
    """A fix as a person reads it: line, before → after (with a little context for short spans)."""

    fix: Fix
    line: int
    before: str
    after: str


@dataclass
class FixPlan:
    document: Document
    result: DocumentResult
    fixes: list[Fix]  # non-overlapping, sorted by start
    claimed: list[Finding] = field(default_factory=list)  # findings these fixes answer (verified)
    original: str | None = None  # the loaded text (comment lines not blanked); same offsets

    @property
    def source_text(self) -> str:
        return self.document.text if self.original is None else self.original

    @property
    def text(self) -> str:
        return apply_fixes(self.source_text, self.fixes)

    def changes(self) -> list[Change]:
        """One entry per place: fixes a few characters apart on one line are shown together."""
        text = self.source_text
        groups: list[list[Fix]] = []
        for fix in self.fixes:
            last = groups[-1][-1] if groups else None
            if last is not None and fix.start - last.end <= 6 and "\n" not in text[last.end : fix.start] \
                    and fix.rule == last.rule:
                groups[-1].append(fix)
            else:
                groups.append([fix])
        return [describe(self.document, g[0], text) if len(g) == 1 else _describe_group(self.document, g, text)
                for g in groups]

    def diff(self, before_name: str = "原文", after_name: str = "修改后") -> str:
        return unified_diff(self.source_text, self.text, before_name, after_name)


def place_label(document: Document, line: int) -> str:
    """A line as its reader finds it: 第12段 (or a table cell) in a Word draft, else 第12行."""
    location = document.locations.get(line) or ""
    return location if location.endswith("段") or location.startswith("表") else f"第{line}行"


def apply_fixes(text: str, fixes: Iterable[Fix]) -> str:
    """Apply non-overlapping fixes from the end backwards, so earlier offsets stay valid."""
    for fix in sorted(fixes, key=lambda f: (f.start, f.end), reverse=True):
        text = text[: fix.start] + fix.replacement + text[fix.end :]
    return text


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        before_name, after_name, n=1))


def describe(document: Document, fix: Fix, text: str | None = None, context: int = 6) -> Change:
    text = document.text if text is None else text
    line, _ = document.position(fix.start)
    line_start = document.line_starts[line - 1]
    line_end = text.find("\n", fix.start)
    line_end = len(text) if line_end == -1 else line_end
    left, right = fix.start, fix.end
    if right - left < 4:  # short spans and insertions read better with a little context
        left, right = max(line_start, left - context), min(line_end, right + context)
    before = text[left:right]
    after = text[left : fix.start] + fix.replacement + text[fix.end : right]
    return Change(fix, line, before, after)


def _describe_group(document: Document, fixes: list[Fix], text: str) -> Change:
    first, last = describe(document, fixes[0], text), fixes[-1]
    line_end = text.find("\n", last.end)
    line_end = len(text) if line_end == -1 else line_end
    left = max(document.line_starts[first.line - 1], fixes[0].start - 6)
    right = min(line_end, last.end + 6)
    before = text[left:right]
    after = apply_fixes(text[left:right], [Fix(f.start - left, f.end - left, f.replacement, f.rule, f.reason)
                                           for f in fixes])
    merged = Fix(fixes[0].start, last.end, text[fixes[0].start:last.end], fixes[0].rule,
                 "；".join(dict.fromkeys(f.reason for f in fixes)))
    return Change(merged, first.line, before, after)


# --- numbers -------------------------------------------------------------------------------

def chinese_number(value: int) -> str:
    """Chinese numerals as Word counts: 一 … 十 十一 … 九十九 一百 一百零五 (a document may have
    more than 99 items at one level)."""
    from checker.load.docx import chinese_number as counting

    return counting(value)


def number_text(style: str, value: int, fullwidth_digits: bool = False) -> str:
    if style in ("cn", "paren-cn"):
        return chinese_number(value)
    digits = str(value)
    return digits.translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"}) if fullwidth_digits else digits


_MARKER_DIGITS = re.compile(r"[0-9０-９]+|[一二三四五六七八九十]+")
_OPEN = "(（"
_CLOSE = ")）"


def _marker_digit_span(text: str, heading: Heading) -> tuple[int, int] | None:
    """Span of the number inside a heading's marker (empty span inside an empty ``()``)."""
    marker = text[heading.start : heading.text_start]
    found = _MARKER_DIGITS.search(marker)
    if found:
        return heading.start + found.start(), heading.start + found.end()
    close = next((i for i, ch in enumerate(marker) if ch in _CLOSE), None)
    if close is not None and any(ch in _OPEN for ch in marker[:close]):
        return heading.start + close, heading.start + close
    return None


# --- fixers --------------------------------------------------------------------------------

@dataclass
class _Candidate:
    fixes: list[Fix]
    kind: str
    anchors: list[tuple[int, int]]  # spans a finding of this kind must touch to be answered


def _rule_kinds(pack: Pack) -> dict[str, str]:
    return {rule.id: rule.kind for rule in pack.rules}


def _standard_heading(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    text = ctx.document.text
    for finding in findings:
        if kinds.get(finding.rule) != "standard-heading" or finding.start is None:
            continue
        match = next((m for m in ctx.template.sections if m.heading.start == finding.start), None)
        if match is None:
            continue
        heading = match.heading
        spec = ctx.pack.section(match.section)
        written = text[heading.text_start : heading.end]
        end = heading.text_start + len(written.rstrip())
        standard = ctx.standard_heading(spec)
        if text[heading.text_start : end] == standard:
            continue
        fix = Fix(heading.text_start, end, standard, finding.rule,
                  f"标题改为“{spec.name}”的标准表述")
        yield _Candidate([fix], "standard-heading", [(heading.start, heading.end)])


_YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4}")


def _years(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    report_year = ctx.report_year
    if report_year is None:
        return
    text = ctx.document.text
    for finding in findings:
        if kinds.get(finding.rule) != "year-consistency" or finding.start is None:
            continue
        match = next((m for m in ctx.template.sections
                      if m.heading.start <= finding.start < m.heading.end), None)
        if match is None:  # only headings are fixed; a wrong year in the opening needs a person
            continue
        spec = ctx.pack.section(match.section)
        if spec.year == "none":
            continue
        expected = report_year + 1 if spec.year == "next" else report_year
        digits = _YEAR_DIGITS.search(text, finding.start, finding.end)
        if digits is None:
            continue
        written = digits.group()
        new = str(expected) if written.isdigit() else "".join(CN_YEAR_DIGITS[int(d)] for d in str(expected))
        fix = Fix(digits.start(), digits.end(), new, finding.rule,
                  f"“{spec.name}”标题的年度应为 {expected} 年")
        yield _Candidate([fix], "year-consistency", [(finding.start, finding.end)])


_COMPATIBLE = ({"paren-cn", "paren-arabic"}, {"cn", "arabic"})


def _sibling_groups(headings: list[Heading]) -> list[tuple[Heading | None, list[Heading]]]:
    """Headings grouped by parent: the nearest earlier heading of a higher (smaller) level."""
    groups: dict[int, tuple[Heading | None, list[Heading]]] = {}
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        parent = stack[-1] if stack else None
        groups.setdefault(id(parent), (parent, []))[1].append(heading)
        stack.append(heading)
    return list(groups.values())


def _numbering(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    text = ctx.document.text
    headings = [h for h in ctx.document.outline.headings if h.style != "hint"]
    groups = _sibling_groups(headings)
    # The document's own convention: the style most used for children of a parent level.
    convention: dict[int | None, dict[str, int]] = {}
    for parent, members in groups:
        counts = convention.setdefault(parent.level if parent else None, {})
        for heading in members:
            counts[heading.style] = counts.get(heading.style, 0) + 1
    for parent, members in groups:
        if any(h.inline for h in members):  # run-on text: too easy to take a sentence for a heading
            continue
        styles = {h.style for h in members}
        if len(styles) > 1 and not any(styles <= pair for pair in _COMPATIBLE):
            continue
        target = members[0].style
        if len(styles) > 1:
            usage = convention[parent.level if parent else None]
            in_group = {s: sum(1 for h in members if h.style == s) for s in styles}
            target = max(styles, key=lambda s: (usage.get(s, 0), in_group[s], -members.index(
                next(h for h in members if h.style == s))))
        fixes: list[Fix] = []
        for position, heading in enumerate(members, start=1):
            if heading.style == target and heading.number == position:
                continue
            span = _marker_digit_span(text, heading)
            if span is None:
                fixes = []
                break
            fullwidth = any("０" <= ch <= "９" for ch in text[span[0] : span[1]])
            new = number_text(target, position, fullwidth)
            if heading.number is None:
                reason = "标题序号为空"
            elif heading.style != target:
                reason = "同一层级的序号写法不一致"
            else:
                reason = f"序号不连续（应为第 {position} 项）"
            fixes.append(Fix(span[0], span[1], new, "numbering", reason))
        if fixes:
            yield _Candidate(fixes, "numbering", [(h.start, h.text_start) for h in members])


_WIDTH = {"(": "（", ")": "）", "（": "(", "）": ")"}


def _bracket_width(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    """Full- and half-width brackets mixed among the （一）/（1） headings of one level → the
    width most used at that level (full width, as GB/T 9704 writes them, on a tie)."""
    text = ctx.document.text
    by_level: dict[int, list[tuple[Heading, list[int]]]] = {}
    for heading in ctx.document.outline.headings:
        if not heading.style.startswith("paren") or heading.inline:
            continue
        brackets = [heading.start + i for i, ch in enumerate(text[heading.start : heading.text_start]) if ch in _WIDTH]
        if brackets:
            by_level.setdefault(heading.level, []).append((heading, brackets))
    for level, group in sorted(by_level.items()):
        full = [(h, b) for h, b in group if text[b[0]] in "（）"]
        half = [(h, b) for h, b in group if text[b[0]] in "()"]
        if not full or not half:
            continue
        minority, target = (half, "full") if len(full) >= len(half) else (full, "half")
        fixes = [Fix(pos, pos + 1, _WIDTH[text[pos]], "numbering", "同一层级标题序号的括号全角、半角混用")
                 for _, brackets in minority for pos in brackets
                 if (text[pos] in "()") == (target == "full")]
        if fixes:
            yield _Candidate(fixes, "numbering", [(h.start, h.text_start) for h, _ in group])


_SENTENCE_END = re.compile(r"[。；;！!？?：:\n]")
_PAIRS = {"《": "》", "【": "】"}


def _punctuation(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    text = ctx.document.text
    start, end = ctx.document.outline.body
    offset = start
    for line in text[start:end].split("\n"):
        yield from _unclosed_titles(line, offset)
        yield from _parens_in_titles(line, offset)
        yield from _turned_quotes(line, offset)
        offset += len(line) + 1


def _unclosed_titles(line: str, offset: int) -> Iterator[_Candidate]:
    """``《A《B》``: a title mark opened while another is open → close the first one."""
    for opener, closer in _PAIRS.items():
        open_at: int | None = None
        for index, ch in enumerate(line):
            if ch == opener:
                if open_at is not None:
                    inner = line[open_at + 1 : index]
                    if 0 < len(inner) <= 30 and not _SENTENCE_END.search(inner) and closer in line[index:]:
                        fix = Fix(offset + index, offset + index, closer, "punctuation",
                                  f"{opener}{inner} 缺少后书名号{closer}" if opener == "《" else f"{opener}{inner} 缺少{closer}")
                        yield _Candidate([fix], "punctuation", [(offset + open_at, offset + index + 1)])
                open_at = index
            elif ch == closer:
                open_at = None


_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_RANGE = r"(?:19|20)\d{2}\s*[-—–－~～至]+\s*(?:19|20)\d{2}\s*年?"
_RANGE_NO_OPEN = re.compile(rf"(?<![（(\d])({_RANGE})\s*[)）]$")
_OPEN_NO_CLOSE = re.compile(r"[（(]([^（()）]{1,15})$")


def _parens_in_titles(line: str, offset: int) -> Iterator[_Candidate]:
    """A bracket left open or unopened inside a 《…》 title: ``《纲要（2021—2025年》`` gets its
    ``）``; ``《纲要2021—2025年）》`` its ``（`` before the years."""
    for title in _TITLE.finditer(line):
        inner, start = title.group(1), title.start(1)
        opens = sum(inner.count(c) for c in "（(")
        closes = sum(inner.count(c) for c in ")）")
        anchor = [(offset + title.start(), offset + title.end())]
        if opens == closes + 1:
            hit = _OPEN_NO_CLOSE.search(inner)
            if hit and not _SENTENCE_END.search(hit.group(1)):
                closer = "）" if inner[hit.start()] == "（" else ")"
                yield _Candidate([Fix(offset + title.end(1), offset + title.end(1), closer, "punctuation",
                                      f"书名号内的括号缺少后半个{closer}")], "punctuation", anchor)
        elif closes == opens + 1:
            hit = _RANGE_NO_OPEN.search(inner)
            if hit:
                opener = "（" if inner.rstrip()[-1] == "）" else "("
                at = offset + start + hit.start(1)
                yield _Candidate([Fix(at, at, opener, "punctuation", f"书名号内的括号缺少前半个{opener}")],
                                 "punctuation", anchor)


def _turned_quotes(line: str, offset: int) -> Iterator[_Candidate]:
    """Curly quotes must alternate “ ” in a paragraph; with an even count, turn round at most two."""
    marks = [(i, ch) for i, ch in enumerate(line) if ch in "“”"]
    if not marks or len(marks) % 2:
        return
    wrong = [(i, ch) for n, (i, ch) in enumerate(marks) if ch != "“”"[n % 2]]
    if not wrong or len(wrong) > 2:
        return
    fixes = [Fix(offset + i, offset + i + 1, "”" if ch == "“" else "“", "punctuation", "引号方向写反，前后引号不成对")
             for i, ch in wrong]
    yield _Candidate(fixes, "punctuation", [(offset + marks[0][0], offset + marks[-1][0] + 1)])


def _ascii_marks(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    """ASCII marks in Chinese text (the places of a punctuation finding): ``.`` → ``。``; the ASCII
    double quotes of a paragraph → “ ” in turn, when the paragraph has an even number of them."""
    text = ctx.document.text
    places = sorted({f.start for f in findings if kinds.get(f.rule) == "punctuation" and f.start is not None
                     and f.end == f.start + 1 and text[f.start] in '."'})
    by_line: dict[int, list[int]] = {}
    for at in places:
        by_line.setdefault(text.rfind("\n", 0, at) + 1, []).append(at)
    for line_start, found in by_line.items():
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end == -1 else line_end
        quotes = [i for i in range(line_start, line_end) if text[i] == '"']
        fixes = [Fix(at, at + 1, "。", "punctuation", "英文句号改为中文句号") for at in found if text[at] == "."]
        if quotes and len(quotes) % 2 == 0 and set(q for q in found if text[q] == '"') <= set(quotes):
            fixes += [Fix(q, q + 1, "“”"[n % 2], "punctuation", "英文引号改为中文引号") for n, q in enumerate(quotes)]
        if fixes:
            fixes.sort(key=lambda f: f.start)
            yield _Candidate(fixes, "punctuation", [(f.start, f.end) for f in fixes])


def _lexicon(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    for finding in findings:
        if kinds.get(finding.rule) not in ("lexicon", "typo") or finding.start is None or finding.end is None:
            continue
        canonical = _suggested_term(finding)
        if canonical and canonical != finding.matched_text:
            fix = Fix(finding.start, finding.end, canonical, finding.rule, f"规范表述为“{canonical}”")
            yield _Candidate([fix], kinds[finding.rule], [(finding.start, finding.end)])


def _suggested_term(finding: Finding) -> str | None:
    """The canonical form a lexicon finding suggests: its ``replacement`` if it carries one,
    else the one quoted term in its suggestion (「…」 or “…”)."""
    replacement = getattr(finding, "replacement", None)
    if replacement:
        return replacement
    quoted = re.findall(r"[「“]([^」”]{1,60})[」”]", finding.suggestion or "")
    return quoted[0] if len(set(quoted)) == 1 else None


def _replacements(ctx: Context, findings: list[Finding], kinds: dict[str, str]) -> Iterator[_Candidate]:
    """Any other finding that carries its own mechanical ``replacement`` (usage, noise, punctuation
    additions …): the span becomes the replacement."""
    for finding in findings:
        kind = kinds.get(finding.rule)
        if kind in ("lexicon", "typo") or finding.replacement is None or finding.start is None or finding.end is None:
            continue
        if ctx.document.text[finding.start:finding.end] == finding.replacement:
            continue
        written = ctx.document.text[finding.start:finding.end]  # a grouped finding's places differ
        fix = Fix(finding.start, finding.end, finding.replacement, finding.rule,
                  f"改为“{finding.replacement}”" if finding.replacement else f"删去“{written.replace(chr(10), '⏎')}”")
        yield _Candidate([fix], kind or finding.rule, [(finding.start, max(finding.end, finding.start + 1))])


FIXERS = (_standard_heading, _years, _numbering, _bracket_width, _punctuation, _ascii_marks, _lexicon, _replacements)
FIXABLE_KINDS = ("standard-heading", "year-consistency", "numbering", "punctuation", "lexicon", "typo")


def _touches(finding: Finding, spans: list[tuple[int, int]]) -> bool:
    if finding.start is None:
        return False
    end = finding.end if finding.end is not None and finding.end > finding.start else finding.start + 1
    return any(finding.start < b and a < end for a, b in spans)


def plan(engine, document: Document, result: DocumentResult | None = None, source=None) -> FixPlan:
    """Check a document and work out the fixes that answer its findings.

    The fixed text is checked again: a finding counts as answered (``claimed``) only if no
    finding of its rule remains on its line. Fixes never add or remove a line.
    """
    result = result or engine.check_document(document)
    ctx = Context(document=document, pack=engine.pack, template=engine.matcher.match(document))
    kinds = _rule_kinds(engine.pack)
    present = set(kinds.values())
    # a grouped finding is fixed at each of its places
    findings = [place for f in result.findings if not f.suppressed for place in f.each()]
    chosen: list[Fix] = []
    claimed: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for fixer in FIXERS:
        for candidate in fixer(ctx, findings, kinds):
            answered = [f for f in findings if kinds.get(f.rule) == candidate.kind and _touches(f, candidate.anchors)]
            if candidate.kind in present and not answered:
                continue  # the pack checks this and sees nothing wrong here: leave it alone
            spans = [(f.start, max(f.end, f.start + 1)) for f in candidate.fixes]
            if any(s < b and a < e for s, e in spans for a, b in taken):
                continue
            group = len(chosen) + 1
            fixes = [Fix(f.start, f.end, f.replacement,
                         answered[0].rule if answered and f.rule == candidate.kind else f.rule, f.reason, group)
                     for f in candidate.fixes]
            chosen.extend(fixes)
            taken.extend(spans)
            claimed.extend(f for f in answered if f not in claimed)
    chosen.sort(key=lambda f: (f.start, f.end))
    fix_plan = FixPlan(document=document, result=result, fixes=chosen, claimed=claimed,
                       original=source.text if source is not None else None)
    if claimed:
        after = engine.check_document(_rebuilt(document, source, fix_plan.text))
        left = {(p.rule, p.line) for f in after.findings if not f.suppressed for p in f.each()}
        fix_plan.claimed = [f for f in claimed if (f.rule, f.line) not in left]
    return fix_plan


def _rebuilt(document: Document, source, text: str) -> Document:
    from dataclasses import replace as replace_

    from checker.load import Source
    from checker.model.document import build_document

    if source is None:
        source = Source(path=document.path, text=text, format=document.format, metadata=dict(document.metadata),
                        locations=dict(document.locations))
    return build_document(replace_(source, text=text))


# --- writing -------------------------------------------------------------------------------

def text_to_docx(text: str, path_or_stream) -> None:
    """A plain .docx with one paragraph per line (for inputs that were not .docx)."""
    import docx

    from checker.render.safe import xml_text

    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    body = document.element.body
    section = body.sectPr  # paragraphs go before it; `add_paragraph` looked for it among all the
    # children each time, quadratic in the number of lines (minutes for a long text)
    for line in xml_text(text).split("\n"):
        element = OxmlElement("w:p")
        if section is not None:
            section.addprevious(element)
        else:
            body.append(element)
        if line:
            Paragraph(element, document._body).add_run(line)
    document.save(path_or_stream)


def fix_docx(plan: FixPlan, source_path: str, out) -> list[Fix]:
    """Apply the plan to a copy of a .docx, editing runs' text in place (a run is split where a fix
    starts or ends inside it; the new text keeps the run's formatting). Returns the fixes not
    applied: those that fall on text Word generates itself (automatic numbering), and the rest of
    their group (renumbering half a list would make it worse)."""
    from checker.annotate import mark

    marked = mark(plan, None, source_path, None, comments=False, track=True, revisions=False)
    if isinstance(out, str):
        with open(out, "wb") as handle:
            handle.write(marked.data)
    else:
        out.write(marked.data)
    return marked.not_tracked


# --- files ---------------------------------------------------------------------------------

def is_docx(path: str, source_format: str | None = None) -> bool:
    return source_format == "docx" or path.lower().endswith(".docx")


def plan_file(engine, path: str):
    """Load and check one file; returns (source, plan). Raises InputError for unreadable input."""
    source, document = engine.read(path)
    return source, plan(engine, document, engine.check_document(document, keep_text=True), source)


def fixed_output(plan_: FixPlan, source, input_path: str, output_suffix: str) -> tuple[bytes, list[Fix]]:
    """The fixed document as bytes in the output's format, and the fixes that could not be placed."""
    import io

    output_suffix = output_suffix.lower()
    if output_suffix == ".docx":
        buffer = io.BytesIO()
        if is_docx(input_path, source.format):
            skipped = fix_docx(plan_, input_path, buffer)
        else:
            text_to_docx(plan_.text, buffer)
            skipped = []
        return buffer.getvalue(), skipped
    text = plan_.text
    encoding = source.encoding if source.format == "text" and source.encoding else "utf-8"
    crlf = False
    if source.format == "text":
        with open(input_path, "rb") as handle:
            crlf = b"\r\n" in handle.read(65536)
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        return text.encode(encoding), []
    except (UnicodeEncodeError, LookupError):
        return text.encode("utf-8"), []


def _same_file(a: str, b: str) -> bool:
    import os

    if os.path.abspath(a) == os.path.abspath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run_fix(input_path: str, output: str | None, show_diff: bool, pack_name: str | None, level: str,
            echo=print) -> FixPlan:
    """The ``checker fix`` command: plan, list every change, then preview (--diff) or write."""
    import os

    from checker.engine import Engine
    from checker.errors import CheckerError, InputError
    from checker.levels import pack_for
    from checker.output import AtomicFile
    from checker.packs import load_pack

    if not show_diff and not output:
        raise CheckerError("请用 -o 指定输出文件（或用 --diff 只预览修改）")
    if output and os.path.splitext(output)[1].lower() not in OUTPUT_SUFFIXES:
        raise CheckerError(f"{output}: 修改稿只能写成 .docx 或 .txt 文件（请改用这两种后缀）")
    if output and os.path.exists(input_path) and _same_file(input_path, output):
        raise CheckerError(f"{output}: 输出文件不能是输入文件本身（原文件不会被修改）")
    engine = Engine(load_pack(pack_name) if pack_name else pack_for(level))
    source, fix_plan = plan_file(engine, input_path)
    if fix_plan.result.error:
        raise InputError(input_path, fix_plan.result.error)
    changes = fix_plan.changes()
    if not changes:
        echo(f"{input_path}: 没有可以自动修正的问题")
    for change in changes:
        echo(f"{place_label(fix_plan.document, change.line)}  {change.before} → {change.after}  （{change.fix.reason}；{change.fix.rule}）")
    if show_diff:
        diff = fix_plan.diff(input_path, output or input_path + "（修改后）")
        if diff:
            echo(diff.rstrip("\n"))
        return fix_plan
    assert output is not None
    data, skipped = fixed_output(fix_plan, source, input_path, os.path.splitext(output)[1])
    for fix in skipped:
        echo(f"未能修改（该处文字由 Word 自动生成，如自动编号）：{place_label(fix_plan.document, describe(fix_plan.document, fix).line)} "
             f"{fix_plan.document.text[fix.start:fix.end]} → {fix.replacement}")
    target = AtomicFile(output, binary=True)  # OutputError (one Chinese line) when it cannot be written
    target.stream.write(data)
    target.commit()
    echo(f"已写入 {output}（共 {len(fix_plan.fixes) - len(skipped)} 处修改）")
    return fix_plan
