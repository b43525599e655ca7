"""The outline builder on small focused texts: levels, inline headings, broken numbering,
boilerplate, title, addressee, closing block and the report year."""

from __future__ import annotations

from checker.model.document import document_from_text


def outline_of(text: str):
    return document_from_text(text).outline


def test_four_heading_levels_full_and_half_width():
    doc = document_from_text(
        "某镇2023年度法治政府建设情况报告\n"
        "2023年，我镇扎实推进法治政府建设。\n"
        "一、2023年度推进法治政府建设的主要举措和成效\n"
        "（一）强化组织领导\n"
        "1.健全制度。正文。\n"
        "（1）完善清单。正文。\n"
        "(2)规范程序。正文。\n"
        "2、加强学习。正文。\n"
        "(二)加强执法\n"
        "二、存在的不足和原因\n"
    )
    headings = doc.outline.headings
    assert [(h.level, h.style, h.number) for h in headings] == [
        (1, "cn", 1), (2, "paren-cn", 1), (3, "arabic", 1), (4, "paren-arabic", 1),
        (4, "paren-arabic", 2), (3, "arabic", 2), (2, "paren-cn", 2), (1, "cn", 2),
    ]
    assert headings[1].fullwidth and not headings[6].fullwidth
    assert headings[2].text == "健全制度"  # a run-in heading stops at the first full stop
    assert [h.line for h in headings] == [3, 4, 5, 6, 7, 8, 9, 10]
    first = headings[0]
    assert doc.text[first.start:first.end] == "一、2023年度推进法治政府建设的主要举措和成效"
    assert doc.position(first.start) == (3, 1)


def test_inline_headings_in_a_run_on_paragraph():
    body = ("现将工作情况报告如下: 一、2024年推进法治政府建设的主要举措和成效 (一)强化领导,法治学习常态化。"
            + "开展集中学习12次。" * 30
            + " 二、2024年推进法治政府建设存在的不足和原因 我镇仍存在一些不足。" + "正文。" * 20)
    doc = document_from_text("北洋镇2024年度法治政府建设年度报告\n" + body + "\n")
    headings = doc.outline.headings
    assert [(h.level, h.text, h.inline) for h in headings] == [
        (1, "2024年推进法治政府建设的主要举措和成效", True),
        (2, "强化领导,法治学习常态化", True),
        (1, "2024年推进法治政府建设存在的不足和原因", True),
    ]
    for heading in headings:
        assert doc.text[heading.text_start:heading.end] == heading.text
        assert heading.line == 2


def test_broken_and_garbled_numbering_is_still_a_heading():
    outline = outline_of("标题无关\n一,、法治建設第一責任人履職情況\n()强化领导,压实责任\n(二)强化学习\n")
    assert [(h.level, h.number, h.marker) for h in outline.headings] == [(1, 1, "一,、"), (2, None, "()"), (2, 2, "(二)")]


def test_enumerations_are_not_headings():
    outline = outline_of("正文开始。\n一是加强学习，二是规范执法。\n十一、第十一个标题\n第二部分 主要举措\n")
    assert [(h.number, h.key) for h in outline.headings] == [(11, "第十一个标题"), (2, "主要举措")]


def test_web_boilerplate_title_and_metadata():
    outline = outline_of(
        "回到首页\n\n当前位置:首页 >> 政务公开 > 正文\n"
        "您当前的位置:首页 >政务公开 >法治政府建设年报\n"
        "东金庄乡人民政府2023年度法治政府建设工作报告\n"
        "发布时间: 2024-03-20 11:13:56  信息发布人:本站编辑  浏览次数:\n"
        "索引号: | 001008010002063/2025-01537 | 文件编号: | |\n"
        "    2023年以来,东金庄乡持续推进法治政府建设。现将情况报告如下:\n"
        "一、2023年法治建设主要工作与经验\n正文。\n"
        "[打印本页] [关闭窗口]\n"
    )
    assert outline.title.text == "东金庄乡人民政府2023年度法治政府建设工作报告"
    assert outline.title.line == 5
    assert outline.dates["发布时间"] == "2024-03-20"
    boiler = {line.line for line in outline.boilerplate}
    assert {1, 3, 4, 6, 7, 11} <= boiler
    assert len(outline.headings) == 1


def test_repeated_title_and_table_pipes():
    outline = outline_of("静海区2023年度法治政府建设情况报告 | ||||\n静海区2023年度法治政府建设情况报告\n正文开始，2023年。\n")
    assert outline.title.text == "静海区2023年度法治政府建设情况报告"
    assert outline.title.line == 1
    assert 2 in {line.line for line in outline.boilerplate}


def test_addressee_and_closing_block():
    outline = outline_of(
        "金城乡2023年法治政府建设工作报告\n\n中共博爱县委、博爱县人民政府：\n2023年，在县委领导下。\n"
        "一、主要举措和成效\n正文。\n\n中共金城乡委员会\n          金城乡人民政府\n2024年1月19日\n\n— - 1 - —\n"
    )
    assert outline.addressee.text == "中共博爱县委、博爱县人民政府："
    assert [line.text for line in outline.closing] == ["中共金城乡委员会", "金城乡人民政府", "2024年1月19日"]
    assert outline.dates["落款日期"] == "2024年1月19日"


def test_report_year_sources():
    # title first
    outline = outline_of("某镇2023年度法治政府建设情况报告\n2022年以来，我镇……\n一、2024年法治政府建设情况\n")
    assert outline.report_year == 2023
    assert [e.source for e in outline.years] == ["title", "opening", "heading"]
    # then the opening sentence, ignoring ranges and titles in 《》
    outline = outline_of("按照《法治政府建设实施纲要（2021—2025年）》和《某市2020年工作要点》，2022年，我局……\n一、工作情况\n")
    assert outline.report_year == 2022
    # then the first top-level heading
    assert outline_of("我局推进法治政府建设。\n一、二〇一九年推进法治政府建设情况\n").report_year == 2019
    # a closing date names the year after the one reported on
    assert outline_of("我局推进法治政府建设。\n一、工作情况\n正文。\n某局\n2024年1月19日\n").report_year == 2023
    assert outline_of("没有年份的文字。\n").report_year is None


def test_traditional_characters_and_pinyin_debris_are_matched_but_positions_are_original():
    doc = document_from_text("法治政府建設(shè)工作報告\n一、加強黨對法治政府建設(shè)的領(lǐng)導\n")
    heading = doc.outline.headings[0]
    assert heading.key == "加强党对法治政府建设的领导"
    assert doc.text[heading.text_start:heading.end] == "加強黨對法治政府建設(shè)的領(lǐng)導"
