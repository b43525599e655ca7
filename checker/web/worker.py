"""Checks for ``checker serve`` run in worker processes, never in a request thread.

An upload is parsed, checked, fixed and marked up in a worker process (`check_upload`), with the
batch's machinery and limits (`checker.batch`): the same start method and preloaded modules, the
same per-document timer (``timeout`` seconds, `DocumentTimeout`, plus ``Limits.ocr_page_seconds``
for every page read by OCR) and the same kill a little after it (`KILL_GRACE`) for a worker stuck
in C code, workers that end with the server. On top of the
batch, each worker's private memory is capped (`limit_memory`, default `DEFAULT_MEMORY`), so a
document that needs more is refused with "内存不足" instead of the machine swapping.

Each worker is a one-process pool that runs one check at a time. A worker that times out, dies
(a crash in a parser, the memory cap) or ran out of memory is killed and replaced by a fresh one;
the request gets a one-line Chinese reason, and the other checks go on. At most ``checks``
uploads are checked at once and ``waiting`` more may wait (at most ``timeout`` plus the grace
for a worker to come free); beyond that the answer is at once "忙" (HTTP 503).

Scratch files: every request writes its upload into its own directory under one per-server root
(`checker.scratch.ScratchRoot`, in /dev/shm where there is one), and the worker's temporary files
(LibreOffice conversions, spreadsheet buffers) go there too. The request's directory is removed
when the request ends, the root when the server stops (`checker.web.shutdown`, also at exit), and
roots left by a server that was killed outright are removed when the next one starts.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from dataclasses import dataclass

from checker.batch import DEFAULT_TIMEOUT, KILL_GRACE, DocumentTimeout, document_deadline
from checker.scratch import ScratchRoot

DEFAULT_CHECKS = 2  # uploads checked at the same time (one worker process each)
DEFAULT_WAITING = 4  # further uploads that may wait for a worker
DEFAULT_MEMORY = 1024 * 1024 * 1024  # private memory of one worker (bytes)
ROOT_PREFIX = "checker-serve-"


@dataclass(frozen=True)
class Outcome:
    """What a request gets back: the page values, and the HTTP status that goes with them."""

    status: int
    values: dict
    restart: bool = False  # the worker ran out of memory: replace it before the next upload


def _error(status: int, message: str) -> Outcome:
    return Outcome(status, {"error": message})


# --- scratch space ---------------------------------------------------------------------------

def scratch_base() -> str:
    """/dev/shm where there is one (uploads never touch a disk), else the system temp dir."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else tempfile.gettempdir()


def scratch_root(base: str | None = None) -> ScratchRoot:
    """The server's root: one directory per request is made in it (`ScratchRoot.subdir`)."""
    return ScratchRoot(ROOT_PREFIX, base or scratch_base())


# --- in the worker process ------------------------------------------------------------------
# Per-process state, set once by the pool initializer in each worker (never used in the server).
_WORKER: dict = {}


def _init_worker(packs: dict, limits, max_memory: int | None, parent: int, extra=None,
                 slow_start: float = 0.0) -> None:
    from checker.batch import limit_memory, prepare_worker
    from checker.engine import Engine

    prepare_worker(parent)
    # What a check of an upload uses besides the engine, imported now, not inside the first upload's
    # time limit: the page's code, the fixer and marker (python-docx), the report renderers.
    import docx  # noqa: F401

    import checker.web  # noqa: F401
    from checker import annotate, fix  # noqa: F401
    from checker.render import html, xlsx  # noqa: F401

    engines = {level: Engine(pack, limits=limits) for level, pack in packs.items()}
    for engine in engines.values():
        engine.warm()  # dictionaries some kinds read lazily: loaded before any upload is timed
    limit_memory(max_memory)  # after start-up: the cap is for the document, with the engines counted
    _WORKER.update(engines=engines, extra=extra)
    if slow_start:  # test hook (SLOW_START_ENV): a worker that takes this long to start
        import time

        time.sleep(slow_start)


SLOW_START_ENV = "CHECKER_TEST_WORKER_SLOW_START"  # test hook: seconds a new worker sleeps after start-up
# The longest a new worker may take to start (import, build the engines, load the dictionaries)
# before the upload it was started for is answered as timed out.
WORKER_START_SECONDS = 120.0


def _ready() -> int:
    return os.getpid()


def _check(level: str, filename: str, path: str, timeout: float | None) -> Outcome:
    """Check one upload saved at `path`; temporary files go next to it."""
    from checker.batch import timeout_result
    from checker.load.ocr import page_listener
    from checker.web import check_upload

    engine, extra = _WORKER["engines"][level], _WORKER.get("extra")
    page_seconds = engine.limits.ocr_page_seconds
    deadline = None
    if extra is not None:
        extra.value = 0.0

    def on_page(done: int, total: int) -> None:
        """As in a batch: every page read by OCR adds `Limits.ocr_page_seconds`, here and in the
        server's wait (`extra`)."""
        if done == 0 and total and deadline is not None:
            deadline.extend(total * page_seconds, total)
            if extra is not None:
                extra.value += total * page_seconds

    tempfile.tempdir = os.path.dirname(path)
    listening = page_listener.set(on_page)
    try:
        with document_deadline(timeout) as deadline:
            values = check_upload(engine, filename, path)
        return Outcome(422 if "error" in values else 200, values)
    except DocumentTimeout:
        ocr_pages = deadline.ocr_pages if deadline is not None else 0
        reason = timeout_result(filename, timeout or 0, ocr_pages, page_seconds).error.replace("已跳过", "已停止检查")
        return _error(422, f"{filename}: {reason}")
    except MemoryError:
        return Outcome(422, {"error": f"{filename}: 内存不足，无法检查此文件（文件过大或结构异常）"}, restart=True)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 — one bad upload never stops the server
        return _error(500, f"{filename}: 检查时出现内部错误（{type(exc).__name__}），请报告此问题")
    finally:
        page_listener.reset(listening)
        tempfile.tempdir = None


# --- in the server ------------------------------------------------------------------------------

class CheckService:
    """A fixed number of worker processes and a bounded queue in front of them."""

    def __init__(self, packs: dict, limits, scratch: ScratchRoot, checks: int = DEFAULT_CHECKS,
                 waiting: int = DEFAULT_WAITING, timeout: float | None = DEFAULT_TIMEOUT,
                 max_memory: int | None = DEFAULT_MEMORY) -> None:
        self.packs, self.limits, self.scratch = packs, limits, scratch
        self.checks, self.waiting, self.timeout, self.max_memory = max(1, checks), max(0, waiting), timeout, max_memory
        self._admitted = threading.BoundedSemaphore(self.checks + self.waiting)
        self._idle: queue.Queue = queue.Queue()
        self._pools: set = set()
        self._extra: dict = {}  # pool -> shared seconds its worker added to the timeout (scanned pages)
        self._starting: dict = {}  # pool -> the future of `_ready`, until the worker is known to be up
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.checks):
            self._idle.put(None)  # a worker is started on first use, or by `start`

    def start(self) -> None:
        """Start every worker now (a server does, before it serves: the first uploads do not wait
        for a worker to start; an app made for a test starts only what it uses)."""
        pools = []
        while True:
            try:
                pools.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for pool in pools:
            self._idle.put(pool if pool is not None else self._start())

    def _start(self):
        """A one-process pool, its worker started now (not when the upload is submitted)."""
        from concurrent.futures import ProcessPoolExecutor

        from checker.batch import worker_context

        with self._lock:
            if self._closed:
                return None
            context = worker_context()
            extra = context.Value("d", 0.0, lock=False)  # seconds the worker's check was granted for OCR
            pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_worker,
                                       initargs=(self.packs, self.limits, self.max_memory, os.getpid(), extra,
                                                 float(os.environ.get(SLOW_START_ENV) or 0)))
            self._pools.add(pool)
            self._extra[pool] = extra
            self._starting[pool] = pool.submit(_ready)
        return pool

    def _kill(self, pool) -> None:
        """Kill a pool once: whoever takes it out of `_pools` (a request thread, or `close`) kills it
        (two threads shutting down one executor would close its pipes twice)."""
        from checker.batch import kill_pool

        with self._lock:
            if pool not in self._pools:
                return
            self._pools.discard(pool)
            self._extra.pop(pool, None)
            self._starting.pop(pool, None)
        kill_pool(pool)

    @property
    def _wait_seconds(self) -> float | None:
        return None if self.timeout is None else self.timeout + KILL_GRACE + 5

    def run(self, level: str, filename: str, data: bytes) -> Outcome:
        """Check an upload in a worker; every failure is an `Outcome` with a Chinese reason."""
        if self._closed:
            return _error(503, "服务正在停止，请稍后重新打开本页面再试")
        if not self._admitted.acquire(blocking=False):
            return self._busy()
        try:
            try:
                pool = self._idle.get(timeout=self._wait_seconds)
            except queue.Empty:
                return self._busy()
            try:
                outcome, pool = self._run_in(pool, level, filename, data)
            finally:
                if pool is not None:
                    self._idle.put(pool)
            return outcome
        finally:
            self._admitted.release()

    def _busy(self) -> Outcome:
        return _error(503, f"忙：已有 {self.checks} 份文件正在检查、{self.waiting} 份在排队，请稍等一两分钟再试")

    def _run_in(self, pool, level: str, filename: str, data: bytes):
        """(outcome, the pool to put back: the same one, or a fresh one after a kill)."""
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        if pool is None:  # not started yet (or a restart failed)
            pool = self._start()
            if pool is None:
                return _error(503, "服务正在停止，请稍后重新打开本页面再试"), None
        scratch = self.scratch.subdir("upload-")
        try:
            path = os.path.join(scratch, "upload" + _safe_suffix(filename))
            with open(path, "wb") as handle:
                handle.write(data)
            try:
                try:
                    future = pool.submit(_check, level, filename, path, self.timeout)
                except BrokenProcessPool:  # the idle worker died (killed from outside): a fresh one
                    self._kill(pool)
                    pool = self._start()
                    if pool is None:
                        raise
                    future = pool.submit(_check, level, filename, path, self.timeout)
                self._started(pool)
                outcome = self._wait(pool, future)
            except FutureTimeout:
                self._kill(pool)
                return _error(422, f"{filename}: 检查超时（超过 {self.timeout:g} 秒），已停止检查此文件"), self._start()
            except (BrokenProcessPool, RuntimeError):
                self._kill(pool)
                if self._closed:
                    return _error(503, "服务正在停止，检查已中止"), None
                return _error(500, f"{filename}: 检查进程在处理此文件时意外退出（可能是文件触发了解析库崩溃或内存耗尽），"
                                   "其他文件不受影响"), self._start()
            if outcome.restart:
                self._kill(pool)  # a worker that ran out of memory is not trusted with the next upload
                pool = self._start()
            return outcome, pool
        finally:
            self.scratch.release(scratch)

    def _started(self, pool) -> None:
        """Return when the pool's worker is up: one just started is still loading its dictionaries
        (seconds on a loaded machine), which must not count in the time of the upload it was
        started for. `FutureTimeout` after WORKER_START_SECONDS, `BrokenProcessPool` if it died."""
        with self._lock:
            starting = self._starting.pop(pool, None)
        if starting is not None:
            starting.result(timeout=WORKER_START_SECONDS)

    def _wait(self, pool, future) -> Outcome:
        """The worker's answer, or `FutureTimeout` a little after its timeout (plus what it was
        granted for scanned pages): its own timer did not stop it (stuck in C code)."""
        import time
        from concurrent.futures import TimeoutError as FutureTimeout

        if self.timeout is None:
            return future.result()
        extra = self._extra.get(pool)
        started = time.monotonic()
        while True:
            try:
                return future.result(timeout=0.25)
            except FutureTimeout:
                granted = extra.value if extra is not None else 0.0
                if time.monotonic() - started > self.timeout + granted + KILL_GRACE:
                    raise

    def close(self) -> None:
        """Stop every worker now (a check in progress is abandoned)."""
        from checker.batch import kill_pool

        with self._lock:
            self._closed = True
            pools, self._pools = list(self._pools), set()
            self._extra.clear()
            self._starting.clear()
        for pool in pools:
            kill_pool(pool)


def _safe_suffix(filename: str) -> str:
    suffix = os.path.splitext(filename)[1].lower()
    return suffix if 1 < len(suffix) <= 6 and suffix[1:].isalnum() else ".txt"
