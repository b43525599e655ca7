"""`checker serve`: the page a clerk uses, through Flask's test client and in headless Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from checker.web import create_app, shutdown
from tests.conftest import ROOT, seed

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("scratch")


@pytest.fixture(scope="module")
def app(scratch):
    app = create_app(max_bytes=2 * 1024 * 1024, scratch_base=str(scratch))
    yield app
    shutdown(app)


def seed_docx(prefix: str, target: Path) -> Path:
    """A seed written as a Word file, one paragraph per line, as a clerk's draft would be."""
    import docx

    word = docx.Document()
    for line in seed(prefix).read_text(encoding="utf-8").split("\n"):
        word.add_paragraph(line)
    word.save(str(target))
    return target


def docx_readable(path: Path) -> bool:
    from checker.errors import InputError
    from checker.load import load

    try:
        return load(str(path)).format == "docx"
    except InputError:
        return False


def post(client, name: str, data: bytes, level: str = "township"):
    return client.post("/", data={"level": level, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_page_has_no_network_resources(app):
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "script-src 'nonce-" in response.headers["Content-Security-Policy"]
    assert "乡镇/街道" in html and "县区" in html and "部门" in html


def test_upload_shows_score_checklist_highlights_and_downloads(app):
    html = post(app.test_client(), "东金庄乡.txt", seed("000").read_bytes()).get_data(as_text=True)
    assert re.search(r'id="score">\d', html)
    checklist = html[html.index('id="checklist"'):html.index("</table>", html.index('id="checklist"'))]
    assert checklist.count("✓") == 3 and "✗" in checklist and "下一步法治建设改进措施" in checklist
    assert re.search(r'<mark class="(error|warning|info)"', html)
    assert html.count('class="button download"') == 5
    assert "东金庄乡-修改稿.txt" in html and "东金庄乡-检查报告.xlsx" in html
    assert "下载带批注的稿件" in html and "东金庄乡-带批注.docx" in html and "东金庄乡-修订.docx" in html
    assert "(一)强化领导" in html  # the list of automatic fixes


def test_everything_from_the_document_is_escaped(app):
    text = seed("002").read_text(encoding="utf-8").replace("主要举措", "<script>alert(1)</script>主要举措", 1)
    html = post(app.test_client(), "<img src=x onerror=alert(2)>.txt", text.encode()).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_bidi_overrides_in_names_and_headings_are_shown_not_obeyed(app):
    text = seed("002").read_text(encoding="utf-8").replace("主要举措", "主要举措\u202e（草稿）\u2066", 1)
    html = post(app.test_client(), "报告\u202etxt.exe.txt", text.encode()).get_data(as_text=True)
    outside_text = re.sub(r'<pre id="text" class="text">.*?</pre>', "", html, flags=re.S)  # the document as it is
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", outside_text)
    assert "报告\ufffdtxt.exe.txt" in outside_text
    error = post(app.test_client(), "空\u202e.txt", b"").get_data(as_text=True)
    assert "空\ufffd.txt: 文件为空" in error


def test_bad_file_gets_the_command_line_reason(app):
    response = post(app.test_client(), "空白.txt", b"")
    assert response.status_code == 422
    assert "无法检查：空白.txt: 文件为空" in response.get_data(as_text=True)
    binary = post(app.test_client(), "x.txt", bytes(range(256)) * 20).get_data(as_text=True)
    assert "无法检查：x.txt: " in binary


def test_upload_size_limit_has_a_clear_message(app):
    response = post(app.test_client(), "big.txt", b"a" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert "文件太大：上传文件不能超过 2 MB" in response.get_data(as_text=True)


def test_nothing_is_left_on_disk(app, scratch):
    import tempfile

    post(app.test_client(), "a.txt", seed("003").read_bytes())
    [root] = scratch.iterdir()  # the server's scratch root: the request's directory is gone
    assert root.name.startswith("checker-serve-") and list(root.iterdir()) == []
    assert tempfile.gettempdir()  # uploads were never spooled: MemoryRequest keeps them in memory


def test_every_answer_is_a_chinese_page(app):
    client = app.test_client()
    for response, status in ((client.get("/nowhere"), 404), (client.put("/"), 405),
                             (client.post("/", data={"level": "<x>"}), 400),
                             (client.get("/template?year=abc&level=%00&issuer=%ff%fe"), 200)):
        assert response.status_code == status, response.status_code
        if status != 200:
            html = response.get_data(as_text=True)
            assert 'id="error"' in html and "Traceback" not in html and "Not Found" not in html


# --- the real page in headless Chromium --------------------------------------------------------

@pytest.fixture(scope="module")
def server(app):
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser_env(tmp_path_factory):
    from tests.browser import driver, require_browser

    require_browser()
    downloads = tmp_path_factory.mktemp("downloads")
    browser = driver(str(downloads))
    yield browser, downloads
    browser.quit()


def _wait_for(predicate, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_clerk_uploads_a_docx_in_chromium(app, server, browser_env, tmp_path):
    import docx
    import openpyxl
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser, downloads = browser_env
    draft = seed_docx("000", tmp_path / "东金庄乡草稿.docx")
    if not docx_readable(draft):  # until the .docx reader is in, drive the page with the text seed
        draft = tmp_path / "东金庄乡草稿.txt"
        draft.write_bytes(seed("000").read_bytes())
    browser.get(server)
    Select(browser.find_element(By.ID, "level")).select_by_visible_text("乡镇/街道")
    browser.find_element(By.ID, "file").send_keys(str(draft))
    assert draft.name in browser.find_element(By.ID, "chosen").text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1280, 560)
    browser.save_screenshot(str(ARTIFACTS / "web-upload.png"))
    browser.find_element(By.ID, "submit").click()
    _wait_for(lambda: browser.find_elements(By.ID, "result") or browser.find_elements(By.ID, "error"))
    errors = browser.find_elements(By.ID, "error")
    assert not errors, errors[0].text

    rows = browser.find_elements(By.CSS_SELECTOR, "#checklist tr")[1:]
    marks = [row.find_element(By.CSS_SELECTOR, "td.mark").text for row in rows]
    assert marks.count("✓") == 3 and "✗" in marks
    assert any("下一步法治建设改进措施" in row.text for row in rows)
    assert float(browser.find_element(By.ID, "score").text) > 0

    highlighted = browser.find_elements(By.CSS_SELECTOR, "#text mark")
    assert highlighted
    first = browser.find_element(By.CSS_SELECTOR, "#findings li a.place")
    first.click()
    target = browser.find_element(By.CSS_SELECTOR, "#text mark:target")
    assert target.is_displayed() and target.get_attribute("data-tip")

    item = browser.find_element(By.CSS_SELECTOR, "#findings li")
    severity = item.get_attribute("class")
    assert item.is_displayed()
    browser.find_element(By.CSS_SELECTOR, f"#filter input[value={severity}]").click()
    assert not item.is_displayed()
    assert all(m.value_of_css_property("background-color") in ("rgba(0, 0, 0, 0)", "transparent")
               for m in browser.find_elements(By.CSS_SELECTOR, f"#text mark.{severity}"))
    browser.find_element(By.CSS_SELECTOR, f"#filter input[value={severity}]").click()
    assert item.is_displayed()

    # Every highlight's explanation stays inside the text pane, which never scrolls sideways.
    outside = browser.execute_script("""
        var pane = document.querySelector('pre.text'), box = pane.getBoundingClientRect(), bad = [];
        document.querySelectorAll('#text mark').forEach(function (mark) {
          mark.focus();
          var tip = getComputedStyle(mark, '::after'), first = mark.getClientRects()[0];
          var right = first.left - box.left + parseFloat(tip.left) + parseFloat(tip.width);
          if (right > pane.clientWidth + 1 || first.left - box.left + parseFloat(tip.left) < -1) { bad.push(right); }
        });
        return [bad, pane.scrollWidth - pane.clientWidth];""")
    assert outside == [[], 0]

    browser.set_window_size(1280, 1500)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(ARTIFACTS / "web-result.png"))

    for link in browser.find_elements(By.CSS_SELECTOR, "a.download"):
        link.click()
    names = ("东金庄乡草稿-检查报告.html", "东金庄乡草稿-检查报告.xlsx", "东金庄乡草稿-修改稿" + draft.suffix,
             "东金庄乡草稿-带批注.docx", "东金庄乡草稿-修订.docx")
    _wait_for(lambda: all((downloads / n).exists() for n in names) and not list(downloads.glob("*.crdownload")))
    assert "<mark" in (downloads / names[0]).read_text(encoding="utf-8")
    book = openpyxl.load_workbook(downloads / names[1], read_only=True)
    assert book.sheetnames[:2] == ["汇总", "问题"]
    if draft.suffix == ".docx":
        fixed = [p.text for p in docx.Document(str(downloads / names[2])).paragraphs]
    else:
        fixed = (downloads / names[2]).read_text(encoding="utf-8").split("\n")
    assert "(一)强化领导,压实党委工作责任" in fixed
    with zipfile.ZipFile(downloads / names[3]) as commented:
        assert "法治报告检查" in commented.read("word/comments.xml").decode("utf-8")
    with zipfile.ZipFile(downloads / names[4]) as tracked:
        assert "<w:ins " in tracked.read("word/document.xml").decode("utf-8")
    assert "一、2023年度推进法治政府建设的主要举措和成效" in fixed


def test_level_chooses_its_pack_and_html_drafts_come_back_as_docx(app):
    from checker.levels import pack_for
    from tests.makedocs import html_page

    page = html_page(seed("003").read_text(encoding="utf-8"))
    html = post(app.test_client(), "金城乡.html", page.encode("utf-8"), level="department").get_data(as_text=True)
    assert f"规则：{pack_for('department').title}" in html
    assert 'option value="department" selected' in html
    assert "金城乡-修改稿.docx" in html


def test_serve_binds_to_this_machine_by_default(monkeypatch):
    from click.testing import CliRunner

    from checker.cli import main

    calls = {}

    class Server:  # waitress's server, without binding or serving
        effective_port = 8799

        def run(self):
            calls["run"] = True

        def close(self):
            calls["closed"] = True

    def create_server(app, **options):
        calls.update(options)
        return Server()

    monkeypatch.setattr("waitress.server.create_server", create_server)
    result = CliRunner().invoke(main, ["serve", "--port", "8799"])
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8799 and calls["run"] and calls["closed"]
    assert "http://127.0.0.1:8799/" in result.output


def test_template_download_from_the_page(app):
    import docx

    client = app.test_client()
    assert 'action="template"' in client.get("/").get_data(as_text=True)
    response = client.get("/template?year=2025&level=county&issuer=某某县人民政府")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs]
    assert paragraphs[0] == "某某县人民政府2025年度法治政府建设情况报告"
    assert "四、2026年度推进法治政府建设的主要安排" in paragraphs
    assert client.get("/template?year=99").status_code == 400
