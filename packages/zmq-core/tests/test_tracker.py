# SPDX-License-Identifier: BSD-3-Clause
"""MessageTracker at scale and under load: deep nesting answers without
recursion, the release callback never waits for the GIL, and
zmq.utils.garbage reports what libzmq really holds."""

import gc
import sys
import threading
import time

import pytest
from conftest import send_forgotten
from zmq_testkit import run_python, wait_for

import zmq
from zmq.utils.garbage import gc as zmq_gc


@pytest.mark.timeout(180)  # a child process with 120 s of its own
def test_multipart_of_many_tracked_frames_answers(pair):
    # in a child: the old chain of one tracker per part crashed the process
    run = run_python(
        """
        import zmq
        ctx = zmq.Context()
        a = ctx.socket(zmq.PAIR); a.linger = 0; a.rcvtimeo = 20000
        b = ctx.socket(zmq.PAIR); b.linger = 0; b.sndtimeo = 20000
        a.bind("inproc://many"); b.connect("inproc://many")
        parts = [zmq.Frame(b"p", copy=False, track=True) for _ in range(60_000)]
        tracker = b.send_multipart(parts, copy=False, track=True)
        print("done before recv:", tracker.done)
        del parts
        assert len(a.recv_multipart()) == 60_000
        tracker.wait(20)
        print("done after recv:", tracker.done)
        a.close(); b.close(); ctx.term()
        """,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "done before recv: False" in run.stdout
    assert "done after recv: True" in run.stdout


@pytest.mark.timeout(180)  # a child process with 120 s of its own
def test_chain_of_trackers_answers():
    run = run_python(
        """
        import zmq
        leaf = zmq.Frame(b"x", copy=False, track=True)
        t = leaf.tracker
        for _ in range(100_000):
            t = zmq.MessageTracker(t)
        print("chain done:", t.done)
        try:
            t.wait(0.01)
        except zmq.NotDone:
            print("not done raised")
        del leaf
        t.wait(5)
        print("chain done after release:", t.done)
        """,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "chain done: False" in run.stdout
    assert "not done raised" in run.stdout
    assert "chain done after release: True" in run.stdout


def test_shared_trackers_are_visited_once():
    # t(k+1) = MessageTracker(t(k), t(k)): 2**60 paths, 61 trackers
    frame = zmq.Frame(b"y", copy=False, track=True)
    t = frame.tracker
    for _ in range(60):
        t = zmq.MessageTracker(t, t)
    assert not t.done
    del frame
    t.wait(5)
    assert t.done


def test_release_does_not_wait_for_the_gil(pair):
    """libzmq's I/O thread frees a sent zero-copy message while this thread
    holds the GIL in a pure-Python loop: the tracker must still finish."""
    a, b = pair(zmq.PAIR, zmq.PAIR, "tcp")
    b.send(b"warm-up")
    assert a.recv() == b"warm-up"
    payload = bytearray(b"g" * 200_000)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(30)  # no other Python thread gets the GIL from us
    try:
        tracker = b.send(payload, copy=False, track=True)
        deadline = time.monotonic() + 3
        while not tracker.done and time.monotonic() < deadline:
            pass  # holds the GIL throughout
        done_while_busy = tracker.done
    finally:
        sys.setswitchinterval(old_interval)
    assert done_while_busy, "the release callback waited for the GIL"
    assert a.recv() == payload


def test_tracker_event_and_finished_tracker(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR, "inproc")
    frame = zmq.Frame(b"e" * 100, copy=False, track=True)
    event = frame.tracker_event
    assert event is not None and not event.is_set()
    assert event.wait(0.01) is False
    watcher = zmq.MessageTracker(event)
    b.send(frame, copy=False)
    del frame
    assert not watcher.done  # the sent copy waits in the pipe
    a.recv()
    assert event.wait(5) is True
    assert watcher.done
    assert zmq.Frame(b"c", track=True).tracker_event is None  # copied
    assert zmq.Frame(b"c", copy=False).tracker_event is None  # untracked
    assert zmq._FINISHED_TRACKER.done
    assert zmq.Frame(b"c", track=True).tracker is zmq._FINISHED_TRACKER


def test_garbage_refs_report_what_libzmq_holds(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR, "inproc")
    gc.collect()
    assert not zmq_gc.refs
    data = b"r" * 1000
    frame = zmq.Frame(data, copy=False)
    refs = zmq_gc.refs
    assert len(refs) == 1
    key, ref = next(iter(refs.items()))
    assert ref.obj is data
    b.send(frame, copy=False)
    del frame
    # the frame is gone but the sent message waits in the pipe: still held
    assert key in zmq_gc.refs
    got = a.recv(copy=False)
    assert key in zmq_gc.refs  # the received Frame shares the memory
    del got
    assert key not in zmq_gc.refs
    assert not zmq_gc.refs


def test_garbage_refs_see_each_change_at_the_next_read(pair):
    # reading gc.refs is cheap because the ids are listed again only when a
    # buffer was taken or released: every such change must still show
    a, b = pair(zmq.PAIR, zmq.PAIR, "inproc")
    refs = zmq_gc.refs
    assert refs is zmq_gc.refs  # one live view, not a copy per read
    before = set(refs)
    held = len(refs)
    # made at run time: free-threaded CPython makes constants immortal, and
    # an immortal object's refcount never moves
    data = bytes(bytearray(b"g" * 1000))
    first = zmq.Frame(data, copy=False)
    (key,) = set(refs) - before
    assert key in refs and len(refs) == held + 1
    assert refs[key].obj is data
    second = zmq.Frame(b"h" * 1000, copy=False)
    assert len(refs) == held + 2
    assert list(refs)[-2:] == [key, key + 1]  # in the order libzmq took them
    # the view keeps nothing alive: only the Frame and its buffer view do
    rc = sys.getrefcount(data)
    assert key in zmq_gc.refs and len(zmq_gc.refs) == held + 2
    assert sys.getrefcount(data) == rc
    del first
    assert key not in refs and len(refs) == held + 1
    with pytest.raises(KeyError):
        refs[key]
    assert sys.getrefcount(data) == rc - 2  # the Frame's and libzmq's view's
    b.send(second, copy=False)
    del second
    assert key + 1 in refs  # queued in the pipe
    a.recv()
    assert key + 1 not in refs and len(refs) == held
    stored = zmq_gc.store(data)
    assert stored in refs and refs[stored].obj is data and len(refs) == held + 1
    zmq_gc.release(stored)
    assert stored not in refs and len(refs) == held
    assert set(refs) == before
    # read-only: store() and release() change what is kept
    with pytest.raises(TypeError):
        refs[1] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        del refs[1]  # type: ignore[attr-defined]
    assert not hasattr(refs, "pop") and not hasattr(refs, "clear")


def test_garbage_refs_items_are_one_snapshot():
    frames = [zmq.Frame(bytes([n]) * 1000, copy=False) for n in range(3)]
    snapshot = dict(zmq_gc.refs.items())
    assert len(snapshot) >= 3
    assert [ref.obj for ref in list(snapshot.values())[-3:]] == [f.bytes for f in frames]
    assert zmq_gc.refs == snapshot == zmq_gc.refs.copy()
    assert type(zmq_gc.refs.copy()) is dict
    del frames
    assert zmq_gc.refs != snapshot  # the snapshot stays as it was taken
    assert repr(zmq_gc.refs).startswith("<zmq.utils.garbage.HeldRefs {")


def test_garbage_store_and_reaper():
    obj = object()
    event = threading.Event()
    key = zmq_gc.store(obj, event)
    assert zmq_gc.refs[key].obj is obj
    zmq_gc.release(key)
    assert event.is_set() and key not in zmq_gc.refs
    zmq.Frame(b"s" * 100, copy=False)  # starts the reaper
    assert zmq_gc.is_alive()
    zmq_gc.stop()
    assert not zmq_gc.is_alive()
    zmq_gc.start()
    assert zmq_gc.is_alive()


def test_reaper_drops_buffers_released_while_python_is_quiet(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR, "tcp")
    ref = send_forgotten(b, b"q" * 100_000)
    assert a.recv() == b"q" * 100_000
    # nothing of zmq-core runs here: only the reaper can drop the buffer
    assert wait_for(lambda: ref() is None)


def test_reaper_is_the_garbage_collector_thread(pair):
    from zmq.utils.garbage import GarbageCollectorThread, gc

    a, b = pair(zmq.PUSH, zmq.PULL)
    a.send(b"x" * 100_000, copy=False)
    assert b.recv() == b"x" * 100_000
    # started by the zero-copy send, under PyZMQ's class name
    assert isinstance(gc.thread, GarbageCollectorThread)
    assert gc.thread.ready.wait(5) and gc.is_alive()


def test_first_zero_copy_send_starts_the_reaper_without_python_work():
    # the first zero-copy send starts the reaper; it used to import
    # zmq.utils.garbage (typing, threading...) and start a Python thread
    # that took the GIL at once: milliseconds in the sender's call
    run = run_python(
        """
        import sys, threading
        import zmq
        ctx = zmq.Context()
        a = ctx.socket(zmq.PAIR); a.linger = 0; a.rcvtimeo = 10000
        b = ctx.socket(zmq.PAIR); b.linger = 0
        a.bind("inproc://first"); b.connect("inproc://first")
        before = set(sys.modules)
        b.send(b"f" * 100_000, copy=False)
        print("imported:", sorted(set(sys.modules) - before))
        assert a.recv() == b"f" * 100_000
        from zmq.utils.garbage import GarbageCollectorThread, gc
        reaper = gc.thread
        assert isinstance(reaper, GarbageCollectorThread) and reaper is gc.thread
        assert reaper.is_alive() and gc.is_alive() and reaper.ready.wait(0)
        assert "started daemon" in repr(reaper)
        assert reaper.ident not in (None, threading.get_ident())
        assert reaper.native_id not in (None, 0, threading.get_native_id())
        gc.stop()
        reaper.join(10)
        assert not reaper.is_alive() and not gc.is_alive() and gc.thread is None
        assert "stopped" in repr(reaper)
        gc.start()
        again = gc.thread
        assert again is not reaper and again.is_alive() and not reaper.is_alive()
        a.close(); b.close(); ctx.term()
        print("ok")
        """,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["imported: []", "ok"]


def test_reading_garbage_refs_makes_no_python_call():
    # gc.refs is a plain attribute, as PyZMQ's is: a property was a Python
    # call on every read, a third more than PyZMQ's cost
    calls = []

    def profile(frame, event, arg):
        if event == "call":
            calls.append(frame.f_code.co_name)

    gc_obj = zmq_gc
    sys.setprofile(profile)
    try:
        refs = gc_obj.refs
    finally:
        sys.setprofile(None)
    assert calls == [] and refs is zmq_gc.refs
    with pytest.raises(AttributeError, match="read-only"):
        zmq_gc.refs = {}  # type: ignore[misc]
    assert zmq_gc.refs is refs
