"""Format loaders: sniffing, .docx (numbering, hints, tables, comments), HTML; hostile containers."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.load import Limits, load
from checker.load.docx import chinese_number, format_number
from checker.model.document import build_document
from tests.makedocs import numbering_xml, write_docx, write_html

REPORT = """XX镇2023年度法治政府建设年度报告
县委、县政府：
2023年，我镇深入学习贯彻习近平法治思想，现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）强化组织领导
镇党委召开常务会议专题学法4次，制定年度工作要点。
（二）规范行政执法
全面落实行政执法三项制度，审核重大执法决定12件。
二、存在的不足和原因
一是法治宣传形式单一；二是执法人员力量不足。原因是培训投入不够。
三、党政主要负责人履行推进法治建设第一责任人职责的有关情况
镇党委书记亲自部署法治建设，年终述法。
四、2024年度推进法治政府建设的主要安排
（一）加强学习
持续开展领导干部学法。
XX镇人民政府
2024年1月19日"""


def sections(engine, path) -> list[str]:
    return [s["id"] for s in engine.check_path(str(path)).sections]


# ---------------------------------------------------------------- sniffing


def test_docx_under_txt_suffix_is_read_as_docx(tmp_path):
    path = write_docx(REPORT, tmp_path / "report.docx")
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(path.read_bytes())
    source = load(str(disguised))
    assert source.format == "docx" and source.text == REPORT


def test_text_with_docx_suffix_is_refused_with_reason(tmp_path):
    path = tmp_path / "report.docx"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(str(path))
    assert "扩展名为 .docx" in info.value.reason and "\n" not in str(info.value)


def test_html_under_txt_suffix_and_image_under_docx_suffix(tmp_path):
    page = write_html(REPORT, tmp_path / "page.txt")
    assert load(str(page)).format == "html"
    image = tmp_path / "scan.docx"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(InputError, match="PNG"):
        load(str(image))


def test_password_protected_word_file_is_named_as_such(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    assert "加密" in _one_line_error(path)


def test_other_zip_is_not_a_report(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="ZIP"):
        load(str(path))


# ---------------------------------------------------------------- docx


def test_docx_paragraphs_in_order_with_locations(tmp_path):
    source = load(str(write_docx(REPORT, tmp_path / "r.docx")))
    assert source.format == "docx"
    assert source.text == REPORT
    assert source.locations[4] == "第4段"


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105)] == \
        ["一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五"]
    assert format_number(3, "chineseCounting") == "三"
    assert format_number(3, "upperRoman") == "III"
    assert format_number(2, "decimalEnclosedCircle") == "②"
    assert format_number(12, "decimal") == "12"


def test_word_numbering_renders_heading_numbers(tmp_path, engine):
    plain = write_docx(REPORT, tmp_path / "typed.docx")
    numbered = write_docx(REPORT, tmp_path / "numbered.docx", word_numbering=True)
    source = load(str(numbered))
    lines = source.text.split("\n")
    # The typed markers were removed from the paragraphs; Word numbering puts them back.
    assert lines[3] == "一、2023年度推进法治政府建设的主要举措和成效"
    assert lines[4] == "（一）强化组织领导"
    assert lines[8] == "二、存在的不足和原因"
    assert lines[12].startswith("四、")
    assert lines[13] == "（一）加强学习"  # level 1 restarts under a new level-0 item
    document = build_document(source)
    top = [(h.number, h.style) for h in document.outline.headings if h.level == 1]
    assert top == [(1, "cn"), (2, "cn"), (3, "cn"), (4, "cn")]
    assert sections(engine, numbered) == sections(engine, plain) == \
        ["measures", "shortcomings", "first-responsible", "next-year"]


def test_word_numbering_decimal_and_start_override(tmp_path):
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    root = document.part.numbering_part.element
    root.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                             f'<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num {w} w:numId="77"><w:abstractNumId w:val="77"/>'
                          f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'))
    for text in ("第一项", "第二项"):
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>'))
    path = tmp_path / "decimal.docx"
    document.save(str(path))
    assert load(str(path)).text.split("\n") == ["3. 第一项", "4. 第二项"]


def test_word_lists_sharing_a_definition_continue_unless_restarted(tmp_path):
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    root = document.part.numbering_part.element
    abstract, _ = numbering_xml(abstract_id=60)
    root.insert(0, parse_xml(abstract))
    root.append(parse_xml(f'<w:num {w} w:numId="61"><w:abstractNumId w:val="60"/></w:num>'))
    root.append(parse_xml(f'<w:num {w} w:numId="62"><w:abstractNumId w:val="60"/></w:num>'))
    root.append(parse_xml(f'<w:num {w} w:numId="63"><w:abstractNumId w:val="60"/>'
                          f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    for num_id, text in ((61, "甲"), (61, "乙"), (62, "丙"), (63, "丁"), (63, "戊")):
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    path = tmp_path / "lists.docx"
    document.save(str(path))
    assert load(str(path)).text.split("\n") == ["一、甲", "二、乙", "三、丙", "一、丁", "二、戊"]


def test_heading_style_linked_to_multilevel_list(tmp_path, engine):
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    root = document.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="50"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading2"/><w:lvlText w:val="%1、"/>'
        f'<w:suff w:val="nothing"/></w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num {w} w:numId="51"><w:abstractNumId w:val="50"/></w:num>'))
    style = document.styles["Heading 2"].element
    style.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="51"/></w:numPr>'))
    document.add_paragraph("XX镇2023年度法治政府建设年度报告")
    document.add_paragraph("现将有关情况报告如下：")
    for heading in ("2023年度推进法治政府建设的主要举措和成效", "存在的不足和原因",
                    "党政主要负责人履行推进法治建设第一责任人职责的有关情况", "2024年度推进法治政府建设的主要安排"):
        document.add_paragraph(heading, style="Heading 2")
        document.add_paragraph("正文内容。")
    path = tmp_path / "styled-numbering.docx"
    document.save(str(path))
    lines = load(str(path)).text.split("\n")
    assert lines[2] == "一、2023年度推进法治政府建设的主要举措和成效" and lines[8].startswith("四、")
    assert sections(engine, path) == ["measures", "shortcomings", "first-responsible", "next-year"]


def test_heading_styles_become_hints(tmp_path, engine):
    import docx

    document = docx.Document()
    document.add_heading("XX镇2023年度法治政府建设年度报告", level=1)  # the title in 标题 1
    document.add_paragraph("2023年，我镇深入推进法治政府建设，现将有关情况报告如下：")
    for heading, body in (("2023年度推进法治政府建设的主要举措和成效", "召开常务会议学法4次。"),
                          ("存在的不足和原因", "宣传形式单一，原因是投入不够。"),
                          ("党政主要负责人履行推进法治建设第一责任人职责的有关情况", "书记亲自部署。"),
                          ("2024年度推进法治政府建设的主要安排", "持续开展学法。")):
        document.add_heading(heading, level=2)
        document.add_paragraph(body)
    path = tmp_path / "styled.docx"
    document.save(str(path))
    source = load(str(path))
    assert 1 not in source.heading_hints  # the lone top-level title is not a section
    assert sorted(source.heading_hints.values()) == [1, 1, 1, 1]
    assert sections(engine, path) == ["measures", "shortcomings", "first-responsible", "next-year"]


def test_tables_cells_as_lines(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("正文第一段")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "项目", (0, 1): "数量", (1, 0): "行政复议", (1, 1): "12件"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("正文第二段")
    path = tmp_path / "table.docx"
    document.save(str(path))
    source = load(str(path))
    assert source.text.split("\n") == ["正文第一段", "项目", "数量", "行政复议", "12件", "正文第二段"]
    assert source.locations[4] == "表1第2行第1列"


def test_checker_disable_comments_become_directives(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("标题行")
    paragraph = document.add_paragraph("二、存在的问题")
    document.add_comment(paragraph.runs, text="checker-disable standard-heading: 上级要求的写法", author="审核")
    document.add_comment(document.paragraphs[0].runs, text="普通批注", author="审核")
    path = tmp_path / "comments.docx"
    document.save(str(path))
    source = load(str(path))
    assert source.directives == [(2, "checker-disable standard-heading: 上级要求的写法")]


# ---------------------------------------------------------------- hostile .docx


def _docx_with_document_xml(tmp_path: Path, xml: bytes, name: str = "hostile.docx") -> Path:
    """A real python-docx package whose word/document.xml is replaced."""
    base = write_docx("占位", tmp_path / "base.docx")
    path = tmp_path / name
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return path


def _one_line_error(path: Path, limits: Limits | None = None) -> str:
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        load(str(path), limits=limits)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return info.value.reason


def test_corrupt_docx(tmp_path):
    good = write_docx(REPORT, tmp_path / "good.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good[: len(good) // 2])
    assert "损坏" in _one_line_error(truncated)
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    assert "损坏" in _one_line_error(garbage) or "不是" in _one_line_error(garbage)


def test_zip_bomb_rejected_by_ratio(tmp_path):
    bomb = _docx_with_document_xml(tmp_path, b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    assert bomb.stat().st_size < 200_000
    assert "压缩炸弹" in _one_line_error(bomb)


def test_zip_bomb_rejected_by_declared_size(tmp_path):
    path = _docx_with_document_xml(tmp_path, b"<a>" + b"x" * 3_000_000 + b"</a>")
    limits = Limits(zip_max_total=1024 * 1024, zip_max_ratio=10**9)
    assert "压缩炸弹" in _one_line_error(path, limits)


def test_zip_member_lying_about_its_size_is_rejected(tmp_path):
    path = _docx_with_document_xml(tmp_path, b"<w:document/>" + b"<!---->" * 200_000)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    # Patch the declared uncompressed size (local header and central directory) down to 100 bytes.
    real = info.file_size.to_bytes(4, "little")
    assert data.count(real) >= 2
    data = data.replace(real, (100).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    reason = _one_line_error(path)
    assert "损坏" in reason or "压缩炸弹" in reason


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""


def test_billion_laughs_docx_is_refused(tmp_path):
    path = _docx_with_document_xml(tmp_path, BILLION_LAUGHS)
    assert "DTD" in _one_line_error(path)


def test_external_entity_docx_reads_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>').encode()
    path = _docx_with_document_xml(tmp_path, xml)
    assert "DTD" in _one_line_error(path)


# ---------------------------------------------------------------- html


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_body_found_and_boilerplate_dropped(tmp_path, engine, encoding):
    path = write_html(REPORT, tmp_path / f"page-{encoding}.html", encoding=encoding,
                      extra_body="<div class='attr'>成文日期：2024年1月19日</div>")
    source = load(str(path))
    assert source.format == "html"
    assert source.encoding in ("utf-8", "gb18030")
    assert source.text.split("\n")[: len(REPORT.split("\n"))] == REPORT.split("\n")
    for junk in ("首页", "政务公开", "网站标识码", "备案号", "统计代码", "脚本不应成为正文", "广告", "通知公告", "微博", "color"):
        assert junk not in source.text, junk
    assert source.metadata == {"发布时间": "2024-03-20", "成文日期": "2024-01-19"}
    assert sections(engine, path) == ["measures", "shortcomings", "first-responsible", "next-year"]


def test_html_charset_detected_without_meta(tmp_path):
    page = "<html><body><div><h1>测试报告标题</h1><p>" + REPORT.replace("\n", "</p><p>") + "</p></div></body></html>"
    path = tmp_path / "nometa.htm"
    path.write_bytes(page.encode("gb18030"))
    source = load(str(path))
    assert "一、2023年度推进法治政府建设的主要举措和成效" in source.text.split("\n")


def test_utf16_html_is_read_as_html(tmp_path):
    path = tmp_path / "utf16.htm"
    path.write_bytes(("<html><body><nav>首页</nav><div><p>" + REPORT.replace("\n", "</p><p>") + "</p></div></body></html>")
                     .encode("utf-16"))
    source = load(str(path))
    assert source.format == "html" and "首页" not in source.text and "二、存在的不足和原因" in source.text


def test_html_with_wrong_charset_declaration(tmp_path):
    page = f'<html><head><meta charset="gb2312"></head><body><div>{REPORT}</div></body></html>'
    path = tmp_path / "resaved.html"
    path.write_bytes(page.encode("utf-8"))  # re-saved as UTF-8, old declaration kept
    assert "主要举措和成效" in load(str(path)).text
    path.write_bytes(page.replace("gb2312", "utf-8").encode("gbk"))  # declared UTF-8, really GBK
    assert "主要举措和成效" in load(str(path)).text


def test_html_title_outside_body_and_visible_dates(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in REPORT.split("\n")[1:])
    page = (f'<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="/">首页</a></div>'
            f'<div class="content"><div class="title">XX镇2023年度法治政府建设年度报告</div>'
            f'<div class="info">发布时间：2024-02-05 10:00 来源：司法所</div><div class="text">{body}</div></div>'
            f'<div class="footer">版权所有</div></body></html>')
    path = tmp_path / "titled.html"
    path.write_text(page, encoding="utf-8")
    source = load(str(path))
    assert source.text.split("\n")[0] == "XX镇2023年度法治政府建设年度报告"
    assert source.metadata["发布时间"] == "2024-02-05"
    assert "版权所有" not in source.text and "首页" not in source.text


def test_html_deeply_nested_tags_finish(tmp_path):
    depth = 20_000
    page = "<html><body>" + "<div>" * depth + "<p>一、主要举措和成效</p>" + "</div>" * depth + "</body></html>"
    path = tmp_path / "nested.html"
    path.write_text(page, encoding="utf-8")
    assert "嵌套过深" in _one_line_error(path)
    sloppy = tmp_path / "sloppy.html"  # thousands of unclosed <p> and <li> are normal, not deep
    sloppy.write_text("<html><body><div>" + "<p>一段正文<li>一项" * 5000 + "</div></body></html>", encoding="utf-8")
    assert load(str(sloppy)).text.count("一段正文") == 5000


def test_html_without_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = '正文';</script></head><body><iframe src='x'></iframe></body></html>",
                    encoding="utf-8")
    assert "正文" in _one_line_error(path)


# ---------------------------------------------------------------- pdf


def test_pdf_paragraphs_pages_and_running_lines(tmp_path, engine):
    from tests.makedocs import write_pdf

    long_report = REPORT.replace("镇党委召开常务会议专题学法4次，制定年度工作要点。",
                                 "镇党委召开常务会议专题学法4次，制定年度工作要点。" * 40)
    path = write_pdf(long_report, tmp_path / "report.pdf")
    source = load(str(path))
    assert source.format == "pdf"
    lines = source.text.split("\n")
    assert lines == [line.strip() for line in long_report.split("\n")]  # wrapped lines joined back
    assert "— 1 —" not in source.text and "XX县人民政府文件" not in source.text
    assert source.locations[1] == "第1页" and source.locations[len(lines)] != "第1页"
    assert sections(engine, path) == ["measures", "shortcomings", "first-responsible", "next-year"]


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (200, 280), 255).save(image)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for number in range(1, 3):
        pdf.add_page()
        pdf.image(str(image), x=10, y=10, w=190)
        pdf.set_xy(0, 285)
        pdf.cell(210, 5, f"- {number} -", align="C")  # a text-layer page number on a scanned page
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert "扫描件" in _one_line_error(path)  # OCR reads nothing on blank pages; without OCR: how to install it


def test_malformed_and_oversized_pdfs(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")
    assert "PDF" in _one_line_error(broken)
    truncated = tmp_path / "truncated.pdf"
    from tests.makedocs import write_pdf

    whole = write_pdf(REPORT, tmp_path / "whole.pdf").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 3])
    try:
        source = load(str(truncated))  # PDFium may recover what it can: then it is real text
        assert source.text.strip()
    except InputError as exc:
        assert "\n" not in str(exc)
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(12):
        pdf.add_page()
    many = tmp_path / "many.pdf"
    pdf.output(str(many))
    assert "页数过多" in _one_line_error(many, Limits(pdf_max_pages=10))


def test_pdf_time_budget(tmp_path):
    from tests.makedocs import write_pdf

    path = write_pdf(REPORT, tmp_path / "slow.pdf")
    assert "超时" in _one_line_error(path, Limits(pdf_max_seconds=0))


def test_pdf_suffix_without_pdf_content(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_text("这不是 PDF 文件，只是文本。", encoding="utf-8")
    assert "扩展名为 .pdf" in _one_line_error(path)


# ---------------------------------------------------------------- .doc / .wps


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_legacy_doc_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    path = tmp_path / "old.doc"
    path.write_bytes(OLE2)
    reason = _one_line_error(path)
    assert "另存为" in reason and ".docx" in reason
    wps = tmp_path / "old.wps"
    wps.write_bytes(OLE2)
    assert "WPS" in _one_line_error(wps)
    rtf = tmp_path / "saved.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi \\'d2\\'bb}")
    assert "RTF" in _one_line_error(rtf)


def _fake_soffice(folder: Path, docx: Path | None, sleep: float = 0) -> None:
    """A stand-in `soffice` that 'converts' by copying a prepared .docx into --outdir."""
    import sys

    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys, time, pathlib\n"
        f"time.sleep({sleep})\n"
        "args = sys.argv[1:]\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1])\n"
        "source = pathlib.Path(args[-1])\n"
        f"docx = {str(docx)!r} if {docx is not None} else None\n"
        "if docx: shutil.copy(docx, out / (source.stem + '.docx'))\n",
        encoding="utf-8",
    )
    script.chmod(0o755)


def test_legacy_doc_converted_with_soffice_in_private_copy(tmp_path, monkeypatch):
    converted = write_docx(REPORT, tmp_path / "converted.docx")
    _fake_soffice(tmp_path / "bin", converted)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = folder / "old.doc"
    path.write_bytes(OLE2)
    source = load(str(path))
    assert source.format == "doc" and source.text == REPORT
    assert sorted(p.name for p in folder.iterdir()) == ["old.doc"]  # nothing written beside the input
    assert path.read_bytes() == OLE2


def test_legacy_conversion_failure_and_timeout(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", None)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    path = tmp_path / "old.doc"
    path.write_bytes(OLE2)
    assert "无法转换" in _one_line_error(path)
    _fake_soffice(tmp_path / "slow", None, sleep=10)
    monkeypatch.setenv("PATH", str(tmp_path / "slow"))
    assert "超时" in _one_line_error(path, Limits(convert_timeout=0.5))


# ---------------------------------------------------------------- places a person can find


def test_findings_carry_the_place_in_the_original_file(tmp_path, engine):
    from tests.makedocs import write_pdf

    flawed = REPORT.replace("三、党政主要负责人履行推进法治建设第一责任人职责的有关情况\n", "")
    docx_result = engine.check_path(str(write_docx(flawed, tmp_path / "flawed.docx")))
    pdf_result = engine.check_path(str(write_pdf(flawed, tmp_path / "flawed.pdf")))
    text_result = engine.check_path(str(_text_file(tmp_path, flawed)))
    placed = [f for f in docx_result.findings if f.line]
    assert placed and all(f.location == f"第{f.line}段" for f in placed)
    assert all(f.location and f.location.endswith("页") for f in pdf_result.findings if f.line)
    assert all(f.location is None for f in text_result.findings)


def _text_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plain.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_output_names_the_location(tmp_path):
    import json

    from click.testing import CliRunner

    from checker.cli import main

    path = write_docx(REPORT.replace("（二）规范行政执法", "（二）规范行政执法工作，持续推进依法行政"), tmp_path / "r.docx")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--fail-on", "never"])
    data = json.loads(result.output)
    documents = data["documents"] if isinstance(data, dict) else data
    findings = [f for doc in documents for f in doc["findings"]]
    assert "location" in findings[0]
    assert any(f["location"] and f["location"].startswith("第") for f in findings if f["line"])


def test_html_publication_date_reaches_the_deadline_rule(tmp_path, engine):
    body = REPORT.replace("XX镇人民政府\n2024年1月19日", "XX镇人民政府")  # no signing date in the text
    late = engine.check_path(str(write_html(body, tmp_path / "late.html", pub_date="2024-05-08")))
    on_time = engine.check_path(str(write_html(body, tmp_path / "on-time.html", pub_date="2024-03-20")))
    late_findings = [f for f in late.findings if f.rule == "deadline"]
    assert late_findings and "2024" in late_findings[0].message
    assert late_findings[0].severity.label != "info"  # late, not merely "no date found"
    assert not [f for f in on_time.findings if f.rule == "deadline" and f.severity.label != "info"]
