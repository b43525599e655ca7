"""``checker serve``: a local page where a clerk drops a draft and sees what to fix.

Flask serves one page. An upload is held in memory (the request's file stream is a BytesIO, never
a spooled temporary file); because the loaders read paths, it is copied into a private
TemporaryDirectory (in /dev/shm where there is one) for the time of the check and the fixes, and
the directory is deleted before the response is sent. Nothing is kept between requests: the
report downloads (HTML, XLSX) and the fixed draft are embedded in the result page itself.

The page loads nothing from the network: CSS and JavaScript are inline, allowed by a per-response
nonce in the Content-Security-Policy, so even text that escaped escaping could not run. Every piece
of text from the document goes through Jinja's autoescaping or `html.escape`.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import tempfile
from dataclasses import dataclass, replace
from importlib import resources

from flask import Flask, Request, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

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


def _safe_suffix(filename: str) -> str:
    suffix = os.path.splitext(filename)[1].lower()
    return suffix if 1 < len(suffix) <= 6 and suffix[1:].isalnum() else ".txt"


def _scratch_dir() -> str | None:
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def create_app(max_bytes: int = DEFAULT_MAX_BYTES) -> Flask:
    from checker.engine import Engine
    from checker.packs import load_pack

    app = Flask(__name__)
    app.request_class = MemoryRequest
    app.config["MAX_CONTENT_LENGTH"] = max_bytes
    max_mb = max(1, max_bytes // (1024 * 1024))
    engines = {level: Engine(load_pack(pack_name_for(level)), max_bytes=max_bytes) for level in WEB_LEVELS}
    css, js = _asset("page.css"), _asset("page.js")
    levels = [(level, LEVELS[level][0]) for level in WEB_LEVELS]

    def page(status: int = 200, **values):
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
        level = level if level in engines else DEFAULT_LEVEL
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return page(400, level=level, error="请先选择或拖入一个报告文件（.docx、.txt、.pdf 或 .html）。")
        filename = os.path.basename(upload.filename.replace("\\", "/")) or "报告"
        data = upload.read()
        values = check_upload(engines[level], filename, data)
        return page(422 if "error" in values else 200, level=level, **values)

    @app.get("/template")
    def template_download():
        """The skeleton report (checker template) as a Word file, made in memory."""
        import datetime
        from urllib.parse import quote

        from checker import skeleton

        level = request.args.get("level", DEFAULT_LEVEL)
        level = level if level in engines else DEFAULT_LEVEL
        try:
            year = int(request.args.get("year", ""))
        except ValueError:
            year = datetime.date.today().year - 1
        if not 2000 <= year <= 2100:
            return page(400, level=level, error="年度应为 2000—2100 之间的四位数字。")
        issuer = " ".join(request.args.get("issuer", "").split())[:60] or LEVELS[level][2]
        buffer = io.BytesIO()
        skeleton.write_docx(skeleton.build(engines[level].pack, year, issuer), buffer)
        response = app.response_class(buffer.getvalue(), mimetype=MIME[".docx"])
        name = f"{issuer}{year}年度法治政府建设情况报告（框架）.docx"
        response.headers["Content-Disposition"] = f"attachment; filename=\"report.docx\"; filename*=UTF-8''{quote(name)}"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        return page(413, error=f"文件太大：上传文件不能超过 {max_mb} MB。请删去文中的大图片，或另存为 .docx / .txt 后再试。")

    return app


def check_upload(engine, filename: str, data: bytes) -> dict:
    """Check one uploaded file (and work out its fixes) inside a private temporary directory."""
    from checker import annotate as marking
    from checker import fix as fixing
    from checker.errors import CheckerError
    from checker.render import RenderOptions, render

    suffix = _safe_suffix(filename)
    stem = os.path.splitext(filename)[0] or "报告"
    with tempfile.TemporaryDirectory(prefix="checker-web-", dir=_scratch_dir()) as scratch:
        path = os.path.join(scratch, "upload" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
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

    active = [f for f in result.findings if not f.suppressed]
    marked, anchors = highlight(result.text or "", active, "t")
    grades = [grade for _, grade in pack.grades]
    rank = grades.index(result.grade) if result.grade in grades else len(grades) - 1
    counts = {sev: sum(1 for f in active if f.severity is sev) for sev in Severity}
    changes = [c for c in plan.changes()
               if not any(c.fix.start <= f.start and f.end <= max(c.fix.end, c.fix.start) for f in skipped)]
    return {
        "filename": result.path,
        "title": result.title,
        "report_year": result.report_year,
        "score": f"{result.score:g}" if result.score is not None else "—",
        "grade": result.grade or "—",
        "grade_class": f"g{min(rank, 2)}",
        "grade_reason": result.grade_reason,
        "pack": pack.title or pack.name,
        "checklist": [{"mark": STATUS_MARK[row.status], "cls": STATUS_CLASS[row.status], "name": row.name,
                       "required": row.required, "status": row.status, "heading": row.heading, "line": row.line}
                      for row in result.checklist],
        "findings": [{"cls": SEVERITY_CLASS[f.severity], "severity": f.severity.chinese, "line": f.line, "where": f.where,
                      "message": f.full_message, "suggestion": f.suggestion, "rule": f.rule,
                      "anchor": anchors.get(index)} for index, f in enumerate(active)],
        "counts": [(SEVERITY_CLASS[sev], sev.chinese, counts[sev]) for sev in sorted(Severity, reverse=True)],
        "marked_text": marked,
        "changes": [{"line": c.line, "where": fixing.place_label(plan.document, c.line), "before": c.before, "after": c.after, "reason": c.fix.reason} for c in changes],
    }
