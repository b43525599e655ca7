"""The typo index: jieba's dictionary and pinyin turned into the few tables the ``typo`` kind reads.

Not a kind (the leading underscore keeps it out of the registry and the docs).

Built on first use from jieba's ``dict.txt``, pypinyin and the bundled data
(``rules/data/confusables.yaml``; ``rules/data/phrases.yaml`` and ``rules/data/words.yaml``: the
genre's own vocabulary counts as dictionary words), once per process, and cached on disk (under the user cache
directory, keyed by the jieba version, the data files and the index version), so later
processes read it in a fraction of a second. The cache is data only (JSON and a NumPy array
read with ``allow_pickle=False``): a file in the cache directory can never run code. Nothing is built when the CLI starts.
"""

from __future__ import annotations

import hashlib
import os
import json
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from checker.kinds._chars import data_file, pinyin_readings, shape_groups, usual_reading
from checker.kinds._dictionary import NAME_TAGS, jieba_dict_path, jieba_version

INDEX_VERSION = 15
COMMON_CHARS = 6000  # characters considered as the intended one: the most frequent single-character words
GENRE_FREQUENCY = 5000  # frequency given to the genre's own words (phrases.yaml), for the typo rule
MODERN_MIN = 3e-8  # least wordfreq frequency of a present-day word added to the dictionary (~2 per jieba's 60M)
SLIP_CHARS = 3500  # characters an input method offers first for a syllable: the slips the tables model
SLIP_TARGET_FREQUENCY = 300  # least frequency of a two-character word whose one-character slips are tabled
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# The pair table is a perfect hash: a key's row is found in a few arithmetic steps, no search.
# A key picks a bucket (about PAIRS_PER_BUCKET keys each); the bucket's seed, found at build time,
# sends each of its keys to a row no other key has. The table has 1 / PAIR_LOAD rows per key.
PAIRS_PER_BUCKET = 3
PAIR_LOAD = 0.95
_BUCKET_HASH = 0x9E3779B97F4A7C15  # odd 64-bit multipliers (multiplicative hashing)
_ROW_HASH = 0xC2B2AE3D27D4EB4F
_SEED_STEP = 0x85EBCA6B  # a bucket's seed is its attempt number (below 2**16, stored) times this
# columns of the pair table (``TypoIndex.pair_table``, int32); an empty row has key -1, no flags,
# no frequency and no slip, like the sentinel row at its end
KEY, FREQUENCY, SLIP, FLAGS = 0, 1, 2, 3
_EMPTY_ROW = (-1, 0, -1, 0)


class WordTable:
    """Words of 2-4 characters with their frequencies and name flags, as sorted NumPy arrays:
    read from disk in milliseconds, looked up by binary search (a dict of 330,000 words would
    take most of a second to read and about 60 MB)."""

    def __init__(self, words, frequencies, names) -> None:
        self.words, self.frequencies, self.names = words, frequencies, names
        # positions already looked up (a report asks for the same few thousand words again and
        # again; a binary search over Unicode strings costs microseconds), cleared when very large
        self._found: dict[str, int] = {}
        # frequencies already looked up (-1: no word), the hottest question: one dictionary look-up
        self._frequency: dict[str, int] = {}
        self._partners: dict[int, tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]] = {}

    @classmethod
    def build(cls, table: dict[str, int], names: set[str]) -> "WordTable":
        import numpy as np

        ordered = sorted(table)
        return cls(np.array(ordered, dtype="<U4"), np.array([table[w] for w in ordered], dtype=np.int64),
                   np.array([w in names for w in ordered], dtype=bool))

    def _find(self, word: str) -> int:
        found = self._found.get(word)
        if found is not None:
            return found
        if not 2 <= len(word) <= 4:
            return -1
        at = int(self.words.searchsorted(word))
        found = at if at < len(self.words) and self.words[at] == word else -1
        if len(self._found) > 1_000_000:
            self._found.clear()
        self._found[word] = found
        return found

    def get(self, word: str, default: int = 0) -> int:
        known = self._frequency.get(word)
        if known is None:
            at = self._find(word)
            known = int(self.frequencies[at]) if at >= 0 else -1
            if len(self._frequency) > 1_000_000:
                self._frequency.clear()
            self._frequency[word] = known
        return known if known >= 0 else default

    def get_all(self, words: list[str]) -> list[int]:
        """``get`` of each word (0 for a non-word), without a method call for each word remembered."""
        remembered, found = self._frequency.get, []
        for word in words:
            known = remembered(word)
            found.append(self.get(word) if known is None else known if known >= 0 else 0)
        return found

    def __contains__(self, word: str) -> bool:
        return self._find(word) >= 0

    def is_name(self, word: str) -> bool:
        at = self._find(word)
        return at >= 0 and bool(self.names[at])

    def __len__(self) -> int:
        return len(self.words)

    def partners(self, min_frequency: int) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        """The two-character words of at least ``min_frequency`` (a few thousand) by character:
        (first character -> {second: frequency}, second character -> {first: frequency}). Built on
        first use for each ``min_frequency`` (a rule option: one or two values in a process)."""
        known = self._partners.get(min_frequency)
        if known is None:
            import numpy as np

            at = np.flatnonzero((np.char.str_len(self.words) == 2) & (self.frequencies >= min_frequency))
            after: dict[str, dict[str, int]] = {}
            before: dict[str, dict[str, int]] = {}
            for word, frequency in zip(self.words[at].tolist(), self.frequencies[at].tolist()):
                after.setdefault(word[0], {})[word[1]] = frequency
                before.setdefault(word[1], {})[word[0]] = frequency
            known = self._partners[min_frequency] = (after, before)
        return known


# flags of a row of the pair table (``TypoIndex.pair_table[:, FLAGS]``)
INWORD = 1  # the two characters occur, in this order, inside some dictionary word
WORD = 2  # the pair is a two-character word (its frequency in the FREQUENCY column)
TWIN = 4  # the two characters sound or look alike (one typed next to its twin)
GAP = 8  # the pair is a 3-character word with its middle character dropped (in ``gaps``)
GAP_HEAD = 16  # the pair begins three characters that are a 4-character word with one dropped (in ``gaps``)
GAP_TAIL = 64  # the pair ends three such characters
REVERSED = 32  # the pair is no word, but read backwards it is one (its frequency in the FREQUENCY column)


@dataclass
class TypoIndex:
    words: WordTable  # words of 2-4 characters: frequency, name or not
    single: dict[str, int]  # character -> frequency as a one-character word
    confusables: dict[str, str]  # character -> common characters of the same sound or a similar shape
    dropped: dict[str, str]  # a 3-4 character word with one inner character dropped -> the word
    readings: dict[str, frozenset[str]]  # character -> toneless pinyin readings
    total: float  # sum of all word frequencies of the dictionary (the unigram model's denominator)
    # The pair table: every character pair the typo rule asks about, one row each, found by a
    # perfect hash (``pair_rows``): a document's pairs are looked up with a few array operations.
    # Characters are numbered densely (the 7,000-odd of the table: a key is first number << 16 |
    # second number, below 2**31). The last row is a sentinel (key -1, no flags): a pair not in the
    # table gets that row. Columns (int32):
    #   KEY        the key, -1 in an empty row
    #   FREQUENCY  a word's frequency (WORD); for a pair that is no word, its reverse's (REVERSED); else 0
    #   SLIP       row of the word the pair is one same-sound/similar-shape character off (the most
    #              frequent such word of frequency >= SLIP_TARGET_FREQUENCY, no name), -1 if none;
    #              never set on a word
    #   FLAGS      INWORD, WORD, TWIN, GAP, GAP_HEAD, GAP_TAIL, REVERSED
    char_ids: "np.ndarray"  # uint16, 65,536: the number of each character of the Basic Multilingual Plane (0: in no pair)
    id_chars: "np.ndarray"  # uint32: the code point of each number
    pair_table: "np.ndarray"  # int32, (rows + 1) x 4
    pair_seeds: "np.ndarray"  # uint16: the perfect hash's attempt number of each bucket (its seed / _SEED_STEP)
    gaps: "np.ndarray"  # sorted codes of 2-3 characters: a 3-4 character word with an inner character dropped
    gap_targets: "np.ndarray"  # index into ``gap_words`` for each gap
    gap_words: list[str]
    # log-probabilities the word model looked up, kept for the life of the process (bounded by the vocabulary)
    logp_memo: dict[str, float | None] = field(default_factory=dict)
    # character -> its usual reading (pypinyin's default), where ``readings`` also has rare ones (疑 níng)
    primary: dict[str, str] = field(default_factory=dict)
    # the character of each number (``id_chars`` as a string, "\0" for 0), for Python look-ups; made from ``id_chars``
    id_text: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.id_text = "".join(map(chr, self.id_chars.tolist()))


def code2(first: int, second: int) -> int:
    return first << 21 | second


def _genre_words() -> list[str]:
    data = yaml.safe_load(data_file("phrases.yaml"))
    found: set[str] = {str(w) for w in yaml.safe_load(data_file("words.yaml"))["words"]}
    for group in data.values():
        for item in group or []:
            term = item if isinstance(item, str) else item.get("term", "")
            parts = [] if isinstance(item, str) else item.get("parts") or []
            for text in [term, *parts]:
                found.update(_HAN_RUN.findall(text))
    return sorted(found)


def _modern_words() -> dict[str, float]:
    """Words of present-day written Chinese with their frequencies (proportions), from wordfreq's
    large Chinese list; empty if wordfreq is missing."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return {}
    return get_frequency_dict("zh", wordlist="large")


def _wordfreq_version() -> str:
    try:
        from importlib.metadata import version

        return version("wordfreq")
    except Exception:  # noqa: BLE001 - not installed: the index is built without it
        return "none"


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{INDEX_VERSION}:{jieba_version()}:{_wordfreq_version()}".encode())
    for name in ("confusables.yaml", "phrases.yaml", "words.yaml"):
        digest.update(data_file(name).encode("utf-8"))
    return digest.hexdigest()[:16]


def build() -> TypoIndex:
    import numpy as np

    frequencies: dict[str, int] = {}
    names: set[str] = set()
    with jieba_dict_path().open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) < 2:
                continue
            frequencies[fields[0]] = int(fields[1])
            if len(fields) > 2 and fields[2] in NAME_TAGS:
                names.add(fields[0])
    total = float(sum(frequencies.values()))
    for word, share in _modern_words().items():
        if 2 <= len(word) <= 4 and share >= MODERN_MIN and word not in frequencies and _HAN_RUN.fullmatch(word):
            frequencies[word] = max(1, round(share * total))
    genre = _genre_words()
    pairs: set[int] = set()
    for word in (*frequencies, *genre):
        for first, second in zip(word, word[1:]):
            pairs.add(code2(ord(first), ord(second)))
    words = {w: f for w, f in frequencies.items() if 2 <= len(w) <= 4}
    for word in genre:
        if 2 <= len(word) <= 4:
            words[word] = max(words.get(word, 0), GENRE_FREQUENCY)
            names.discard(word)
    single = {w: f for w, f in frequencies.items() if len(w) == 1}
    common = [c for c in sorted(single, key=single.get, reverse=True) if "\u4e00" <= c <= "\u9fff"][:COMMON_CHARS]
    shapes = shape_groups()
    table: dict[str, frozenset[str]] = {}
    primary: dict[str, str] = {}
    for char in {*common, *shapes, *"".join(genre)}:
        if found := pinyin_readings(char):
            table[char] = found
            primary[char] = usual_reading(char)
    by_sound: dict[str, set[str]] = {}
    for char in common:
        for reading in table.get(char, ()):
            by_sound.setdefault(reading, set()).add(char)
    confusables: dict[str, str] = {}
    for char in set(common) | set(shapes):
        alike = set(shapes.get(char, ()))
        for reading in table.get(char, ()):
            alike |= by_sound.get(reading, set())
        alike.discard(char)
        if alike:
            confusables[char] = "".join(sorted(alike, key=lambda c: (-single.get(c, 0), c)))  # ties: a fixed order
    dropped: dict[str, str] = {}
    for word, frequency in words.items():
        if len(word) >= 3 and frequency >= 50 and word not in names:
            for i in range(1, len(word) - 1):
                key = word[:i] + word[i + 1:]
                if key not in words:
                    best = dropped.get(key)
                    if best is None or words[best] < frequency:
                        dropped[key] = word
    usage: dict[str, int] = {}  # how often each character is typed: the frequencies of the words it is in
    for word, frequency in frequencies.items():
        for char in word:
            usage[char] = usage.get(char, 0) + frequency
    slip_of = _slip_table(usage, table, shapes)
    pair_codes = {code2(ord(w[0]), ord(w[1])): f for w, f in words.items() if len(w) == 2}
    slips: dict[int, tuple[int, int]] = {}  # slip code -> (frequency, word code)
    for word, frequency in words.items():
        if len(word) != 2 or frequency < SLIP_TARGET_FREQUENCY or word in names:
            continue
        first, second = word
        target = code2(ord(first), ord(second))
        for code in [code2(ord(o), ord(second)) for o in slip_of.get(first, "")] + \
                    [code2(ord(first), ord(o)) for o in slip_of.get(second, "")]:
            if code not in pair_codes and slips.get(code, (0, 0))[0] < frequency:
                slips[code] = (frequency, target)
    twins = {code2(ord(a), ord(b)) for a, others in slip_of.items() for b in others}
    gaps: dict[int, int] = {}
    gap_words = sorted(set(dropped.values()))
    position = {w: i for i, w in enumerate(gap_words)}
    flags: dict[int, int] = {}

    def flag(code: int, bit: int) -> None:
        flags[code] = flags.get(code, 0) | bit

    for key, word in dropped.items():
        codes = [ord(c) for c in key]
        if len(codes) == 2:
            code = code2(codes[0], codes[1])
            flag(code, GAP)
        else:
            code = (codes[0] << 42) | code2(codes[1], codes[2])
            flag(code2(codes[0], codes[1]), GAP_HEAD)
            flag(code2(codes[1], codes[2]), GAP_TAIL)
        gaps[code] = position[word]
    for code in pairs:
        flag(code, INWORD)
    frequency_of = dict(pair_codes)
    for code in pair_codes:
        flag(code, WORD)
    for code, frequency in pair_codes.items():
        backwards = code2(code & 0x1FFFFF, code >> 21)
        if backwards not in pair_codes:
            flag(backwards, REVERSED)
            frequency_of[backwards] = frequency
    for code in twins:
        flag(code, TWIN)
    for code in slips:
        flags.setdefault(code, 0)
    numbered = sorted({c >> 21 for c in flags} | {c & 0x1FFFFF for c in flags})
    if numbered[-1] > 0xFFFE:
        raise ValueError("typo index: a character outside the Basic Multilingual Plane")
    if len(numbered) >= 0x7FFF:  # keys must stay below 2**31 (int32)
        raise ValueError("typo index: too many characters")
    number = {c: i for i, c in enumerate(numbered, start=1)}
    char_ids = np.zeros(0x10000, dtype=np.uint16)
    char_ids[numbered] = np.arange(1, len(numbered) + 1)

    def key(code: int) -> int:
        return number[code >> 21] << 16 | number[code & 0x1FFFFF]

    codes = sorted(flags)
    keys = np.array([key(c) for c in codes], dtype=np.uint32)
    seeds, size = _perfect_hash(keys)
    at = pair_rows(keys, seeds, size)
    row = dict(zip(codes, at.tolist()))
    pair_table = np.empty((size + 1, 4), dtype=np.int32)
    pair_table[:] = _EMPTY_ROW
    pair_table[at] = np.array([(key(c), frequency_of.get(c, 0), row[slips[c][1]] if c in slips else -1, flags[c])
                               for c in codes], dtype=np.int32).reshape(-1, 4)
    gap_codes = sorted(gaps)
    return TypoIndex(WordTable.build(words, names), single, confusables, dropped, table, total,
                     char_ids, np.array([0, *numbered], dtype=np.uint32), pair_table, seeds,
                     np.array(gap_codes, dtype=np.uint64), np.array([gaps[c] for c in gap_codes], dtype=np.int64),
                     gap_words, primary=primary)


def pair_rows(keys: "np.ndarray", seeds: "np.ndarray", size: int) -> "np.ndarray":
    """Rows (``np.intp``, below ``size``) of keys (uint32, or uint64 below 2**32) in the perfect hash
    of ``_perfect_hash``. A key that is not in the table gets some row: compare that row's KEY."""
    import numpy as np

    wide = keys if keys.dtype == np.uint64 else keys.astype(np.uint64)
    shift, bucket_hash, buckets, seed_step, row_hash, rows = _hash_numbers(len(seeds), size)
    # multiplicative hashing (products wrap modulo 2**64), then the top 32 bits scaled to the range;
    # in place, one temporary array (this runs on every document)
    bucket = wide * bucket_hash
    bucket >>= shift
    bucket *= buckets
    bucket >>= shift
    mixed = seeds.take(bucket.view(np.intp)).astype(np.uint64)
    mixed *= seed_step
    mixed ^= wide
    mixed *= row_hash
    mixed >>= shift
    mixed *= rows
    mixed >>= shift
    return mixed.view(np.intp)


@lru_cache(maxsize=4)
def _hash_numbers(buckets: int, size: int) -> tuple:
    """The NumPy scalars (uint64) ``pair_rows`` computes with, made once: the shift, the bucket
    hash, the number of buckets, the seed step, the row hash and the number of rows."""
    import numpy as np

    return (np.uint64(32), np.uint64(_BUCKET_HASH), np.uint64(buckets), np.uint64(_SEED_STEP), np.uint64(_ROW_HASH),
            np.uint64(size))


def _perfect_hash(keys: "np.ndarray") -> tuple["np.ndarray", int]:
    """Seeds (uint16 attempt numbers, one per bucket: half the memory of the seeds themselves, so
    that they stay in the processor's cache) and a number of rows that send every key to a row of
    its own (``pair_rows``). Buckets are placed largest first; all buckets of one size at once, each
    trying the seeds 0, _SEED_STEP, 2 * _SEED_STEP … until its keys land on free rows, distinct
    from each other and from those of the other buckets placed in the same round."""
    import numpy as np

    size = int(len(keys) / PAIR_LOAD) + 1
    seeds = np.zeros(len(keys) // PAIRS_PER_BUCKET + 1, dtype=np.uint16)
    wide = keys.astype(np.uint64)
    shift = np.uint64(32)
    bucket = ((((wide * np.uint64(_BUCKET_HASH)) >> shift) * np.uint64(len(seeds))) >> shift).astype(np.intp)
    order = np.argsort(bucket, kind="stable")
    counts = np.bincount(bucket, minlength=len(seeds))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    taken = np.zeros(size, dtype=bool)
    for count in sorted(set(counts.tolist()) - {0}, reverse=True):
        pending = np.flatnonzero(counts == count)
        members = wide[order[starts[pending][:, None] + np.arange(count)]]  # buckets x count
        attempt = 0
        while len(pending):
            if attempt > 0xFFFF:
                raise ValueError("typo index: no perfect hash found")
            seed = np.uint64(attempt * _SEED_STEP)
            rows = ((((members ^ seed) * np.uint64(_ROW_HASH)) >> shift) * np.uint64(size)) >> shift
            rows = rows.astype(np.intp)
            fits = ~taken[rows].any(axis=1)
            if count > 1:
                ordered = np.sort(rows, axis=1)
                fits &= (ordered[:, 1:] != ordered[:, :-1]).all(axis=1)
            chosen = np.flatnonzero(fits)
            # two buckets claiming a row in the same round: both try the next seed
            claimed, claims = np.unique(rows[chosen], return_counts=True)
            if (claims > 1).any():
                chosen = chosen[~np.isin(rows[chosen], claimed[claims > 1]).any(axis=1)]
            taken[rows[chosen].ravel()] = True
            seeds[pending[chosen]] = attempt
            rest = np.ones(len(pending), dtype=bool)
            rest[chosen] = False
            pending, members = pending[rest], members[rest]
            attempt += 1
    return seeds, size


def _slip_table(usage: dict[str, int], readings: dict[str, frozenset[str]],
                shapes: dict[str, frozenset[str]]) -> dict[str, str]:
    """Character -> the characters typed instead of it by an input method (the same toneless
    syllable, among the ``SLIP_CHARS`` characters most used in words: 况, 央, 防 are common
    although they seldom stand alone) or by eye (similar shape)."""
    common = [c for c in sorted(usage, key=lambda c: (-usage[c], c)) if "\u4e00" <= c <= "\u9fff"][:SLIP_CHARS]
    by_sound: dict[str, set[str]] = {}
    for char in common:
        for reading in readings.get(char, ()):
            by_sound.setdefault(reading, set()).add(char)
    table: dict[str, str] = {}
    typed = set(common)
    for char in typed | set(shapes):
        alike = set(shapes.get(char, ()))
        if char in typed:
            for reading in readings.get(char, ()):
                alike |= by_sound.get(reading, set())
        alike.discard(char)
        if alike:
            table[char] = "".join(sorted(alike))
    return table


_ARRAYS = ("char_ids", "id_chars", "pair_table", "pair_seeds", "gaps", "gap_targets")


def cache_dir() -> Path:
    base = os.environ.get("CHECKER_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "checker"


def _save(index: TypoIndex, path: Path) -> None:
    """JSON for the small tables and .npz for the arrays: data only, never code (no pickle)."""
    import numpy as np

    tables = {"single": index.single, "confusables": index.confusables, "dropped": index.dropped,
              "readings": {c: sorted(r) for c, r in index.readings.items()}, "total": index.total,
              "gap_words": index.gap_words, "primary": index.primary}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".npz") as handle:
        np.savez(handle, words=index.words.words, frequencies=index.words.frequencies,
                 names=index.words.names, **{name: getattr(index, name) for name in _ARRAYS})
    os.replace(handle.name, path.with_suffix(".npz"))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as text:
        json.dump(tables, text, ensure_ascii=False)
    os.replace(text.name, path)
    for stale in path.parent.glob("typo-index-*"):  # earlier versions of the index
        if stale.stem != path.stem:
            stale.unlink(missing_ok=True)


def _read(path: Path) -> TypoIndex:
    import numpy as np

    tables = json.loads(path.read_text(encoding="utf-8"))
    with np.load(path.with_suffix(".npz"), allow_pickle=False) as arrays:
        words = arrays["words"]
        frequencies, names = arrays["frequencies"], arrays["names"]
        extra = {name: arrays[name] for name in _ARRAYS}
    if words.dtype != np.dtype("<U4") or not len(words) == len(frequencies) == len(names):
        raise ValueError("bad typo index")
    if any(array.dtype.kind not in "ui" for array in extra.values()):
        raise ValueError("bad typo index")
    table, seeds = extra["pair_table"], extra["pair_seeds"]
    if table.dtype != np.int32 or table.ndim != 2 or table.shape[1] != 4 or len(table) < 2 \
            or tuple(table[-1].tolist()) != _EMPTY_ROW or int(table[:, SLIP].max()) >= len(table) \
            or seeds.dtype != np.uint16 or not len(seeds) \
            or len(extra["char_ids"]) != 0x10000 or int(extra["char_ids"].max()) >= len(extra["id_chars"]) \
            or len(extra["id_chars"]) > 0x7FFF:
        raise ValueError("bad typo index")
    # the keys of a sample of rows must hash to those rows (a table from another hash is rebuilt)
    sample = np.arange(0, len(table) - 1, 997)
    sample = sample[table[sample, KEY] >= 0]
    if not np.array_equal(pair_rows(table[sample, KEY].astype(np.uint32), seeds, len(table) - 1), sample):
        raise ValueError("bad typo index")
    return TypoIndex(WordTable(words, frequencies, names), tables["single"], tables["confusables"],
                     tables["dropped"], {c: frozenset(r) for c, r in tables["readings"].items()},
                     float(tables["total"]), gap_words=list(tables["gap_words"]), primary=dict(tables["primary"]),
                     **extra)


@lru_cache(maxsize=1)
def typo_index() -> TypoIndex:
    """The index, from the disk cache when it is there and current, else built (and cached)."""
    path = cache_dir() / f"typo-index-{_fingerprint()}.json"
    try:
        return _read(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    index = build()
    try:  # a cache that cannot be written only costs the next process the build
        _save(index, path)
    except OSError:
        pass
    return index
