"""Batch runs: find the documents under the paths given, then check them serially or in parallel.

`discover` walks directories (include/exclude globs; hidden and office temp files are *skipped*
and counted as such). `check_documents` yields one `DocumentResult` per document, in input
order, as soon as it is ready, so outputs can stream and memory stays flat however large the
batch. In parallel mode each worker process builds its engine once (pool initializer); a worker
that dies on a document (a crash in a C library, the OOM killer) costs that document only: the
documents that were in flight are re-run one at a time in a fresh worker to find the culprit,
which is reported as failed with the reason.

Time is bounded per document, in-process and in workers alike: `document_deadline` arms a timer
(SIGALRM) for each document, so a document stuck in Python code is stopped after ``timeout``
seconds and reported as "检查超时" while the rest of its task goes on. A worker stuck in C code
(where no signal is handled) is caught by the parent, which sees from a shared clock when each
worker started its current document, kills the pool a little after the timeout and re-runs the
documents in flight one by one. Workers watch their parent and exit when it is gone (killed
with SIGKILL), so no worker outlives the run.

Scanned pages: a document whose pages are read by OCR gets ``Limits.ocr_page_seconds`` (60 s)
more for every such page, on top of ``timeout`` (a 30-page scan is not stopped at 120 s), in
the worker's timer and in the parent's clock alike. ``pages(done, total)``, given to
`check_documents`, is told how far the OCR of the documents being checked has got (summed over
the workers; ``(0, 0)`` when none is being read by OCR), for a progress bar page by page.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from checker.errors import os_reason
from checker.result import DocumentResult

# Suffixes a directory walk picks up by default (the loaders decide by content, not suffix).
DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".xhtml", ".shtml")
# Office/editor leftovers that are never real documents.
TEMP_PREFIXES = ("~$", ".~lock", "~WRL", ".#")
TEMP_SUFFIXES = ("~", ".tmp", ".swp", ".part", ".crdownload", "#")
# Test hook: a worker exits abruptly when it reaches a file with this name (simulates a crash).
CRASH_ENV = "CHECKER_TEST_WORKER_CRASH"
CRASH_EXIT = 70
HANG_ENV = "CHECKER_TEST_WORKER_HANG"  # test hook: a worker hangs on a file with this name
HANG_HARD_ENV = "CHECKER_TEST_WORKER_HANG_HARD"  # test hook: a hang no signal interrupts (like C code)
# Seconds one document may take before it is stopped and reported as failed.
DEFAULT_TIMEOUT = 120.0
# Seconds past the timeout before the parent kills a worker whose own timer did not stop it.
KILL_GRACE = 2.0
# Below this many documents the automatic --jobs checks in-process (no worker start-up).
SMALL_BATCH = 8


@dataclass
class Discovery:
    documents: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    @property
    def found(self) -> int:
        return len(self.documents) + len(self.skipped)


def _matches(patterns: Iterable[str], rel: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


OWN_REPORT = "本工具生成的报告"
OWN_REPORT_HEAD = 4096  # bytes read to recognise one of our reports (its marker is near the start)


def _skip_reason(name: str) -> str | None:
    if name.startswith(TEMP_PREFIXES) or name.endswith(TEMP_SUFFIXES):
        return "临时文件"
    if name.startswith("."):
        return "隐藏文件"
    return None


def own_report(path: str) -> bool:
    """Whether a file is a report this tool wrote (an earlier run's html/json/sarif/junit output),
    recognised by the generator marker near its start, whatever the file is called."""
    from checker.render import OWN_REPORT_SUFFIXES, is_own_report

    if not path.lower().endswith(OWN_REPORT_SUFFIXES):
        return False
    try:
        with open(path, "rb") as handle:
            return is_own_report(handle.read(OWN_REPORT_HEAD))
    except OSError:
        return False  # unreadable: the loader reports why


def _outside(path: str, top_real: str) -> bool:
    """Whether `path` (a symbolic link, or under one) resolves to a place outside `top_real`."""
    real = os.path.realpath(path)
    return real != top_real and not real.startswith(top_real.rstrip(os.sep) + os.sep)


def discover(paths: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = (),
             avoid: Iterable[str] = (), follow_symlinks: bool = False) -> Discovery:
    """Documents named directly (always checked) and found under directories.

    Under a directory a file is a candidate when its name or path relative to that directory
    matches an ``include`` glob (default: a document suffix) and no ``exclude`` glob; hidden
    directories are not entered; hidden and temp candidates are skipped, and so are reports this
    tool wrote in an earlier run (recognised by content, reason "本工具生成的报告"). ``avoid``
    lists files never to treat as input (this run's own report files).

    Symbolic links: a directory is checked for the files *in it*. A link under it that resolves
    outside it (to ``/etc/passwd``, ``/proc/self/status``, another user's files) is skipped with
    the reason, unless ``follow_symlinks``; links within the directory are followed; linked
    directories are never entered (no loops). A file named directly is checked wherever it is.
    """
    include, exclude = list(include), list(exclude)
    avoid_set = {os.path.abspath(p) for p in avoid}
    seen: set[str] = set()
    found = Discovery()

    def add(path: str, reason: str | None = None) -> None:
        key = os.path.abspath(path)
        if key in seen or key in avoid_set:
            return
        seen.add(key)
        if reason:
            found.skipped.append((path, reason))
        else:
            found.documents.append(path)

    for top in paths:
        if not os.path.isdir(top):
            add(top)
            continue
        top_real = os.path.realpath(top)
        walk_errors: list[OSError] = []
        for root, dirs, files in os.walk(top, onerror=walk_errors.append):
            rel_root = os.path.relpath(root, top)
            rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/") + "/"
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not _matches(exclude, rel_root + d, d) and not _matches(exclude, rel_root + d + "/", d))
            for name in sorted(files):
                rel = rel_root + name
                if include:
                    if not _matches(include, rel, name):
                        continue
                elif not name.lower().endswith(DOCUMENT_SUFFIXES):
                    continue
                if _matches(exclude, rel, name):
                    continue
                path = os.path.join(root, name)
                reason = _skip_reason(name)
                if reason is None and not follow_symlinks and _outside(path, top_real):
                    reason = "符号链接指向所检查目录之外（如需检查请加 --follow-symlinks）"
                add(path, reason or (OWN_REPORT if own_report(path) else None))
        for error in walk_errors:
            add(error.filename or top, f"无法读取目录（{os_reason(error)}）")
    return found


class DocumentTimeout(BaseException):
    """Raised by the timer inside a document's check (a BaseException: no `except Exception` in a
    loader or a rule can swallow it)."""


def _on_alarm(signum, frame) -> None:
    raise DocumentTimeout


class Deadline:
    """The time one document may take: ``seconds``, plus what `extend` grants (scanned pages)."""

    def __init__(self, seconds: float | None, armed: bool = False) -> None:
        self.seconds, self.armed = seconds, armed
        self.extra = 0.0
        self.ocr_pages = 0

    @property
    def total(self) -> float:
        return (self.seconds or 0) + self.extra

    def extend(self, seconds: float, ocr_pages: int = 0) -> None:
        import signal

        self.extra += seconds
        self.ocr_pages += ocr_pages
        if self.armed:
            left = signal.getitimer(signal.ITIMER_REAL)[0]
            if left > 0:  # (0: the alarm is going off now)
                signal.setitimer(signal.ITIMER_REAL, left + seconds)


@contextmanager
def document_deadline(seconds: float | None) -> Iterator[Deadline]:
    """Raise `DocumentTimeout` in the block after `seconds`, or later if the block extends the
    `Deadline` it is given (no timer off the main thread, where signals cannot be delivered, or
    without SIGALRM)."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield Deadline(seconds)
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield Deadline(seconds, armed=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C/SIGTERM until the block is done, then hand them to the handlers that were in
    place: a worker being started must be registered, and a pool being killed killed entirely, so
    that no worker outlives the run. (Python runs a signal's handler at the next bytecode, possibly
    inside the block even for a signal that arrived just before it: the handler is swapped, not the
    signal mask.)"""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, object]] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append((signum, frame))) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum, frame in caught:
            handler = previous[signum]
            if callable(handler):
                handler(signum, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def timeout_result(path: str, seconds: float, ocr_pages: int = 0, page_seconds: float = 0) -> DocumentResult:
    if ocr_pages:
        limit = (f"超过 {seconds + ocr_pages * page_seconds:g} 秒：{seconds:g} 秒，"
                 f"另加 {ocr_pages} 页扫描页的文字识别每页 {page_seconds:g} 秒")
    else:
        limit = f"超过 {seconds:g} 秒"
    return DocumentResult(path=path, error=f"检查超时（{limit}），已跳过此文件")


PagesCallback = Callable[[int, int], None]


def check_one(engine, path: str, keep_text: bool = False, timeout: float | None = None,
              pages: PagesCallback | None = None, extended: Callable[[float], None] | None = None) -> DocumentResult:
    """Check one file within `timeout` seconds (plus ``Limits.ocr_page_seconds`` for every page read
    by OCR, each extension also told to ``extended``); ``pages(done, total)`` follows the OCR. An
    unexpected bug becomes that document's error, never the batch's end."""
    from checker.load.ocr import page_listener

    deadline: Deadline | None = None
    page_seconds = engine.limits.ocr_page_seconds

    def on_page(done: int, total: int) -> None:
        if done == 0 and total and deadline is not None:
            deadline.extend(total * page_seconds, total)
            if extended is not None:
                extended(total * page_seconds)
        if pages is not None:
            pages(done, total)

    listening = page_listener.set(on_page)
    try:
        with document_deadline(timeout) as deadline:
            return engine.check_path(path, keep_text=keep_text)
    except DocumentTimeout:
        return timeout_result(path, timeout or 0, deadline.ocr_pages if deadline else 0, page_seconds)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 — one bad document never stops a batch
        return DocumentResult(path=path, error=f"检查时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    except MemoryError:
        return DocumentResult(path=path, error="内存不足，无法检查此文件")
    finally:
        page_listener.reset(listening)
        if pages is not None and deadline is not None and deadline.ocr_pages:
            pages(0, 0)


# --- worker processes -------------------------------------------------------------------------
# Per-process state, set once by the pool initializer in each worker (never used in the parent).
_WORKER: dict = {}


def worker_context():
    """The multiprocessing context workers start from: forkserver (a clean process, safe with the
    progress bar's or a web server's threads) with the engine's modules preloaded; spawn elsewhere."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["checker.engine", "checker.kinds._preload"])
    return context


def prepare_worker(parent: int | None) -> None:
    """First thing in a worker process: Ctrl-C is the parent's to handle (it stops the pool),
    SIGTERM ends the worker, and the worker ends with `parent`."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's private memory (heap and anonymous mappings: RLIMIT_DATA) at `max_bytes`,
    so a document that needs more fails here with MemoryError (or the worker dies) instead of the
    machine swapping. Shared libraries and mapped files do not count. A no-op without `resource`."""
    try:
        import resource
    except ImportError:
        return
    if not max_bytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    soft = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _init_worker(pack, keep_text: bool, hooks: dict[str, str], limits=None, timeout: float | None = None,
                 clock=None, slots=None, parent: int | None = None, scans=None, outputs=None) -> None:
    prepare_worker(parent)
    from checker.engine import Engine

    slot = None
    if clock is not None and slots is not None:
        with slots.get_lock():
            slot, slots.value = slots.value, slots.value + 1
    engine = Engine(pack, limits=limits)
    engine.warm()  # dictionaries some kinds read lazily: loaded before any document is timed
    if outputs:  # rendered here: the worker's pack is the run's
        outputs = [(name, dataclasses.replace(options, pack=pack)) for name, options in outputs]
    _WORKER.update(engine=engine, keep_text=keep_text, hooks=hooks, timeout=timeout,
                   clock=clock, slot=slot, scans=scans, outputs=outputs)


def _die_with_parent(parent: int | None) -> None:
    """End this worker when the run that started it is gone, even after a SIGKILL: the kernel's
    parent-death signal where there is one (Linux), and a watcher thread everywhere."""
    import threading
    import time

    if parent is None:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: fires when the process that forked us exits
    except (OSError, AttributeError):
        pass
    forked_by = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass
            if os.getppid() != forked_by:
                os._exit(1)

    threading.Thread(target=watch, name="checker-parent-watch", daemon=True).start()


def _work(paths: tuple[str, ...]) -> list[DocumentResult]:
    import time

    results = []
    hooks = _WORKER["hooks"]
    clock, slot, scans = _WORKER.get("clock"), _WORKER.get("slot"), _WORKER.get("scans")
    pages = extended = None
    if slot is not None:
        def extended(seconds: float) -> None:  # the parent's watch on this worker moves on with the timer
            clock[slot] += seconds

        if scans is not None:
            def pages(done: int, total: int) -> None:
                scans[2 * slot], scans[2 * slot + 1] = done, total
    for path in paths:
        if slot is not None:
            clock[slot] = time.time()
        name = os.path.basename(path)
        if hooks.get(CRASH_ENV) == name:
            os._exit(CRASH_EXIT)
        if hooks.get(HANG_HARD_ENV) == name:
            import signal

            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        if hooks.get(HANG_ENV) == name:
            try:
                with document_deadline(_WORKER["timeout"]):
                    time.sleep(3600)
            except DocumentTimeout:
                results.append(timeout_result(path, _WORKER["timeout"]))
                continue
        results.append(check_one(_WORKER["engine"], path, _WORKER["keep_text"], _WORKER["timeout"], pages, extended))
    if slot is not None:
        clock[slot] = 0.0
    outputs = _WORKER.get("outputs")
    if outputs:
        return [_rendered(result, outputs) for result in results]
    return results


def _rendered(result: DocumentResult, outputs):
    """The result rendered for the run's outputs; whole if rendering failed (the main process then
    renders it, and reports any error the way it always did)."""
    from checker.render import render_pieces

    try:
        return render_pieces(result, outputs)
    except Exception:  # noqa: BLE001 — never lose a document to a renderer bug here
        return result


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def check_documents(documents: list[str], pack, jobs: int = 0, keep_text: bool = False,
                    timeout: float | None = DEFAULT_TIMEOUT, limits=None,
                    pages: PagesCallback | None = None, render=None) -> Iterator[DocumentResult]:
    """Yield one result per document, in order.

    ``jobs`` 0 means all cores (in-process below `SMALL_BATCH` documents); 1 runs in-process
    (no crash isolation). A document that takes longer than ``timeout`` seconds is stopped and
    reported as failed (in-process only where the timer can interrupt it: Python code); every
    page read by OCR adds ``limits.ocr_page_seconds``. ``limits`` (`checker.load.Limits`) bounds
    what each document may cost; None: the defaults. ``pages(done, total)``: OCR progress.
    ``render``: [(format, RenderOptions)] of the run's outputs, all able to take pieces: in parallel
    mode the workers render each document for them and send `checker.render.Rendered` pieces
    instead of the whole result (the main process then only writes them).
    """
    if not jobs:  # automatic: all cores, but a handful of files is quicker checked than a pool started
        jobs = default_jobs() if len(documents) >= SMALL_BATCH else 1
    jobs = min(jobs, len(documents))
    if jobs <= 1:
        from checker.engine import Engine

        engine = Engine(pack, limits=limits)
        if timeout:
            engine.warm()  # as in workers: dictionaries loaded before the first document is timed
        for path in documents:
            yield check_one(engine, path, keep_text, timeout, pages)
        return
    yield from _Parallel(pack, jobs, keep_text, timeout, limits, pages, render).run(documents)


def kill_pool(pool) -> None:
    """Stop a process pool now, even with a worker stuck in a document (not to be interrupted half-way)."""
    with signals_deferred():
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, AttributeError):
                pass
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(documents: list[str], size: int) -> Iterator[tuple[str, ...]]:
    for start in range(0, len(documents), size):
        yield tuple(documents[start:start + size])


class _Parallel:
    """A process pool that survives workers dying or hanging on a document."""

    def __init__(self, pack, jobs: int, keep_text: bool, timeout: float | None, limits=None,
                 pages: PagesCallback | None = None, render=None) -> None:
        self.pack, self.jobs, self.keep_text, self.timeout = pack, jobs, keep_text, timeout
        # sent without the pack (each worker has it) or anything a worker does not need
        self.render = [(name, dataclasses.replace(options, pack=None)) for name, options in render or []]
        self.limits = limits
        self.pages = pages
        self.scans = None  # per worker: (pages read, pages to read) of the scan it is on
        self.told = (0, 0)
        self.hooks = {name: os.environ[name] for name in (CRASH_ENV, HANG_ENV, HANG_HARD_ENV) if os.environ.get(name)}
        self.clock = None
        self.keep: list = []

    def _pool(self, workers: int):
        from concurrent.futures import ProcessPoolExecutor

        context = worker_context()
        # One slot per worker in a shared clock: when each started its current document (0: idle).
        self.clock = context.Array("d", workers, lock=False)
        self.scans = context.Array("i", 2 * workers, lock=False) if self.pages is not None else None
        # Kept for the whole run: workers start lazily, and a collected Value's semaphore would be
        # gone by the time a worker (of this pool or a replaced one) unpickles it.
        slots = context.Value("i", 0)
        self.keep.append(slots)
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(self.pack, self.keep_text, self.hooks, self.limits, self.timeout,
                                             self.clock, slots, os.getpid(), self.scans, self.render))

    def _tell_pages(self) -> None:
        """Pass on how far the workers' OCR has got (when it changed)."""
        if self.pages is None or self.scans is None:
            return
        figures = list(self.scans)
        now = (sum(figures[0::2]), sum(figures[1::2]))
        if now != self.told:
            self.told = now
            self.pages(*now)

    def _await(self, future) -> bool:
        """Wait for a task, passing on OCR progress; False if a worker stalled past its deadline."""
        from concurrent.futures import wait

        if self.timeout is None and self.pages is None:
            wait([future])
            return True
        while not future.done():
            wait([future], timeout=0.25)
            self._tell_pages()
            if self._overdue():
                return False
        self._tell_pages()
        return True

    def _overdue(self) -> bool:
        """A worker has been on one document for longer than the timeout and its own timer did not
        stop it (stuck in C code)."""
        import time

        if self.timeout is None or self.clock is None:
            return False
        now = time.time()
        return any(started and now - started > self.timeout + KILL_GRACE for started in self.clock)

    @staticmethod
    def _submit(pool, chunk: tuple[str, ...]):
        """Submit a task; a pool that broke meanwhile (a worker died) gives a failed future, so the
        chunk is re-run with the other suspects instead of the batch stopping."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return pool.submit(_work, chunk)
        except BrokenProcessPool as exc:
            future: Future = Future()
            future.set_exception(exc)
            return future

    _kill = staticmethod(kill_pool)

    def run(self, documents: list[str]) -> Iterator[DocumentResult]:
        from concurrent.futures.process import BrokenProcessPool

        # A few documents per task saves inter-process overhead; small batches still use all workers.
        size = max(1, min(8, len(documents) // (self.jobs * 8)))
        window = self.jobs * 4  # tasks in flight: bounded, so memory stays flat
        todo = _chunks(documents, size)
        inflight: deque = deque()
        with signals_deferred():
            pool = self._pool(self.jobs)
        finished = False
        try:
            while True:
                with signals_deferred():  # a submit may start a worker process
                    for chunk in todo:
                        inflight.append((chunk, self._submit(pool, chunk)))
                        if len(inflight) >= window:
                            break
                if not inflight:
                    finished = True
                    return
                chunk, future = inflight[0]
                stalled = not self._await(future)
                try:
                    if stalled:
                        raise BrokenProcessPool("stalled")
                    results = future.result()
                except BrokenProcessPool:
                    self._kill(pool)
                    suspects = list(inflight)
                    inflight.clear()
                    yield from self._isolate(suspects)
                    with signals_deferred():
                        pool = self._pool(self.jobs)
                    continue
                inflight.popleft()
                yield from results
        finally:
            if finished:  # wait: a worker still starting would otherwise outlive the run's semaphores
                pool.shutdown(wait=True, cancel_futures=True)
            else:  # stopped early (Ctrl-C, an error): workers busy with a document must not linger
                self._kill(pool)

    def _isolate(self, suspects: list) -> Iterator[DocumentResult]:
        """After a worker died or hung: keep finished results, re-run the others one at a time in a
        fresh worker, so the document at fault is found and costs only itself."""
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        pool = None
        try:
            for chunk, future in suspects:
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield from future.result()
                    continue
                for path in chunk:
                    with signals_deferred():
                        if pool is None:
                            pool = self._pool(1)
                        future = pool.submit(_work, (path,))
                    try:
                        if not self._await(future):  # the timeout (extended for scanned pages) and grace passed
                            raise FutureTimeout
                        yield from future.result()
                    except BrokenProcessPool:
                        pool.shutdown(wait=True)
                        pool = None
                        yield DocumentResult(path=path, error="检查进程在处理此文件时意外退出（可能是文件触发了解析库崩溃或内存耗尽）")
                    except FutureTimeout:
                        self._kill(pool)
                        pool = None
                        yield timeout_result(path, self.timeout)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
