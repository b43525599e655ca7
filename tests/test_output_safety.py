"""Outputs are safe and whole: a document full of markup cannot run anything when the HTML
report is opened in a real browser (headless Chromium), even with its Content-Security-Policy
removed; a killed run never leaves a truncated report."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from checker.model.document import document_from_text
from checker.render import RenderOptions, render
from checker.result import DocumentResult
from tests.conftest import seed

# Each payload, if it ever runs, marks the page: <html data-xss="N">.
MARK = "document.documentElement.setAttribute('data-xss','{n}')"
PAYLOADS = [
    "<script>{js}</script>",
    "<img src=x onerror=\"{js}\">",
    "\"onerror=\"{js}\" x=\"",
    "' onmouseover='{js}' x='",
    "<a href=\"javascript:{js}\">链接</a>",
    "javascript:{js}",
    "<svg onload=\"{js}\"></svg>",
    "</textarea></style></title><script>{js}</script>",
    "--><script>{js}</script><!--",
    "<iframe srcdoc=\"<script>parent.{js}</script>\"></iframe>",
    "<body onload=\"{js}\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"{js}\">",
]


def hostile_results(engine) -> list[DocumentResult]:
    lines = [payload.format(js=MARK.format(n=n)) for n, payload in enumerate(PAYLOADS)]
    text = "\n".join([f"{lines[0]}XX镇2023年度法治政府建设情况报告", "县委、县政府：",
                      *(f"一、{line}主要举措和成效。" for line in lines), "二、存在的不足和原因", *lines])
    doc = document_from_text(text, path=f"{lines[1]}.txt")
    result = engine.check_document(doc, keep_text=True)
    assert result.findings, "the payloads must reach findings, titles and text"
    broken = DocumentResult(path=f"{lines[2]}.docx", error=f"无法读取文件（{lines[4]}）")
    return [result, broken]


@pytest.fixture(scope="module")
def browser():
    from tests.browser import driver, require_browser

    require_browser()
    instance = driver()
    instance.set_page_load_timeout(30)
    yield instance
    instance.quit()


def assert_inert(browser, path, own_scripts: int = 0) -> None:
    """Open `path`, click every link, hover over the text: no payload may run. `own_scripts`
    is the number of <script> elements the page itself carries (the web page has one)."""
    browser.get(path.as_uri())
    time.sleep(0.3)  # let any onload/onerror handler fire
    for link in browser.find_elements("css selector", "a[href]"):
        try:
            if link.is_displayed():
                link.click()
        except Exception:  # noqa: BLE001 — an unclickable link runs nothing either
            pass
    for element in browser.find_elements("css selector", "[title], mark, span, td")[:200]:
        try:
            browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))", element)
        except Exception:  # noqa: BLE001
            pass
    marked = browser.execute_script("return document.documentElement.getAttribute('data-xss')")
    alerts = None
    try:
        alerts = browser.switch_to.alert.text
    except Exception:  # noqa: BLE001 — no alert is the expected case
        pass
    assert marked is None and alerts is None, f"payload {marked} ran"
    source = browser.execute_script("return document.documentElement.outerHTML")
    assert len(re.findall(r"<script\b", source, re.I)) == own_scripts


def test_html_report_runs_nothing_in_chromium(engine, national, browser, tmp_path):
    page = render("html", hostile_results(engine), RenderOptions(pack=national))
    as_is = tmp_path / "report.html"
    as_is.write_text(page, encoding="utf-8")
    assert_inert(browser, as_is)
    # Escaping alone must hold: the same page without its Content-Security-Policy.
    bare = tmp_path / "no-csp.html"
    bare.write_text(re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", page, flags=re.I), encoding="utf-8")
    assert "Content-Security-Policy" not in bare.read_text(encoding="utf-8")
    assert_inert(browser, bare)


def test_killed_run_leaves_the_previous_report_whole(tmp_path):
    """SIGKILL mid-batch: the report path still holds the previous complete report (the new one
    was being written to a temporary file and is never renamed into place)."""
    folder = tmp_path / "many"
    folder.mkdir()
    text = seed("002").read_bytes()
    for i in range(3000):
        (folder / f"r{i:04d}.txt").write_bytes(text)
    out = tmp_path / "out.json"
    out.write_text('{"schema_version": 1, "documents": []}\n', encoding="utf-8")
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(folder), "--format", f"json:{out}",
                             "-j", "1", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and not any(p.name.startswith(".out.json.") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert out.read_bytes() == before
    json.loads(out.read_text(encoding="utf-8"))


def test_the_browser_check_catches_a_payload_that_runs(browser, tmp_path):
    """Control: an unescaped payload is detected, so the test above can fail."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<html><body><img src=x onerror=\"{MARK.format(n=7)}\"></body></html>", encoding="utf-8")
    with pytest.raises(AssertionError, match="payload 7 ran"):
        assert_inert(browser, page)


def test_web_page_result_runs_nothing_in_chromium(engine, browser, tmp_path):
    """The self-check web page shows an uploaded document's text and findings: opened from a file
    (so no CSP header applies), the hostile upload runs nothing and adds no script."""
    import io

    from checker.web import create_app

    client = create_app().test_client()

    def upload(name: str, data: bytes) -> str:
        return client.post("/", data={"level": "township", "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data").get_data(as_text=True)

    benign = upload("报告.txt", seed("002").read_bytes())
    own = len(re.findall(r"<script\b", benign, re.I))
    result = hostile_results(engine)[0]
    page = tmp_path / "web.html"
    page.write_text(upload(PAYLOADS[1].format(js=MARK.format(n=99)) + ".txt", result.text.encode("utf-8")),
                    encoding="utf-8")
    assert "data-xss" in page.read_text(encoding="utf-8"), "the payloads reach the page as text"
    assert_inert(browser, page, own_scripts=own)
