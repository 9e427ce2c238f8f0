# SPDX-License-Identifier: BSD-3-Clause
"""zmq.anyio under trio's own API: nurseries, trio's cancel scopes, and
Ctrl-C (KeyboardInterrupt) reaching a task that waits on a socket or that
always finds messages waiting."""

import signal

import pytest
import trio
import trio.testing
from zmq_testkit import Child, closing, connected_pair

import zmq
import zmq.anyio

LIMIT = 10


def test_nursery_cancel_stops_every_receiver_and_loses_nothing(anyctx):
    async def main():
        pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "ipc")
        with closing(pull, push), trio.fail_after(LIMIT):
            got = []
            async with trio.open_nursery() as nursery:
                for _ in range(3):

                    async def receive():
                        while True:
                            got.append(await pull.recv())

                    nursery.start_soon(receive)
                await push.send(b"before")
                while not got:
                    await trio.testing.wait_all_tasks_blocked()
                nursery.cancel_scope.cancel()
            assert got == [b"before"]
            # the cancelled receives took nothing
            for i in range(3):
                await push.send(b"%d" % i)
            assert [await pull.recv() for _ in range(3)] == [b"0", b"1", b"2"]

    trio.run(main)


def test_trio_move_on_after_and_cancel_scope(anyctx):
    async def main():
        pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
        with closing(pull, push), trio.fail_after(LIMIT):
            with trio.move_on_after(0.02) as scope:
                await pull.recv_multipart()
            assert scope.cancelled_caught
            with trio.CancelScope() as scope:
                scope.cancel()
                await pull.poll()
            assert scope.cancelled_caught
            poller = zmq.anyio.Poller()
            poller.register(pull, zmq.POLLIN)
            with trio.move_on_after(0.02) as scope:
                await poller.poll()
            assert scope.cancelled_caught
            await push.send(b"kept")
            assert await pull.recv() == b"kept"

    trio.run(main)


# a trio program that receives, from a socket that is empty ("wait") or
# that always has messages waiting, fed by a thread ("busy"), until Ctrl-C
_INTERRUPTED = """
import sys, threading
import trio
import zmq, zmq.anyio

mode = sys.argv[1]
ctx = zmq.anyio.Context()
pull = ctx.socket(zmq.PULL)
pull.linger = 0
port = pull.bind_to_random_port("tcp://127.0.0.1")
stop = threading.Event()

def feed():
    push = zmq.Context.instance().socket(zmq.PUSH)
    push.linger = 0
    push.sndtimeo = 100
    push.connect(f"tcp://127.0.0.1:{port}")
    while not stop.is_set():
        try:
            push.send(b"m")
        except zmq.Again:
            pass
    push.close()

async def main():
    if mode == "busy":
        threading.Thread(target=feed, daemon=True).start()
        await pull.recv()
    else:
        # one wait before "ready": what it imports on first use is loaded
        with trio.move_on_after(0.01):
            await pull.recv()
    print("ready", flush=True)
    n = 0
    while True:
        await pull.recv()
        n += 1

try:
    trio.run(main)
except KeyboardInterrupt:
    print("interrupted", flush=True)
finally:
    stop.set()
    pull.close()
    ctx.term()
"""


@pytest.mark.parametrize("mode", ["wait", "busy"])
def test_ctrl_c_reaches_a_trio_task_on_a_socket(mode):
    with Child.python(_INTERRUPTED, mode, ready="ready") as child:
        child.send_signal(signal.SIGINT)
        status = child.wait()
        assert child.wait_for_line("interrupted", timeout=1) is not None, child.stderr()
        assert status == 0, child.stderr()
