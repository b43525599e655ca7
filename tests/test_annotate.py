"""``checker annotate`` (findings as Word comments) and ``checker fix --track-changes``.

Drafts are built with python-docx (typed numbering, Word automatic numbering, formatted runs,
tables, an existing comment), marked, and read back from the XML: one comment per finding with
a line, anchored on text holding the finding's matched text; the formatting of every character
unchanged; the summary on the title; revisions with author and date whose acceptance gives the
text ``checker fix`` writes.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from checker import annotate as marking
from checker import fix as fixing
from checker.cli import main
from checker.engine import Engine
from checker.levels import pack_for
from tests.makedocs import write_docx

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(pack_for("national"))


def _part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if name not in archive.namelist():
            return None
        return etree.fromstring(archive.read(name))


def comments_of(data: bytes) -> dict[str, dict]:
    """Comment id → author, initials, date, text and the document text it is anchored on."""
    found: dict[str, dict] = {}
    root = _part(data, "word/comments.xml")
    if root is None:
        return found
    for comment in root.iterfind("w:comment", NS):
        found[comment.get(f"{{{W}}}id")] = {
            "author": comment.get(f"{{{W}}}author"), "initials": comment.get(f"{{{W}}}initials"),
            "date": comment.get(f"{{{W}}}date"),
            "text": "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in comment.iter(f"{{{W}}}p")),
            "anchored": ""}
    active: set[str] = set()
    for node in _part(data, "word/document.xml").iter():
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag == "commentRangeStart":
            active.add(node.get(f"{{{W}}}id"))
        elif tag == "commentRangeEnd":
            active.discard(node.get(f"{{{W}}}id"))
        elif tag == "t":
            for comment_id in active:
                found[comment_id]["anchored"] += node.text or ""
    return found


def formatting_of(data: bytes) -> list[list[tuple[str, bytes]]]:
    """Per paragraph, each visible character with the formatting (w:rPr) of its run."""
    paragraphs = []
    for p in _part(data, "word/document.xml").iter(f"{{{W}}}p"):
        chars = []
        for t in p.iter(f"{{{W}}}t"):
            run = t.getparent()
            rpr = run.find(f"{{{W}}}rPr")
            key = etree.tostring(rpr) if rpr is not None else b""
            chars.extend((ch, key) for ch in t.text or "")
        paragraphs.append(chars)
    return paragraphs


def accept_all(data: bytes) -> bytes:
    """What Word's "accept all revisions" does: deletions go, insertions stay as plain runs."""
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    for deletion in list(root.iter(f"{{{W}}}del")):
        deletion.getparent().remove(deletion)
    for insertion in list(root.iter(f"{{{W}}}ins")):
        parent = insertion.getparent()
        if parent is None or etree.QName(parent).localname == "rPr":
            continue
        index = parent.index(insertion)
        for offset, child in enumerate(list(insertion)):
            parent.insert(index + offset, child)
        parent.remove(insertion)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, blob)
    return out.getvalue()


def docx_text(path: Path) -> str:
    from checker.load import load

    return load(str(path)).text


def rich_draft(path: Path) -> Path:
    """Seed 000 as a .docx, with formatted runs in a paragraph that has findings, one finding
    inside a table cell, and a reviewer's comment already in the margin."""
    import docx
    from docx.shared import RGBColor

    text = seed("000")
    write_docx(text, path)
    document = docx.Document(str(path))
    target = next(p for p in document.paragraphs if "《民法典《公务员法》" in p.text)
    whole = target.text
    cut = whole.index("《民法典")
    for run in list(target.runs):
        run._r.getparent().remove(run._r)
    plain = target.add_run(whole[:cut - 4])
    bold = target.add_run(whole[cut - 4:cut + 3])
    bold.bold = True
    bold.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    target.add_run(whole[cut + 3:]).italic = True
    assert plain.text and target.text == whole
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "学习内容"
    table.cell(0, 1).text = "组织学习《宪法》《民法典《行政处罚法》等法律法规"
    existing = next(p for p in document.paragraphs if p.text.strip().startswith("2023年以来"))
    document.add_comment(existing.runs, text="请补充具体数据", author="张三", initials="ZS")
    document.save(str(path))
    return path


def test_every_finding_is_a_comment_on_its_text(engine, tmp_path):
    draft = rich_draft(tmp_path / "draft.docx")
    before = draft.read_bytes()
    source, plan = fixing.plan_file(engine, str(draft))
    marked = marking.mark(plan, source, str(draft), engine.pack)
    assert draft.read_bytes() == before  # the input is never changed
    comments = comments_of(marked.data)
    ours = {k: v for k, v in comments.items() if v["author"] == marking.DEFAULT_AUTHOR}
    with_line = [f for f in plan.result.findings if not f.suppressed and f.line is not None]
    places = [place for f in with_line for place in f.each()]  # a grouped finding: each of its places
    assert len(ours) == len(places) + 1 == marked.comments  # one per finding (place), one summary
    assert all(v["initials"] == marking.DEFAULT_INITIALS and v["date"] for v in ours.values())
    for finding in places:
        quoted = [v for v in ours.values() if finding.message in v["text"]]
        assert quoted, finding
        if finding.matched_text and finding.matched_text.strip():
            assert any(finding.matched_text.strip() in v["anchored"] for v in quoted), finding
    # the finding inside the table cell is anchored there, on its span
    in_cells = {start.get(f"{{{W}}}id") for start in _part(marked.data, "word/document.xml").iterfind(
        ".//w:tc//w:commentRangeStart", NS)}
    assert any(ours[i]["anchored"] == "《民法典《" and "书名号" in ours[i]["text"] for i in in_cells if i in ours)
    # an existing comment is kept, on the same text
    kept = [v for v in comments.values() if v["author"] == "张三"]
    assert len(kept) == 1 and kept[0]["text"] == "请补充具体数据" and kept[0]["anchored"].strip().startswith("2023年以来")


def test_anchoring_keeps_the_formatting_of_every_character(engine, tmp_path):
    draft = rich_draft(tmp_path / "draft.docx")
    source, plan = fixing.plan_file(engine, str(draft))
    marked = marking.mark(plan, source, str(draft), engine.pack)
    before, after = formatting_of(draft.read_bytes()), formatting_of(marked.data)
    assert [c for p in before for c in p] == [c for p in after for c in p]
    # the span 《民法典《 starts in a bold red run and ends in an italic one: both were split at its
    # edges, and the comment covers exactly the span
    assert any(v["anchored"] == "《民法典《" for v in comments_of(marked.data).values())


def test_summary_comment_on_the_title(engine, tmp_path):
    source_text = seed("000")
    draft = write_docx(source_text, tmp_path / "draft.docx")
    source, plan = fixing.plan_file(engine, str(draft))
    marked = marking.mark(plan, source, str(draft), engine.pack)
    title = plan.document.outline.title.text
    summary = next(v for v in comments_of(marked.data).values() if v["text"].startswith("检查结果"))
    assert summary["anchored"].strip() == title.strip()
    assert f"等级 {plan.result.grade}" in summary["text"] and "必备部分" in summary["text"]
    for row in plan.result.checklist:
        assert row.name in summary["text"]
    for finding in plan.result.findings:
        if finding.line is None and not finding.suppressed:
            assert finding.message in summary["text"]


def test_word_automatic_numbering_and_suppressed_findings(engine, tmp_path):
    text = seed("000").replace("一、2023年法治建设主要工作与经验",
                               "<!-- checker-disable-next-line standard-heading: 本单位习惯写法 -->\n"
                               "一、2023年法治建设主要工作与经验")
    draft = write_docx(text, tmp_path / "numbered.docx", word_numbering=True)
    source, plan = fixing.plan_file(engine, str(draft))
    marked = marking.mark(plan, source, str(draft), engine.pack)
    ours = comments_of(marked.data)
    suppressed = [f for f in plan.result.findings if f.suppressed]
    assert suppressed and not any(f.message in v["text"] for f in suppressed for v in ours.values())
    with_line = [f for f in plan.result.findings if not f.suppressed and f.line is not None]
    assert len(ours) == sum(len(list(f.each())) for f in with_line) + 1
    # a finding on a number Word generates is anchored on its paragraph (the number has no text)
    heading = next(f for f in with_line if f.rule == "standard-heading" and f.matched_text.startswith("二、"))
    comment = next(v for v in ours.values() if heading.message in v["text"])
    assert comment["anchored"] == "2023年法治建设存在的问题与短板"


def test_tracked_changes_accepted_give_the_fixed_text(engine, tmp_path):
    draft = rich_draft(tmp_path / "draft.docx")
    runner = CliRunner()
    plain, tracked = tmp_path / "fixed.docx", tmp_path / "tracked.docx"
    assert runner.invoke(main, ["fix", str(draft), "-o", str(plain)]).exit_code == 0
    result = runner.invoke(main, ["fix", str(draft), "-o", str(tracked), "--track-changes", "--author", "李四"])
    assert result.exit_code == 0, result.output
    data = tracked.read_bytes()
    root = _part(data, "word/document.xml")
    revisions = root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)
    assert revisions and all(r.get(f"{{{W}}}author") == "李四" and r.get(f"{{{W}}}date") for r in revisions)
    assert root.findall(".//w:delText", NS)
    accepted = tmp_path / "accepted.docx"
    accepted.write_bytes(accept_all(data))
    assert docx_text(accepted) == docx_text(plain)
    assert docx_text(accepted) != docx_text(draft)
    kept = [v for v in comments_of(data).values() if v["author"] == "张三"]
    assert len(kept) == 1  # revisions leave existing comments alone


def test_text_input_becomes_a_marked_docx(engine, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed("003"), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "marked.docx"
    result = runner.invoke(main, ["annotate", str(draft), "-o", str(out), "--track-changes"])
    assert result.exit_code == 0, result.output
    assert "条批注" in result.output and "处修订" in result.output
    data = out.read_bytes()
    assert comments_of(data)
    fixed = tmp_path / "fixed.txt"
    assert runner.invoke(main, ["fix", str(draft), "-o", str(fixed)]).exit_code == 0
    accepted = tmp_path / "accepted.docx"
    accepted.write_bytes(accept_all(data))
    assert docx_text(accepted).rstrip("\n") == fixed.read_text(encoding="utf-8").rstrip("\n")
    # fixed findings are revisions, not comments as well
    _, plan = fixing.plan_file(engine, str(draft))
    claimed = {f.message for f in plan.claimed}
    assert claimed and not any(m in v["text"] for m in claimed for v in comments_of(data).values()
                               if not v["text"].startswith("检查结果"))


def test_text_xml_cannot_hold_is_replaced(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed("000"), encoding="utf-8")
    out = tmp_path / "marked.docx"
    result = CliRunner().invoke(main, ["annotate", str(draft), "-o", str(out), "--track-changes",
                                       "--author", "审核\x01人\uffff", "--initials", "\x00"])
    assert result.exit_code == 0, result.output
    authors = {v["author"] for v in comments_of(out.read_bytes()).values()}
    assert authors == {"审核\ufffd人\ufffd"}


def test_refusals_are_one_line_and_change_nothing(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed("002"), encoding="utf-8")
    digest = hashlib.sha256(draft.read_bytes()).hexdigest()
    runner = CliRunner()
    for args in (["annotate", str(draft), "-o", str(tmp_path / "out.txt")],
                 ["annotate", str(draft), "-o", str(draft)],
                 ["annotate", str(tmp_path / "missing.docx"), "-o", str(tmp_path / "o.docx")],
                 ["fix", str(draft), "-o", str(tmp_path / "out.txt"), "--track-changes"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == digest
    assert not [p for p in tmp_path.iterdir() if p.name not in ("draft.txt",)]


def test_libreoffice_opens_the_marked_draft(engine, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer")
        pytest.skip("LibreOffice (soffice) is not installed")
    draft = rich_draft(tmp_path / "draft.docx")
    out = tmp_path / "marked.docx"
    result = CliRunner().invoke(main, ["annotate", str(draft), "-o", str(out), "--track-changes"])
    assert result.exit_code == 0, result.output
    profile = tmp_path / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=120)
    pdf = tmp_path / "marked.pdf"
    assert done.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000, done.stderr
    from checker.load import load

    assert "法治政府建设" in load(str(pdf)).text
