"""Issue 13: outputs a newcomer reads — the pack named in every report, one default pack, the
checker's own reports skipped in a batch, the same counts everywhere, the xlsx 问题 sheet."""

from __future__ import annotations

import io
import json
import shutil

from click.testing import CliRunner
from openpyxl import load_workbook

from checker.cli import main
from checker.levels import DEFAULT_LEVEL, pack_name_for
from tests.conftest import SEEDS, seed


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def batch(tmp_path, count: int = 2):
    folder = tmp_path / "2023报告"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def test_second_run_skips_the_first_runs_reports_by_content(tmp_path):
    folder = batch(tmp_path)
    first = run(str(folder), "--format", f"html:{folder / '审核.html'}", "--format", f"json:{folder / 'r.json'}",
                "-j", "1", "-q")
    assert first.exit_code in (0, 1)
    # a later run, with other output paths, renamed copies and an include-all glob
    shutil.copy(folder / "审核.html", folder / "旧报告.htm")
    second = run(str(folder), "--include", "*", "--format", f"json:{tmp_path / 'again.json'}", "-j", "1", "-q")
    assert second.exit_code in (0, 1)
    data = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert sorted(doc["path"].rsplit("/", 1)[-1] for doc in data["documents"]) == sorted(
        p.name for p in sorted(SEEDS.glob("*.txt"))[:2])
    assert "跳过 3 份" in second.stderr  # 审核.html, 旧报告.htm, r.json


def test_skipped_own_reports_are_listed_with_the_reason(tmp_path):
    folder = batch(tmp_path)
    run(str(folder), "--format", f"html:{folder / '审核.html'}", "-j", "1", "-q")
    result = run(str(folder), "--no-color", "-j", "1", "--no-details")
    assert "本工具生成的报告" in result.stdout and "审核.html" in result.stdout


def test_a_real_html_report_is_still_checked(tmp_path):
    page = tmp_path / "report.html"
    page.write_text("<html><head><meta name=\"generator\" content=\"WordPress\"></head><body><p>"
                    + seed("002").read_text(encoding="utf-8").replace("\n", "</p><p>") + "</p></body></html>",
                    encoding="utf-8")
    from checker.batch import discover

    found = discover([str(tmp_path)])
    assert found.documents == [str(page)] and not found.skipped


def test_html_and_terminal_counts_agree_with_stderr(tmp_path):
    folder = batch(tmp_path)
    (folder / "~$草稿.docx").write_bytes(b"x")  # an office temp file: skipped
    (folder / "坏.docx").write_bytes(b"not a zip")  # unreadable
    result = run(str(folder), "--format", f"html:{tmp_path / 'a.html'}", "-j", "1", "--no-color", "--no-details")
    line = "共找到 4 份：已检查 2 份，无法检查 1 份，跳过 1 份"
    assert line in result.stderr
    assert line in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert line in result.stdout


def test_every_report_names_the_pack(tmp_path):
    json_out, html_out, xlsx_out = tmp_path / "r.json", tmp_path / "r.html", tmp_path / "r.xlsx"
    result = run(str(seed("002")), "--format", "terminal", "--format", f"json:{json_out}", "--format",
                 f"html:{html_out}", "--format", f"xlsx:{xlsx_out}", "--no-color", "--pack", "township")
    assert result.stdout.splitlines()[0].startswith("规则包 township：")
    assert json.loads(json_out.read_text(encoding="utf-8"))["pack"]["name"] == "township"
    assert "规则包 township：" in html_out.read_text(encoding="utf-8")
    book = load_workbook(xlsx_out)
    assert "township" in book.properties.subject and book.properties.creator == "checker"


def test_one_default_pack_in_the_cli_and_on_the_web_page(tmp_path):
    from checker.web import create_app

    assert pack_name_for(DEFAULT_LEVEL) == "national"
    out = tmp_path / "r.json"
    run(str(seed("000")), "--format", f"json:{out}")
    cli = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    client = create_app().test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'value="national" selected' in page
    posted = client.post("/", data={"file": (io.BytesIO(seed("000").read_bytes()), "draft.txt")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert f'id="score">{cli["score"]:g}<' in posted  # no level chosen: the same pack, the same score


def test_web_error_shows_at_the_top_of_the_page():
    from checker.web import create_app

    page = create_app().test_client().post("/", data={}).get_data(as_text=True)
    assert page.index('id="error"') < page.index('id="upload"') < page.index('id="template"')


def test_xlsx_problem_sheet_shows_chinese_part_names_and_the_text(tmp_path):
    out = tmp_path / "r.xlsx"
    run(*(str(p) for p in sorted(SEEDS.glob("*.txt"))), "--format", f"xlsx:{out}", "-j", "1", "-q")
    rows = list(load_workbook(out)["问题"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    section, quoted, message = header.index("章节"), header.index("原文"), header.index("问题")
    names = {spec.name for spec in __import__("checker.packs").packs.load_pack("national").sections}
    assert {row[section] for row in body if row[section]} <= names
    # every finding about words in the document quotes them; only what is missing has nothing to quote
    empty = [row for row in body if not row[quoted]]
    assert all(any(word in row[message] for word in ("缺少", "没有", "过短")) for row in empty), empty
    assert len(empty) < len(body) / 3


def test_word_positions_are_paragraphs_everywhere_a_person_reads_them(tmp_path):
    """A Word user finds 第N段 (or a table cell), not a line number; the terminal column stays narrow."""
    import docx

    from checker.engine import Engine
    from checker.packs import load_pack
    from checker.render import RenderOptions, render
    from checker.web import create_app

    document = docx.Document()
    for line in seed("000").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    table.cell(2, 1).text = "《民法典的学习"  # an unclosed 《 inside a table cell
    path = tmp_path / "draft.docx"
    document.save(path)
    result = Engine(load_pack("national")).check_path(str(path), keep_text=True)
    placed = [f for f in result.findings if f.line]
    assert placed and all(f.where.endswith("段") or f.where.startswith("表") for f in placed)
    assert any(f.where == "表1第3行第2列" for f in placed)

    terminal = render("terminal", [result], RenderOptions(pack=load_pack("national"), color=False,
                                                          extras={"width": 80}))
    assert "表1第3行第2列" in terminal and "第1个表格" not in terminal
    assert not any(line.startswith(" " * 12) and "段" in line[:14] for line in terminal.splitlines())
    html = render("html", [result], RenderOptions(pack=load_pack("national")))
    assert ">第" in html and "段</a>" in html
    page = create_app().test_client().post("/", data={"file": (io.BytesIO(path.read_bytes()), "draft.docx")},
                                           content_type="multipart/form-data").get_data(as_text=True)
    assert 'class="place">第' in page and "行</a>" not in page.split('id="findings"')[-1].split("</ol>")[0]


def test_fix_lists_word_changes_by_paragraph(tmp_path):
    import docx

    document = docx.Document()
    for line in seed("000").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "draft.docx"
    document.save(path)
    result = CliRunner().invoke(main, ["fix", str(path), "--diff"], catch_exceptions=False)
    changes = [line for line in result.stdout.splitlines() if "→" in line]
    assert changes and all(line.startswith("第") and line.split()[0].endswith("段") for line in changes)
