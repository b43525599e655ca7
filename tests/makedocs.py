"""Build test documents in every supported format from plain text (used by the format tests).

Each builder writes one paragraph/block per text line, so a loader that works gives back the
same lines. Nothing here is shipped; fonts: PDFs use reportlab's built-in CID font STSong-Light
(no font file needed; viewers and PDFium map it through the Adobe-GB1 CMaps).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

CN_MARKER = re.compile(r"^([一二三四五六七八九十]{1,3})、")
PAREN_MARKER = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")


def numbering_xml(num_id: int = 90, abstract_id: int = 90) -> tuple[str, str]:
    """A two-level Chinese list: level 0 "一、", level 1 "（一）" (abstractNum, num)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    abstract = (
        f'<w:abstractNum {w} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '</w:abstractNum>'
    )
    num = f'<w:num {w} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    return abstract, num


def write_docx(text: str, path: Path, word_numbering: bool = False) -> Path:
    """One paragraph per line; with `word_numbering`, typed 一、/（一） markers become Word numbering."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    if word_numbering:
        root = document.part.numbering_part.element
        abstract, num = numbering_xml()
        root.insert(0, parse_xml(abstract))
        root.append(parse_xml(num))
    for line in text.split("\n"):
        level = None
        if word_numbering:
            for index, pattern in enumerate((CN_MARKER, PAREN_MARKER)):
                match = pattern.match(line.strip())
                if match:
                    level, line = index, line.strip()[match.end():]
                    break
        paragraph = document.add_paragraph(line)
        if level is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(
                f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
            assert ppr.find(qn("w:numPr")) is not None
    document.save(str(path))
    return path


NAV = """<div class="header"><div class="logo">XX县人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>"""
FOOTER = """<div class="footer"><p>主办单位：XX县人民政府办公室　地址：XX县人民路1号</p>
<p>网站标识码：1234567890　<a href="#">网站地图</a>　<a href="#">联系我们</a></p>
<p>备案号：X ICP备12345678号</p></div>"""


def html_page(text: str, charset: str = "utf-8", pub_date: str | None = "2024-03-20",
              extra_head: str = "", extra_body: str = "") -> str:
    """A government-site page: header, navigation, the text as <p> lines in the article, footer."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    meta = f'<meta name="PubDate" content="{pub_date} 09:30">' if pub_date else ""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>法治政府建设年度报告_XX县人民政府</title>{meta}
<style>.nav li {{ float: left }} body {{ font: 14px 宋体 }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>{extra_head}
</head><body>{NAV}
<div class="main"><div class="left-menu"><ul><li><a href="/a">通知公告</a></li><li><a href="/b">政策文件</a></li>
<li><a href="/c">法治政府建设</a></li></ul></div>
<div class="article"><div class="info">来源：XX县司法局　　浏览次数：<span id="hits">128</span></div>
<div id="zoom" class="TRS_Editor">
{paragraphs}
</div>{extra_body}
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div></div>
<iframe src="https://example.invalid/ad.html">广告</iframe>
{FOOTER}<script>alert("脚本不应成为正文")</script></body></html>"""


def write_html(text: str, path: Path, encoding: str = "utf-8", **options) -> Path:
    charset = {"gb18030": "gb2312", "gbk": "gbk"}.get(encoding, encoding)
    path.write_bytes(html_page(text, charset=charset, **options).encode(encoding))
    return path


def write_pdf(text: str, path: Path, header: str | None = "XX县人民政府文件",
              page_numbers: bool = True) -> Path:
    """A4 pages with wrapped lines (first-line indent two characters), a running header and
    "— N —" page numbers, drawn with reportlab's CID font STSong-Light."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    size, leading = 12, 20
    width, height = A4
    left, right, top, bottom = 72, width - 72, height - 90, 90
    pdf = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 1, "y": top}

    def decorate() -> None:
        pdf.setFont(font, 9)
        if header:
            pdf.drawCentredString(width / 2, height - 50, header)
        if page_numbers:
            pdf.drawCentredString(width / 2, 45, f"— {state['page']} —")
        pdf.setFont(font, size)

    def new_line() -> None:
        state["y"] -= leading
        if state["y"] < bottom:
            pdf.showPage()
            state["page"] += 1
            state["y"] = top
            decorate()

    decorate()
    for line in text.split("\n"):
        if not line.strip():
            continue
        line = line.strip(" ")
        x = left + 2 * size
        piece = ""
        for ch in line:
            w = pdfmetrics.stringWidth(piece + ch, font, size)
            if x + w > right:
                pdf.drawString(x, state["y"], piece)
                new_line()
                x, piece = left, ch
            else:
                piece += ch
        pdf.drawString(x, state["y"], piece)
        new_line()
    pdf.save()
    return path
