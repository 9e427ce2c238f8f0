# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's own threads under eventlet's monkey-patching (zmq-green's
tests cover gevent): the zero-copy reaper must stay an OS thread, or its
wait without the GIL freezes every green thread on the first large send.
Plus zmq.core.osthread itself: OS threads, locks and events."""

import importlib.util
import threading

import pytest
from zmq_testkit import run_large_messages, run_python

import zmq
from zmq.core.osthread import OSEvent, OSLock, OSThread, get_ident


@pytest.mark.skipif(importlib.util.find_spec("eventlet") is None, reason="needs eventlet")
@pytest.mark.timeout(90)
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_large_messages_after_eventlet_monkey_patch(transport):
    run_large_messages(transport, "eventlet")


def test_os_thread_runs_apart_and_joins():
    seen = {}
    release = OSEvent()

    def body(a, b=None):
        seen["args"] = (a, b)
        seen["ident"] = get_ident()
        release.wait(10)

    t = OSThread(target=body, args=(1,), kwargs={"b": 2}, name="worker")
    assert isinstance(t, threading.Thread) and t.daemon and not t.is_alive()
    with pytest.raises(RuntimeError, match="before it is started"):
        t.join()
    t.start()
    assert t.is_alive() and "started" in repr(t)
    with pytest.raises(RuntimeError, match="only be started once"):
        t.start()
    t.join(0.01)
    assert t.is_alive()
    release.set()
    t.join(10)
    assert not t.is_alive() and "stopped" in repr(t)
    assert seen["args"] == (1, 2)
    assert seen["ident"] == t.ident != get_ident()
    assert t.native_id != threading.get_native_id()
    with pytest.raises(RuntimeError, match="daemon status"):
        t.daemon = False


def test_non_daemon_os_thread_is_waited_for_at_exit():
    # the main thread ends first; the interpreter waits for the worker
    result = run_python(
        """
        import time
        from zmq.core.osthread import OSThread

        def work():
            time.sleep(0.3)
            print("worker done", flush=True)

        OSThread(target=work, daemon=False).start()
        print("main done", flush=True)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["main done", "worker done"]


def test_os_thread_reports_its_exception(monkeypatch):
    reported = []
    monkeypatch.setattr(threading, "excepthook", reported.append)

    def fail():
        raise KeyError("boom")

    t = OSThread(target=fail)
    t.start()
    t.join(10)
    assert not t.is_alive()
    (args,) = reported
    assert args.exc_type is KeyError and args.thread is t


def test_os_lock_is_a_lock():
    lock = OSLock()
    assert lock.acquire() and lock.locked()
    assert not lock.acquire(blocking=False)
    assert not lock.acquire(timeout=0.01)
    taken = []
    t = OSThread(target=lambda: taken.append(lock.acquire(timeout=10)))
    t.start()
    lock.release()
    t.join(10)
    assert taken == [True] and lock.locked()
    lock.release()
    with pytest.raises(RuntimeError, match="unlocked"):
        lock.release()
    with lock:
        assert lock.locked()
    assert not lock.locked()
    with pytest.raises(ValueError, match="non-blocking"):
        lock.acquire(False, 1)
    with pytest.raises(ValueError, match="at least 0"):
        lock.acquire(timeout=-2)


def test_os_event_wakes_every_waiter():
    event = OSEvent()
    assert not event.is_set() and not event.wait(0.01)
    woken = []
    waiters = [OSThread(target=lambda: woken.append(event.wait(10))) for _ in range(4)]
    for w in waiters:
        w.start()
    event.set()
    for w in waiters:
        w.join(10)
    assert woken == [True] * 4
    assert event.wait() and event.wait(0)
    event.clear()
    assert not event.wait(0)
    with pytest.raises(ValueError, match="NaN"):
        event.wait(float("nan"))


def test_reaper_is_an_os_thread(ctx):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    try:
        a.bind("inproc://reaper-thread")
        b.connect("inproc://reaper-thread")
        a.send(b"x" * 100_000, copy=False)
        assert b.recv(copy=True) == b"x" * 100_000
        reaper = zmq.utils.garbage.gc.thread
        assert isinstance(reaper, OSThread) and reaper.is_alive()
        assert reaper.ready.wait(10)
    finally:
        a.close(linger=0)
        b.close(linger=0)
