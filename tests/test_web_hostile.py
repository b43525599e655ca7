"""Hostile uploads to ``checker serve`` (issue 14, item 10): every request gets a Chinese page in
bounded time and memory, the server keeps serving, and nothing is left on disk when it stops.

The parsers' own limits already refuse these files (tests/test_hostile_bounds.py); here they are
relaxed, so the files reach the last line of defence: the worker process's timeout and memory cap.
All inputs are built in the tests."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from checker.batch import KILL_GRACE
from checker.load import Limits
from checker.web import create_app, shutdown
from checker.web.worker import ROOT_PREFIX, scratch_root
from tests.conftest import ROOT, seed
from tests.hostile import descendants
from tests.makedocs import write_docx

# Tests that time servers and workers by the wall clock run one after another on one xdist worker
# (`--dist loadgroup` in the README's test command), never beside each other.
pytestmark = pytest.mark.xdist_group("wall-clock")

TIMEOUT = 4.0  # generous: a real report must pass within it on a loaded machine
# The parsers' guards off: a million attributes reach the HTML parser, a gigabyte part the unzipper.
RELAXED = dict(html_max_attributes=10**7, zip_max_total=10**11, zip_max_ratio=10**9, xml_max_part=10**11)


def million_attributes() -> bytes:
    """An HTML page whose one element has 1,000,000 attributes (the parser's cost is quadratic)."""
    attributes = " ".join(f"a{i}=x" for i in range(1_000_000))
    return f"<html><body><p {attributes}>一、主要举措和成效</p></body></html>".encode()


def docx_bomb(megabytes: int) -> bytes:
    """A real report as .docx whose document.xml inflates to `megabytes` MB (about 1 MB per GB)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        base = write_docx(seed("002").read_text(encoding="utf-8"), Path(scratch) / "base.docx")
        buffer = io.BytesIO()
        with zipfile.ZipFile(base) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    target.writestr(info.filename, source.read(info))
                    continue
                head, tail = source.read(info).split(b"<w:body>")
                paragraphs = (b"<w:p><w:r><w:t>" + b"x" * 1000 + b"</w:t></w:r></w:p>") * 1000  # ~1 MB
                with target.open("word/document.xml", "w", force_zip64=True) as part:
                    part.write(head + b"<w:body>")
                    for _ in range(megabytes):
                        part.write(paragraphs)
                    part.write(tail)
    return buffer.getvalue()


def error_of(html: str) -> str:
    start = html.index('id="error"')
    return html[html.index(">", start) + 1:html.index("</p>", start)]


# --- in-process: the Flask app and its workers -------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(timeout=TIMEOUT, limits=Limits(**RELAXED), checks=1, waiting=0,
                     scratch_base=str(tmp_path_factory.mktemp("scratch")))
    yield app
    shutdown(app)


def post(client, name: str, data: bytes):
    return client.post("/", data={"level": "township", "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def worker_pid(app) -> int:
    service = app.extensions["checker"]["service"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pids = [pid for pool in list(service._pools) for pid in (pool._processes or {})]
        if pids:
            return pids[0]
        time.sleep(0.05)
    raise AssertionError("no worker started")


def test_hanging_upload_answers_within_the_timeout_and_the_server_keeps_serving(app):
    client = app.test_client()
    assert post(client, "热身.txt", seed("003").read_bytes()).status_code == 200  # the worker is up
    hung = worker_pid(app)
    payload = million_attributes()
    started = time.monotonic()
    response = post(client, "attrs.html", payload)
    seconds = time.monotonic() - started
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Traceback" not in html
    assert error_of(html) == f"无法检查：attrs.html: 检查超时（超过 {TIMEOUT:g} 秒），已停止检查此文件"
    assert seconds < TIMEOUT + KILL_GRACE + 4, seconds  # the timeout, the grace for a worker stuck in C code
    assert not Path(f"/proc/{hung}").exists() or _zombie(hung)  # the stuck worker was killed …
    ok = post(client, "东金庄乡.txt", seed("000").read_bytes())  # … and a fresh one checks the next file
    assert ok.status_code == 200 and 'id="score"' in ok.get_data(as_text=True)


def test_a_worker_s_start_up_is_not_counted_in_the_first_upload_s_timeout(tmp_path, monkeypatch):
    """A worker still starting (dictionaries loading; seconds on a loaded machine) when the first
    upload comes: the upload's time limit starts when the worker is up, not when it was asked."""
    from checker.web.worker import SLOW_START_ENV

    monkeypatch.setenv(SLOW_START_ENV, str(TIMEOUT + KILL_GRACE + 1))
    app = create_app(timeout=TIMEOUT, scratch_base=str(tmp_path))
    try:
        response = post(app.test_client(), "东金庄乡.txt", seed("000").read_bytes())
        assert response.status_code == 200 and 'id="score"' in response.get_data(as_text=True)
    finally:
        shutdown(app)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_worker_dying_mid_check_costs_only_that_request_and_busy_is_said_at_once(tmp_path):
    app = create_app(timeout=60, limits=Limits(**RELAXED), checks=1, waiting=0, scratch_base=str(tmp_path))
    try:
        client = app.test_client()
        root = Path(app.extensions["checker"]["scratch"].path)
        app.extensions["checker"]["service"].start()
        victim = worker_pid(app)
        payload = million_attributes()
        answers: list = []
        hanging = threading.Thread(target=lambda: answers.append(post(app.test_client(), "attrs.html", payload)))
        hanging.start()
        deadline = time.monotonic() + 30
        while not list(root.iterdir()):  # the upload is with the only worker
            assert time.monotonic() < deadline
            time.sleep(0.05)
        started = time.monotonic()
        busy = post(client, "第二份.txt", seed("003").read_bytes())  # told at once
        assert time.monotonic() - started < 2
        assert busy.status_code == 503 and busy.headers["Retry-After"]
        assert error_of(busy.get_data(as_text=True)).startswith("无法检查：忙：")
        os.kill(victim, signal.SIGKILL)  # as the kernel's OOM killer or a crashing parser would
        hanging.join(60)
        [crashed] = answers
        assert crashed.status_code == 500, error_of(crashed.get_data(as_text=True))
        assert "检查进程在处理此文件时意外退出" in error_of(crashed.get_data(as_text=True))
        after = post(client, "东金庄乡.txt", seed("000").read_bytes())
        assert after.status_code == 200, error_of(after.get_data(as_text=True))
    finally:
        shutdown(app)


def test_with_default_limits_hostile_uploads_are_refused_in_seconds(tmp_path):
    """The same files against the page's defaults: the parsers' guards answer first, with the reason."""
    app = create_app(scratch_base=str(tmp_path))
    try:
        client = app.test_client()
        assert post(client, "热身.txt", seed("003").read_bytes()).status_code == 200  # the worker is up: not timed
        for name, data, reason in (("attrs.html", million_attributes(), "属性过多"),
                                   ("炸弹.docx", docx_bomb(300), "疑似压缩炸弹")):
            started = time.monotonic()
            response = post(client, name, data)
            assert time.monotonic() - started < 10
            assert response.status_code == 422 and reason in error_of(response.get_data(as_text=True))
    finally:
        shutdown(app)
    assert list(tmp_path.iterdir()) == []


def test_stale_scratch_roots_of_dead_servers_are_removed(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{ROOT_PREFIX}{gone.stdout.strip()}-abc"
    (stale / "upload-x").mkdir(parents=True)
    alive = tmp_path / f"{ROOT_PREFIX}{os.getpid()}-def"  # a running server's root is left alone
    alive.mkdir()
    root = scratch_root(str(tmp_path))
    assert not stale.exists() and alive.exists() and Path(root.path).is_dir()
    root.close()
    assert not Path(root.path).exists()


# --- a real server process (waitress), stopped while a check runs ---------------------------------

SERVER = """
import sys
from waitress.server import create_server
from checker.load import Limits
from checker.web import create_app, serve_until_stopped

if __name__ == "__main__":
    app = create_app(timeout=60, limits=Limits(**{relaxed}), max_memory=300 * 1024 * 1024, checks=2, waiting=0,
                     scratch_base=sys.argv[1])
    server = create_server(app, host="127.0.0.1", port=0, threads=6, ident="checker")
    print(server.effective_port, flush=True)
    serve_until_stopped(server, app)
    print("stopped", flush=True)
"""


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "checkerboundary7MA4YWxkTrZu0gW"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"level\"\r\n\r\ntownship\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(url: str, name: str, data: bytes, timeout: float = 60) -> tuple[int, str]:
    body, content_type = multipart(name, data)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def peak_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_server_refuses_a_memory_bomb_without_growing_and_cleans_up_when_stopped_mid_check(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", SERVER.format(relaxed=RELAXED), str(tmp_path)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{process.stdout.readline().strip()}/"
        [root] = tmp_path.iterdir()
        status, html = upload(url, "东金庄乡.txt", seed("000").read_bytes())
        assert status == 200, html[-500:]
        before = peak_kb(process.pid)

        # A .docx whose one part inflates to 512 MB: refused by the worker's 300 MB cap.
        status, html = upload(url, "炸弹.docx", docx_bomb(512))
        assert status == 422 and "内存不足" in error_of(html), error_of(html)
        assert peak_kb(process.pid) - before < 50 * 1024, (before, peak_kb(process.pid))  # the server did not grow
        assert upload(url, "东金庄乡.txt", seed("000").read_bytes())[0] == 200

        # Both workers stuck in the HTML parser; the server is stopped meanwhile.
        answers: list = []

        def stuck() -> None:
            try:
                answers.append(upload(url, "attrs.html", million_attributes()))
            except OSError as exc:  # the server went away: no answer is an answer here
                answers.append(exc)

        threads = [threading.Thread(target=stuck) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(list(root.iterdir())) < 2:  # both uploads are being checked
            assert time.monotonic() < deadline
            time.sleep(0.05)
        busy_status, busy_html = upload(url, "第三份.txt", seed("003").read_bytes(), timeout=5)
        assert busy_status == 503 and "忙" in error_of(busy_html)
        with urllib.request.urlopen(url, timeout=5) as page:  # the page still answers
            assert page.status == 200
        workers = descendants(process.pid)
        assert len(workers) >= 2
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
        for thread in threads:
            thread.join(15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "stopped" in out and "Traceback" not in err and "Exception" not in err, err
    assert list(tmp_path.iterdir()) == []  # the root and the uploads being checked are gone
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the server"
        time.sleep(0.1)


# --- scanned uploads: the batch's allowance for every page read by OCR ------------------------------

@pytest.fixture
def scan_worker(monkeypatch, national, tmp_path):
    """`checker.web.worker._check` run here, its OCR a slow stand-in (0.25 s a page, nothing read)."""
    pytest.importorskip("rapidocr_onnxruntime")
    import checker.load.ocr as ocr
    from checker.engine import Engine
    from checker.web import worker
    from tests.test_ocr_batch import blank_scan

    monkeypatch.setattr(ocr, "recognise", lambda image: time.sleep(0.25) or [])

    def run(page_seconds: float, timeout: float):
        engine = Engine(national, limits=Limits(ocr_page_seconds=page_seconds))
        monkeypatch.setattr(worker, "_WORKER", {"engines": {"national": engine}, "extra": None})
        scan = blank_scan(tmp_path / "upload.pdf", 4)
        return worker._check("national", "扫描件.pdf", str(scan), timeout)
    return run


def test_scanned_upload_gets_the_ocr_allowance(scan_worker):
    outcome = scan_worker(page_seconds=1.0, timeout=0.4)  # 1 s of OCR against 0.4 s + 4 × 1 s
    assert outcome.status == 422 and "超时" not in outcome.values["error"]
    assert "文字识别没有读出文字" in outcome.values["error"]


def test_scanned_upload_past_its_allowance_is_stopped_and_says_why(scan_worker):
    outcome = scan_worker(page_seconds=0.05, timeout=0.4)
    assert outcome.values["error"] == ("扫描件.pdf: 检查超时（超过 0.6 秒：0.4 秒，另加 4 页扫描页的文字识别每页 0.05 秒），"
                                       "已停止检查此文件")


def test_server_waits_for_what_the_worker_was_granted():
    from concurrent.futures import Future
    from concurrent.futures import TimeoutError as FutureTimeout
    from types import SimpleNamespace

    from checker.web.worker import CheckService, Outcome

    class Granted:  # the shared value a worker raises when it starts reading scanned pages
        value = 3.0

    def answer_after(seconds: float) -> Future:
        future: Future = Future()
        threading.Timer(seconds, future.set_result, [Outcome(200, {})]).start()
        return future

    service = SimpleNamespace(timeout=0.1, _extra={"pool": Granted()})
    started = time.monotonic()
    assert CheckService._wait(service, "pool", answer_after(KILL_GRACE + 1)).status == 200  # 0.1 + 3 + grace
    assert time.monotonic() - started > KILL_GRACE
    service._extra["pool"].value = 0.0
    with pytest.raises(FutureTimeout):
        CheckService._wait(service, "pool", answer_after(KILL_GRACE + 2))
