"""lexicon — canonical names and fixed phrases written right: Party terms, documents, slogans, laws.

Three sources of canonical forms:

  * ``terms`` and ``term_files``: names and fixed phrases the report should write exactly
    (习近平法治思想, 二十届三中全会, 行政执法三项制度, 尊法学法守法用法 …). ``term_files`` names YAML
    files of such terms (bundled: ``phrases.yaml``, several hundred fixed phrases of the genre
    from the official texts; a path ending in .yaml is read relative to the working directory).
    A stretch of text one character away from a term is a near miss, reported with the term:
      - one character replaced by a same-sound, near-sound or similar-shape character
        (``推荐法治政府建设`` → 推进, ``抬高政治站位`` → 提高; at the first or last character
        only same-sound or similar-shape);
      - in a term of 7 characters or more, one character missing (``党政主负责人``) or one
        character written twice or with a same-sound twin (``第一责任人人``, ``理论学习席中心组``);
        in a term of 4 to 6 characters, an inner character written twice or with a same-sound
        twin (``执法发监督``, ``规范性行文件``), on the conditions of the same-sound forms below.
    Terms shorter than ``min_length`` are matched fuzzily, from 4 characters on, only with two
    neighbouring characters swapped (``依行法政`` → 依法行政, unless the swapped form is a dictionary
    word) or with one character replaced by one of the same usual reading, what a pinyin input
    method offers (``依发行政`` → 依法行政, ``人民调街`` → 人民调解): only where the word of the term
    that holds the character becomes no word (依发; not 法制 of 法制讲座: another word, the
    ``usage`` and ``pattern`` rules' business), the written form is no dictionary word, and no word
    of the text runs across its edges (主义|法治国家 is no 依法治国). Otherwise never (``党的二十届`` is
    not a near miss of ``党的二十大``); give their known wrong forms as ``variants`` instead.
    A term of 4 to 6 characters written with one character dropped is reported too (``贯彻落，``,
    ``全省治政府建设``, ``第责任人``) where the text does not read otherwise: the rest is no
    dictionary word and lies in no term written exactly; no word runs across its edges (依法行使,
    违法行政, 贯彻落地) or across the gap (法治化建设), unless a stronger word meeting the gap
    outdoes it (法|政府建设: 政府 over 法政; at an edge only a word reaching one function character
    outside, 执法|等 over 法等), and then only where the text around is clean (领导干部法|冶思维 is a
    slip beside, 贯彻|彻落实 a character typed twice); a rest missing its last character does not
    end with a word or run on into another character (宪法宣传, 依法治疆) nor end as the items of
    its list do (就近办、一次办); a rest missing its first character does not start with a word
    (政务|公开) that no stronger word of the rest outdoes (民调|解 is a drop: 调解 over 民调);
    never 议 of 会议 (政府常务会), nor a numeral beside another (党的十大). A term of 8 characters or
    more written with two neighbouring inner characters missing (``推进法治建设第一人``) is reported
    on the same conditions where words do not end and start at the gap (法治政府建设|报告,
    履行|法治建设第一责任人职责: shorter wordings) and no mark stands beside it. A long term's first
    or last character dropped is not reported: the rest is mostly a phrase of its own
    (党政主要负责同志, 法律援助工作); so is the first or last character of a short term typed twice
    (``谁谁执法谁普法``: the term written inside does not hide it).
  * ``parts`` on a term: the members of a slogan whose order is fixed. The same members written
    next to each other in another order are reported (``学法尊法守法用法`` → 尊法学法守法用法), unless
    they are part of a longer enumeration (学法、用法、尊法、守法、普法).
  * ``bare_titles``: a list of document titles (法治政府建设与责任落实督察工作规定 …). Each of them,
    and every full title of the laws and regulations table, cited without book-title marks
    (after 按照/根据/依据/依照/遵照/参照/对照, or where the document writes it in 《》 elsewhere) is
    reported: 按照法治政府建设与责任落实督察工作规定等要求 → 《…》. A title inside 《…》 or
    quotation marks is left alone; so is one merely mentioned (落实…职责规定: a reviewer's call).
  * ``laws: true``: every citation in book-title marks ``《…》`` is compared with the national
    laws and administrative regulations in ``checker/data/laws.tsv`` (full and short names).
    An exact name is always accepted; a citation one character away from a name (or from a
    title of ``bare_titles``), or with two neighbouring characters of its middle left out, is a
    near miss: ``《行政复义法》`` → ``《行政复议法》``, ``《党政主要负责人推进法治建设第一责任人职责规定》``
    (履行 left out); so is a title of ``bare_titles`` of 10 characters or more with two
    neighbouring Chinese characters put into its middle (``…推进法治政府建设第一责任人职责规定``: a
    local document has its own name, with its place at the start). Citations of other documents (local rules,
    plans, books) are left alone. The table is read on first use, once per rule.

A near miss is never reported where a term (or a word of ``words``) is written exactly, and a
difference that is not a typo is ignored: another character that neither sounds nor looks alike
(全面依法治区 is no typo of 全面依法治国, 推动 no typo of 推进), a different number (二十届二中全会
is another meeting, 2022—2025 is the ``pattern`` rules' business), dash variants (- — －),
punctuation, quotation marks, spaces, an added or dropped 的/和/与/及, and 会 for 会议 (常务会, the
usual short name of a meeting). All terms, variants
and parts are found in one pass over the text (one Aho–Corasick automaton per rule).

Options:
  terms       list; each item is a string (the canonical form) or a mapping
              ``{term: 历次全会, variants: [历届全会], parts: [...]}``
  term_files  list of YAML files of terms (bundled name such as ``phrases.yaml``, or a path);
              each file is a list of terms or a mapping of named lists of terms
  words       list of words that are right as written (a user dictionary): never reported
  laws        check 《…》 citations against the table of laws (default false)
  bare_titles titles reported when written without 《》, with the table's full titles (default none)
  fuzzy       find near misses of terms (default true)
  min_length  shortest term matched fuzzily (default 6)
  max_findings  at most this many findings per document (default 20)

Placeholders: {found} (as written), {correct} (the canonical form), {problem} (in Chinese).

Passing: ``深入学习贯彻习近平法治思想，认真落实《中华人民共和国行政复议法》``.
Failing: ``深入学习贯彻习近平法制思想``; ``认真落实《行政复义法》``; ``引导群众学法尊法守法用法``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, permutations
from pathlib import Path

import ahocorasick_rs
import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from checker.context import Context
from checker.kinds._chars import confusable, data_file, is_han as _han, same_sound
from checker.kinds._dictionary import single_words, word_ends_at, word_starts_at, words
from checker.kinds._slips import FUNCTION_FREQUENCY, PREFIXES, SUFFIXES
from checker.kinds._text import prepared, rule_scope
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "terms": (list, []),
    "term_files": (list, []),
    "words": (list, []),
    "laws": (bool, False),
    "bare_titles": (list, []),
    "fuzzy": (bool, True),
    "min_length": (int, 6),
    "max_findings": (int, 20),
}

_NUMERALS = set("〇零一二三四五六七八九十百0123456789")
_IGNORED = re.compile(r"[\s\-—~“”‘’\"'、，,。；;：:()（）]")
_FUNCTION_CHARS = set("的和与及之等")
_CITATION = re.compile(r"《([^《》\n]{2,60})》")
_CITING = frozenset({"按照", "根据", "依据", "依照", "遵照", "参照", "对照"})
_MARKED = re.compile(r"《[^《》\n]{0,120}》|“[^“”\n]{0,120}”|\"[^\"\n]{0,120}\"")
_LONG_TERM = 7  # shortest term in which a missing or doubled character is reported
_GAP_TERM = 8  # shortest term in which two neighbouring characters missing are reported
_PADDED_TITLE = 10  # shortest listed title in which two neighbouring characters put in are reported
_GAP_WORD = 10  # least frequency of a dictionary word across a dropped character's gap or the rest's edges
# that reads the text otherwise (the dictionary's rarest words, 省治, 合性, are noise)

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Term:
    canonical: str  # as written in the rule
    folded: str
    variants: tuple[str, ...]  # folded known wrong forms
    parts: tuple[str, ...] = ()  # folded members of a fixed-order slogan


class LawNames:
    """Names of national laws and regulations, read from the bundled table on first use; with
    ``titles``, documents whose titles are looked for without 《》 besides the table's."""

    def __init__(self, titles: tuple[str, ...] = ()) -> None:
        self.titles = titles
        self._rows: list[list[str]] | None = None
        self._names: set[str] | None = None
        self._by_length: dict[int, list[str]] = {}
        self._display: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}
        self._gaps: dict[str, str] = {}  # a name with two middle characters left out -> the name
        self._listed: set[str] = set()  # the listed titles, folded, of `_PADDED_TITLE` characters or more
        self._finder: tuple[ahocorasick_rs.AhoCorasick, list[str]] | tuple[()] | None = None

    def _table(self) -> list[list[str]]:
        """The rows of the table (title, short name, …), read once."""
        if self._rows is None:
            text = (resources.files("checker.data") / "laws.tsv").read_text(encoding="utf-8")
            self._rows = [row.split("\t") for row in text.splitlines()[1:]]
        return self._rows

    def _load(self) -> set[str]:
        if self._names is None:
            names: set[str] = set()
            for row in self._table():
                for name in row[:2]:
                    if name:
                        folded = fold(name)
                        names.add(folded)
                        self._display.setdefault(folded, name)
            # the listed titles are known names too: a citation one slip away from one of them
            # (《党政主要负责人推进法治建设第一责任人职责规定》, 履行 left out) is a near miss
            for title in self.titles:
                folded = fold(title)
                names.add(folded)
                self._display.setdefault(folded, title)
                if len(folded) >= _PADDED_TITLE:
                    self._listed.add(folded)
            for name in sorted(names):  # a fixed order: ties in near_miss resolve the same in every run
                self._by_length.setdefault(len(name), []).append(name)
            # a name with two neighbouring characters of its middle left out (突发事件|应对|法,
            # 土地|管理|法): one name only, never itself a name
            gaps: dict[str, str | None] = {}
            for name in sorted(names):
                for i in range(1, len(name) - 2):
                    short = name[:i] + name[i + 2:]
                    if len(short) >= 3 and short not in names:
                        gaps[short] = name if gaps.get(short, name) == name else None
            self._gaps = {short: name for short, name in gaps.items() if name is not None}
            self._names = names
        return self._names

    def __contains__(self, name: str) -> bool:
        return name in self._load()

    def title_finder(self) -> tuple[ahocorasick_rs.AhoCorasick, list[str]] | None:
        """One automaton of the full titles (``title`` column, 6 characters or more) and ``titles``,
        folded, with each key's title as written (a title folded alike to another is found once,
        as the last one listed); None when there is none."""
        if self._finder is None:
            written: dict[str, str] = {}
            for title in [row[0] for row in self._table()] + list(self.titles):
                folded = fold(title)
                if len(folded) >= 6:
                    written[folded] = title
            # (a DFA: ~12 MB, built in a few hundredths of a second; it scans a text twice as fast
            # as the default automaton, which moves through the ~1,000 titles' states by lists)
            self._finder = (ahocorasick_rs.AhoCorasick(list(written), implementation=ahocorasick_rs.Implementation.DFA),
                            list(written.values())) if written else ()
        return self._finder or None

    def titles_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, title as written) of every place a title of ``title_finder`` is written."""
        finder = self.title_finder()
        if finder is None:
            return []
        automaton, written = finder
        return [(start, end, written[key]) for key, start, end in automaton.find_matches_as_indexes(text, overlapping=True)]

    def __getstate__(self) -> dict:
        # a batch sends its pack to each worker, which builds its own automaton (the Rust one is not picklable)
        return {**self.__dict__, "_finder": None}

    def near_miss(self, cited: str) -> str | None:
        """The law name (as written in the table) one typo away from ``cited``, or with two
        neighbouring characters of its middle left out (《突发事件法》 for 突发事件应对法), or the
        listed title (``titles``, `_PADDED_TITLE` characters or more) that ``cited`` is with two
        neighbouring Chinese characters put into its middle (…推进法治|政府|建设第一责任人职责规定),
        if any."""
        if cited in self._memo:
            return self._memo[cited]
        names = self._load()
        result = None
        best = None
        if cited not in names and len(cited) >= 4:
            candidates = [n for length in (len(cited) - 1, len(cited), len(cited) + 1)
                          for n in self._by_length.get(length, ())]
            best = process.extractOne(cited, candidates, scorer=Levenshtein.distance, score_cutoff=1)
            if best is not None and not _harmless(cited, best[0]):
                result = self._display[best[0]]
        if best is None and cited in self._gaps:
            result = self._display[self._gaps[cited]]
        if result is None and best is None and self._listed and len(cited) >= _PADDED_TITLE + 2:
            # (a title of the genre is one document: a local one has its own name, with the place
            # at its start, never two characters inside a national title's)
            padded = {cited[:i] + cited[i + 2:] for i in range(1, len(cited) - 2)
                      if _han(cited[i]) and _han(cited[i + 1])} & self._listed
            if len(padded) == 1:
                result = self._display[padded.pop()]
        self._memo[cited] = result
        return result


@dataclass
class Scanner:
    """The lexicon's automaton, built on first use in each process (``finder``). The keys' values
    (``Lexicon.keys``) are (what, term index, extra); what is x (a term written exactly, extra its
    length; term index -1: a word of the user dictionary), v (variant), f or s (the first or second
    half of fuzzily matched terms: the length of the half instead of the term index, extra the
    probes of its `Anchor`), o (a slogan's parts in a wrong order, extra indexes
    ``Lexicon.orders``), t (a short term with two neighbours swapped, extra indexes
    ``Lexicon.swaps``), d (a term with one character dropped: the length of the rest instead of
    the term index, extra indexes ``Lexicon.drops``), u (a short term with a same-sound character
    or a typed twin, extra indexes ``sounds``).

    The automaton numbers its keys by kind, the commonest first (`KEY_KINDS`): a key of one kind
    is told by its number alone and carries only what a hit of it needs (``payloads``, by the
    key's number); ``limits`` holds where each kind's numbers end."""

    automaton: ahocorasick_rs.AhoCorasick
    # by key number: S, F: `_half_payload` (the half's gate, the probes of its `Anchor`, their
    # reach); D: (number in Lexicon.drops, where the character was dropped: 0 first, 1 last,
    # 2 inside, that character); X: the term index; M (a key of several kinds): its values, an f
    # or s value's extra as in S and F, a d value's as in D
    payloads: list
    limits: tuple[int, int, int, int]  # where the numbers of S, F, D and X keys end (M keys follow)
    sounds: list[tuple[int, str]]  # term index, the term with a same-sound character or a typed twin


@dataclass
class Lexicon:
    terms: list[Term]
    laws: LawNames | None
    min_length: int
    fuzzy: bool
    orders: list[tuple[int, str, str]] = field(default_factory=list)  # term index, wrong order, right order
    swaps: list[tuple[int, str]] = field(default_factory=list)  # term index, the term with two neighbours swapped
    drops: list[tuple[int, int, str]] = field(default_factory=list)  # term index, position dropped, the rest
    # the automaton's keys as the rule's options give them (values as in `Scanner`); the automaton
    # is built on first use with the short terms' same-sound forms, which need the typo index
    # loading a pack must not wait for
    keys: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict, repr=False)
    anchors: list[tuple[str, int, "Anchor"]] = field(default_factory=list)  # f | s, length of the half, terms
    scanner: Scanner | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # a batch sends its pack to each worker, which builds its own automaton (the Rust one is not picklable)
        return {**self.__dict__, "scanner": None}


@dataclass
class Anchor:
    """The terms sharing one half, each with what a window must have to be one edit of it: a
    hit of the half looks up only the windows that can fit there."""

    # (term index, term length, far character, rest, window lengths, low, high): a window of one
    # of the lengths that ends (starts) with the far character, or one of the term's length that
    # begins (ends) with the rest of the term, i.e. all of it but the far character. The far
    # character of a window can only stand in text[begin + low:begin + high] (first half) or
    # text[stop - high:stop - low] (second half): one look there rules out most hits at once.
    probes: list[tuple[int, int, str, str, tuple[int, ...], int, int]] = field(default_factory=list)

    def add(self, index: int, folded: str, what: str) -> None:
        n = len(folded)
        far, rest = (folded[-1], folded[:-1]) if what == "f" else (folded[0], folded[1:])
        lengths = (n - 1, n, n + 1) if n >= _LONG_TERM else (n,)
        self.probes.append((index, n, far, rest, lengths, lengths[0] - 1, lengths[-1]))


def _term(item, where: str) -> Term:
    if isinstance(item, str):
        canonical, variants, parts = item, [], []
    elif isinstance(item, dict) and isinstance(item.get("term"), str):
        unknown = set(item) - {"term", "variants", "parts"}
        if unknown:
            raise ValueError(f"{where}术语 {item['term']} 有未知的键 {', '.join(sorted(unknown))}（允许: term, variants, parts）")
        canonical, variants, parts = item["term"], item.get("variants") or [], item.get("parts") or []
        for key, values in (("variants", variants), ("parts", parts)):
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ValueError(f"{where}术语 {canonical} 的 {key} 应为非空字符串的列表")
        if parts and (len(parts) < 2 or not _in_order(fold(canonical), [fold(p) for p in parts])):
            raise ValueError(f"{where}术语 {canonical} 的 parts 应是术语中按顺序出现的至少两个部分")
    else:
        raise ValueError(f"{where}terms 的条目应为字符串或含 term 的映射")
    if not canonical:
        raise ValueError(f"{where}terms 中有空字符串")
    return Term(canonical, fold(canonical), tuple(fold(v) for v in variants), tuple(fold(p) for p in parts))


def _in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def read_term_file(name: str) -> list:
    """The terms of a term file: a bundled data file (``phrases.yaml``) or a path."""
    try:
        if "/" in name or "\\" in name or not (resources.files("checker.rulepacks") / "data" / name).is_file():
            text = Path(name).read_text(encoding="utf-8")
        else:
            text = data_file(name)
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取术语文件 {name}（{getattr(exc, 'strerror', None) or exc}）") from None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ValueError(f"术语文件 {name} 不是有效的 YAML（{exc}）") from None
    if isinstance(data, dict):
        items = [item for group in data.values() for item in (group or [])]
    elif isinstance(data, list):
        items = data
    else:
        raise ValueError(f"术语文件 {name} 应为术语列表或若干列表的映射")
    return items


def prepare(options: dict) -> Lexicon:
    merged: dict[str, Term] = {}  # folded -> term; a term listed twice keeps all its variants and parts
    sources = [("", item) for item in options["terms"] or []]
    for name in options.get("term_files") or []:
        if not isinstance(name, str) or not name:
            raise ValueError("term_files 只能列出文件名")
        sources += [(f"{name}: ", item) for item in read_term_file(name)]
    for where, item in sources:
        term = _term(item, where)
        known = merged.get(term.folded)
        if known is not None:
            term = Term(known.canonical, known.folded, tuple(dict.fromkeys(known.variants + term.variants)),
                        known.parts or term.parts)
        merged[term.folded] = term
    terms = list(merged.values())
    words = options.get("words") or []
    if not all(isinstance(w, str) and w for w in words):
        raise ValueError("words 应为非空字符串的列表")
    bare = options.get("bare_titles") or []
    if not all(isinstance(t, str) and t for t in bare):
        raise ValueError("bare_titles 应为非空字符串的列表")
    lexicon = Lexicon(terms, LawNames(tuple(bare)) if options["laws"] or bare else None, options["min_length"],
                      options["fuzzy"])
    keys: dict[str, list[tuple[str, int, int]]] = {}
    anchors: dict[str, int] = {}  # half -> index in lexicon.anchors
    for index, term in enumerate(terms):
        keys.setdefault(term.folded, []).append(("x", index, len(term.folded)))
        for number, variant in enumerate(term.variants):
            keys.setdefault(variant, []).append(("v", index, number))
        for written, correct in _wrong_orders(term):
            lexicon.orders.append((index, written, correct))
            keys.setdefault(written, []).append(("o", index, len(lexicon.orders) - 1))
        if options["fuzzy"] and SWAP_LENGTH <= len(term.folded) < options["min_length"]:
            for swapped in _swaps(term.folded):
                if swapped not in merged:
                    lexicon.swaps.append((index, swapped))
                    keys.setdefault(swapped, []).append(("t", index, len(lexicon.swaps) - 1))
        if options["fuzzy"]:
            for position, rest in _drops(term.folded):
                if rest not in merged:
                    lexicon.drops.append((index, position, rest))
                    keys.setdefault(rest, []).append(("d", len(rest), len(lexicon.drops) - 1))
        if options["fuzzy"] and len(term.folded) >= options["min_length"]:
            half = len(term.folded) // 2
            for what, key in (("f", term.folded[:half]), ("s", term.folded[half:])):
                if key not in anchors:
                    anchors[key] = len(lexicon.anchors)
                    lexicon.anchors.append((what, len(key), Anchor()))
                lexicon.anchors[anchors[key]][2].add(index, term.folded, what)
    for key, number in anchors.items():
        what, half, anchor = lexicon.anchors[number]
        keys.setdefault(key, []).append((what, half, tuple(anchor.probes)))
    for word in words:
        keys.setdefault(fold(word), []).append(("x", -1, len(fold(word))))
    lexicon.keys = keys
    return lexicon


def finder(lexicon: Lexicon) -> Scanner | None:
    """The rule's automaton, built on first use in this process with the short terms' same-sound
    and twin forms; None when the rule has no keys."""
    if lexicon.scanner is None and lexicon.keys:
        keys = {key: list(values) for key, values in lexicon.keys.items()}
        sounds: list[tuple[int, str]] = []
        if lexicon.fuzzy:
            for number, written in _short_term_forms(lexicon):
                if written not in keys or all(what == "u" for what, *_ in keys[written]):
                    sounds.append((number, written))
                    keys.setdefault(written, []).append(("u", number, len(sounds) - 1))
            _drop_dead_rests(lexicon, keys)
        # (the Rust automaton moves from state to state by a table: the cost of a character does
        # not grow with the ~25,000 keys, as a trie searching a node's children one by one does)
        by_kind: dict[str, list[tuple[str, object]]] = {kind: [] for kind in KEY_KINDS}
        for key, values in keys.items():
            values = [("d", value[1], _drop_payload(lexicon, value[2])) if value[0] == "d"
                      else (value[0], value[1], _half_payload(*value)) if value[0] in "fs" else value
                      for value in values]
            kinds = {what for what, *_ in values}
            if len(values) == 1 and kinds <= {"s", "f", "x"}:
                what, index, extra = values[0]
                by_kind[what.upper()].append((key, extra if what != "x" else index))
            elif kinds == {"d"}:
                by_kind["D"].append((key, tuple(extra for _, _, extra in values)))
            else:
                by_kind["M"].append((key, tuple(values)))
        ordered = [entry for kind in KEY_KINDS for entry in by_kind[kind]]
        limits = tuple(accumulate(len(by_kind[kind]) for kind in KEY_KINDS[:4]))
        lexicon.scanner = Scanner(ahocorasick_rs.AhoCorasick([key for key, _ in ordered]),
                                  [payload for _, payload in ordered], limits, sounds)
    return lexicon.scanner


KEY_KINDS = ("S", "F", "D", "X", "M")  # the order of the automaton's keys (`Scanner`)


def _drop_payload(lexicon: Lexicon, number: int) -> tuple[int, int, str]:
    """(number, where the character was dropped: 0 first, 1 last, 2 inside, that character)."""
    index, position, _ = lexicon.drops[number]
    term = lexicon.terms[index].folded
    where = 0 if position == 0 else 1 if position == len(term) - 1 else 2
    return number, where, term[position]


def _drop_dead_rests(lexicon: Lexicon, keys: dict[str, list[tuple[str, int, int]]]) -> None:
    """Remove from ``keys`` the drops never reported wherever they stand (so `_dropped_terms`
    never sees them): a rest that is a dictionary word; where the first character was dropped, a
    rest starting with a prefix (委…) or a function character (党|的二十大); where the last was, a
    rest ending with a suffix (法治观) or a function character. The dictionary is loaded by then
    (the same-sound forms need it)."""
    known = words()
    dead = {number for number, (index, position, rest) in enumerate(lexicon.drops)
            if rest in known or (position == 0 and (rest[0] in PREFIXES or rest[0] in _FUNCTION_CHARS))
            or (position == len(lexicon.terms[index].folded) - 1 and (rest[-1] in SUFFIXES or rest[-1] in _FUNCTION_CHARS))}
    for rest in {lexicon.drops[number][2] for number in dead}:
        keys[rest] = [value for value in keys[rest] if not (value[0] == "d" and value[2] in dead)]
        if not keys[rest]:
            del keys[rest]


def _short_term_forms(lexicon: Lexicon) -> list[tuple[int, str]]:
    """(term index, written form) of the terms of 4–6 characters with a same-sound character
    (4–5 characters: ``_same_sound_forms``) or a typed twin (``_echo_forms``): tens of thousands,
    built once and kept in the disk cache beside the typo index (keyed by the terms and the index),
    so a process reads them instead of building them (a few tenths of a second)."""
    import hashlib
    import json
    import os
    import tempfile

    from checker.kinds._typo_index import _fingerprint, cache_dir, typo_index

    short = [(number, term.folded) for number, term in enumerate(lexicon.terms)
             if SWAP_LENGTH <= len(term.folded) < _LONG_TERM]
    if not short:
        return []
    digest = hashlib.sha256(json.dumps([_fingerprint(), SOUND_PART_WORD, SOUND_CHAR, ECHO_CHAR, lexicon.min_length,
                                        short], ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / f"lexicon-forms-{digest}.json"
    try:
        return [(int(number), str(written)) for number, written in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    index = typo_index()
    by_sound = _chars_by_sound(index)
    forms: list[tuple[int, str]] = []
    for number, folded in short:
        sounds = _same_sound_forms(folded, index, by_sound) if len(folded) < lexicon.min_length else iter(())
        forms += [(number, written) for written in chain(sounds, _echo_forms(folded, index, by_sound))]
    try:  # a cache that cannot be written only costs the next process the build
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as handle:
            json.dump(forms, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        pass
    return forms


SOUND_PART_WORD = 300  # a term's word written as a word this frequent is another word (法制 of 法治), no slip
ECHO_CHAR = 3000  # least frequency, as a word of its own, of a same-sound twin typed inside a term
SOUND_CHAR = 300  # least frequency, as a word of its own, of a character an input method offers for a term's


def _same_sound_forms(folded: str, index, by_sound: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """The term with one character replaced by a common one of the same usual reading (依法行政 →
    依发行政), where the word of the term holding it becomes no word (依发; not 法制 of 法治讲座)
    and the whole is no dictionary word. Chinese characters only, never a numeral. ``index``: the
    typo index; ``by_sound``: common characters by usual reading (``_chars_by_sound``)."""
    if not all(_han(c) for c in folded):
        return
    known, primary, single = index.words, index.primary, index.single
    for start, stop in _segments(folded, known, single):
        for position in range(start, stop):
            char = folded[position]
            if char in _NUMERALS:
                continue
            for other in by_sound.get(primary.get(char, ""), ()):
                if other == char or other in _NUMERALS:
                    continue
                written = folded[:position] + other + folded[position + 1:]
                part = written[start:stop]
                if (len(written) <= 4 and known.get(written, 0)) or (len(part) > 1 and known.get(part, 0) >= SOUND_PART_WORD):
                    continue
                yield written


def _echo_forms(folded: str, index, by_sound: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """The term with a character typed twice or with a same-sound twin inside it (执法发监督,
    行政争执法, 规范性行文件: what an input method gives when a syllable is typed twice). Inner
    places only, never a function character or a numeral; Chinese characters only; the whole
    is no dictionary word."""
    if not all(_han(c) for c in folded):
        return
    single = index.single
    for position in range(1, len(folded)):
        for neighbour in (folded[position - 1], folded[position]):
            for other in sorted({neighbour, *by_sound.get(index.primary.get(neighbour, ""), ())}):
                # the twin an input method offers first: a common character (or the same one)
                if other in _FUNCTION_CHARS or other in _NUMERALS or (other != neighbour and single.get(other, 0) < ECHO_CHAR):
                    continue
                written = folded[:position] + other + folded[position:]
                if len(written) > 4 or not index.words.get(written, 0):
                    yield written


def _chars_by_sound(index) -> dict[str, tuple[str, ...]]:
    by_sound: dict[str, list[str]] = {}
    for char, reading in index.primary.items():
        if index.single.get(char, 0) >= SOUND_CHAR:
            by_sound.setdefault(reading, []).append(char)
    return {reading: tuple(sorted(chars)) for reading, chars in by_sound.items()}


def _segments(folded: str, known, single: dict[str, int]) -> list[tuple[int, int]]:
    """The term's words (start, stop): its likeliest split into dictionary words of 2–4 characters
    and single characters (unigram model over the frequencies), never the whole term as one word."""
    import math

    best: list[tuple[float, list[tuple[int, int]]] | None] = [(0.0, [])] + [None] * len(folded)
    for i in range(len(folded)):
        if best[i] is None:
            continue
        for j in range(i + 1, min(len(folded), i + 4) + 1):
            piece = folded[i:j]
            frequency = single.get(piece, 1) if j - i == 1 else (0 if j - i == len(folded) else known.get(piece, 0))
            if not frequency:
                continue
            value = best[i][0] + math.log(frequency + 1) - 12
            if best[j] is None or value > best[j][0]:
                best[j] = (value, best[i][1] + [(i, j)])
    return best[len(folded)][1] if best[len(folded)] else []


def warm(rule: Rule) -> None:
    """Load what the first document would otherwise wait for (batch workers call this at start)."""
    lexicon: Lexicon = prepared(rule, prepare)
    if lexicon.fuzzy and any(len(t.folded) >= _LONG_TERM for t in lexicon.terms):
        words()
    finder(lexicon)


def validate(options: dict) -> dict:
    if not options.get("terms") and not options.get("term_files") and not options["laws"]:
        raise ValueError("terms、term_files 与 laws 至少要设置一个")
    if options["min_length"] < 3:
        raise ValueError("min_length 不应小于 3")
    prepare(options)
    return options


def _harmless(found: str, correct: str) -> bool:
    """True when the one-character difference is not a typo: a number, a dash, a space."""
    if _IGNORED.sub("", found) == _IGNORED.sub("", correct):
        return True
    if len(found) == len(correct):
        diff = [(a, b) for a, b in zip(found, correct) if a != b]
        return len(diff) == 1 and diff[0][0] in _NUMERALS and diff[0][1] in _NUMERALS
    return False


def one_edit(found: str, target: str) -> tuple[str, int] | None:
    """('sub' | 'swap' | 'del' | 'ins', position) when ``found`` is ``target`` with one character
    replaced, two neighbours swapped, one dropped or one added; None otherwise."""
    lf, lt = len(found), len(target)
    if abs(lf - lt) > 1 or found == target:
        return None
    i = 0
    limit = min(lf, lt)
    while i < limit and found[i] == target[i]:
        i += 1
    if lf == lt:
        if found[i + 1:] == target[i + 1:]:
            return ("sub", i)
        if found[i:i + 2] == target[i:i + 2][::-1] and found[i + 2:] == target[i + 2:]:
            return ("swap", i)
        return None
    if lf < lt:
        return ("del", i) if found[i:] == target[i + 1:] else None
    return ("ins", i) if found[i + 1:] == target[i:] else None


def is_typo(found: str, target: str, text: str = "", start: int = 0) -> bool:
    """Is ``found`` (one edit from ``target``, written at ``start`` in ``text``) a plausible slip
    for it, and not another wording?"""
    verdict, i = _slip(found, target)
    if verdict is not None:
        return verdict
    # a dropped character leaves a stray one (党政主|负责人); two whole words either side of
    # the gap are another wording (法治|营商环境 for 法治化营商环境)
    text = text or found
    gap = start + i
    return not (word_ends_at(text, gap) and word_starts_at(text, gap))


@lru_cache(maxsize=16384)
def _slip(found: str, target: str) -> tuple[bool | None, int]:
    """`is_typo`'s verdict as far as the two forms decide it, once for each pair: (True or False,
    0), or (None, where the character was dropped) when the words around the gap in the text do."""
    edit = one_edit(found, target)
    if edit is None or _harmless(found, target):
        return False, 0
    op, i = edit
    n = len(target)
    if op == "sub":
        written, meant = found[i], target[i]
        if written in _NUMERALS and meant in _NUMERALS:
            return False, 0
        # at the ends only a same-sound or similar-shape character: 全面依法治区 is not 依法治国
        return confusable(written, meant, near=0 < i < n - 1), 0
    if op == "swap":  # two characters of the term in the other order (恪守责权法定 in the long slogan)
        pair = found[i:i + 2]
        return not any(c in _NUMERALS or c in _FUNCTION_CHARS or _IGNORED.match(c) for c in pair), 0
    if n < _LONG_TERM or found[0] != target[0] or found[-1] != target[-1]:
        return False, 0
    if op == "del":
        if target[i] in _FUNCTION_CHARS or _IGNORED.match(target[i]):
            return False, 0
        if target[i - 1:i + 1] == "会议":  # a meeting's usual short name (常务会会前学法, 党组会)
            return False, 0
        return None, i
    extra = found[i]
    return extra not in _FUNCTION_CHARS and not _IGNORED.match(extra) and \
        any(0 <= j < len(found) and (found[j] == extra or (_han(extra) and same_sound(found[j], extra)))
            for j in (i - 1, i + 1)), 0


def _swapped_terms(text: str, lexicon: Lexicon, swaps: list[tuple[int, int, int, int]],
                   exact: list[tuple[int, int, int]]) -> Iterator[tuple[int, int, str, str, str]]:
    """Short terms written with two neighbours swapped (依行法政), where the text does not read
    otherwise: not a dictionary word, not overlapping a term written exactly (全面依法治国中 holds
    法治国中), no word of three or four characters across the span's edges."""
    known = words()
    for start, stop, index, number in swaps:
        swapped = lexicon.swaps[number][1]
        if swapped in known or any(s < stop and start < e for s, e, _ in exact):
            continue
        if _word_across(text, start, 0, stop - 1, known, shortest=3) or \
                _word_across(text, stop, start + 1, stop + 3, known, shortest=3):
            continue
        canonical = lexicon.terms[index].canonical
        yield start, stop, swapped, canonical, f"「{swapped}」疑似写错，规范写法是「{canonical}」"


SOUND_EDGE_WORD = 20  # least frequency of a word across a same-sound form's edge that reads the text otherwise


def _same_sound_terms(text: str, lexicon: Lexicon, forms: list[tuple[int, str]], sounds: list[tuple[int, int, int, int]],
                      exact: list[tuple[int, int, int]]) -> Iterator[tuple[int, int, str, str, str]]:
    """Short terms written with a same-sound character (依发行政) where the text does not read
    otherwise: not overlapping a term written exactly, not in a title in 《》 (the table of laws
    judges those), no word of 2–3 characters made by an edge character and its neighbours outside
    (主义|法治国家: 义法治国 is no 依法治国). ``forms``: the scanner's (term index, written form);
    ``sounds``: where they were found (start, end, term index, index in ``forms``)."""
    if not sounds:
        return
    cited = [(m.start(), m.end(), 0) for m in _CITATION.finditer(text)]
    known = words()

    def strongest(pieces: list[str]) -> int:
        return max((known.get(p, 0) for p in pieces if len(p) > 1 and all(map(_han, p))), default=0)

    for start, stop, index, number in sounds:
        # (the term itself inside the span: its first or last character typed twice, 谁谁执法谁普法)
        if any(s < stop and start < e and not (i == index and start <= s and e <= stop) for s, e, i in exact) \
                or any(s < stop and start < e for s, e, _ in cited):
            continue
        # a word across an edge reads the text otherwise, unless a stronger word ends (starts) right
        # at the edge outside (依发行政|工作: 政工 is a word, 工作 a stronger one)
        before = strongest([text[start - m:start + 1] for m in (1, 2) if start >= m])
        after = strongest([text[stop - 1:stop + m] for m in (1, 2)])
        if (before >= SOUND_EDGE_WORD and before >= strongest([text[start - m:start] for m in (2, 3) if start >= m])) \
                or (after >= SOUND_EDGE_WORD and after >= strongest([text[stop:stop + m] for m in (2, 3)])):
            continue
        written = forms[number][1]
        canonical = lexicon.terms[index].canonical
        yield start, stop, written, canonical, f"「{written}」疑似写错，规范写法是「{canonical}」"


def _drops(folded: str) -> Iterator[tuple[int, str]]:
    """(position, the term without the character there, or the two there) for the drops matched
    exactly: any character of a term of 4 to 6 characters (a longer term's inner drops are near
    misses; its first or last character dropped leaves a stretch that is mostly a phrase of its
    own: 党政主要负责, 理论学习中心). Never a function character, nor 议 of 会议 (政府常务会: a meeting's
    usual short name), nor a numeral but after 第 (党的十大 is another congress, 法律进机关 no 法律八进;
    第一责任人 → 第责任人 is a drop), nor in a term with a digit or a mark. In a term of `_GAP_TERM`
    characters or more, two neighbouring inner Chinese characters (推进法治建设第一|责任|人), neither
    a function character nor a numeral, where the term has no mark beside them and no other two
    neighbours leave the same rest."""
    n = len(folded)
    if n < SWAP_LENGTH:
        return
    if n >= _GAP_TERM:
        # a rest that two positions leave (重要指示批示精神 without 示批 or without 批示) has no one
        # gap to judge the text at (重要指示|精神 is a shorter wording): never a drop
        rests = [folded[:position] + folded[position + 2:] for position in range(n - 1)]
        for position in range(1, n - 2):
            pair = folded[position - 1:position + 3]  # the two dropped and their neighbours
            rest = rests[position]
            # (not a rest that is the term's start or end: 领导干部学法 of 领导干部学法用法 is its
            # last two characters dropped, a shorter phrase)
            if all(_han(c) for c in pair) and not any(c in _FUNCTION_CHARS or c in _NUMERALS for c in pair[1:3]) \
                    and not folded.startswith(rest) and not folded.endswith(rest) and rests.count(rest) == 1:
                yield position, rest
    if not all(_han(c) for c in folded):
        return
    for position in range(n if n < _LONG_TERM else 0):
        if folded[position] in _FUNCTION_CHARS or folded[position - 1:position + 1] == "会议" or \
                folded[position] in _NUMERALS and folded[position - 1:position] != "第":
            continue
        yield position, folded[:position] + folded[position + 1:]


def _drop_inside(drops: list[tuple[int, int, int]], start: int) -> None:
    """Remove from ``drops`` (start, stop, number), in the order of their stops and none stopping
    after the term written exactly from ``start`` that was just found, those inside that term."""
    first = len(drops)
    while first and drops[first - 1][1] > start:
        first -= 1
    drops[first:] = [drop for drop in drops[first:] if drop[0] < start]


def _dropped_terms(text: str, lexicon: Lexicon, drops: list[tuple[int, int, int]]) -> Iterator[tuple[int, int, str, str, str]]:
    """Terms written with one character dropped (贯彻落中央, 法治政府设内容, 第责任人) where the text
    does not read otherwise: the rest is no dictionary word (`_drop_dead_rests` left those out of
    the automaton, with the rests that begin or end as no drop does) and lies in no term written exactly
    (``drops``: `check` keeps no other); no dictionary word runs across its edges (依法行使, 违法行政,
    贯彻落地, 行政复核); the dropped character is not just across a line break or a space (依\n法行政);
    and where an inner character is dropped, the two sides are not whole words (法治|营商环境)."""
    known, single = words(), single_words()
    size = len(text)
    for start, stop, number in drops:
        index, position, rest = lexicon.drops[number]
        term = lexicon.terms[index].folded
        crossed = _NO_WORD  # a word across the gap (`_crossing`; inside a long term only)
        # the dropped character written after all, just across a space or a line break (依\n法行政)
        if position == 0:
            before = start - 1
            while before >= 0 and text[before].isspace():
                before -= 1
            if before >= 0 and text[before] == term[0]:
                continue
        elif position == len(term) - 1:
            after = stop
            while after < size and text[after].isspace():
                after += 1
            # the dropped character written after all, or the text cut off there (a copy that stops
            # mid-word: 注重发挥法律顾)
            if after >= size or text[after] == term[-1]:
                continue
        if position == 0:
            # the rest must not start with a word of its own (政务|公开 of 财政务公开), unless a stronger
            # word of the rest outdoes it (民调|解: 调解 outdoes 民调), nor follow a number (八|次全会:
            # 历次全会 with another number)
            if _starts_with_word(text, start, stop, known) or (start > 0 and (text[start - 1] in _NUMERALS or text[start - 1].isdigit())):
                continue
            # and must start where a word may start: after a mark, a word or a function word
            # (推进|治政府建设, 、政执法); after another character the two may be a compound the
            # dictionary lacks (居务公开, 院务公开 are no 政务公开)
            before = text[start - 1] if start > 0 else ""
            if _han(before) and before not in _FUNCTION_CHARS and single.get(before, 0) <= FUNCTION_FREQUENCY \
                    and not word_ends_at(text, start):
                continue
        elif position == len(term) - 1:
            # nor end with a word (宪法宣传, 全面依法治), nor run on into a character that begins no
            # word (依法治疆, 述职述廉: another ending, not a drop; 贯彻落|中央 is one), nor end as its
            # neighbours in a list do (就近办、一次办: a parallel form)
            runs_on = stop < size and _han(text[stop]) and text[stop] not in _FUNCTION_CHARS \
                and not word_starts_at(text, stop, least=_GAP_WORD)
            if runs_on or word_ends_at(text, stop) \
                    or _list_siblings_end_with(text, start, stop, text[stop - 1]):
                continue
        elif len(term) - len(rest) == 2:
            # two characters missing inside a long term (推进法治建设第一|人): not where words end
            # and start at the gap (法治政府建设|报告, 履行|法治建设第一责任人职责: a shorter
            # wording, no slip), nor beside a mark or a line break
            gap = start + position
            if not (_han(text[gap - 1]) and _han(text[gap])) or \
                    (word_ends_at(text, gap) and word_starts_at(text, gap)):
                continue
        else:
            # the two sides whole words (法治|营商环境), or a word across the gap (法治化|建设 for
            # 法治文化建设): another wording
            # (a word across the rest's edge that ends at the gap counts unless the text before the
            # rest ends with a word: 运用|法思维 is 运用 + 法(治)思维, 更优|营商环境 is 更优 + 营商环境)
            gap = start + position
            rest_text = text[start:stop]
            before_whole = word_ends_at(rest_text, position) or (word_ends_at(text, gap) and not word_ends_at(text, start))
            crossed = _crossing(text, gap, start, stop, known)
            if before_whole and word_starts_at(text, gap) or crossed == _READS:
                continue
        edges = (_crossing(text, start, 0, stop, known, -1), _crossing(text, stop, start, size, known, 1))
        if _READS in edges:
            continue
        if crossed == _OUTDONE or _OUTDONE in edges:
            # a word across the gap or an edge, outdone by a stronger one (法|政府建设, 执法|等): only
            # where the text around is clean, not running on into a character that begins no word
            # (领导干部法|冶思维: a slip beside it, not a drop) nor with the term's edge character
            # just beside (贯彻|彻落实: a character typed twice)
            following = text[stop:stop + 1]
            if (_han(following) and following not in _FUNCTION_CHARS and not word_starts_at(text, stop, least=_GAP_WORD)) \
                    or term[0] in text[max(0, start - 2):start] or term[-1] in text[stop:stop + 2]:
                continue
        canonical = lexicon.terms[index].canonical
        found = text[start:stop]
        yield start, stop, found, canonical, f"「{found}」疑似「{canonical}」少了{'两' if len(term) - len(rest) == 2 else '一'}个字"


def _word_across(text: str, at: int, low: int, high: int, known, least: int = 1, shortest: int = 2) -> bool:
    """Is there a dictionary word of ``shortest``-4 characters and frequency ``least`` or more
    across position ``at`` (starting before it, ending after it), within ``text[low:high]``?"""
    return any(known.get(text[a:b], 0) >= least for a in range(max(low, at - 3), at)
               for b in range(max(at + 1, a + shortest), min(high, a + 4) + 1))


def _starts_with_word(text: str, start: int, stop: int, known) -> bool:
    """Does a dictionary word of 2–4 characters start at ``start`` (the start of a rest ending at
    ``stop``) that no stronger word of the rest outdoes, one starting inside the word and ending
    after it (民调|解: 调解 outdoes 民调)?"""
    for b in range(start + 2, min(len(text), start + 4) + 1):
        frequency = known.get(text[start:b], 0)
        if frequency and max((known.get(text[c:d], 0) for c in range(start + 1, b)
                              for d in range(b + 1, min(stop, c + 4) + 1)), default=0) <= frequency:
            return True
    return False


_NO_WORD, _OUTDONE, _READS = 0, 1, 2  # what `_crossing` finds


def _crossing(text: str, at: int, low: int, high: int, known, edge: int = 0) -> int:
    """How the text reads at ``at``, a drop's gap or (``edge`` -1: its start, 1: its stop) an
    edge, from the dictionary words of 2–4 characters and frequency `_GAP_WORD` or more across it
    within ``text[low:high]``: `_NO_WORD` (none), `_OUTDONE` (each outdone by a stronger word
    meeting ``at`` that reaches past the crossing word's other end: 法|政府建设, 政府 outdoes 法政;
    never 法治 of 法治化|建设, which the crossing word holds) or `_READS` (one is not: the text reads
    otherwise there). At an edge a crossing word is outdone only where its part outside the rest
    is one function character (执法|等: 执法 outdoes 法等; 法治中|发挥 keeps 中发: the rest's edge
    character may be a word of its own there)."""
    found = _NO_WORD
    for a in range(max(low, at - 3), at):
        for b in range(at + 1, min(high, a + 4) + 1):
            frequency = known.get(text[a:b], 0)
            if frequency < _GAP_WORD:
                continue
            outside = text[a:at] if edge < 0 else text[at:b] if edge > 0 else ""
            if edge and not (len(outside) == 1 and outside in _FUNCTION_CHARS):
                return _READS
            # the strongest word that starts at ``at`` and ends after b, or ends at ``at`` and
            # starts before a
            rival = max([known.get(text[at:c], 0) for c in range(b + 1, min(high, at + 4) + 1)]
                        + [known.get(text[c:at], 0) for c in range(max(low, at - 4), a)], default=0)
            if rival <= frequency:
                return _READS
            found = _OUTDONE
    return found


def _list_siblings_end_with(text: str, start: int, stop: int, char: str) -> bool:
    """Does the item before or after ``text[start:stop]`` in a 、-list end with ``char``?"""
    if start >= 2 and text[start - 1] == "、" and text[start - 2] == char:
        return True
    if text[stop:stop + 1] == "、":
        end = stop + 1
        while end < len(text) and end - stop <= 12 and _han(text[end]):
            end += 1
        return end > stop + 1 and text[end - 1] == char
    return False


SWAP_LENGTH = 4  # shorter terms than min_length are still matched with two neighbours swapped from this length


def _swaps(folded: str) -> Iterator[str]:
    """The term with two neighbouring characters swapped (依法行政 → 依行法政), Chinese characters only."""
    for i in range(len(folded) - 1):
        a, b = folded[i], folded[i + 1]
        if a != b and _han(a) and _han(b):
            yield folded[:i] + b + a + folded[i + 2:]


def _wrong_orders(term: Term) -> Iterator[tuple[str, str]]:
    """(parts in a wrong order, the same parts in the right order) for a slogan's parts joined
    by its own separator, by none or by 、 (学法、守法、尊法、用法); prefix and suffix excluded."""
    if not term.parts or len(term.parts) > 5:
        return
    first_end = term.folded.find(term.parts[0]) + len(term.parts[0])
    gap = term.folded[first_end: term.folded.find(term.parts[1], first_end)]
    for separator in dict.fromkeys((gap, "", "、")):
        right = separator.join(term.parts)
        for order in permutations(term.parts):
            written = separator.join(order)
            if written != right:
                yield written, right


def _affixes(term: Term) -> tuple[str, str]:
    """What the slogan has before its first part and after its last (坚持…, …一体建设)."""
    prefix = term.folded[: term.folded.find(term.parts[0])]
    last = term.folded.rfind(term.parts[-1])
    return prefix, term.folded[last + len(term.parts[-1]):]


def _first_half_windows(text: str, start: int, size: int, probes, windows: set[tuple[int, int, int]]) -> None:
    """Add to ``windows`` (term index, start, stop) the windows at ``start``, where the first half
    of terms is written, that may be one of them with one edit in the rest (``probes``: those of
    the half's `Anchor`); none of a term written there."""
    for number, n, far, rest, lengths, low, high in probes:
        if text.startswith(rest, start):
            if text[start + n - 1:start + n] == far:  # the term itself
                continue
            if start + n <= size:
                windows.add((number, start, start + n))
        if far in text[start + low:start + high]:
            for length in lengths:
                end = start + length
                if end <= size and text[end - 1] == far:
                    windows.add((number, start, end))


def _second_half_windows(text: str, stop: int, probes, windows: set[tuple[int, int, int]]) -> None:
    """`_first_half_windows` mirrored: the windows ending at ``stop``, where the second half of
    terms is written."""
    for number, n, far, rest, lengths, low, high in probes:
        if text.endswith(rest, 0, stop):
            if stop >= n:
                if text[stop - n] == far:  # the term itself
                    continue
                windows.add((number, stop - n, stop))
        if far in text[stop - high if stop > high else 0:stop - low if stop > low else 0]:
            for length in lengths:
                begin = stop - length
                if begin >= 0 and text[begin] == far:
                    windows.add((number, begin, stop))


def _half_payload(what: str, half: int, probes) -> tuple[list, tuple, int]:
    """What a hit of a half needs: its `_gate`, its probes, and the longest window its probes
    may give (one probe: the term's length; windows no longer than a term written exactly where
    a hit of a second half ends lie inside it, and a longer one overlaps the term itself)."""
    reach = probes[0][1] if len(probes) == 1 else max(lengths[-1] for *_, lengths, _low, _high in probes)
    return _gate(_gate_pattern(what, half, probes)), probes, reach


def _gate_pattern(what: str, half: int, probes) -> str:
    """A regular expression telling whether a hit of a half (``what`` f or s, ``half`` its length)
    may give a window with `_first_half_windows` or `_second_half_windows`: for some probe, the
    rest of the term after the half, or its far character where a window can end, without the
    term itself written there. Matched just after the half (`_gate`): in the text for a first
    half, in the text read backwards for a second half (its rest and far character reversed).
    A pass only lets the probes be looked at; most hits of a half do not pass."""
    alternatives = []
    for _number, n, far, rest, lengths, _low, _high in probes:
        after = rest[half:] if what == "f" else rest[:n - 1 - half][::-1]
        alternatives.append(f"(?!{re.escape(after + far)})(?:{re.escape(after)}"
                            f"|.{{{lengths[0] - 1 - half},{lengths[-1] - 1 - half}}}{re.escape(far)})")
    return "|".join(alternatives)


def _gate(pattern: str) -> list:
    """A cell holding the ``match`` of a `_gate_pattern`: at first a stand-in that compiles the
    pattern on the first hit of its half and takes its place (compiling all of a rule's ~500 at
    once would cost a process about a tenth of a second). Called as ``gate[0](text, pos)``."""
    def compile_and_match(text: str, pos: int):
        cell[0] = re.compile(pattern, re.DOTALL).match
        return cell[0](text, pos)

    cell = [compile_and_match]
    return cell


def _drop_kept(text: str, start: int, stop: int, where: int, char: str) -> bool:
    """A drop written at ``start:stop`` that `_dropped_terms` may report: not beside the dropped
    character ``char`` itself (``where`` 0: it belongs before the drop, 1: after; there the term
    is written exactly) nor, for a character dropped at the end, at the end of the text."""
    if where == 0:
        return not (start and text[start - 1] == char)
    if where == 1:
        return text[stop:stop + 1] not in (char, "")
    return True


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    lexicon: Lexicon = prepared(rule, prepare)
    text = scope.text
    norm = ctx.document.norm
    hits: list[tuple[int, int, str, str, str]] = []  # start, end, found, correct, problem
    exact: list[tuple[int, int, int]] = []  # start, end, term index (-1: a word of the user dictionary)
    orders: list[tuple[int, int, str]] = []  # start, end, the right order
    swaps: list[tuple[int, int, int, int]] = []  # start, end, term index, index in lexicon.swaps
    drops: list[tuple[int, int, int]] = []  # start, end, index in lexicon.drops
    terms = lexicon.terms
    size = len(text)
    windows: set[tuple[int, int, int]] = set()  # term index, start, stop
    exact_stop = exact_start = -1  # where the last term written exactly ends, the start of the longest there
    longest: dict[int, int] = {}  # where terms written exactly end -> the start of the longest there
    sounds: list[tuple[int, int, int, int]] = []  # start, end, term index, index in scanner.sounds
    scanner = finder(lexicon)
    if scanner is not None:
        payloads = scanner.payloads
        backwards = text[::-1]  # (where the gates of second halves look)
        s_end, f_end, d_end, x_end = scanner.limits
        # every key written, by where it ends; at one end the longest key comes first. A key's
        # number tells its kind (`Scanner`): the commonest first, halves of terms, drops, terms
        for key, start, stop in scanner.automaton.find_matches_as_indexes(text, overlapping=True):
            if key < f_end:
                # a half: the windows where a term sharing it may be written with one edit; a term
                # written exactly here is not looked at (never reported, below). Its gate first
                # (`_gate`): most hits can give no window. A second half's windows are not looked
                # at inside the longest term written exactly that ends here (found first)
                gate, probes, reach = payloads[key]
                if key < s_end:
                    if (stop != exact_stop or exact_start > stop - reach) and gate[0](backwards, size - start):
                        _second_half_windows(text, stop, probes, windows)
                elif gate[0](text, stop):
                    _first_half_windows(text, start, size, probes, windows)
            elif key < d_end:
                # never kept inside a term written exactly that ends here (the rest without its
                # first character; one ending further on drops it, `_drop_inside`)
                if stop != exact_stop or start < exact_start:
                    for number, where, char in payloads[key]:
                        if _drop_kept(text, start, stop, where, char):
                            drops.append((start, stop, number))
            elif key < x_end:
                if stop != exact_stop:
                    exact_stop, exact_start = stop, start
                    longest[stop] = start
                exact.append((start, stop, payloads[key]))
                if drops and drops[-1][1] > start:
                    _drop_inside(drops, start)
            else:
                for what, index, extra in payloads[key]:
                    if what == "f":
                        if extra[0][0](text, stop):
                            _first_half_windows(text, start, size, extra[1], windows)
                    elif what == "s":
                        if (stop != exact_stop or exact_start > stop - extra[2]) and extra[0][0](backwards, size - start):
                            _second_half_windows(text, stop, extra[1], windows)
                    elif what == "d":
                        number, where, char = extra
                        if (stop != exact_stop or start < exact_start) and _drop_kept(text, start, stop, where, char):
                            drops.append((start, stop, number))
                    elif what == "x":
                        if stop != exact_stop:
                            exact_stop, exact_start = stop, start
                            longest[stop] = start
                        exact.append((start, stop, index))
                        if drops and drops[-1][1] > start:
                            _drop_inside(drops, start)
                    elif what == "v":
                        term = terms[index]
                        variant = term.variants[extra]
                        hits.append((start, stop, variant, term.canonical,
                                     f"「{variant}」的规范写法是「{term.canonical}」"))
                    elif what == "t":
                        swaps.append((start, stop, index, extra))
                    elif what == "u":
                        sounds.append((start, stop, index, extra))
                    elif what == "o":
                        _, written, right = lexicon.orders[extra]
                        prefix, suffix = _affixes(terms[index])
                        if text.endswith(prefix, 0, start) and text.startswith(suffix, stop) \
                                and not _longer_list(text, start - len(prefix), stop + len(suffix)):
                            orders.append((start - len(prefix), stop + len(suffix), prefix + right + suffix))
    exact.sort()
    if swaps:
        hits.extend(_swapped_terms(text, lexicon, swaps, exact))
    if sounds:
        hits.extend(_same_sound_terms(text, lexicon, scanner.sounds, sounds, exact))
    if drops:  # (none inside a term written exactly)
        hits.extend(_dropped_terms(text, lexicon, drops))
    for index, start, stop in sorted(windows):
        # inside a term written exactly that ends there too (全面依法治省 in 全面依法治国): never
        # reported (below); first, as it is cheap
        if longest.get(stop, size) <= start:
            continue
        target = terms[index].folded
        window = text[start:stop]
        # (one edit apart, as `one_edit` asks, first tested in C: most windows are not)
        if window == target or "\n" in window or OSA.distance(window, target, score_cutoff=1) != 1 \
                or not is_typo(window, target, text, start):
            continue
        # not where this term or a user word is written exactly, not inside any exact term
        if any(s < stop and start < e and (i in (index, -1) or (s <= start and stop <= e))
               for s, e, i in exact):
            continue
        term = terms[index]
        hits.append((start, stop, window, term.canonical, f"「{window}」疑似写错，规范写法是「{term.canonical}」"))
    for start, stop, correct in orders:
        if any(s < stop and start < e and (i == -1 or (s <= start and stop <= e and (s, e) != (start, stop)))
               for s, e, i in exact):
            continue
        written = text[start:stop]
        hits.append((start, stop, written, correct, f"「{written}」的词序不对，固定表述是「{correct}」"))
    if lexicon.laws is not None:
        for citation in _CITATION.finditer(text):
            cited = citation.group(1).strip()
            correct = lexicon.laws.near_miss(cited)
            if correct is not None:
                hits.append((citation.start(), citation.end(), citation.group(), f"《{correct}》",
                             f"法律法规名称《{cited}》疑似写错，应为《{correct}》"))
    if lexicon.laws is not None and lexicon.laws.titles:
        hits.extend(_bare_titles(text, lexicon.laws))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    last_end = -1
    count = 0
    for start, end, found, correct, problem in hits:
        if start < last_end:
            continue
        if count >= rule.options["max_findings"]:
            return
        count += 1
        last_end = end
        orig_start, orig_end = scope.orig(start, end, norm)
        yield ctx.finding(rule, orig_start, orig_end, found=found, correct=correct, problem=problem)


def _longer_list(text: str, start: int, stop: int) -> bool:
    """The slogan's members are part of a longer enumeration (学法、用法、尊法、守法、普法): its own
    order does not bind a list with other members."""
    return text[stop:stop + 1] == "、" or (start > 0 and text[start - 1] == "、")


def _bare_titles(text: str, laws: LawNames) -> list[tuple[int, int, str, str, str]]:
    """A law's or regulation's full title (the table's ``title`` column) or a listed document's
    title written without 《》 where it is plainly cited (after 按照/根据/依据/依照/遵照/参照/对照,
    or written in 《》 elsewhere in the document). Titles inside 《…》 (《…实施条例》) or
    quotation marks are left alone; the longest title at a place wins."""
    return [(start, stop, text[start:stop], f"《{title}》", f"「{text[start:stop]}」是法规文件的名称，应加书名号")
            for start, stop, title in plainly_cited(text, laws.titles_in(text))]


def plainly_cited(text: str, places) -> list[tuple[int, int, str]]:
    """Of the places (start, end, title) where a title is written, those plainly cited without
    《》: after 按照/根据/依据…, or marked elsewhere in the document; not inside 《…》 or quotation
    marks; the longest title at a place, in text order."""
    if not places:  # (most documents: no need to find what is marked)
        return []
    marked = [m.span() for m in _MARKED.finditer(text)]
    kept, last_end = [], -1
    for start, stop, title in sorted(places, key=lambda hit: (hit[0], -hit[1])):
        if start < last_end or any(s <= start and stop <= e for s, e in marked):
            continue
        if text[max(0, start - 2):start] not in _CITING and f"《{text[start:stop]}" not in text:
            continue
        last_end = stop
        kept.append((start, stop, title))
    return kept
