"""The one way sitegen spreads work over cores: forked workers that inherit what they need.

A worker is a fork of the calling process, so the work it is given (a loaded
site, compiled templates, a list of pages) is already in its memory: nothing
is pickled on the way in but a piece's index, and on the way back only what
the function returns. The function may be a closure; no module state carries
the job to the workers. Where forking is not possible (Windows, one core, or
too little work to pay for a fork) the same function runs in this process,
piece by piece, with the same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

P = TypeVar("P")
R = TypeVar("R")

# Allocations between young collections in a worker: rendering and indexing allocate millions of
# short-lived objects freed by reference count, and the default threshold (700) ran a collection
# every few hundred of them. Cycles are still collected, less often.
WORKER_GC_THRESHOLD = 50_000


def cores() -> int:
    """How many workers a build may use: both cores of the project's machines, at most."""
    return min(2, os.cpu_count() or 1)


def can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


class WorkerFailed(RuntimeError):
    """A worker raised something that could not be sent back as it was; the message carries its traceback."""


def fork_map(fn: Callable[[P], R], pieces: Sequence[P], workers: int) -> Iterator[R]:
    """fn(piece) for every piece, as the results come in (in no particular order with workers > 1).

    Pieces are handed out one at a time as workers free up, so uneven pieces still finish
    together. An exception in a worker is raised here, as raised there when it can be sent.
    Run it only from a process without other threads: a fork copies one thread.
    """
    if workers <= 1 or len(pieces) <= 1 or not can_fork():
        for piece in pieces:
            yield fn(piece)
        return
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.SimpleQueue(), ctx.Queue()

    parent = os.getpid()

    def work() -> None:
        gc.set_threshold(WORKER_GC_THRESHOLD, 20, 100)
        while (i := tasks.get()) is not None and os.getppid() == parent:
            try:
                results.put((True, fn(pieces[i])))
            except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
                results.put((False, _portable(e)))
                break
        _hand_over(results, parent)

    procs = [ctx.Process(target=work, daemon=True) for _ in range(min(workers, len(pieces)))]
    for p in procs:
        p.start()
    try:
        for i in range(len(pieces)):
            tasks.put(i)
        for _ in procs:
            tasks.put(None)
        for _ in range(len(pieces)):
            ok, value = _next(results, procs)
            if not ok:
                raise value
            yield value
    finally:
        for p in procs:
            if p.is_alive() and p.exitcode is None:
                p.join(timeout=0.1)
            if p.is_alive():
                p.terminate()
            p.join()
        tasks.close()
        results.close()


def _next(results, procs) -> tuple[bool, object]:
    """The next result; a worker that died without sending one (killed, out of memory) is an error,
    not a wait for ever."""
    import queue

    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead:
                return False, WorkerFailed(f"a worker ended with exit code {dead[0]}")


def _hand_over(results, parent: int) -> None:
    """Wait until what this worker sent has reached the pipe, unless the parent is gone (killed:
    an out-of-memory killer, a CI timeout): then nobody reads the pipe, a full one would block
    the worker's exit for ever, and the worker ends at once instead."""
    results.close()
    flushing = threading.Thread(target=results.join_thread, daemon=True)
    flushing.start()
    while flushing.is_alive():
        flushing.join(0.5)
        if os.getppid() != parent:
            os._exit(1)  # a forked worker's own end, as multiprocessing's; the parent is gone


def _portable(e: BaseException) -> BaseException:
    """e if it survives pickling (it will be raised in the parent), else its traceback as text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001 - any exception that cannot cross processes
        return WorkerFailed("".join(traceback.format_exception(e)))
