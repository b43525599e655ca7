"""A batch of hostile and broken files among good reports, through the command line with
parallel workers and every file report: each bad file fails alone with a one-line reason,
nothing is read from outside the batch (disk or network), inputs are byte-for-byte unchanged,
the counts add up, and every report file is complete. All files are generated here."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.hostile import pdf_from_objects, run_checker
from tests.makedocs import write_docx, write_html, write_pdf
from tests.test_formats import BILLION_LAUGHS

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


class Listener:
    """A local TCP port that records every connection: external entities must never dial it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


def docx_with(base: Path, path: Path, xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return path


def huge_page_count_pdf() -> bytes:
    """A hand-made PDF whose page tree claims a hundred million pages."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    return pdf_from_objects(objects)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    batch = root / "batch"
    batch.mkdir()
    secret = root / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    listener = Listener()
    report = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    good = {
        "good.txt": lambda p: p.write_text(report, encoding="utf-8"),
        "good.docx": lambda p: write_docx(report, p),
        "good.html": lambda p: write_html(report, p),
        "good.pdf": lambda p: write_pdf(report, p),
    }
    for name, make in good.items():
        make(batch / name)
    base = write_docx("占位", root / "base.docx")
    # name -> words one of which the one-line reason must contain (None: checked, not refused)
    expected: dict[str, tuple[str, ...] | None] = {name: None for name in good}

    docx_with(base, batch / "bomb.docx", b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    expected["bomb.docx"] = ("压缩炸弹",)
    docx_with(base, batch / "laughs.docx", BILLION_LAUGHS)
    expected["laughs.docx"] = ("DTD", "实体")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a SYSTEM "file://{secret}">'
           f'<!ENTITY b SYSTEM "http://127.0.0.1:{listener.port}/x">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&a;&b;</w:t></w:r></w:p></w:body></w:document>').encode()
    docx_with(base, batch / "xxe.docx", xxe)
    expected["xxe.docx"] = ("DTD", "实体")
    # An entity in a part other than the main document (styles.xml) must not be expanded either.
    styles = (f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY c SYSTEM "http://127.0.0.1:{listener.port}/s">]>'
              f'<w:styles {W}>&c;</w:styles>').encode()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(batch / "xxe-styles.docx", "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, styles if info.filename == "word/styles.xml" else source.read(info))
    expected["xxe-styles.docx"] = ("DTD", "实体", None)  # refusing or ignoring the part are both fine

    (batch / "pages.pdf").write_bytes(huge_page_count_pdf())
    expected["pages.pdf"] = ("页", "PDF")
    (batch / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n"
                                       b"trailer << /Root 1 0 R >>\n%%EOF")
    expected["broken.pdf"] = ("PDF",)
    script = ("<html><head><script>document.title='x'</script></head><body>"
              "<iframe src='http://127.0.0.1:%d/i'></iframe><img src=x onerror=alert(1)>"
              "<h1>某镇2023年度法治政府建设情况报告</h1><p>一、主要举措和成效</p><p>推进依法行政。</p>"
              "<script>fetch('http://127.0.0.1:%d/f')</script></body></html>") % (listener.port, listener.port)
    (batch / "script.html").write_text(script, encoding="utf-8")
    expected["script.html"] = None
    (batch / "nested.html").write_text("<html><body>" + "<div>" * 300_000 + "一、主要举措和成效"
                                       + "</div>" * 300_000 + "</body></html>", encoding="utf-8")
    expected["nested.html"] = ("网页", "层", "嵌套", "元素", None)

    (batch / "liar.docx").write_text("这其实是文本文件", encoding="utf-8")
    expected["liar.docx"] = ("扩展名",)
    (batch / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    expected["image.txt"] = ("图片",)
    with zipfile.ZipFile(batch / "archive.pdf", "w") as archive:
        archive.writestr("x.txt", "x")
    expected["archive.pdf"] = ("ZIP", "压缩包", "PDF")
    (batch / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = ("空",)
    (batch / "noise.txt").write_bytes(bytes(range(256)) * 40)
    expected["noise.txt"] = ("二进制", "编码")

    os.symlink("loop.txt", batch / "loop.txt")
    expected["loop.txt"] = ("无法读取",)
    os.symlink("nowhere.txt", batch / "dangling.txt")
    expected["dangling.txt"] = ("无法读取",)
    os.mkfifo(batch / "fifo.txt")
    expected["fifo.txt"] = ("不是普通文件",)
    gbk_name = os.fsdecode("报告.txt".encode("gbk"))
    with open(os.path.join(os.fsencode(batch), "报告.txt".encode("gbk")), "w", encoding="utf-8") as handle:
        handle.write(report)
    expected[gbk_name] = None
    (batch / "~$draft.docx").write_bytes(b"lock")  # office temp: skipped, not failed

    # Round two (issue 14): names that are markup or control sequences, numbering and attribute
    # bombs, a directive flood, characters XML cannot hold, links out of the directory.
    for name in ("[bold]x.txt", "[red]y.txt", "名\x1b]0;t\x07\x1b[2J\u009b.txt", "line\n::warning ::x.txt",
                 "长" * 80 + ".txt"):
        (batch / name).write_text(report, encoding="utf-8")
        expected[name] = None
    (batch / "a[").mkdir()
    (batch / "a[" / "b].txt").write_text(report.replace("\n", "[/]\n", 1), encoding="utf-8")
    expected["b].txt"] = None
    (batch / "unxml.txt").write_text(report.replace("\n", "\ufffe\uffff\n", 1), encoding="utf-8")
    expected["unxml.txt"] = None
    from tests.test_hostile_docx import numbered_docx, one_list

    numbered_docx(batch / "letters.docx", *one_list("upperLetter", "1500000000"))
    expected["letters.docx"] = None
    numbered_docx(batch / "ilvl.docx", *one_list("ideographDigital", "-5", ilvl="²"))
    expected["ilvl.docx"] = None
    (batch / "attrs.html").write_text("<html><body><p " + " ".join(f"a{i}=x" for i in range(300_000))
                                      + ">一、主要举措和成效</p></body></html>", encoding="utf-8")
    expected["attrs.html"] = ("属性",)
    from tests.test_hostile_bounds import comment_flood_docx

    comment_flood_docx(batch / "flood.docx", 20_000, "bogus-{i}")
    expected["flood.docx"] = None
    os.symlink(secret, batch / "outside.txt")  # skipped: out of the checked directory
    os.symlink("/proc/self/status", batch / "proc.txt")  # skipped likewise
    (batch / "folder.txt").mkdir()  # a directory named like a file, given directly below

    hashes = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()
              if p.is_file() and not p.is_symlink() and p.name != "fifo.txt"}
    yield batch, root, expected, hashes, listener
    listener.close()


def test_hostile_batch_fails_each_bad_file_alone_and_keeps_everything_else(hostile):
    batch, root, expected, hashes, listener = hostile
    out = root / "out"
    out.mkdir()
    reports = {fmt: out / f"report.{ext}" for fmt, ext in
               (("json", "json"), ("csv", "csv"), ("html", "html"), ("xlsx", "xlsx"), ("sarif", "sarif"))}
    reports["junit"] = out / "report.xml"
    args = ["check", batch.name, str(batch / "folder.txt"), "-j", "2", "--no-progress", "--timeout", "10"]
    for fmt, path in reports.items():
        args += ["--format", f"{fmt}:{path}"]
    args += ["--format", "terminal"]  # the batch summary on stdout, with every hostile name in it
    run = run_checker(*args, timeout=180, cwd=str(root))  # relative paths: short enough not to wrap
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
    assert run.returncode == 2, run.stderr
    assert run.peak_mb < 1024, f"peak memory {run.peak_mb:.0f} MB"
    assert "\x1b" not in run.stdout and "\u009b" not in run.stdout

    documents = json.loads(reports["json"].read_text(encoding="utf-8"))["documents"]
    by_name = {Path(d["path"]).name: d for d in documents}
    gbk = os.fsdecode("报告.txt".encode("gbk"))
    assert "报告.txt" in by_name, "a GBK file name is shown as Chinese"
    for name, words in expected.items():
        shown = "报告.txt" if name == gbk else name
        assert shown in by_name, f"{name} missing from the report"
        error = by_name[shown]["error"]
        if words is None:
            assert error is None, f"{name}: {error}"
            continue
        if error is None:
            assert None in words, f"{name} should have been refused"
            continue
        assert "\n" not in error and "内部错误" not in error and "Traceback" not in error, (name, error)
        assert "超时" not in error, f"{name} took more than 10 s"
        assert "请报告" not in error, (name, error)
        assert any(w and w in error for w in words), f"{name}: {error}"
    assert "folder.txt" not in by_name  # a directory named like a file is walked (empty), not read

    # Counts: found = checked + failed + skipped (the ~$ temp file is the one skipped).
    summary = run.stderr.strip().splitlines()[-1]
    import re

    found, checked, failed, skipped = map(int, re.search(r"共找到 (\d+) 份：已检查 (\d+) 份，无法检查 (\d+) 份，跳过 (\d+) 份",
                                                         summary).groups())
    assert found == checked + failed + skipped == len(documents) + skipped
    assert skipped == 3
    listed = {Path(item["path"]).name: item["reason"]
              for item in json.loads(reports["json"].read_text(encoding="utf-8"))["skipped"]}
    assert set(listed) == {"~$draft.docx", "outside.txt", "proc.txt"}
    assert "符号链接" in listed["outside.txt"] and "符号链接" in listed["proc.txt"]
    assert checked == sum(1 for d in documents if d["error"] is None)

    # Nothing from outside the batch was read, nothing was fetched, no input changed.
    for path in reports.values():
        assert b"TOP-SECRET-VALUE" not in path.read_bytes()
    assert listener.connections == 0
    for path, digest in hashes.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{path.name} was modified"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reports.values()), "temp files left"

    # Every report is whole.
    with zipfile.ZipFile(reports["xlsx"]) as book:
        assert book.testzip() is None
    assert json.loads(reports["sarif"].read_text(encoding="utf-8"))["runs"]
    assert reports["html"].read_text(encoding="utf-8").rstrip().endswith("</html>")
    import xml.dom.minidom

    xml.dom.minidom.parse(str(reports["junit"]))
    for name in ("[bold]x.txt", "[red]y.txt", "b].txt"):
        assert name in run.stdout, name
    assert len(reports["csv"].read_text(encoding="utf-8-sig").strip().splitlines()) >= len(documents) + 1


def test_symlink_policy_and_pseudo_files(tmp_path):
    """Files under the given directories only: a link out of it is skipped (reason given) unless
    --follow-symlinks; a /proc file is refused even when named or followed."""
    report = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text(report.replace("\n", "OUTSIDE-MARKER\n", 1), encoding="utf-8")
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "own.txt").write_text(report, encoding="utf-8")
    os.symlink(outside, folder / "link.txt")
    os.symlink("own.txt", folder / "inside-link.txt")
    os.symlink("/proc/self/status", folder / "status.txt")
    run = run_checker("check", str(folder), "--format", "json", "-j", "1")
    data = json.loads(run.stdout)
    assert sorted(Path(d["path"]).name for d in data["documents"]) == ["inside-link.txt", "own.txt"]
    assert sorted(Path(s["path"]).name for s in data["skipped"]) == ["link.txt", "status.txt"]
    assert "OUTSIDE-MARKER" not in run.stdout
    followed = json.loads(run_checker("check", str(folder), "--format", "json", "-j", "1",
                                      "--follow-symlinks").stdout)
    by_name = {Path(d["path"]).name: d for d in followed["documents"]}
    assert by_name["link.txt"]["error"] is None
    assert "伪文件" in by_name["status.txt"]["error"]
    direct = json.loads(run_checker("check", "/proc/self/status", "--format", "json").stdout)
    assert "伪文件" in direct["documents"][0]["error"]
