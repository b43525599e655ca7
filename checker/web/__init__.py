"""``checker serve``: a local page where a clerk drops a draft and sees what to fix.

Flask serves one page. An upload is held in memory (the request's file stream is a BytesIO, never
a spooled temporary file), then written into the request's own directory under the server's
scratch root and checked in a worker process (`checker.web.worker`): parsing, the check, the fixes
and the marked-up copies all run there, bounded in time and memory like a batch, so a hostile file
costs its own request a one-line Chinese reason and nothing else. The directory is deleted before
the response is sent, the root when the server stops. Nothing is kept between requests: the report
downloads (HTML, XLSX) and the fixed draft are embedded in the result page itself.

Every answer is the page with a Chinese message, whatever went wrong (a bad form value, an unknown
address, a file too large, a check that timed out, a worker that died, all workers busy, a bug).

The page loads nothing from the network: CSS and JavaScript are inline, allowed by a per-response
nonce in the Content-Security-Policy, so even text that escaped escaping could not run. Every piece
of text from the document goes through Jinja's autoescaping or `html.escape`.
"""

from __future__ import annotations

import atexit
import base64
import io
import os
import secrets
from dataclasses import dataclass, replace
from importlib import resources

from flask import Flask, Request, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from checker.levels import DEFAULT_LEVEL, LEVELS, pack_name_for
from checker.result import DocumentResult, Severity

WEB_LEVELS = ("national", "township", "county", "department")  # the first is the default, as in the CLI
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SEVERITY_CLASS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
STATUS_MARK = {"present": "✓", "substance": "~", "missing": "✗"}
STATUS_CLASS = {"present": "ok", "substance": "part", "missing": "miss"}
MIME = {
    ".html": "text/html;charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain;charset=utf-8",
}


class MemoryRequest(Request):
    """Uploads stay in memory: Werkzeug would otherwise spool files over 500 KB to disk."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


@dataclass
class Download:
    label: str
    filename: str
    data_uri: str


def _data_uri(data: bytes | str, suffix: str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{MIME[suffix].split(';')[0]};base64,{base64.b64encode(raw).decode('ascii')}"


def _asset(name: str) -> str:
    return (resources.files("checker.web") / "assets" / name).read_text(encoding="utf-8")


# Chinese answers for the HTTP errors a browser (or a script) can provoke.
HTTP_MESSAGES = {
    400: "请求格式不正确，请回到首页重新选择文件后提交。",
    404: "没有这个页面，请回到首页。",
    405: "不支持这种请求方式，请回到首页重新提交。",
}


def create_app(max_bytes: int = DEFAULT_MAX_BYTES, limits=None, timeout: float | None = None,
               checks: int | None = None, waiting: int | None = None, max_memory: int | None = None,
               scratch_base: str | None = None) -> Flask:
    """The page and its check service (worker processes, started on first use or by
    `serve_until_stopped`). ``limits`` bounds what a
    document may cost (default: the batch's, with ``max_bytes``); ``timeout`` (seconds), ``checks``,
    ``waiting`` and ``max_memory`` (bytes per worker) default to `checker.web.worker`'s. Call
    `shutdown(app)` when done (also run at exit)."""
    from checker.load import Limits
    from checker.packs import load_pack
    from checker.render.safe import plain
    from checker.web import worker

    app = Flask(__name__)
    app.request_class = MemoryRequest
    app.config["MAX_CONTENT_LENGTH"] = max_bytes
    max_mb = max(1, max_bytes // (1024 * 1024))
    limits = limits or Limits(max_bytes=max_bytes)
    packs = {level: load_pack(pack_name_for(level)) for level in WEB_LEVELS}
    scratch = worker.scratch_root(scratch_base)
    service = worker.CheckService(
        packs, limits, scratch, checks=worker.DEFAULT_CHECKS if checks is None else checks,
        waiting=worker.DEFAULT_WAITING if waiting is None else waiting,
        timeout=worker.DEFAULT_TIMEOUT if timeout is None else timeout,
        max_memory=worker.DEFAULT_MEMORY if max_memory is None else max_memory)
    app.extensions["checker"] = {"service": service, "scratch": scratch}
    atexit.register(shutdown, app)
    css, js = _asset("page.css"), _asset("page.js")
    levels = [(level, LEVELS[level][0]) for level in WEB_LEVELS]

    def page(status: int = 200, **values):
        if values.get("error"):
            values["error"] = plain(values["error"])  # it may quote the file's name
        nonce = secrets.token_urlsafe(16)
        import datetime

        html = render_template("page.html", css=css, js=js, nonce=nonce, levels=levels, max_mb=max_mb,
                               default_year=datetime.date.today().year - 1,
                               level=values.pop("level", DEFAULT_LEVEL), **values)
        response = app.response_class(html, status=status, mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index():
        return page()

    @app.post("/")
    def check():
        level = request.form.get("level", DEFAULT_LEVEL)
        level = level if level in packs else DEFAULT_LEVEL
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return page(400, level=level, error="请先选择或拖入一个报告文件（.docx、.txt、.pdf 或 .html）。")
        filename = os.path.basename(upload.filename.replace("\\", "/")) or "报告"
        outcome = service.run(level, filename, upload.read())
        response = page(outcome.status, level=level, **outcome.values)
        if outcome.status == 503:
            response.headers["Retry-After"] = "30"
        return response

    @app.get("/template")
    def template_download():
        """The skeleton report (checker template) as a Word file, made in memory."""
        import datetime
        from urllib.parse import quote

        from checker import skeleton

        level = request.args.get("level", DEFAULT_LEVEL)
        level = level if level in packs else DEFAULT_LEVEL
        try:
            year = int(request.args.get("year", ""))
        except ValueError:
            year = datetime.date.today().year - 1
        if not 2000 <= year <= 2100:
            return page(400, level=level, error="年度应为 2000—2100 之间的四位数字。")
        issuer = " ".join(request.args.get("issuer", "").split())[:60] or LEVELS[level][2]
        buffer = io.BytesIO()
        skeleton.write_docx(skeleton.build(packs[level], year, issuer), buffer)
        response = app.response_class(buffer.getvalue(), mimetype=MIME[".docx"])
        name = f"{issuer}{year}年度法治政府建设情况报告（框架）.docx"
        response.headers["Content-Disposition"] = f"attachment; filename=\"report.docx\"; filename*=UTF-8''{quote(name)}"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        return page(413, error=f"文件太大：上传文件不能超过 {max_mb} MB。请删去文中的大图片，或另存为 .docx / .txt 后再试。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return page(status, error=HTTP_MESSAGES.get(status, f"请求无法处理（HTTP {status}），请回到首页重试。"))

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.error("internal error: %s", type(exc).__name__)
        return page(500, error=f"网页服务出现内部错误（{type(exc).__name__}），请重试；如再次出现请报告此问题。")

    return app


def shutdown(app: Flask) -> None:
    """Stop the app's workers (a check in progress is abandoned) and remove its scratch root."""
    state = app.extensions.get("checker")
    if state:
        state["service"].close()
        state["scratch"].close()


def check_upload(engine, filename: str, path: str) -> dict:
    """Check the upload saved at `path` (named `filename` by the user) and work out its fixes and
    marked-up copies. Runs in a worker process (`checker.web.worker`)."""
    from checker import annotate as marking
    from checker import fix as fixing
    from checker.errors import CheckerError
    from checker.render import RenderOptions, render

    from checker.render.safe import plain

    suffix = os.path.splitext(path)[1]
    stem = plain(os.path.splitext(filename)[0]) or "报告"  # download names: no bidi override either
    try:
        source, plan = fixing.plan_file(engine, path)
    except CheckerError as exc:
        return {"error": f"{filename}: {getattr(exc, 'reason', exc)}"}
    result: DocumentResult = replace(plan.result, path=filename)
    if result.error:
        return {"error": f"{filename}: {result.error}"}
    fixed_suffix = suffix if suffix in (".docx", ".txt") else ".docx"
    fixed, skipped = fixing.fixed_output(plan, source, path, fixed_suffix)
    commented = marking.mark(plan, source, path, engine.pack, comments=True, track=False)
    tracked = marking.mark(plan, source, path, engine.pack, comments=False, track=True)
    options = RenderOptions(pack=engine.pack)
    downloads = [
        Download("检查报告（网页 HTML）", f"{stem}-检查报告.html", _data_uri(render("html", [result], options), ".html")),
        Download("检查报告（Excel 表格）", f"{stem}-检查报告.xlsx", _data_uri(render("xlsx", [result], options), ".xlsx")),
        Download(f"修改稿（{fixed_suffix[1:]}，已自动修正 {len(plan.fixes) - len(skipped)} 处）",
                 f"{stem}-修改稿{fixed_suffix}", _data_uri(fixed, fixed_suffix)),
        Download(f"带批注的稿件（docx，{commented.comments} 条批注）", f"{stem}-带批注.docx",
                 _data_uri(commented.data, ".docx")),
        Download(f"修订模式稿（docx，{tracked.tracked} 处修订，可逐条接受或拒绝）", f"{stem}-修订.docx",
                 _data_uri(tracked.data, ".docx")),
    ]
    return {"result": view_of(result, plan, skipped, engine.pack), "downloads": downloads}


def view_of(result: DocumentResult, plan, skipped, pack) -> dict:
    """What the template shows: plain values, the highlighted text already escaped."""
    from checker import fix as fixing
    from checker.render.html import highlight
    from checker.render.safe import plain

    active = [f for f in result.findings if not f.suppressed]
    marked, anchors = highlight(result.text or "", active, "t")
    grades = [grade for _, grade in pack.grades]
    rank = grades.index(result.grade) if result.grade in grades else len(grades) - 1
    counts = {sev: sum(1 for f in active if f.severity is sev) for sev in Severity}
    changes = [c for c in plan.changes()
               if not any(c.fix.start <= f.start and f.end <= max(c.fix.end, c.fix.start) for f in skipped)]
    # Names, messages and excerpts: no control character or bidi override (`plain`); the text pane
    # (`marked_text`) is the document as it is, escaped.
    return {
        "filename": plain(result.path),
        "title": plain(result.title) if result.title else result.title,
        "report_year": result.report_year,
        "score": f"{result.score:g}" if result.score is not None else "—",
        "grade": result.grade or "—",
        "grade_class": f"g{min(rank, 2)}",
        "grade_reason": plain(result.grade_reason) if result.grade_reason else result.grade_reason,
        "pack": pack.title or pack.name,
        "checklist": [{"mark": STATUS_MARK[row.status], "cls": STATUS_CLASS[row.status], "name": row.name,
                       "required": row.required, "status": row.status, "heading": plain(row.heading) if row.heading else row.heading,
                       "line": row.line}
                      for row in result.checklist],
        "findings": [{"cls": SEVERITY_CLASS[f.severity], "severity": f.severity.chinese, "line": f.line, "where": plain(f.where),
                      "message": plain(f.full_message), "suggestion": plain(f.suggestion) if f.suggestion else f.suggestion,
                      "rule": f.rule,
                      "anchor": anchors.get(index)} for index, f in enumerate(active)],
        "counts": [(SEVERITY_CLASS[sev], sev.chinese, counts[sev]) for sev in sorted(Severity, reverse=True)],
        "marked_text": marked,
        "changes": [{"line": c.line, "where": fixing.place_label(plan.document, c.line), "before": plain(c.before),
                     "after": plain(c.after), "reason": plain(c.fix.reason)} for c in changes],
    }


def serve_until_stopped(server, app: Flask) -> None:
    """Run a waitress `server` until Ctrl-C or SIGTERM, then stop it, its workers (a check in
    progress is abandoned) and remove its scratch files. SIGTERM is handled like Ctrl-C, so a
    service manager stopping the page cleans up too."""
    import signal
    import threading

    def stop(signum, frame):
        # Workers first: request threads waiting for a check return at once, so waitress's own
        # shutdown (which waits for its threads) is quick; then leave the serving loop.
        try:
            app.extensions["checker"]["service"].close()
        except Exception:  # noqa: BLE001 — stopping regardless; the `finally` below tries again
            pass
        raise KeyboardInterrupt

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        app.extensions["checker"]["service"].start()
        server.run()  # returns after Ctrl-C/SIGTERM (waitress catches KeyboardInterrupt itself)
    except KeyboardInterrupt:
        pass
    finally:
        try:
            server.close()
        finally:
            shutdown(app)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
