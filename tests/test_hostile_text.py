"""Text from documents and file names is only ever text in every output (issue 14, items 1–3, 8):
rich markup is printed, not parsed; control sequences (ESC, CSI, OSC) never reach a terminal raw;
characters XML cannot hold never break xlsx, JUnit or .docx; no line of the GitHub log that is not
ours can start a workflow command; spreadsheet cells are capped. All inputs are built here."""

from __future__ import annotations

import io
import json
import re
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest

from checker.model.document import document_from_text
from checker.render import RenderOptions, render
from checker.render.safe import MAX_CELL, TRUNCATED, not_a_command, plain, xml_text
from checker.result import DocumentResult
from tests.conftest import seed
from tests.hostile import run_checker

ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\u009b31m", "\x1bP", "\x00", "\x7f", "\x08"]
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_report(heading_tail: str) -> str:
    text = seed("002").read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    return f"{first}{heading_tail}\n一、主要举措和成效{heading_tail}\n{rest}"


def test_safe_helpers():
    assert plain("a\x1b[2Jb\u009bc\td\ne") == "a\u241b[2Jb\ufffdc\td\ne"
    assert xml_text("x\ufffey\uffff\x00z\U0001f600") == "x\ufffdy\ufffd\ufffdz\U0001f600"
    assert not_a_command("ok\n  ::warning ::x\n##[error]y\n a::b\n") == "ok\n  | ::warning ::x\n| ##[error]y\n a::b\n"


@pytest.mark.parametrize("markup", ["[/]", "[/b]", "[bold red]", "[link=http://x]点[/link]"])
def test_markup_in_headings_and_names_is_printed_not_parsed(tmp_path, markup):
    folder = tmp_path / "a["
    folder.mkdir()
    (folder / "b].txt").write_text(hostile_report(markup), encoding="utf-8")
    (tmp_path / "[red]x.txt").write_text(hostile_report("鲁政办字[2023]12号"), encoding="utf-8")
    (tmp_path / "good.txt").write_text(hostile_report(""), encoding="utf-8")
    run = run_checker("check", str(tmp_path), "-j", "1", "--no-progress", "--details")
    assert "Traceback" not in run.stderr and "MarkupError" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    assert "[red]x.txt" in run.stdout
    assert "b].txt" in run.stdout and "a[" in run.stdout
    assert markup in run.stdout
    assert "鲁政办字[2023]12号" in run.stdout
    assert "文件得分排名" in run.stdout  # the batch summary is printed whole


@pytest.mark.parametrize("color", ["--color", "--no-color"])
def test_control_sequences_never_reach_the_terminal(tmp_path, color):
    payload = "".join(ESCAPES)
    (tmp_path / f"名{payload.replace(chr(0), '')}.txt").write_text(hostile_report(payload), encoding="utf-8")
    (tmp_path / "html.html").write_text("<html><body><h1>某镇2023年度法治政府建设情况报告&#27;[2J&#155;</h1>"
                                        "<p>一、主要举措和成效&#27;]0;x&#7;</p><p>推进依法行政。</p></body></html>",
                                        encoding="utf-8")
    for fmt in ("terminal", "github"):
        run = run_checker("check", str(tmp_path), "-j", "1", "--no-progress", "--details", color,
                          "--format", fmt)
        assert "Traceback" not in run.stderr, run.stderr
        out = run.stdout
        if color == "--color" and fmt == "terminal":
            out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # our own colour codes are the only ESC allowed
        assert not RAW_CONTROL.search(out.replace("\r\n", "\n")), repr(RAW_CONTROL.search(out))
        assert not RAW_CONTROL.search(run.stderr), repr(run.stderr)
        assert "\u241b" in out  # shown, visibly


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_bidi_overrides_never_reach_terminal_github_or_tooltips(tmp_path):
    """An RLO in a file name ("报告\u202etxt.exe" shows as "报告exe.txt") or a heading reorders what
    a reviewer sees: shown as U+FFFD instead (Trojan Source)."""
    assert plain("a\u202eb\u2066c\u202ad") == "a\ufffdb\ufffdc\ufffdd"
    payload = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069"
    (tmp_path / "报告\u202etxt.exe.txt").write_text(hostile_report(payload + "（草稿）"), encoding="utf-8")
    for fmt in ("terminal", "github"):
        run = run_checker("check", str(tmp_path), "-j", "1", "--no-progress", "--details", "--format", fmt)
        assert "Traceback" not in run.stderr, run.stderr
        assert not BIDI.search(run.stdout) and not BIDI.search(run.stderr), fmt
        assert "报告\ufffdtxt.exe.txt" in run.stdout, fmt
    report = tmp_path / "report.html"
    run = run_checker("check", str(tmp_path), "-j", "1", "--no-progress", "--format", "html", "-o", str(report))
    assert "Traceback" not in run.stderr, run.stderr
    html = report.read_text(encoding="utf-8")
    tips = re.findall(r'(?:title|data-tip)="([^"]*)"', html)
    assert tips and not any(BIDI.search(tip) for tip in tips)
    outside_text = re.sub(r'<pre class="text">.*?</pre>', "", html, flags=re.S)  # the document as it is
    assert not BIDI.search(outside_text) and "报告\ufffdtxt.exe.txt" in outside_text


def test_github_log_has_no_foreign_commands(tmp_path):
    evil = "x\n::warning file=a.txt::injected\n  ::stop-commands::t\n\t##[error]old\n"
    (tmp_path / "a\n::warning ::name.txt").write_text(hostile_report(""), encoding="utf-8")
    (tmp_path / "b.txt").write_text(hostile_report("") + evil, encoding="utf-8")
    archive = tmp_path / "c.docx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("word/\n::error ::member\x1b[2J.xml", "x")
    run = run_checker("check", str(tmp_path), "-j", "1", "--no-progress", "--format", "github")
    assert "Traceback" not in run.stderr, run.stderr
    ours = re.compile(r"^::(group|endgroup|error|warning|notice)[ :]")
    for line in run.stdout.splitlines():
        stripped = line.strip()
        if stripped.startswith("::"):
            assert ours.match(line), line
            assert "injected" not in line and "stop-commands" not in line, line
        assert not stripped.startswith("##["), line
    commands = [line for line in run.stdout.splitlines() if line.startswith("::") and "file=" in line]
    assert commands and all("\x1b" not in line for line in commands)
    assert sum(line.startswith("::group::") for line in run.stdout.splitlines()) == 3


@pytest.fixture(scope="module")
def unxml_results(engine):
    text = hostile_report("\ufffe\uffff\x00\x0b")
    doc = document_from_text(text, path="bad\uffff\x01name.txt")
    result = engine.check_document(doc, keep_text=True)
    broken = DocumentResult(path="x\ufffe.docx", error="无法读取（\uffff\x00）")
    return [result, broken]


def test_xml_outputs_hold_characters_xml_cannot(unxml_results, engine):
    options = RenderOptions(pack=engine.pack)
    junit = render("junit", unxml_results, options)
    xml.dom.minidom.parseString(junit.encode("utf-8"))
    book = render("xlsx", unxml_results, options)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml.dom.minidom.parseString(archive.read(name))
    assert json.loads(render("json", unxml_results, options))


def test_xlsx_and_junit_via_cli_with_unxml_heading(tmp_path):
    (tmp_path / "a.txt").write_text(hostile_report("\ufffe\uffff"), encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><h1>某镇2023年度法治政府建设情况报告&#xFFFF;&#xFFFE;</h1>"
                                     "<p>一、主要举措和成效</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    run = run_checker("check", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), "-j", "1", "--no-progress",
                      "--format", f"xlsx:{out / 'r.xlsx'}", "--format", f"junit:{out / 'r.xml'}")
    assert "Traceback" not in run.stderr, run.stderr
    xml.dom.minidom.parse(str(out / "r.xml"))
    with zipfile.ZipFile(out / "r.xlsx") as archive:
        assert archive.testzip() is None


def test_template_issuer_with_control_characters(tmp_path):
    target = tmp_path / "t.docx"
    run = run_checker("template", "--year", "2023", "--issuer", "某\x01镇\x1b[2J\uffff", "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    with zipfile.ZipFile(target) as archive:
        xml.dom.minidom.parseString(archive.read("word/document.xml"))
    assert not RAW_CONTROL.search(run.stdout + run.stderr)


def test_web_template_with_nul_issuer():
    from checker.web import create_app

    client = create_app().test_client()
    for issuer in ("%00", "%EF%BF%BF", "%1B%5B2J", "x" * 5000):
        response = client.get(f"/template?issuer={issuer}&year=2023")
        assert response.status_code == 200, issuer
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            xml.dom.minidom.parseString(archive.read("word/document.xml"))


def test_csv_cells_are_capped_visibly(engine):
    huge = "很长的一段话" * 200_000  # 1.2M characters in one finding list / title
    result = DocumentResult(path="big.txt", title=huge, score=90.0, grade="好")
    broken = DocumentResult(path="x" * 100, error="=" + huge)
    text = render("csv", [result, broken], RenderOptions(pack=engine.pack))
    import csv

    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert max(len(cell) for cell in cells) <= MAX_CELL + 1
    assert sum(cell.endswith(TRUNCATED) for cell in cells) == 2
    assert any(cell.startswith("'=") for cell in cells)
