"""not-report — the page is not a 法治政府建设年度报告 at all (a 政策解读, a news item …).

Reviewers collect pages by search; some are not annual reports: a policy interpretation, a
政府信息公开工作年度报告, an implementation plan, a work plan, a news report about a meeting, an
academic paper, a meeting notice. Checking such a page as a report gives a meaningless grade and
findings. When this rule decides a page is not a report, the result says so
(JSON ``"is_report": false`` with ``not_report_reason``), this rule's one finding is the only
finding, no title, year or sections are claimed, and batch summaries list the page apart,
outside the ranking and the grade counts.

The decision weighs general signals, never a particular document:

* **genre in the title** (``title`` words of a genre, e.g. 解读, 实施方案, 工作要点, 通知,
  信息公开工作年度报告, 召开…会): ``title_points`` (default 3). The title is the outline's title or
  one of the first ``title_lines`` short lines of the page;
* **genre in the text** (``body`` words of the same genre in the first ``body_chars`` characters:
  起草背景, 制定本方案, 特此通知, 摘要/关键词, 记者, 会议强调 …): one point each, at most
  ``body_points_max`` (default 3); a news dateline (``…3月29日电``, ``本报讯``) counts for news;
* **report evidence**, which outweighs the genre: a title naming the report (``报告`` with
  法治/依法行政, and no genre word) makes the page a report outright; otherwise the opening
  ``…报告如下`` counts ``report_opening_points`` (default 2) and each template section found as a
  heading one point.

A page is not a report when its genre score reaches ``threshold`` (default 3) and exceeds the
report evidence by at least ``margin`` (default 2); without a genre word in the title, words in
the text alone must exceed it by ``body_only_margin`` (default 3: the text may not show any
report evidence at all). A real report with a noisy page keeps its report title or its
sections, so it is never called a non-report.

Options:
  genres                list of {name, title: [words], body: [words]} (name is shown to the user)
  title_lines           how many leading short lines may hold the page title (default 3)
  body_chars            how much of the text is searched for body words (default 3000)
  title_points, body_points_max, report_opening_points, threshold, margin, body_only_margin  (see above)
  report_title_words    a title holding 报告 and one of these words names a report (default
                        [法治政府, 依法行政, 法治建设, 法治])

Placeholders: {genre} (e.g. 政策解读), {reason} (the signals found).

Passing: ``某某镇2023年度法治政府建设情况报告`` with the five parts.
Failing: ``《某市法治政府建设实施方案》政策解读`` whose text explains 起草背景 and 主要内容.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.context import Context
from checker.model.dates import dateline
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "genres": (list, []),
    "title_lines": (int, 3),
    "body_chars": (int, 3000),
    "title_points": (int, 3),
    "body_points_max": (int, 3),
    "report_opening_points": (int, 2),
    "threshold": (int, 3),
    "margin": (int, 2),
    "body_only_margin": (int, 3),
    "report_title_words": (list, ["法治政府", "依法行政", "法治建设", "法治"]),
}

_REPORT_OPENING = re.compile(r"报告如下")
NEWS = "新闻报道"


def validate(options: dict) -> dict:
    for genre in options["genres"]:
        if not isinstance(genre, dict) or not isinstance(genre.get("name"), str):
            raise ValueError("genres 的每一项应有 name、title、body，如 {name: 政策解读, title: [解读], body: [起草背景]}")
        for key in ("title", "body"):
            words = genre.get(key, [])
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise ValueError(f"genres 中「{genre['name']}」的 {key} 应为非空词语的列表")
    return options


def _title_lines(ctx: Context, rule: Rule) -> list[tuple[int, str]]:
    """(line number, folded text) of the lines that may be the page title."""
    document = ctx.document
    outline = document.outline
    skip = {line.line for line in outline.boilerplate if line.line != (outline.title.line if outline.title else 0)}
    found: list[tuple[int, str]] = []
    if outline.title is not None:
        found.append((outline.title.line, fold(outline.title.text)))
    folded_lines = document.norm.text.split("\n", 40)
    for number, line in enumerate(folded_lines[:40], 1):
        text = line.strip().strip("|").strip()
        if not text or number in skip or (outline.title and number == outline.title.line):
            continue
        if len(found) >= rule.options["title_lines"] + (1 if outline.title else 0):
            break
        if len(text) > 80 or "。" in text:
            break  # the body has begun
        found.append((number, text))
    return found


def judge(ctx: Context, rule: Rule) -> tuple[str, str, int | None] | None:
    """(genre, reason, line) when the page is not an annual report, else None."""
    options = rule.options
    titles = _title_lines(ctx, rule)
    for _, text in titles:
        if "报告" in text and any(w in text for w in options["report_title_words"]) \
                and not any(w in text for genre in options["genres"] for w in genre.get("title", [])):
            return None  # the page names itself a report on rule of law
    folded = ctx.document.norm.text
    start, _ = ctx.document.outline.body
    body = folded[:options["body_chars"] + start]
    report_points = len(ctx.template.sections)
    if _REPORT_OPENING.search(body):
        report_points += options["report_opening_points"]
    outline = ctx.document.outline
    news_line = outline.published is not None and outline.published.source == "dateline"
    if not news_line:
        lines = folded.split("\n", 12)[:12]
        news_line = dateline(lines, list(range(len(lines))), None) is not None or "本报讯" in body[:600]
    best: tuple[int, str, str, int | None] | None = None
    for genre in options["genres"]:
        points = 0
        signals: list[str] = []
        line: int | None = None
        for number, text in titles:
            word = next((w for w in genre.get("title", []) if w in text), None)
            if word:
                points += options["title_points"]
                signals.append(f"标题“{text[:40]}”含“{word}”")
                line = number
                break
        words = [w for w in genre.get("body", []) if w in body]
        if genre["name"] == NEWS and news_line:
            words.insert(0, "电头")
        body_points = min(len(words), options["body_points_max"])
        if body_points:
            points += body_points
            signals.append("正文有" + "".join(f"“{w}”" for w in words[:4]))
        if points and (best is None or points > best[0]):
            best = (points, genre["name"], "；".join(signals), line)
    if best is None:
        return None
    points, name, reason, line = best
    margin = options["margin"] if line is not None else options["body_only_margin"]
    if points >= options["threshold"] and points >= report_points + margin:
        return name, reason, line
    return None


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    verdict = judge(ctx, rule)
    if verdict is None:
        return
    genre, reason, line = verdict
    start = end = None
    if line is not None:
        start = ctx.document.line_starts[line - 1]
        end = start + len(ctx.document.line_text(line).rstrip())
    yield ctx.finding(rule, start, end, genre=genre, reason=reason)
