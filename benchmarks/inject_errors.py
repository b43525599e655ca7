"""Inject realistic proofreading errors into the clean (corrected) reports, deterministically.

    python benchmarks/inject_errors.py [--variants 20] [--seed 20240301] [--show] [--out DIR]

Importable: ``injected_copies(variants, seed)`` yields, for every clean document of
``benchmarks/proofdata.clean_documents()`` and every variant number, an ``InjectedCopy`` (its text
and the list of injected errors with line, offsets, original, injected text, class and kind). The
same seed gives the same copies on every machine (``random.Random`` seeded with a string; jieba's
segmentation is deterministic). Nothing is written unless ``--out DIR`` is given (the copies are
generated on the fly and kept out of git).

Classes and kinds (data in ``benchmarks/inject_data.yaml``):

* typo — in an ordinary word (jieba segmentation): ``homophone-word`` (another common word with
  the same toneless pinyin, as an IME offers: 以下→一下), ``pinyin`` (one character replaced by a
  common character with the same sound), ``misspelling`` (部署→布署 … from the data), ``shape`` (a
  similar-shaped character from the table),
  ``drop`` / ``add`` (a character dropped, or doubled / a homophone inserted), ``swap`` (two
  adjacent characters swapped);
* phrase — the same operations inside a fixed phrase of the genre, plus real wrong verbs
  (推进→推荐 …) and a reordered 尊法学法守法用法;
* usage — 截至→截止, 法治→法制, 以来→来, 权利/权力, 制定→制订, 地→的, 我们→咱们, "4余次" …;
* noise — template placeholders (XX, ×××, 某某), 范文-site lines, URLs, mojibake, pinyin debris
  after a character (設(shè) style);
* repeat — a sentence repeated at once, or a paragraph repeated as the next line;
* punctuation — ASCII quotes or full stop in Chinese text, 、及, missing 。 before 二是,
  a stray space between Chinese characters, a 》 dropped between two titles, a doubled ，.

Errors go into prose lines only (at least 15 Chinese characters and a comma or full stop: not the
title, page furniture, dates or signatures), never touch digits, 《》 titles or names (jieba's
nr*/ns/nt/nz tags), never the unfinished last sentence of a corpus opening, and do not overlap.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proofdata import CleanDocument, clean_documents, line_of, line_starts, read_text  # noqa: E402

SEED = "20240301"
DATA = Path(__file__).resolve().parent / "inject_data.yaml"
CLASS_WEIGHTS = {"typo": 3, "phrase": 2, "usage": 2, "noise": 1, "repeat": 1, "punctuation": 2}
HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_HAN_PER_LINE = 15
UNIT = re.compile(r"乡|镇|街道|区|县")
PROSE_MARK = re.compile(r"[，,。；;]")
NUMBERED = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．])")


def _title(text: str) -> str:
    """The report's title line as a reader finds it: an early line naming a 报告, else ""."""
    for line in text.split("\n")[:8]:
        if "报告" in line and len(HAN.findall(line)) >= 8:
            return line
    return ""


@dataclass(frozen=True)
class Injection:
    line: int  # 1-based, in the injected text
    column: int  # 1-based
    start: int  # offsets of the injected text (the part a finding must overlap)
    end: int
    original: str
    injected: str
    cls: str
    kind: str
    # A repeat: offsets of the first copy, which a finding may point at instead.
    also: tuple[int, int] | None = None


@dataclass(frozen=True)
class InjectedCopy:
    name: str  # "<set>/<file>#<variant>"
    source: str  # "<set>/<file>"
    variant: int
    text: str
    errors: tuple[Injection, ...]


@dataclass(frozen=True)
class _Edit:
    start: int  # in the original text
    end: int
    replacement: str
    mark: tuple[int, int]  # the part of the replacement that is the error
    cls: str
    kind: str
    copied: int = 0  # a repeat: length of the text just before `start` that the replacement copies


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _homophones() -> dict[str, list[str]]:
    """Toneless pinyin -> common characters (those seen ≥ 3 times in the seeds and corpus)."""
    from pypinyin import Style, lazy_pinyin

    counts: Counter = Counter()
    for document in clean_documents():
        counts.update(HAN.findall(read_text(document.path)))
    by_sound: dict[str, list[str]] = {}
    for char, count in sorted(counts.items()):
        if count >= 3:
            by_sound.setdefault(lazy_pinyin(char, style=Style.NORMAL)[0], []).append(char)
    return by_sound


def _sound(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


@lru_cache(maxsize=1)
def _shape_of() -> dict[str, str]:
    return {char: group for group in _data()["shapes"] for char in group}


class _Sites:
    """Where in one clean text errors may go: eligible lines, words, protected offsets."""

    def __init__(self, text: str, cut_from: int | None = None) -> None:
        self.text = text
        self.starts = line_starts(text)
        protected = bytearray(len(text))
        for match in re.finditer(r"《[^《》\n]{0,60}》|[0-9０-９.．%％]+", text):
            protected[match.start():match.end()] = b"\1" * (match.end() - match.start())
        # Prose lines only (≥ 15 Chinese characters and a comma or full stop): not the title, page
        # furniture, dates or signatures. Chosen without the checker's outline, so that the injected
        # copies do not change when the checker's reading of a document does.
        title = _title(text)
        self.lines: list[tuple[int, int]] = []
        for number, start in enumerate(self.starts):
            end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(text)
            line = text[start:end]
            if len(HAN.findall(line)) >= MIN_HAN_PER_LINE and PROSE_MARK.search(line):
                self.lines.append((start, end))
        eligible = bytearray(len(text))
        for start, end in self.lines:
            eligible[start:end] = b"\1" * (end - start)
        if cut_from is not None:  # a corpus opening's last, unfinished sentence
            eligible[cut_from:] = bytes(len(text) - cut_from)
        self.words: list[tuple[int, str]] = []
        # The issuer's own name (东金庄 of 东金庄乡, as the title has it) where the body names it: a
        # template leaves "XX乡" there.
        self.names = []
        for match in UNIT.finditer(text):
            for size in (3, 2):
                name = text[max(0, match.start() - size):match.start()]
                if len(name) == size and HAN.fullmatch(name[0]) and name in title:
                    self.names.append((match.start() - size, name))
                    break
        jieba = _jieba()
        for start, end in self.lines:
            offset = start
            for pair in jieba.posseg.cut(text[start:end], HMM=False):
                word, flag = pair.word, pair.flag
                if flag.startswith("nr") or flag in ("ns", "nt", "nz"):
                    protected[offset:offset + len(word)] = b"\1" * len(word)
                elif len(word) >= 2 and all(HAN.match(c) for c in word):
                    self.words.append((offset, word))
                offset += len(word)
        self.protected = protected
        self.eligible = eligible

    def free(self, start: int, end: int) -> bool:
        return all(self.eligible[start:end]) and not any(self.protected[start:end]) and end > start


def _choose(rng: random.Random, items: list):
    return items[rng.randrange(len(items))] if items else None


def _char_edit(rng: random.Random, word: str, cls: str, kinds: tuple[str, ...]) -> tuple[str, str] | None:
    """(new word, kind) for one character-level slip inside a word, or None."""
    jieba = _jieba()
    kind = _choose(rng, list(kinds))
    i = rng.randrange(len(word))
    if kind == "pinyin":
        choices = [c for c in _homophones().get(_sound(word[i]), []) if c != word[i]]
        if not choices:
            return None
        new = word[:i] + _choose(rng, choices) + word[i + 1:]
    elif kind == "shape":
        positions = [j for j, c in enumerate(word) if c in _shape_of()]
        if not positions:
            return None
        i = _choose(rng, positions)
        new = word[:i] + _choose(rng, [c for c in _shape_of()[word[i]] if c != word[i]]) + word[i + 1:]
    elif kind == "drop":
        new = word[:i] + word[i + 1:]
    elif kind == "add":
        if rng.random() < 0.5:
            new = word[:i + 1] + word[i] + word[i + 1:]
        else:
            choices = [c for c in _homophones().get(_sound(word[i]), []) if c != word[i]]
            if not choices:
                return None
            new = word[:i + 1] + _choose(rng, choices) + word[i + 1:]
    else:  # swap
        if len(word) < 2:
            return None
        i = rng.randrange(len(word) - 1)
        if word[i] == word[i + 1]:
            return None
        new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if new == word or (cls == "typo" and jieba.dt.FREQ.get(new)):
        return None  # another real word is not a typo a reader would mark
    return new, kind


@lru_cache(maxsize=1)
def _homophone_words() -> dict[str, list[str]]:
    """Toneless pinyin -> common two-character words (jieba frequency ≥ 1,000): IME slips."""
    from pypinyin import Style, lazy_pinyin

    by_sound: dict[str, list[str]] = {}
    for word, count in sorted(_jieba().dt.FREQ.items()):
        if count >= 1000 and len(word) == 2 and all(HAN.match(c) for c in word):
            by_sound.setdefault("".join(lazy_pinyin(word, style=Style.NORMAL)), []).append(word)
    return by_sound


def _typo(rng: random.Random, sites: _Sites) -> _Edit | None:
    roll = rng.random()
    if roll < 0.15:  # a common misspelling of an ordinary word
        wrong = _data()["misspellings"]
        right = _choose(rng, sorted(wrong))
        found = [m.start() for m in re.finditer(re.escape(right), sites.text) if sites.free(m.start(), m.end())]
        start = _choose(rng, found)
        if start is None:
            return None
        new = wrong[right]
        return _Edit(start, start + len(right), new, (0, len(new)), "typo", "misspelling")
    start, word = _choose(rng, sites.words) or (0, "")
    if not word or not sites.free(start, start + len(word)):
        return None
    if roll < 0.35:  # the IME offered another word with the same sound
        from pypinyin import Style, lazy_pinyin

        choices = [w for w in _homophone_words().get("".join(lazy_pinyin(word, style=Style.NORMAL)), [])
                   if w != word]
        if len(word) != 2 or not choices:
            return None
        new = _choose(rng, choices)
        return _Edit(start, start + len(word), new, (0, len(new)), "typo", "homophone-word")
    made = _char_edit(rng, word, "typo", ("pinyin", "pinyin", "pinyin", "shape", "drop", "drop", "add", "swap"))
    if made is None:
        return None
    new, kind = made
    return _Edit(start, start + len(word), new, (0, len(new)), "typo", kind)


def _phrase(rng: random.Random, sites: _Sites) -> _Edit | None:
    text = sites.text
    if rng.random() < 0.15:
        wrong_words = _data()["phrase_words"]
        right = _choose(rng, sorted(wrong_words))
        found = [m.start() for m in re.finditer(re.escape(right), text) if sites.free(m.start(), m.end())]
        start = _choose(rng, found)
        if start is None:
            return None
        new = wrong_words[right]
        return _Edit(start, start + len(right), new, (0, len(new)), "phrase", "wrong-word")
    phrase = _choose(rng, _data()["phrases"])
    found = [m.start() for m in re.finditer(re.escape(phrase), text) if sites.free(m.start(), m.end())]
    start = _choose(rng, found)
    if start is None:
        return None
    if phrase == "尊法学法守法用法" and rng.random() < 0.5:
        parts = ["尊法", "学法", "守法", "用法"]
        while "".join(parts) == phrase:
            rng.shuffle(parts)
        new, kind = "".join(parts), "order"
    else:
        made = _char_edit(rng, phrase, "phrase", ("pinyin", "shape", "drop", "drop", "add", "swap"))
        if made is None:
            return None
        new, kind = made
    return _Edit(start, start + len(phrase), new, (0, len(new)), "phrase", kind)


def _usage(rng: random.Random, sites: _Sites) -> _Edit | None:
    rule = _choose(rng, _data()["usage"])
    candidates = []
    for match in re.finditer(rule["find"], sites.text):
        group = "x" if "x" in match.groupdict() else 0
        start, end = match.span(group)
        numbers_kept = "{x}" in rule["wrong"]  # "4次" -> "4余次" keeps the number as it is
        if (sites.eligible[start] and sites.eligible[max(start, end - 1)]
                and (numbers_kept or not any(sites.protected[start:end]))):
            candidates.append((start, end, match.group(group)))
    chosen = _choose(rng, candidates)
    if chosen is None:
        return None
    start, end, original = chosen
    new = rule["wrong"].replace("{x}", original)
    return _Edit(start, end, new, (0, len(new)), "usage", original + "→" + new)


def _fill(template: str, rng: random.Random) -> str:
    """A debris template with its slots filled: data fillers, or a made-up URL, date, page number."""
    fillers = _data()["fillers"]
    letters = "abcdefghijklmnopqrstuvwxyz"

    def url() -> str:
        host = "".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
        path = "".join(rng.choice(letters + "0123456789") for _ in range(rng.randint(0, 12)))
        return (f"{rng.choice(['http', 'https'])}://{rng.choice(['www.', 'm.', ''])}{host}"
                f"{rng.choice(['.com', '.cn', '.net', '.com.cn', '.org'])}{'/' + path if path else ''}")

    made = {
        "url": url,
        "date": lambda: f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "n": lambda: str(rng.randint(1, 3)),
        "m": lambda: str(rng.randint(3, 9)),
        "mojibake": lambda: "".join(rng.choice(fillers["mojibake"]) for _ in range(rng.randint(2, 5))),
    }
    return re.sub(r"\{(\w+)\}", lambda m: made[m.group(1)]() if m.group(1) in made
                  else rng.choice(fillers[m.group(1)]), template)


def _noise(rng: random.Random, sites: _Sites) -> _Edit | None:
    data = _data()
    roll = rng.random()
    if roll < 0.3:  # a template placeholder for a figure or a name
        found = [m for m in re.finditer(r"(?<=[\u4e00-\u9fff])[0-9]{1,4}(?=[次场件人个项期份名家余])", sites.text)
                 if sites.eligible[m.start()]]
        match = _choose(rng, found)
        if match is None:
            return None
        new = _choose(rng, data["placeholder_figures"])
        return _Edit(match.start(), match.end(), new, (0, len(new)), "noise", "placeholder")
    if roll < 0.5:  # pinyin debris after a character, as in pages converted from traditional script
        from pypinyin import Style, lazy_pinyin

        start, word = _choose(rng, sites.words) or (0, "")
        if not word or not sites.free(start, start + len(word)):
            return None
        i = rng.randrange(len(word))
        new = word[:i + 1] + f"({lazy_pinyin(word[i], style=Style.TONE)[0]})" + word[i + 1:]
        return _Edit(start, start + len(word), new, (i + 1, len(new) - (len(word) - i - 1)), "noise", "pinyin")
    if roll < 0.6:  # a template placeholder left for a place or organisation name
        start, name = _choose(rng, sites.names) or (0, "")
        if not name or not all(sites.eligible[start:start + len(name)]):
            return None
        new = _choose(rng, data["placeholder_names"])
        return _Edit(start, start + len(name), new, (0, len(new)), "noise", "placeholder-name")
    complete = [(s, e) for s, e in sites.lines if all(sites.eligible[s:e])]
    start, end = _choose(rng, complete) or (0, 0)  # a 范文-site / web / mojibake line after a paragraph
    if not end:
        return None
    line = _fill(_choose(rng, data["debris_lines"]), rng)
    new = "\n" + line
    return _Edit(end, end, new, (1, len(new)), "noise", "debris-line")


def _repeat(rng: random.Random, sites: _Sites) -> _Edit | None:
    text = sites.text
    if rng.random() < 0.7:
        sentences = [m for m in re.finditer(r"(?<=[。；;])[^。；;\n]{12,120}。", text)
                     if sites.eligible[m.start()] and sites.eligible[m.end() - 1]]
        match = _choose(rng, sentences)
        if match is None:
            return None
        sentence = match.group()
        return _Edit(match.end(), match.end(), sentence, (0, len(sentence)), "repeat", "sentence", len(sentence))
    lines = [(s, e) for s, e in sites.lines
             if 30 <= e - s <= 600 and not NUMBERED.match(text, s) and all(sites.eligible[s:e])]
    chosen = _choose(rng, lines)
    if chosen is None:
        return None
    start, end = chosen
    new = "\n" + text[start:end]
    return _Edit(end, end, new, (1, len(new)), "repeat", "paragraph", end - start)


def _punctuation(rng: random.Random, sites: _Sites) -> _Edit | None:
    text = sites.text
    kind = _choose(rng, ["ascii-quotes", "ascii-stop", "dun-ji", "no-stop-before-enum", "space",
                         "title-mark", "doubled"])
    han = r"[\u4e00-\u9fff]"

    def matches(pattern: str) -> list[re.Match]:
        return [m for m in re.finditer(pattern, text) if all(sites.eligible[m.start():m.end()])]

    if kind == "ascii-quotes":
        match = _choose(rng, matches(r"“[^“”\n]{1,20}”"))
        if match is None:
            return None
        new = '"' + match.group()[1:-1] + '"'
        return _Edit(match.start(), match.end(), new, (0, len(new)), "punctuation", kind)
    if kind == "ascii-stop":
        match = _choose(rng, matches(han + "。" + han))
        if match is None:
            return None
        return _Edit(match.start() + 1, match.start() + 2, ".", (0, 1), "punctuation", kind)
    if kind == "dun-ji":
        match = _choose(rng, matches(han + "(?=及" + han + ")"))
        if match is None or "、" not in text[max(0, match.start() - 15):match.start()]:
            return None
        return _Edit(match.end(), match.end(), "、", (0, 1), "punctuation", kind)
    if kind == "no-stop-before-enum":
        match = _choose(rng, matches(han + "[。；;](?=[二三四五六七八九]是)"))
        if match is None:
            return None
        return _Edit(match.start() + 1, match.start() + 2, "", (0, 0), "punctuation", kind)
    if kind == "space":
        start, word = _choose(rng, sites.words) or (0, "")
        if not word or not sites.free(start, start + len(word)):
            return None
        i = rng.randrange(1, len(word))
        new = word[:i] + " " + word[i:]
        return _Edit(start, start + len(word), new, (0, len(new)), "punctuation", kind)
    if kind == "title-mark":
        match = _choose(rng, [m for m in re.finditer("》《", text) if sites.eligible[m.start()]])
        if match is None:
            return None
        return _Edit(match.start(), match.end(), "《", (0, 1), "punctuation", kind)
    match = _choose(rng, matches(han + "[，,]" + han))  # doubled
    if match is None:
        return None
    comma = text[match.start() + 1]
    return _Edit(match.start() + 1, match.start() + 2, comma * 2, (0, 2), "punctuation", kind)


_MAKERS = {"typo": _typo, "phrase": _phrase, "usage": _usage, "noise": _noise, "repeat": _repeat,
           "punctuation": _punctuation}


def _apply(text: str, edits: list[_Edit]) -> tuple[str, list[Injection]]:
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    pieces, delta, position, placed = [], 0, 0, []
    for edit in edits:
        pieces.append(text[position:edit.start])
        new_start = edit.start + delta
        pieces.append(edit.replacement)
        placed.append((edit, new_start))
        delta += len(edit.replacement) - (edit.end - edit.start)
        position = edit.end
    pieces.append(text[position:])
    result = "".join(pieces)
    starts = line_starts(result)
    errors = []
    for edit, new_start in placed:
        mark_start, mark_end = new_start + edit.mark[0], new_start + edit.mark[1]
        if mark_end <= mark_start:  # a deletion: the error sits between its neighbours
            mark_start, mark_end = max(0, mark_start - 1), mark_start + 1
        line = line_of(starts, mark_start)
        also = (new_start - edit.copied, new_start) if edit.copied else None
        errors.append(Injection(line, mark_start - starts[line - 1] + 1, mark_start, mark_end,
                                text[edit.start:edit.end], result[mark_start:mark_end], edit.cls, edit.kind, also))
    return result, errors


def inject(text: str, rng: random.Random, sites: _Sites | None = None, count: int | None = None
           ) -> tuple[str, list[Injection]]:
    """Inject `count` non-overlapping errors (default: 3 + 1 per 4,000 characters, at most 6)."""
    sites = sites or _Sites(text)
    count = count if count is not None else min(6, 3 + len(text) // 4000)
    classes, weights = zip(*CLASS_WEIGHTS.items())
    edits: list[_Edit] = []
    attempts = 0
    while len(edits) < count and attempts < 20 * count and sites.lines:
        attempts += 1
        # Draw the class first and insist on it a while, so that the mix of classes follows
        # CLASS_WEIGHTS rather than which classes find a site most easily.
        make = _MAKERS[rng.choices(classes, weights)[0]]
        for _ in range(10):
            edit = make(rng, sites)
            if edit is not None:
                break
        if edit is None:
            continue
        low, high = edit.start - 2, edit.end + 2  # keep errors apart: each is judged on its own
        if any(low < other.end and other.start < high for other in edits):
            continue
        edits.append(edit)
    return _apply(text, edits)


def injected_copies(variants: int = 20, seed: str = SEED, documents: list[CleanDocument] | None = None
                    ) -> Iterator[InjectedCopy]:
    for document in documents if documents is not None else clean_documents():
        text = read_text(document.path)
        sites = _Sites(text, document.cut_from)
        source = f"{document.set}/{document.file}"
        for variant in range(variants):
            rng = random.Random(f"{seed}:{source}:{variant}")
            injected_text, errors = inject(text, rng, sites)
            yield InjectedCopy(f"{source}#{variant}", source, variant, injected_text, tuple(errors))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=20)
    parser.add_argument("--seed", default=SEED)
    parser.add_argument("--show", action="store_true", help="print every injected error")
    parser.add_argument("--out", type=Path, help="write the copies and errors.jsonl here")
    args = parser.parse_args(argv)
    counts: Counter = Counter()
    total = 0
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        log = (args.out / "errors.jsonl").open("w", encoding="utf-8")
    for copy in injected_copies(args.variants, args.seed):
        total += 1
        for error in copy.errors:
            counts[error.cls, error.kind.split("→")[0] if error.cls != "usage" else "usage"] += 1
            if args.show:
                print(f"{copy.name}:{error.line}:{error.column} [{error.cls}/{error.kind}] "
                      f"{error.original!r} → {error.injected!r}")
        if args.out:
            name = copy.name.replace("/", "__").replace("#", "--")
            (args.out / name).write_text(copy.text, encoding="utf-8")
            for error in copy.errors:
                log.write(json.dumps({"file": name} | asdict(error), ensure_ascii=False) + "\n")
    if args.out:
        log.close()
    print(f"{total} copies, {sum(counts.values())} errors")
    for (cls, kind), count in sorted(counts.items()):
        print(f"  {cls:<12} {kind:<22} {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
