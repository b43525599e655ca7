"""Malformed and hostile Word numbering (issue 14, items 4 and 6): labels and list sizes are
bounded, nonsense values are input, not internal errors. Every file is built here; all are checked
in one child process whose peak memory and time are measured."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from checker.load.docx import MAX_LABEL, format_number
from tests.hostile import run_checker

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def numbered_docx(path: Path, abstracts: list[str], nums: list[str], paragraphs: list[tuple[str, str, str]]) -> Path:
    """A .docx whose numbering part holds `abstracts` and `nums`; paragraphs are (text, numId, ilvl)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    root = document.part.numbering_part.element
    for xml in abstracts:
        root.insert(0, parse_xml(xml))
    for xml in nums:
        root.append(parse_xml(xml))
    document.add_paragraph("某镇2023年度法治政府建设情况报告")
    for text, num_id, ilvl in paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    document.save(str(path))
    return path


def level(ilvl: int | str, fmt: str, start: str, text: str = "%1.") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def one_list(fmt: str, start: str, ilvl: str = "0", count: int = 50) -> tuple[list[str], list[str], list]:
    abstract = f'<w:abstractNum {NS} w:abstractNumId="7">{level(0, fmt, start)}</w:abstractNum>'
    num = f'<w:num {NS} w:numId="7"><w:abstractNumId w:val="7"/></w:num>'
    return [abstract], [num], [("推进依法行政工作", "7", ilvl)] * count


def corrupt_compression(path: Path, member: str = "word/document.xml") -> None:
    """Set `member`'s compression method in the central directory to 99 (unsupported)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    offset = 0
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        assert offset >= 0, member
        name_len = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46:offset + 46 + name_len]) == name:
            struct.pack_into("<H", data, offset + 10, 99)
            break
        offset += 4
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def numbering_batch(tmp_path_factory):
    batch = tmp_path_factory.mktemp("numbering")
    cases: dict[str, tuple[str, ...] | None] = {}  # name -> words of the refusal reason (None: checked)
    numbered_docx(batch / "letters.docx", *one_list("upperLetter", "1500000000"))
    cases["letters.docx"] = None
    numbered_docx(batch / "roman.docx", *one_list("upperRoman", "200000000000"))
    cases["roman.docx"] = None
    numbered_docx(batch / "negative.docx", *one_list("ideographDigital", "-5"))
    cases["negative.docx"] = None
    numbered_docx(batch / "superscript.docx", *one_list("decimal", "1", ilvl="²"))
    cases["superscript.docx"] = None
    levels = "".join(level(i, "upperLetter", "32767", "%1%1%1%1%1%1%1%1%1" * 20) for i in range(3000))
    abstract = f'<w:abstractNum {NS} w:abstractNumId="5">{levels}</w:abstractNum>'
    nums = [f'<w:num {NS} w:numId="{n}"><w:abstractNumId w:val="5"/>'
            f'<w:lvlOverride w:ilvl="{n % 3000}"><w:startOverride w:val="{n}"/></w:lvlOverride></w:num>'
            for n in range(1, 3001)]
    numbered_docx(batch / "levels.docx", [abstract], nums,
                  [("推进依法行政", str(n), str(n % 3000)) for n in range(1, 3001)])
    cases["levels.docx"] = None
    corrupt = numbered_docx(batch / "central.docx", *one_list("decimal", "1", count=3))
    corrupt_compression(corrupt)
    cases["central.docx"] = ("损坏",)
    return batch, cases


def test_hostile_numbering_is_bounded_and_never_internal(numbering_batch, tmp_path):
    batch, cases = numbering_batch
    report = tmp_path / "r.json"
    run = run_checker("check", str(batch), "-j", "1", "--no-progress", "--format", f"json:{report}", timeout=60)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.peak_mb < 1024, f"peak {run.peak_mb:.0f} MB"
    assert run.cpu_seconds < 10 * len(cases), run.cpu_seconds
    documents = {Path(d["path"]).name: d for d in json.loads(report.read_text(encoding="utf-8"))["documents"]}
    assert set(documents) == set(cases)
    for name, words in cases.items():
        error = documents[name]["error"]
        if words is None:
            assert error is None, (name, error)
        else:
            assert error and "请报告" not in error and "内部错误" not in error, (name, error)
            assert any(w in error for w in words), (name, error)


@pytest.mark.parametrize("fmt", ["upperLetter", "lowerLetter", "upperRoman", "ideographDigital", "decimalZero",
                                 "chineseCounting", "decimalFullWidth", "ideographTraditional"])
@pytest.mark.parametrize("n", [-5, 0, 1, 27, 3999, 4000, 32767, 1_500_000_000, 200_000_000_000])
def test_labels_are_short_for_any_number(fmt, n):
    label = format_number(n, fmt)
    assert len(label) <= max(MAX_LABEL, len(str(n)))


def test_ordinary_labels_unchanged():
    assert format_number(3, "upperLetter") == "C"
    assert format_number(28, "lowerLetter") == "bb"
    assert format_number(14, "upperRoman") == "XIV"
    assert format_number(12, "chineseCounting") == "十二"
    assert format_number(5, "decimalZero") == "05"


def test_numbering_load_is_linear(tmp_path):
    """3,000 nums over one 9-level list cost 9 shared entries, not 3,000 copies of 3,000 levels."""
    import resource
    import time

    from checker.load import Limits, load

    levels = "".join(level(i, "decimal", "1") for i in range(3000))
    nums = [f'<w:num {NS} w:numId="{n}"><w:abstractNumId w:val="5"/></w:num>' for n in range(1, 3001)]
    path = numbered_docx(tmp_path / "many.docx", [f'<w:abstractNum {NS} w:abstractNumId="5">{levels}</w:abstractNum>'],
                         nums, [("推进依法行政", str(n), "0") for n in range(1, 3001)])
    started = time.process_time()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    source = load(str(path), limits=Limits())
    assert time.process_time() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB
    assert source.text.count("推进依法行政") == 3000
