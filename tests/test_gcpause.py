"""The garbage collector while a site is built: paused and restored, what freezing keeps out of
its sight, and a session of builds whose garbage is still collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from sitegen.common.gcpause import Rebuilds, paused


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture(autouse=True)
def collector():
    enabled = gc.isenabled()
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.collect()
    (gc.enable if enabled else gc.disable)()


def test_paused_turns_the_collector_off_and_restores_it_as_it_was():
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # it was off: it stays off
    gc.enable()
    with pytest.raises(ValueError), paused():
        raise ValueError
    assert gc.isenabled()


def test_freezing_keeps_what_was_made_out_of_the_collectors_sight():
    with paused(freeze=True):
        node = Node()
    assert gc.get_freeze_count() > 0
    assert not any(o is node for o in gc.get_objects())  # never scanned again
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is not None  # a frozen cycle stays, garbage or not
    gc.unfreeze()
    gc.collect()
    assert gone() is None


def test_a_session_of_builds_collects_the_cycles_each_build_leaves():
    rebuilds = Rebuilds()
    totals = []
    for build in range(200):
        rebuilds.start()
        with paused(freeze=True):
            model = [Node() for _ in range(1000)]  # each build's model; the last one's is garbage now
        rebuilds.loaded()
        if build == 0:
            first = weakref.ref(model[0])
        totals.append(len(gc.get_objects()) + gc.get_freeze_count())
    assert first() is None  # the first build's cycles were collected
    # Garbage piles up to a quarter of what lives, then goes: the count saws up and down, its
    # peaks no higher late in the session than early (180 more models would be 180,000 objects).
    assert max(totals[100:]) <= max(totals[20:100]) + 1000
    del model
