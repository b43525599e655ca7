"""Web pages saved from government sites: charset, article body, publication dates.

- Charset: a byte-order mark; else strict UTF-8 (valid UTF-8 beats a stale ``charset=gb2312``);
  else ``<meta charset>`` / ``http-equiv`` in the first 4 KB (GB2312 and GBK are read as their
  superset GB18030); else the plain-text detector of `checker.load.text`. A declared charset
  that does not decode falls back to detection.
- Parsing: selectolax (lexbor), a real HTML5 parser. Scripts, styles, iframes, forms, SVG and
  other non-text elements are removed before any text is taken, so they never become text.
  trafilatura was considered; it is tuned for news articles and drops short lines and tables
  that matter here (headings, 索引号 tables), and pulls in a large dependency tree.
- Body: elements that are navigation by tag (nav/header/footer/aside) or by class/id
  (nav, menu, footer, crumb, share…) are dropped unless they hold most of the page's text;
  then, from <body>, we descend into the child holding most of the remaining non-link text
  while one child dominates — the smallest element that still holds the article. The page's
  <h1>/title element just before that element is kept as the first line.
- Lines: block elements (p, div, li, h1-h6, tr, br…) end lines; table cells are joined by
  " | " within a row, as the text seeds show them.
- Dates: ``<meta name="PubDate">`` and similar, then visible "发布时间：2024-03-20" or
  "成文日期：…" anywhere on the page, kept as metadata 发布时间 / 成文日期 (YYYY-MM-DD).
"""

from __future__ import annotations

import codecs
import re

from checker.errors import InputError
from checker.load import Limits, Source

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,40})""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "utf8": "utf-8"}

_REMOVE = ("script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
           "template", "svg", "math", "canvas", "video", "audio", "map", "select", "button", "input",
           "textarea", "form", "head", "link", "meta")
_NAV_TAGS = ("nav", "header", "footer", "aside")
_NAV_CLASS = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|footer|foot|header|head|banner|crumbs?|breadcrumbs?|bread|location|"
    r"position|sidebar|side|share|bdshare|copyright|toolbar|tools|print|search|login|topbar|bottom|"
    r"leftmenu|left-menu|friend|links|related|xgxx|xglj|ewm|qrcode)(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
_BLOCK = frozenset(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr table tbody thead tfoot "
    "blockquote pre address center figure figcaption hr caption fieldset body html".split()
)
_CELL = frozenset(("td", "th"))
# Elements the body search may descend into; it stops above paragraphs, headings and list items.
_CONTAINERS = frozenset("div section article main td th tr tbody thead table center font body html span form blockquote".split())
_SPACE = re.compile(r"[ \t\r\n\f]+")
_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff\w]")

_META_NAMES = {
    "pubdate": "发布时间", "publishdate": "发布时间", "firstpublishedtime": "发布时间", "publishtime": "发布时间",
    "article:published_time": "发布时间", "dc.date": "发布时间", "dcterms.issued": "发布时间",
    "releasedate": "发布时间", "createdate": "成文日期", "wrdate": "成文日期", "writedate": "成文日期",
}
_VISIBLE_DATE = re.compile(
    r"(?P<label>发布时间|发布日期|成文日期|成文时间|发文日期|印发日期)\s*[:：]?\s*[|｜]?\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
_ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})")


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM; strict UTF-8; the declared meta charset; detection.

    Valid UTF-8 wins over a declaration: pages re-saved as UTF-8 often keep their old
    ``charset=gb2312`` meta, while GBK bytes are almost never valid UTF-8.
    """
    from checker.load.text import decode_text

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(path, data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = _ALIASES.get(name, name)
        try:
            codecs.lookup(codec)
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown declaration: detect instead
    return decode_text(path, data)


def _date(match: re.Match[str]) -> str | None:
    year, month, day = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _dates(tree, page_text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.css("meta"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").strip().lower()
        label = _META_NAMES.get(name)
        content = meta.attributes.get("content") or ""
        match = _ISO_DATE.search(content) if label else None
        if match and _date(match):
            found.setdefault(label, _date(match))
    for match in _VISIBLE_DATE.finditer(page_text):
        label = match.group("label")
        label = "成文日期" if label in ("成文日期", "成文时间", "印发日期", "发文日期") else "发布时间"
        value = _date(match)
        if value:
            found.setdefault(label, value)
    return found


def _children(node) -> list:
    return list(node.iter(include_text=True))


def _weights(root, skip: set[int]) -> dict[int, int]:
    """Non-space characters outside links, per element (by mem_id), skipping `skip` subtrees.

    One iterative post-order walk: deep nesting cannot exhaust the stack, and the cost is linear.
    """
    weights: dict[int, int] = {}
    stack: list[tuple[object, list | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        if children is None:
            kids = [c for c in _children(node) if c.tag == "-text" or
                    (c.tag not in _REMOVE and c.tag != "-comment" and c.mem_id not in skip)]
            stack.append((node, kids))
            stack.extend((child, None) for child in kids if child.tag != "-text")
            continue
        total = 0
        for child in children:
            if child.tag == "-text":
                total += len(_SPACE.sub("", child.text_content or ""))
            elif child.tag != "a":
                total += weights.get(child.mem_id, 0)
        weights[node.mem_id] = total
    return weights


def _navigation(root, weights: dict[int, int]) -> set[int]:
    """Navigation-like elements (by tag or class/id) that do not hold most of the page's text."""
    total = weights.get(root.mem_id, 0)
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.iter(include_text=False):
            if child.tag in _REMOVE:
                continue
            attributes = child.attributes
            marker = (attributes.get("class") or "") + " " + (attributes.get("id") or "")
            if (child.tag in _NAV_TAGS or _NAV_CLASS.search(marker)) and weights.get(child.mem_id, 0) <= 0.5 * total:
                found.add(child.mem_id)
            else:
                stack.append(child)
    return found


def _find_body(root, weights: dict[int, int], skip: set[int], max_depth: int = 60):
    """Descend while one container child holds at least 70% of the parent's remaining text."""
    node = root
    for _ in range(max_depth):
        own = weights.get(node.mem_id, 0)
        children = [c for c in node.iter(include_text=False) if c.mem_id not in skip and c.tag in _CONTAINERS]
        if not children or own == 0:
            break
        best = max(children, key=lambda child: weights.get(child.mem_id, 0))
        if weights.get(best.mem_id, 0) < 0.7 * own:
            break
        node = best
    return node


def _lines(root, skip: set[int]) -> list[str]:
    """Block elements to lines, cells joined with " | ", whitespace collapsed (iterative walk)."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        if line.strip(" |"):
            lines.append(line)
        current.clear()

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag in _BLOCK:
                flush()
            elif tag in _CELL:
                current.append(" | ")
            continue
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag in _REMOVE or tag == "-comment" or node.mem_id in skip:
            continue
        if tag == "br":
            flush()
            continue
        if tag in _BLOCK:
            flush()
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    flush()
    return lines


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})\b[^<>]*?(/?)>")
# Elements that never nest: void elements and those the parser closes implicitly.
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd option "
                  "optgroup tr td th thead tbody tfoot rp rt".split())


def nesting_depth(text: str, limit: int) -> int:
    """Approximate element nesting depth, stopping once past `limit`.

    HTML5 tree building costs time proportional to the depth of open elements for every start
    tag, so deeply nested markup (a hostile page) is refused before parsing.
    """
    depth = deepest = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if name in _FLAT or match.group(3):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


# A start tag, quoted values honoured; then attribute names in it (after quoted values are emptied).
_START_TAG = re.compile(r"""<[A-Za-z][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">]+)*>?""")
_QUOTED = re.compile(r"""\"[^"]*\"|'[^']*'""")
_ATTRIBUTE = re.compile(r"""[\s"'/]+[^\s"'>/=]""")


def most_attributes(text: str, limit: int) -> int:
    """The largest number of attributes on one element (an upper estimate), in linear time; only
    tags long enough to hold more than `limit` attributes (two characters each) are counted."""
    most = 0
    for match in _START_TAG.finditer(text):
        if match.end() - match.start() > 2 * limit:
            most = max(most, len(_ATTRIBUTE.findall(_QUOTED.sub('""', match.group()))))
    return most


def load_html(path: str, data: bytes, limits: Limits) -> Source:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    text, encoding = decode_html(path, data)
    if text.count("<") > limits.html_max_nodes:
        raise InputError(path, f"网页元素过多（超过 {limits.html_max_nodes} 个），已拒绝")
    if text.count("<") > limits.html_max_depth and nesting_depth(text, limits.html_max_depth) > limits.html_max_depth:
        raise InputError(path, f"网页标签嵌套过深（超过 {limits.html_max_depth} 层），已拒绝")
    if most_attributes(text, limits.html_max_attributes) > limits.html_max_attributes:
        raise InputError(path, f"网页中有元素的属性过多（超过 {limits.html_max_attributes} 个），已拒绝")
    tree = HTMLParser(text)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        raise InputError(path, "网页中没有正文内容")
    metadata = _dates(tree, "\n".join(_lines(root, set())))
    weights = _weights(root, set())
    navigation = _navigation(root, weights)
    weights = _weights(root, navigation)
    article = _find_body(root, weights, navigation)
    lines = _lines(article, navigation)
    title = _title_before(article, navigation)
    if title and title not in "\n".join(lines[:3]):
        lines.insert(0, title)
    if not any(_CJK_OR_WORD.search(line) for line in lines):
        raise InputError(path, "网页中没有找到正文文字")
    return Source(path=path, text="\n".join(lines), format="html", encoding=encoding, metadata=metadata,
                  locations={i: f"第{i}段" for i in range(1, len(lines) + 1)})


def _title_before(article, skip: set[int]) -> str | None:
    """The page's article title (<h1>, or an element whose class says title) outside the body."""
    node = article
    for _ in range(6):
        parent = node.parent
        if parent is None:
            return None
        for sibling in list(parent.iter(include_text=False)):
            if sibling.mem_id == node.mem_id:
                break
            if sibling.mem_id in skip or sibling.tag in _REMOVE:
                continue
            candidates = [sibling] + list(sibling.css("h1,h2,[class*=title],[class*=Title],[id*=title]"))
            for candidate in candidates[:20]:
                cls = (candidate.attributes.get("class") or "") + (candidate.attributes.get("id") or "")
                if candidate.tag in ("h1", "h2") or "title" in cls.lower():
                    text = _SPACE.sub(" ", candidate.text(deep=True, separator="")).strip()
                    if 4 <= len(text) <= 80:
                        return text
        node = parent
    return None
