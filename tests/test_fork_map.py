"""The one fork helper (sitegen.common.parallel.fork_map): every piece's result, a worker's
exception raised in the caller, a dead worker an error rather than a wait, and workers that end
when the process that forked them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sitegen.common.parallel import WorkerFailed, can_fork, fork_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="fork_map runs in one process where it cannot fork")

DATA = list(range(1000))  # inherited by the workers, never sent to them


def test_every_piece_once_as_one_process_makes_it():
    pieces = [(i, i + 100) for i in range(0, 1000, 100)]

    def total(piece):
        return piece[0], sum(DATA[piece[0]:piece[1]])

    assert sorted(fork_map(total, pieces, 2)) == sorted(fork_map(total, pieces, 1))


def test_a_workers_exception_is_raised_in_the_caller():
    def fail_on_three(n):
        if n == 3:
            raise ValueError(f"piece {n}")
        return n

    with pytest.raises(ValueError, match="piece 3"):
        list(fork_map(fail_on_three, [1, 2, 3, 4], 2))


def test_a_worker_that_dies_is_an_error_not_a_wait():
    def die_on_two(n):
        if n == 2:
            os._exit(3)
        return n

    with pytest.raises(WorkerFailed, match="exit code 3"):
        list(fork_map(die_on_two, [1, 2, 3], 2))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie has ended; only its parent has not reaped it
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_workers_end_when_the_caller_is_killed(tmp_path: Path):
    """A build killed mid-way (SIGKILL) must not leave its workers behind, blocked on a pipe
    that nobody reads."""
    script = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from sitegen.common.parallel import fork_map
        def work(n):
            Path({str(tmp_path)!r}, f"{{os.getpid()}}.pid").touch()
            time.sleep(0.5)
            return b"x" * 4_000_000  # more than a pipe holds
        for _ in fork_map(work, list(range(20)), 2):
            time.sleep(60)  # the caller stops reading
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("*.pid"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
        assert len(workers) >= 2, "the workers never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline + 60:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers), "a worker outlived the process that forked it"
    finally:
        proc.kill()
