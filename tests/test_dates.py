"""Publication dates as real pages write them; the 1 April deadline; dates never taken for the year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.engine import Engine
from checker.model.dates import parse_date
from checker.model.document import document_from_text
from checker.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent

BODY = (
    "2023年，我镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
    "一、2023年度推进法治政府建设的主要举措和成效\n（一）加强组织领导。镇党委召开会议研究法治工作4次。\n"
    "二、2023年度推进法治政府建设存在的不足和原因\n个别干部法治意识不强，原因是学习不够。\n"
    "三、2023年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况\n主要负责人带头学法。\n"
    "四、2024年度推进法治政府建设的主要安排\n继续加强学习。\n"
    "五、其他需要报告的情况\n无。\n"
)
TITLE = "某某镇2023年度法治政府建设情况报告\n"


def outline_of(text: str):
    return document_from_text(text).outline


@pytest.mark.parametrize("header, written, expected", [
    ("发布时间：2024-03-20 11:13:56  浏览次数：12\n", "2024-03-20", dt.date(2024, 3, 20)),
    ("来源：某某镇  日期：2023-03-24 11:26 打印 【字体：大 中 小】\n", "2023-03-24", dt.date(2023, 3, 24)),
    ("[ 发布日期 ]\n2024/03/29\n", "2024/03/29", dt.date(2024, 3, 29)),
    ("【发布时间】2024年03月11日\n", "2024年03月11日", dt.date(2024, 3, 11)),
    ("发布日期：\n2024年05月11日\n", "2024年05月11日", dt.date(2024, 5, 11)),
    ("更新时间：2024.2.6\n", "2024.2.6", dt.date(2024, 2, 6)),
    ("2024-03-05 09:30\n", "2024-03-05", dt.date(2024, 3, 5)),
])
def test_publication_date_formats(header, written, expected):
    outline = outline_of(TITLE + header + BODY)
    assert outline.published is not None
    assert (outline.published.written, outline.published.date) == (written, expected)
    assert outline.report_year == 2023
    assert outline.title is not None and outline.title.text == TITLE.strip()


def test_document_date_is_kept_apart():
    outline = outline_of("索引号：123/2024-001 | 成文日期：2024-02-24 |\n" + TITLE + BODY)
    assert outline.document_date is not None and outline.document_date.date == dt.date(2024, 2, 24)
    assert outline.published is None


def test_earliest_credible_publication_wins():
    # A page updated later, a weekday "today" stamp, and a date before the report year (not credible).
    header = ("2025年1月2日 星期四\n发布时间：2024-03-18\n更新时间：2024-06-01 10:00\n"
              "信息时间：2019-01-01\n")
    outline = outline_of(TITLE + header + BODY)
    assert outline.published.date == dt.date(2024, 3, 18)
    assert outline.report_year == 2023


def test_news_dateline_counts_as_published_then():
    text = ("全市法治政府建设年度报告公开工作有序推进\n发布时间：2024-04-10\n"
            "新华社北京3月29日电 记者从司法局获悉，各地2023年度法治政府建设情况报告陆续公开。\n")
    outline = outline_of(text)
    assert outline.published.date == dt.date(2024, 3, 29)
    assert outline.published.source == "dateline"


def test_page_date_is_never_the_report_year():
    # Title without a year; the page date (2023) must not become the year: the opening names 2022.
    text = ("某某县法治政府建设情况报告\n[ 发布日期 ]\n2023年03月24日\n"
            "2022年，我县深入推进依法行政。现将有关情况报告如下：\n一、主要举措和成效\n（一）加强领导。\n")
    outline = outline_of(text)
    assert outline.report_year == 2022
    assert outline.published.date == dt.date(2023, 3, 24)


def test_no_finding_advises_changing_a_publication_date():
    engine = Engine(load_pack("national"))
    # A 2024 date for a report whose title says 2024 (a wrong title year, or a page date): the
    # publication date is a fact, never something the report should change.
    text = "某某镇2024年度法治政府建设情况报告\n发布时间：2024-03-20\n" + BODY.replace("2023", "2024")
    result = engine.check_document(document_from_text(text))
    for finding in result.findings:
        advice = (finding.message or "") + (finding.suggestion or "")
        assert "2024-03-20" not in advice or finding.rule == "deadline", finding
        assert not (finding.rule == "year-consistency" and "发布" in finding.message), finding


@pytest.mark.parametrize("published, late_days", [
    ("2024-03-20", None), ("2024-03-31", None), ("2024-04-01", 1), ("2024-05-08", 38),
])
def test_deadline_is_before_first_of_april(published, late_days):
    text = TITLE + f"发布时间：{published}\n" + BODY
    for pack in ("national", "department", "county", "township"):
        result = Engine(load_pack(pack)).check_document(document_from_text(text))
        late = [f for f in result.findings if f.rule == "deadline"]
        if late_days is None:
            assert late == [], (pack, published)
        else:
            assert len(late) == 1 and f"逾期 {late_days} 天" in late[0].message, (pack, late)
            assert late[0].line == 2


def test_deadline_day_itself_on_time_when_inclusive(tmp_path):
    pack = tmp_path / "inclusive.yaml"
    pack.write_text("name: inclusive\nextends: national\nrules:\n  - id: deadline\n    month: 3\n    day: 31\n"
                    "    inclusive: true\n", encoding="utf-8")
    engine = Engine(load_pack(str(pack)))
    on_day = engine.check_document(document_from_text(TITLE + "发布时间：2024-03-31\n" + BODY))
    assert not [f for f in on_day.findings if f.rule == "deadline"]
    after = engine.check_document(document_from_text(TITLE + "发布时间：2024-04-01\n" + BODY))
    assert [f.message for f in after.findings if f.rule == "deadline"] == [
        "发布时间为 2024-04-01，未在规定的 2024年3月31日 之前公开（逾期 1 天）"]


def test_signed_date_and_issuer():
    text = TITLE + BODY + "\n中共某某镇委员会\n某某镇人民政府\n2024年1月19日\n"
    outline = outline_of(text)
    assert outline.signed.date == dt.date(2024, 1, 19)
    assert outline.issuer == "中共某某镇委员会、某某镇人民政府"


def test_parse_date_forms():
    assert parse_date("二〇二四年一月十九日") == dt.date(2024, 1, 19)
    assert parse_date("2023-03-24 11:26") == dt.date(2023, 3, 24)
    assert parse_date("2023/02/30") is None


def _closing(text: str):
    engine = Engine(load_pack("national"))
    result = engine.check_document(document_from_text(text))
    return result, [(f.severity.label, f.message) for f in result.findings if f.rule == "closing"]


def test_closing_block_present():
    result, found = _closing(TITLE + BODY + "\n中共某某镇委员会\n某某镇人民政府\n2024年1月19日\n（此件公开发布）\n")
    assert found == [] and result.issuer == "中共某某镇委员会、某某镇人民政府" and result.signed_date == "2024-01-19"
    result, found = _closing(TITLE + BODY + "\n某某镇人民政府 2024年1月19日\n")
    assert found == [] and result.issuer == "某某镇人民政府" and result.signed_date == "2024-01-19"


def test_closing_block_missing_is_a_warning_not_an_error():
    _, found = _closing(TITLE + BODY)
    assert found == [("warning", "文末没有落款（发文单位和日期）")]


def test_web_page_dated_in_its_header_is_not_missing_the_date():
    _, found = _closing(TITLE + "发布时间：2024-03-20\n" + BODY)
    assert found == []  # the title names the issuer (某某镇)
    _, found = _closing("2023年度法治政府建设情况报告\n发布时间：2024-03-20\n" + BODY)
    assert found == [("info", "没有写明发文单位")]
    _, found = _closing("2023年度法治政府建设情况报告\n发布机构：某某镇人民政府\n发布时间：2024-03-20\n" + BODY)
    assert found == []


def test_closing_on_seeds():
    engine = Engine(load_pack("national"))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        found = [f for f in engine.check_path(str(path)).findings if f.rule == "closing"]
        # Only seed 004 (a web page with no date and no closing block at all) lacks its 落款.
        assert bool(found) == path.name.startswith("004"), path.name
        assert all(f.severity.label != "error" for f in found)


def test_publisher_from_the_page_header():
    assert outline_of("发布机构：某县司法局 | 成文日期：2024-03-12\n" + TITLE + BODY).publisher == "某县司法局"
    assert outline_of(TITLE + "[ 信息来源 ]\n某乡人民政府\n" + BODY).publisher == "某乡人民政府"
    assert outline_of(TITLE + "来源：本站  发布时间：2024-03-20\n" + BODY).publisher is None
