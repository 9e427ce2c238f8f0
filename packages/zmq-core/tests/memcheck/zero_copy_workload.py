# SPDX-License-Identifier: BSD-3-Clause
"""Zero-copy paths exercised under valgrind by test_memcheck.py: frames and
buffers dropped while libzmq still holds them, tracked sends, sockets closed
with messages queued, contexts destroyed with messages in flight."""

import gc
import threading

import zmq


def round_trips(ctx, transport, n):
    a = ctx.socket(zmq.PAIR)
    a.linger = 0
    a.rcvtimeo = a.sndtimeo = 10_000
    if transport == "tcp":
        port = a.bind_to_random_port("tcp://127.0.0.1")
        url = f"tcp://127.0.0.1:{port}"
    else:
        url = "inproc://memcheck"
        a.bind(url)
    b = ctx.socket(zmq.PAIR)
    b.linger = 0
    b.rcvtimeo = b.sndtimeo = 10_000
    b.connect(url)
    for i in range(n):
        payload = bytearray(b"%d" % i * 20_000)
        tracker = b.send(payload, copy=False, track=True)
        del payload  # only libzmq keeps it alive now
        frame = a.recv(copy=False)
        assert len(frame) > 0
        data = frame.bytes
        del frame
        tracker.wait(10)
        b.send_multipart([memoryview(data), zmq.Frame(data, track=True), data], copy=False)
        parts = a.recv_multipart(copy=False)
        assert [len(p) for p in parts] == [len(data)] * 3
        del parts
        gc.collect()
    a.close()
    b.close()


def queued_then_closed(ctx):
    # messages that never leave: freed when the socket closes
    s = ctx.socket(zmq.PUSH)
    s.linger = 0
    s.connect("tcp://127.0.0.1:1")
    for _ in range(10):
        if not s.poll(0, zmq.POLLOUT):
            break
        s.send(bytearray(100_000), copy=False, flags=zmq.NOBLOCK)
    s.close()


def frames_from_threads(ctx):
    pull = ctx.socket(zmq.PULL)
    pull.linger = 0
    pull.bind("inproc://threads")

    def produce():
        push = ctx.socket(zmq.PUSH)
        push.linger = 0
        push.connect("inproc://threads")
        for _ in range(20):
            push.send(bytes(70_000), copy=False)
        push.close()

    threads = [threading.Thread(target=produce) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(60):
        pull.recv(copy=False)
    for t in threads:
        t.join()
    pull.close()


def main():
    ctx = zmq.Context()
    round_trips(ctx, "inproc", 30)
    round_trips(ctx, "tcp", 30)
    queued_then_closed(ctx)
    frames_from_threads(ctx)
    ctx.term()
    # a context destroyed with a zero-copy message still queued
    ctx2 = zmq.Context()
    s = ctx2.socket(zmq.PUSH)
    s.connect("tcp://127.0.0.1:1")
    s.send(bytearray(200_000), copy=False, flags=zmq.NOBLOCK)
    ctx2.destroy(linger=0)
    print("workload done")


if __name__ == "__main__":
    main()
