"""``checker template``: a skeleton report that the pack's own structural rules accept.

Everything comes from the rule pack: the five headings are the template sections' ``standard``
wording with the years filled in, and the list under each heading ("what to cover") is read
from the content rules scoped to that section (concepts, metric, …), generically from their
options, so the template and the checks cannot disagree.

The guidance lines are comment lines (``<!-- 填写提示：… -->``), which the checker blanks before
reading the document: the skeleton passes the structural rules, while the content rules (concepts,
facts and figures, length) fail until each section is really written — the words of the guidance
never count as content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.packs import Pack, Rule, SectionSpec

HINT = "填写提示："
STRUCTURAL_KINDS = {"required-section", "section-order", "year-consistency", "title", "standard-heading",
                    "section", "consistency", "numbering", "punctuation", "deadline"}
CN_ORDINALS = "一二三四五六七八九十"


@dataclass
class SkeletonSection:
    heading: str  # with its 一、 marker
    hints: list[str] = field(default_factory=list)


@dataclass
class Skeleton:
    title: str
    opening: str
    sections: list[SkeletonSection]
    closing: list[str]

    def text(self) -> str:
        lines = [self.title, "", self.opening, ""]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.hints)
            lines.append("")
        lines.extend(self.closing)
        return "\n".join(lines) + "\n"


def standard_heading(spec: SectionSpec, year: int) -> str:
    return spec.standard.replace("{year}", str(year)).replace("{next_year}", str(year + 1))


def _term(item: Any) -> str | None:
    """A readable name for one entry of a list option: a string, or a mapping's name/first synonym."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("name", "label", "concept", "id", "term"):
            if isinstance(item.get(key), str):
                return item[key]
        for value in item.values():
            if isinstance(value, list) and value and isinstance(value[0], str):
                return value[0]
    if isinstance(item, list) and item and isinstance(item[0], str):
        return item[0]
    return None


_COUNT_WORDS = {"min_chars": "篇幅不少于 {} 字", "min_characters": "篇幅不少于 {} 字", "min_length": "篇幅不少于 {} 字",
                "min_paragraphs": "不少于 {} 段", "min_facts": "至少写出 {} 处具体数字（次、件、人次、%、万元等）",
                "min_numbers": "至少写出 {} 处具体数字（次、件、人次、%、万元等）"}


def rule_hints(rule: Rule) -> list[str]:
    """What a content rule asks for, read generically from its options."""
    hints: list[str] = []
    at_least = next((v for k, v in rule.options.items()
                     if isinstance(v, int) and not isinstance(v, bool) and k in ("min_count", "at_least", "minimum", "min")),
                    None)
    for key, value in rule.options.items():
        if isinstance(value, list) and value and key not in ("exclude", "ignore", "forbidden"):
            terms = [t for t in (_term(item) for item in value) if t]
            if len(terms) <= 2:  # a lone concept reads better with a few of its words
                terms = [_with_examples(item, t) for item, t in zip(value, terms)]
            if terms:
                head = f"至少写到其中 {at_least} 项" if at_least and at_least < len(terms) else "应写到"
                hints.append(f"{head}：{'、'.join(terms)}")
        elif key in _COUNT_WORDS and isinstance(value, (int, float)) and value:
            hints.append(_COUNT_WORDS[key].format(int(value)))
    if rule.suggestion and "{" not in rule.suggestion:
        hints.append(rule.suggestion.strip())
    elif not hints and rule.description:
        hints.append(rule.description.strip().split("\n")[0])
    return hints


def _with_examples(item: Any, name: str) -> str:
    words = []
    if isinstance(item, dict):
        words = next((v for v in item.values() if isinstance(v, list) and all(isinstance(w, str) for w in v)), [])
    words = [w for w in words if w != name][:3]
    return f"{name}（如“{'”“'.join(words)}”）" if words else name


def _section_rules(pack: Pack, spec: SectionSpec) -> list[Rule]:
    return [r for r in pack.rules if r.kind not in STRUCTURAL_KINDS
            and (r.scope == spec.id or r.options.get("section") == spec.id)]


def section_hints(pack: Pack, spec: SectionSpec, year: int) -> list[str]:
    hints: list[str] = []
    for rule in _section_rules(pack, spec):
        for hint in rule_hints(rule):
            if hint not in hints:
                hints.append(hint)
    if not hints:  # no content rule yet: the required-section rule's suggestion says what to write
        for rule in pack.rules:
            if rule.kind == "required-section" and rule.options.get("section") == spec.id and rule.suggestion:
                advice = rule.suggestion.split("，", 1)[-1]  # drop the "增加一级标题「…」" part
                if "{" not in advice and "「" not in advice:
                    hints.append(advice)
    return hints


def comment(text: str) -> str:
    """A comment line the checker ignores (see checker.model.directives)."""
    return f"<!-- {text.replace('--', '—')} -->"


def build(pack: Pack, year: int, issuer: str) -> Skeleton:
    sections: list[SkeletonSection] = []
    for number, spec in enumerate(pack.sections):
        heading = f"{CN_ORDINALS[number]}、{standard_heading(spec, year)}"
        hints = section_hints(pack, spec, year)
        if spec.id == "other" or not spec.required:
            hints.append("如无其他需要报告的事项，写“无其他需要报告的情况。”")
        lines = [comment(f"{HINT}本部分应写明以下内容（本行及以下提示不计入检查，写好后可删除）")]
        lines += [comment(f"——{h}") for h in hints]
        sections.append(SkeletonSection(heading, lines))
    return Skeleton(
        title=f"{issuer}{year}年度法治政府建设情况报告",
        opening=f"{year}年，{issuer}推进法治政府建设的情况报告如下。",
        sections=sections,
        closing=[issuer, f"{year + 1}年  月  日"],
    )


def write_docx(skeleton: Skeleton, path_or_stream) -> None:
    """A .docx with official-document typography: 小标宋 title, 黑体 headings, 仿宋 body, grey hints."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    from checker.render.safe import xml_text

    document = docx.Document()

    def paragraph(text: str, font: str, size: float, bold: bool = False, grey: bool = False,
                  align=None):
        para = document.add_paragraph()
        run = para.add_run(xml_text(text))  # an --issuer with a control character is text, not an XML error
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if grey:
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
            run.font.italic = True
        if align is not None:
            para.alignment = align
        return para

    paragraph(skeleton.title, "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(skeleton.opening, "仿宋_GB2312", 16)
    for section in skeleton.sections:
        paragraph(section.heading, "黑体", 16)
        for hint in section.hints:
            paragraph(hint, "仿宋_GB2312", 12, grey=True)
    for line in skeleton.closing:
        paragraph(line, "仿宋_GB2312", 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(path_or_stream)
