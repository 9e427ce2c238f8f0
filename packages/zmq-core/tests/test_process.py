# SPDX-License-Identifier: BSD-3-Clause
"""Process-level behaviour, each in a subprocess with a timeout: fork,
interpreter exit with open sockets, and Ctrl-C during blocking calls."""

import os
import signal
import time

import pytest
from zmq_testkit import Child, blocked_in_wait, configure, run_python

import zmq


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_child_uses_its_own_context(ctx):
    pull = configure(ctx.socket(zmq.PULL))
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    inherited = zmq.Context.instance()
    pid = os.fork()
    if pid == 0:  # child: never touch the parent's context, make a new one
        code = 1
        try:
            child_ctx = zmq.Context.instance()
            assert child_ctx is not inherited
            push = child_ctx.socket(zmq.PUSH)
            push.linger = 2000
            push.connect(f"tcp://127.0.0.1:{port}")
            push.send(b"from child %d" % os.getpid())
            push.close()
            child_ctx.term()
            # dropping the inherited objects must not terminate the parent's
            del inherited
            code = 0
        finally:
            os._exit(code)
    try:
        assert pull.recv() == b"from child %d" % pid
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    # the parent's contexts still work
    assert zmq.Context.instance() is inherited
    s = inherited.socket(zmq.PAIR)
    s.close()
    inherited.term()


def test_exit_with_open_sockets_does_not_hang():
    out = run_python(
        """
        import zmq
        ctx = zmq.Context.instance()
        push = ctx.socket(zmq.PUSH)   # default linger: forever
        push.connect("tcp://127.0.0.1:1")
        push.send(b"undeliverable", zmq.NOBLOCK)
        other = zmq.Context()
        pub = other.socket(zmq.PUB)
        pub.bind("tcp://127.0.0.1:*")
        print("exiting")
        """,
        timeout=20,
    )
    assert out.returncode == 0, out.stderr
    assert "exiting" in out.stdout


def test_exit_with_zero_copy_message_in_flight_does_not_hang():
    out = run_python(
        """
        import zmq
        ctx = zmq.Context()
        push = ctx.socket(zmq.PUSH)
        push.connect("tcp://127.0.0.1:1")
        push.send(bytearray(1_000_000), copy=False, track=True, flags=zmq.NOBLOCK)
        print("exiting")
        """,
        timeout=20,
    )
    assert out.returncode == 0, out.stderr


def _default_sigint():
    # a shell running us in the background hands SIGINT down as ignored, and
    # Python installs no KeyboardInterrupt handler for an ignored signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(code, ready_marker="ready"):
    with Child.python(code, ready=ready_marker, preexec_fn=_default_sigint) as child:
        # the signal must land inside the blocking call, not before it
        blocked_in_wait(child.pid)
        t0 = time.monotonic()
        child.send_signal(signal.SIGINT)
        status = child.wait(10)
        elapsed = time.monotonic() - t0
        return status, child.stdout(), child.stderr(), elapsed


@pytest.mark.parametrize(
    "socket_type, blocking_call",
    [
        ("PULL", "s.recv()"),
        ("PULL", "s.recv_multipart()"),
        ("PULL", "s.recv_into(bytearray(10))"),
        ("PULL", "s.poll()"),
        ("PULL", "zmq.Poller().poll() if False else p.poll()"),
        ("PULL", "zmq.select([s], [], [])"),
        ("PULL", "s.recv() if s.setsockopt(zmq.RCVTIMEO, 60000) is None else None"),
        ("PUSH", "s.send(b'x')"),  # no peer: send blocks
    ],
)
def test_ctrl_c_interrupts_blocking_calls(socket_type, blocking_call):
    code = f"""
        import zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.{socket_type})
        s.bind("tcp://127.0.0.1:*")
        p = zmq.Poller()
        p.register(s, zmq.POLLIN)
        print("ready", flush=True)
        try:
            {blocking_call}
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            s.close(linger=0)
            ctx.term()
            raise
    """
    rc, out, err, elapsed = _interrupt(code)
    assert "interrupted" in out, err
    assert "KeyboardInterrupt" in err
    assert rc != 0
    assert elapsed < 5


SIGNAL_AFTER_S = 0.9
# long enough that the signal comes first even when a loaded machine makes
# blocked_in_wait slow to see the child parked
RCVTIMEO_S = 3.0


def test_signal_handler_runs_and_recv_resumes_with_remaining_timeout():
    # a signal whose handler does not raise: recv goes on waiting, and the
    # RCVTIMEO deadline still holds (it is not restarted by the signal)
    code = f"""
        import signal, time, zmq
        hits = []
        signal.signal(signal.SIGUSR1, lambda *a: hits.append(1))
        ctx = zmq.Context()
        s = ctx.socket(zmq.PULL)
        s.rcvtimeo = {int(RCVTIMEO_S * 1000)}
        s.bind("tcp://127.0.0.1:*")
        print("ready", flush=True)
        t0 = time.monotonic()
        try:
            s.recv()
        except zmq.Again:
            print("timeout after %.2f handled=%d" % (time.monotonic() - t0, len(hits)))
        s.close(linger=0)
        ctx.term()
    """
    with Child.python(code, ready="ready") as child:
        blocked_in_wait(child.pid)
        # deliberately late, the time under test: a deadline restarted by
        # the signal would end SIGNAL_AFTER_S later than the RCVTIMEO asked for
        time.sleep(SIGNAL_AFTER_S)
        child.send_signal(signal.SIGUSR1)
        child.wait(10)
        out, err = child.stdout(), child.stderr()
    assert "handled=1" in out, err
    waited = float(out.split("timeout after ")[1].split()[0])
    assert RCVTIMEO_S - 0.2 < waited < RCVTIMEO_S + SIGNAL_AFTER_S - 0.2
