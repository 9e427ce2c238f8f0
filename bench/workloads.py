# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark workloads, run by bench/run.py in one interpreter per
implementation: everything here uses the module named by BENCH_ZMQ_MODULE
(``zmq``, the default: this project or PyZMQ; ``pyomq``, which is imported
as ``import pyomq as zmq``), so the same code measures every implementation.
Child processes the workloads start inherit the variable.

    python workloads.py --list
    python workloads.py WORKLOAD [--scale S]      prints one JSON result

A result is {"value": number, "unit": "...", "better": "lower"|"higher"},
or {"skipped": "reason"} when the implementation lacks the feature.
"""

import argparse
import contextlib
import importlib
import json
import os
import subprocess
import sys
import threading
import time

# the implementation under test, and its modules that stand for this
# project's zmq.* subpackages where the layout differs
ZMQ_MODULE = os.environ.get("BENCH_ZMQ_MODULE", "zmq")
SUBMODULES = {
    "pyomq": {"zmq.eventloop.zmqstream": "pyomq.zmqstream"},
}
zmq = importlib.import_module(ZMQ_MODULE)

WORKLOADS = {}


def workload(name, unit, better="lower"):
    def register(fn):
        WORKLOADS[name] = (fn, unit, better)
        return fn

    return register


def round_trip_workloads(prefix, measure, busy_poll_off=True):
    """Register the workloads of one round-trip measure, ``measure(scale,
    busy_poll=True)`` -> (wall seconds, process CPU seconds) per round trip:
    "<prefix> round trip tcp", "<prefix> CPU per round trip tcp" (what the
    latency costs: CPU time of the whole process, the loop's thread and
    libzmq's I/O thread; busy-polling spends some) and, for a layer that
    busy-polls, "<prefix> round trip tcp, busy-poll off"."""
    workload(f"{prefix} round trip tcp", "us")(lambda scale: measure(scale)[0] * 1e6)
    workload(f"{prefix} CPU per round trip tcp", "us")(lambda scale: measure(scale)[1] * 1e6)
    if busy_poll_off:
        workload(f"{prefix} round trip tcp, busy-poll off", "us")(
            lambda scale: measure(scale, busy_poll=False)[0] * 1e6)


class Skip(Exception):
    pass


# a workload that waits on an event loop gives up after this long without its
# result (pyomq's ZMQStream delivers nothing) and says so
STALL_SECONDS = 20


def pair(ctx, kind_a=zmq.PAIR, kind_b=zmq.PAIR, transport="inproc"):
    """(bound, connected) sockets with linger 0, over inproc or tcp on
    127.0.0.1 (a random port)."""
    a = ctx.socket(kind_a)
    a.linger = 0
    if transport == "tcp":
        url = f"tcp://127.0.0.1:{a.bind_to_random_port('tcp://127.0.0.1')}"
    else:
        url = "inproc://bench"
        a.bind(url)
    b = ctx.socket(kind_b)
    b.linger = 0
    b.connect(url)
    return a, b


@contextlib.contextmanager
def pair_in_new_context(kind_a=zmq.PAIR, kind_b=zmq.PAIR, transport="inproc", context=None):
    """A fresh context (zmq.Context, or the given class) and pair() in it;
    both sockets closed and the context terminated on exit."""
    ctx = (context or zmq.Context)()
    a, b = pair(ctx, kind_a, kind_b, transport)
    try:
        yield a, b
    finally:
        a.close()
        b.close()
        ctx.term()


def per_op(n, body, warmup=None):
    """ns per call of body(), over n calls after a warm-up."""
    for _ in range(warmup if warmup is not None else max(1, n // 10)):
        body()
    t0 = time.perf_counter_ns()
    for _ in range(n):
        body()
    return (time.perf_counter_ns() - t0) / n


# -- per-operation costs (same thread, inproc) ------------------------------


def _send_recv(n, send_name, recv_name, payload):
    """ns per send(payload) + recv() on a fresh inproc PAIR, the bound
    methods looked up once; Skip when the methods need a distribution that
    is not installed (zmq-serial's)."""
    with pair_in_new_context() as (a, b):
        send, recv = getattr(b, send_name), getattr(a, recv_name)
        try:
            send(payload)
            recv()
        except ImportError as e:
            raise Skip(str(e)) from None
        result = per_op(n, lambda: (send(payload), recv()))
    return result


@workload("send+recv 64 B, copy", "ns/op")
def send_recv_copy(scale):
    return _send_recv(int(200_000 * scale), "send", "recv", b"x" * 64)


@workload("send+recv 64 B, copy, methods read per call", "ns/op")
def send_recv_copy_attribute_reads(scale):
    # as most programs write it: sock.send(...), the method read each time
    with pair_in_new_context() as (a, b):
        msg = b"x" * 64
        result = per_op(int(200_000 * scale), lambda: (b.send(msg), a.recv()))
    return result


@workload("send+recv 64 B, zero-copy", "ns/op")
def send_recv_zero_copy(scale):
    with pair_in_new_context() as (a, b):
        msg = b"x" * 64
        send, recv = b.send, a.recv
        result = per_op(int(200_000 * scale), lambda: (send(msg, copy=False), recv(copy=False)))
    return result


@workload("send_multipart+recv_multipart, 2 x 64 B", "ns/op")
def multipart(scale):
    parts = [b"x" * 64, b"y" * 64]
    return _send_recv(int(100_000 * scale), "send_multipart", "recv_multipart", parts)


@workload("send_string+recv_string", "ns/op")
def string_round_trip(scale):
    return _send_recv(int(100_000 * scale), "send_string", "recv_string", "héllo wörld" * 4)


SMALL_OBJECT = {"id": 12345, "name": "sensor-7", "values": [1.5, 2.5, 3.5], "ok": True}


@workload("send_json+recv_json, small dict", "ns/op")
def json_round_trip(scale):
    return _send_recv(int(50_000 * scale), "send_json", "recv_json", SMALL_OBJECT)


@workload("send_pyobj+recv_pyobj, small dict", "ns/op")
def pyobj_round_trip(scale):
    return _send_recv(int(50_000 * scale), "send_pyobj", "recv_pyobj", SMALL_OBJECT)


@workload("Frame(64 B)", "ns/op")
def frame_untracked(scale):
    data = b"x" * 64
    return per_op(int(300_000 * scale), lambda: zmq.Frame(data))


@workload("Frame(64 B, track=True)", "ns/op")
def frame_tracked(scale):
    data = b"x" * 64
    return per_op(int(300_000 * scale), lambda: zmq.Frame(data, track=True))


def _zero_copy_send(scale, track):
    with pair_in_new_context() as (a, b):
        data = b"z" * 100_000
        send, recv = b.send, a.recv
        n = int(20_000 * scale)
        # receive outside the timed section, in batches, so the cost measured
        # is that of the send
        total = 0
        done = 0
        while done < n:
            batch = min(500, n - done)
            t0 = time.perf_counter_ns()
            for _ in range(batch):
                send(data, copy=False, track=track)
            total += time.perf_counter_ns() - t0
            for _ in range(batch):
                recv(copy=False)
            done += batch
    return total / n


@workload("zero-copy send 100 kB, untracked", "ns/op")
def zero_copy_send_untracked(scale):
    return _zero_copy_send(scale, False)


@workload("zero-copy send 100 kB, tracked", "ns/op")
def zero_copy_send_tracked(scale):
    return _zero_copy_send(scale, True)


@workload("zero-copy send+recv 1 MiB", "ns/op")
def zero_copy_1mib(scale):
    with pair_in_new_context() as (a, b):
        data = bytearray(1 << 20)
        send, recv = b.send, a.recv
        result = per_op(int(20_000 * scale), lambda: (send(data, copy=False), recv(copy=False)))
    return result


# -- large copied messages (the allocation pattern decides whether glibc hands
# memory back to the OS after every message) ----------------------------------

COPY_SIZES = {"64 kB": 64 * 1024, "256 kB": 256 * 1024, "1 MiB": 1 << 20, "4 MiB": 4 << 20}


def _copied_round_trip(scale, size, transport):
    with pair_in_new_context(transport=transport) as (a, b):
        data = b"c" * size
        send, recv = b.send, a.recv
        n = max(50, int(200_000_000 * scale / size))
        result = per_op(n, lambda: (send(data), recv()))
    return result


for _label, _size in COPY_SIZES.items():
    workload(f"send+recv {_label}, copy", "ns/op")(
        lambda scale, size=_size: _copied_round_trip(scale, size, "inproc")
    )
    workload(f"send+recv {_label}, copy, tcp", "ns/op")(
        lambda scale, size=_size: _copied_round_trip(scale, size, "tcp")
    )


# -- zero-copy release beside a busy Python thread (libzmq's I/O thread must
# never wait for the GIL) ------------------------------------------------------


def _zero_copy_tcp_rate(scale, busy):
    """Messages per second of 100 kB zero-copy sends over tcp, sender and
    receiver in threads of their own, with (or without) one more thread
    spinning in pure Python."""
    duration = max(0.5, 2.0 * scale)
    with pair_in_new_context(zmq.PULL, zmq.PUSH, "tcp") as (pull, push):
        push.sndtimeo = 100
        data = bytearray(100_000)
        stop = threading.Event()
        received = [0]

        def receive():
            while not stop.is_set():
                if pull.poll(100):
                    pull.recv(copy=False)
                    received[0] += 1

        def send():
            while not stop.is_set():
                try:
                    push.send(data, copy=False)
                except zmq.Again:
                    pass

        def spin():
            n = 0
            while not stop.is_set():
                n += 1

        threads = [threading.Thread(target=receive), threading.Thread(target=send)]
        if busy:
            threads.append(threading.Thread(target=spin))
        for t in threads:
            t.start()
        time.sleep(0.2)  # warm up; what follows is a rate over wall time
        start_count, t0 = received[0], time.perf_counter()
        time.sleep(duration)
        rate = (received[0] - start_count) / (time.perf_counter() - t0)
        stop.set()
        for t in threads:
            t.join()
    return rate


@workload("zero-copy 100 kB tcp, threads", "msg/s", better="higher")
def zero_copy_tcp_threads(scale):
    return _zero_copy_tcp_rate(scale, busy=False)


@workload("zero-copy 100 kB tcp, threads + busy thread", "msg/s", better="higher")
def zero_copy_tcp_threads_busy(scale):
    return _zero_copy_tcp_rate(scale, busy=True)


@workload("zmq.utils.garbage gc.refs, 100 buffers held", "ns/op")
def garbage_refs(scale):
    zmq_gc = _require("zmq.utils.garbage").gc
    frames = [zmq.Frame(bytearray(100_000), copy=False) for _ in range(100)]
    refs = zmq_gc.refs
    if len(refs) < 100:
        raise Skip(f"gc.refs reports {len(refs)} of 100 held buffers")
    result = per_op(int(2_000 * scale), lambda: zmq_gc.refs)
    del frames
    return result


@workload("Poller.poll(0), 1 socket", "ns/op")
def poller_poll(scale):
    with pair_in_new_context() as (a, b):
        poller = zmq.Poller()
        poller.register(a, zmq.POLLIN)
        result = per_op(int(200_000 * scale), lambda: poller.poll(0))
    return result


@workload("getsockopt(LINGER)", "ns/op")
def getsockopt(scale):
    with zmq.Context() as ctx:
        s = ctx.socket(zmq.PUSH)
        get = s.getsockopt
        result = per_op(int(500_000 * scale), lambda: get(zmq.LINGER))
        s.close(linger=0)
    return result


@workload("sock.linger, an option read as an attribute", "ns/op")
def option_attribute(scale):
    with zmq.Context() as ctx:
        s = ctx.socket(zmq.PUSH)
        result = per_op(int(200_000 * scale), lambda: s.linger)
        s.close(linger=0)
    return result


@workload("import zmq, fresh process", "ms")
def import_time(scale):
    """Best of 9 (or more with the scale) imports of the implementation in a
    fresh interpreter each, timed inside it: the import alone, not the
    interpreter's start. Every distribution of this project is installed."""
    code = (f"import time; t = time.perf_counter(); import {ZMQ_MODULE}; "
            "print(time.perf_counter() - t)")
    times = []
    for _ in range(max(9, int(9 * scale))):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60, check=True)
        times.append(float(out.stdout))
    return min(times) * 1e3


# -- throughput and latency ---------------------------------------------------


def _sender(url, size, count):
    """Runs in a child process: connect and send count messages of size,
    then close once the receiver says (a line on stdin) it has them all:
    pyomq 0.27.3 drops the messages still queued when a socket closes,
    whatever its linger."""
    with zmq.Context() as ctx:
        s = ctx.socket(zmq.PUSH)
        s.connect(url)
        msg = b"s" * size
        send = s.send
        for _ in range(count):
            send(msg, copy=size < 65536)
        sys.stdin.readline()
        s.close()


def _throughput(scale, size, transport):
    count = max(200, int(scale * {64: 1_000_000, 1024: 500_000, 65536: 40_000,
                                  1 << 20: 2_000}[size]))
    with zmq.Context() as ctx:
        pull = ctx.socket(zmq.PULL)
        pull.linger = 0
        if transport == "tcp":
            port = pull.bind_to_random_port("tcp://127.0.0.1")
            url = f"tcp://127.0.0.1:{port}"
        else:
            url = "inproc://throughput"
            pull.bind(url)
        rate = _timed_receive(ctx, pull, url, transport, size, count)
        pull.close()
    return rate


def _timed_receive(ctx, pull, url, transport, size, count):
    """Messages per second *pull* receives from a sender of *count*
    messages of *size* bytes to *url*: a process over tcp, a thread of
    *ctx* over inproc. The clock starts at the first message."""
    if transport == "tcp":
        sender = subprocess.Popen(
            [sys.executable, __file__, "--sender", url, str(size), str(count)],
            stdin=subprocess.PIPE,
        )
    else:
        sender = threading.Thread(target=_inproc_sender, args=(ctx, url, size, count))
        sender.start()
    recv = pull.recv
    copy = size < 65536
    recv(copy=copy)
    t0 = time.perf_counter()
    for _ in range(count - 1):
        recv(copy=copy)
    elapsed = time.perf_counter() - t0
    if transport == "tcp":
        sender.communicate(b"done\n", timeout=60)
    else:
        sender.join(60)
    return (count - 1) / elapsed


def _inproc_sender(ctx, url, size, count):
    s = ctx.socket(zmq.PUSH)
    s.connect(url)
    msg = b"s" * size
    for _ in range(count):
        s.send(msg, copy=size < 65536)
    s.close()


for _transport in ("tcp", "inproc"):
    for _size, _label in ((64, "64 B"), (1024, "1 kB"), (65536, "64 kB"), (1 << 20, "1 MiB")):

        def _make(size=_size, transport=_transport):
            return lambda scale: _throughput(scale, size, transport)

        workload(f"throughput {_transport} {_label}", "msg/s", "higher")(_make())


def _proxy_throughput(scale, size, transport):
    """PUSH -> zmq.proxy(PULL, PUSH) in a thread -> PULL: messages per
    second through the proxy. The sender is a child process over tcp, a
    thread over inproc (then three threads of one process share the GIL)."""
    if not hasattr(zmq, "proxy"):
        raise Skip("no zmq.proxy")
    count = max(200, int(scale * {64: 500_000, 65536: 40_000}[size]))
    ctx = zmq.Context()
    front = ctx.socket(zmq.PULL)
    back = ctx.socket(zmq.PUSH)
    for s in (front, back):
        s.linger = 0
    if transport == "tcp":
        front_url = f"tcp://127.0.0.1:{front.bind_to_random_port('tcp://127.0.0.1')}"
        back_url = f"tcp://127.0.0.1:{back.bind_to_random_port('tcp://127.0.0.1')}"
    else:
        front_url, back_url = "inproc://proxy-front", "inproc://proxy-back"
        front.bind(front_url)
        back.bind(back_url)

    def run_proxy():
        try:
            zmq.proxy(front, back)
        except zmq.ContextTerminated:
            pass
        front.close()
        back.close()

    thread = threading.Thread(target=run_proxy, daemon=True)
    thread.start()
    pull = ctx.socket(zmq.PULL)
    pull.linger = 0
    pull.connect(back_url)
    rate = _timed_receive(ctx, pull, front_url, transport, size, count)
    pull.close()
    ctx.term()
    thread.join(10)
    return rate


for _transport in ("tcp", "inproc"):
    for _size, _label in ((64, "64 B"), (65536, "64 kB")):

        def _make(size=_size, transport=_transport):
            return lambda scale: _proxy_throughput(scale, size, transport)

        workload(f"proxy throughput {_transport} {_label}", "msg/s", "higher")(_make())


@workload("one DEALER shared by a sending and a receiving thread, tcp 64 B", "msg/s", "higher")
def shared_socket_threads(scale):
    """The main thread sends on a DEALER while another thread receives the
    echoes on the same DEALER (a ROUTER echoes in a third thread): what
    PyZMQ's rule (one socket per thread) forbids. An implementation that
    stalls is skipped with how far it got."""
    n = max(2000, int(100_000 * scale))
    with zmq.Context() as ctx:
        router = ctx.socket(zmq.ROUTER)
        dealer = ctx.socket(zmq.DEALER)
        for s in (router, dealer):
            s.linger = 0
            s.rcvtimeo = s.sndtimeo = 5000
        # a full peer makes the echo wait, not drop (ROUTER's default)
        router.router_mandatory = 1
        port = router.bind_to_random_port("tcp://127.0.0.1")
        dealer.connect(f"tcp://127.0.0.1:{port}")
        received = [0]

        def echo():
            try:
                for _ in range(n):
                    router.send_multipart(router.recv_multipart())
            except zmq.ZMQError:
                pass

        def receive():
            try:
                for _ in range(n):
                    dealer.recv()
                    received[0] += 1
            except zmq.ZMQError:
                pass

        threads = [threading.Thread(target=echo), threading.Thread(target=receive)]
        for t in threads:
            t.start()
        msg = b"d" * 64
        t0 = time.perf_counter()
        try:
            for _ in range(n):
                dealer.send(msg)
        except zmq.ZMQError:
            pass
        threads[1].join(60)
        elapsed = time.perf_counter() - t0
        threads[0].join(10)
        router.close()
        dealer.close()
    if received[0] < n:
        raise Skip(f"stalled: {received[0]} of {n} echoes came back")
    return n / elapsed


@workload("REQ/REP latency tcp 64 B", "us", "lower")
def req_rep_latency(scale):
    count = max(500, int(20_000 * scale))
    with zmq.Context() as ctx:
        req = ctx.socket(zmq.REQ)
        req.linger = 0
        port = req.bind_to_random_port("tcp://127.0.0.1")
        proc = subprocess.Popen(
            [sys.executable, __file__, "--echo", f"tcp://127.0.0.1:{port}", str(count + 100)]
        )
        msg = b"l" * 64
        for _ in range(100):
            req.send(msg)
            req.recv()
        t0 = time.perf_counter()
        for _ in range(count):
            req.send(msg)
            req.recv()
        elapsed = time.perf_counter() - t0
        proc.wait(60)
        req.close()
    # one-way latency, as libzmq's local_lat/remote_lat report it
    return elapsed / count / 2 * 1e6


def _echo(url, count):
    with zmq.Context() as ctx:
        rep = ctx.socket(zmq.REP)
        rep.connect(url)
        for _ in range(count):
            rep.send(rep.recv())
        rep.close()


# -- the other distributions (skipped where not installed) ------------------


def _require(module):
    """The module, or Skip; a zmq.* name means the implementation's own
    module of that role (pyomq.asyncio for zmq.asyncio)."""
    if module == "zmq" or module.startswith("zmq."):
        module = SUBMODULES.get(ZMQ_MODULE, {}).get(module) or (
            ZMQ_MODULE + module[len("zmq"):])
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise Skip(f"{module} is not installed: {e}") from None


@workload("zero-copy send+recv 1 MiB tcp", "ns/op")
def zero_copy_1mib_tcp(scale):
    with pair_in_new_context(transport="tcp") as (a, b):
        data = bytearray(1 << 20)
        send, recv = b.send, a.recv
        result = per_op(int(3_000 * scale), lambda: (send(data, copy=False), recv(copy=False)))
    return result


@workload("send_array+recv_array 1 MiB tcp", "ns/op")
def array_round_trip(scale):
    np = _require("numpy")
    with pair_in_new_context(transport="tcp") as (a, b):
        arr = np.zeros(1 << 17, dtype="f8")  # 1 MiB
        try:
            b.send_array(arr)
            a.recv_array()
        except (ImportError, AttributeError) as e:
            raise Skip(f"no send_array/recv_array: {e}") from None
        result = per_op(int(3_000 * scale), lambda: (b.send_array(arr), a.recv_array()))
    return result


def _clock():
    """(wall, process CPU) seconds now, for _per_call."""
    return time.perf_counter(), time.process_time()


def _per_call(n, start):
    """(wall, process CPU) seconds per call of n calls begun at start=_clock()."""
    wall, cpu = _clock()
    return (wall - start[0]) / n, (cpu - start[1]) / n


def _busy_poll_off():
    try:
        busypoll = _require("zmq.eventloop.busypoll")
    except Skip:
        return  # PyZMQ, pyomq: never busy-poll
    busypoll.set_busy_poll(0)


def _asyncio_req_rep(scale, busy_poll=True):
    """(wall seconds, process CPU seconds) per REQ/REP round trip over tcp,
    client and server on one asyncio loop."""
    import asyncio

    zasyncio = _require("zmq.asyncio")
    if not busy_poll:
        _busy_poll_off()
    count = max(500, int(10_000 * scale))

    async def run():
        with pair_in_new_context(zmq.REP, zmq.REQ, "tcp", context=zasyncio.Context) as (rep, req):

            async def serve():
                for _ in range(count + 50):
                    await rep.send(await rep.recv())

            async def round_trips(n):
                start = _clock()
                for _ in range(n):
                    await req.send(b"x")
                    await req.recv()
                return _per_call(n, start)

            server = asyncio.ensure_future(serve())
            await round_trips(50)  # warm-up
            result = await round_trips(count)
            await server
        return result

    return asyncio.run(run())


round_trip_workloads("asyncio REQ/REP", _asyncio_req_rep)


@workload("asyncio PUSH/PULL stream 64 B", "msg/s", "higher")
def asyncio_push_pull(scale):
    import asyncio

    zasyncio = _require("zmq.asyncio")
    count = max(1000, int(200_000 * scale))

    async def run():
        sockets = pair_in_new_context(zmq.PULL, zmq.PUSH, "tcp", context=zasyncio.Context)
        with sockets as (pull, push):
            msg = b"x" * 64

            async def produce():
                for _ in range(count):
                    await push.send(msg)

            producer = asyncio.ensure_future(produce())
            await pull.recv()
            t0 = time.perf_counter()
            for _ in range(count - 1):
                await pull.recv()
            elapsed = time.perf_counter() - t0
            await producer
        return (count - 1) / elapsed

    return asyncio.run(run())


# -- anyio: zmq.anyio (this project) or zmq-anyio 0.4.1 (PyPI, over PyZMQ) --
# The same workload runs on whichever of the two its venv has: this
# project's venv has zmq.anyio, bench/'s zmq-anyio venv has zmq_anyio (whose
# sockets are started by their async context manager and whose
# asend()/arecv() return awaitables), PyZMQ's venv neither.


@contextlib.asynccontextmanager
async def _anyio_pair(kind_a, kind_b):
    """(bound, connected) anyio sockets over tcp, as (socket, send, recv)
    pairs; closed and their context terminated on exit."""
    try:
        layer = _require("zmq.anyio")
    except Skip:
        if ZMQ_MODULE != "zmq":
            raise  # zmq-anyio wraps PyZMQ's sockets only
        layer = None
    if layer is not None:
        with pair_in_new_context(kind_a, kind_b, "tcp", context=layer.Context) as (a, b):
            yield (a, a.send, a.recv), (b, b.send, b.recv)
        return
    zmq_anyio = _require("zmq_anyio")
    ctx = zmq.Context()
    a, b = pair(ctx, kind_a, kind_b, "tcp")
    wrapped_a, wrapped_b = zmq_anyio.Socket(a), zmq_anyio.Socket(b)
    try:
        async with wrapped_a, wrapped_b:
            yield ((wrapped_a, wrapped_a.asend, wrapped_a.arecv),
                   (wrapped_b, wrapped_b.asend, wrapped_b.arecv))
    finally:
        a.close()
        b.close()
        ctx.term()


def _anyio_run(backend, main):
    anyio = _require("anyio")
    if backend == "trio":
        _require("trio")
    return anyio.run(main, backend=backend)


def _anyio_req_rep(scale, backend):
    """Seconds per REQ/REP round trip over tcp, client and server as two
    tasks of one anyio task group."""
    import anyio

    count = max(500, int(10_000 * scale))

    async def run():
        async with _anyio_pair(zmq.REP, zmq.REQ) as ((_, rep_send, rep_recv),
                                                     (_, req_send, req_recv)):

            async def serve():
                for _ in range(count + 50):
                    await rep_send(await rep_recv())

            async def round_trips(n):
                start = _clock()
                for _ in range(n):
                    await req_send(b"x")
                    await req_recv()
                return _per_call(n, start)

            async with anyio.create_task_group() as group:
                group.start_soon(serve)
                await round_trips(50)  # warm-up
                result = await round_trips(count)
        return result[0]

    return _anyio_run(backend, run)


def _anyio_push_pull(scale, backend):
    """msg/s of 64 B messages over tcp from a producer task to a consumer
    task of one anyio task group."""
    import anyio

    count = max(1000, int(200_000 * scale))

    async def run():
        async with _anyio_pair(zmq.PULL, zmq.PUSH) as ((_, _, recv), (_, send, _)):
            msg = b"x" * 64

            async def produce():
                for _ in range(count):
                    await send(msg)

            async with anyio.create_task_group() as group:
                group.start_soon(produce)
                await recv()
                t0 = time.perf_counter()
                for _ in range(count - 1):
                    await recv()
                elapsed = time.perf_counter() - t0
        return (count - 1) / elapsed

    return _anyio_run(backend, run)


@workload("anyio (asyncio) REQ/REP round trip tcp", "us")
def anyio_asyncio_req_rep(scale):
    return _anyio_req_rep(scale, "asyncio") * 1e6


@workload("anyio (trio) REQ/REP round trip tcp", "us")
def anyio_trio_req_rep(scale):
    return _anyio_req_rep(scale, "trio") * 1e6


@workload("anyio (asyncio) PUSH/PULL stream 64 B", "msg/s", "higher")
def anyio_asyncio_push_pull(scale):
    return _anyio_push_pull(scale, "asyncio")


@workload("anyio (trio) PUSH/PULL stream 64 B", "msg/s", "higher")
def anyio_trio_push_pull(scale):
    return _anyio_push_pull(scale, "trio")


# -- CPU under sparse traffic (no busy waiting) -------------------------------


def _sparse_cpu(scale, run, context_class):
    """Process CPU (ms) per second of a consumer receiving a 64 B message
    every 50 ms over tcp for 5 s x scale (at least 1 s). *run(main)* drives
    the consumer's coroutine in the layer under test. The traffic comes from
    a plain zmq socket in a thread of its own, the same in every row, so
    that the rows differ only by the layer that waits: a producer in the
    same loop would add its event loop's timer costs to the layer's."""
    seconds = max(1.0, 5.0 * scale)
    count = int(seconds / 0.05)
    go = threading.Event()

    def produce(url):
        with zmq.Context() as ctx, ctx.socket(zmq.PUSH) as push:
            push.linger = 1000
            push.connect(url)
            if not go.wait(30):
                return
            for _ in range(count):
                time.sleep(0.05)
                push.send(b"x" * 64)

    async def main():
        ctx = context_class()
        pull = ctx.socket(zmq.PULL)
        pull.linger = 0
        producer = None
        try:
            pull.bind("tcp://127.0.0.1:*")
            producer = threading.Thread(target=produce, args=(pull.last_endpoint.decode(),),
                                        daemon=True)
            producer.start()
            go.set()
            start_cpu, start = time.process_time(), time.perf_counter()
            for _ in range(count):
                await pull.recv()
            return (time.process_time() - start_cpu) * 1e3 / (time.perf_counter() - start)
        finally:
            go.set()
            pull.close()
            if producer is not None:
                producer.join(30)
            ctx.term()

    return run(main)


@workload("asyncio CPU under sparse traffic tcp", "ms/s")
def asyncio_sparse_cpu(scale):
    import asyncio

    zasyncio = _require("zmq.asyncio")
    return _sparse_cpu(scale, lambda main: asyncio.run(main()), zasyncio.Context)


def _anyio_sparse_cpu(scale, backend):
    _require("anyio")
    try:
        layer = _require("zmq.anyio")
    except Skip as e:
        if ZMQ_MODULE != "zmq":
            raise
        raise Skip("zmq.anyio is not installed (zmq-anyio's sockets need a started"
                   " task group per socket: not this workload's shape)") from e
    return _sparse_cpu(scale, lambda main: _anyio_run(backend, main), layer.Context)


@workload("anyio (asyncio) CPU under sparse traffic tcp", "ms/s")
def anyio_asyncio_sparse_cpu(scale):
    return _anyio_sparse_cpu(scale, "asyncio")


@workload("anyio (trio) CPU under sparse traffic tcp", "ms/s")
def anyio_trio_sparse_cpu(scale):
    return _anyio_sparse_cpu(scale, "trio")


def _zmqstream_echo(scale, busy_poll=True):
    """(wall seconds, process CPU seconds) per echo round trip over tcp
    between two ZMQStreams (DEALER -> ROUTER echo) on one Tornado IOLoop."""
    _require("tornado")
    zmqstream = _require("zmq.eventloop.zmqstream")
    from tornado.ioloop import IOLoop

    if not busy_poll:
        _busy_poll_off()
    count = max(500, int(10_000 * scale))
    with pair_in_new_context(zmq.ROUTER, zmq.DEALER, "tcp") as (server, client):
        loop = IOLoop(make_current=False)
        server_stream = zmqstream.ZMQStream(server, loop)
        client_stream = zmqstream.ZMQStream(client, loop)
        server_stream.on_recv(server_stream.send_multipart)
        state = {"left": count + 50}

        def on_reply(msg):
            state["left"] -= 1
            if state["left"] == count:
                state["start"] = _clock()
            if state["left"] == 0:
                state["result"] = _per_call(count, state["start"])
                loop.stop()
            else:
                client_stream.send(b"echo")

        client_stream.on_recv(on_reply)
        loop.add_callback(lambda: client_stream.send(b"echo"))
        # about a second's work at full scale: a stream that stops delivering
        # (pyomq 0.27.3's) ends the run with the reason, not a hang
        deadline = loop.call_later(STALL_SECONDS, loop.stop)
        loop.start()
        loop.remove_timeout(deadline)
        server_stream.close()
        client_stream.close()
        loop.close()
    if "result" not in state:
        done = count + 50 - state["left"]
        raise Skip(f"stalled: {done} of {count + 50} echo round trips in {STALL_SECONDS} s")
    return state["result"]


round_trip_workloads("ZMQStream echo", _zmqstream_echo)


def _green_req_rep(scale):
    """(wall seconds, process CPU seconds) per REQ/REP round trip over tcp
    between two greenlets of one process, on zmq.green."""
    gevent = _require("gevent")
    gzmq = _require("zmq.green")
    count = max(500, int(10_000 * scale))
    with pair_in_new_context(zmq.REP, zmq.REQ, "tcp", context=gzmq.Context) as (rep, req):

        def serve():
            for _ in range(count + 50):
                rep.send(rep.recv())

        def round_trips(n):
            start = _clock()
            for _ in range(n):
                req.send(b"x")
                req.recv()
            return _per_call(n, start)

        server = gevent.spawn(serve)
        round_trips(50)  # warm-up
        result = round_trips(count)
        server.get(timeout=60)
    return result


round_trip_workloads("gevent REQ/REP", _green_req_rep, busy_poll_off=False)


# The stream row's PULL socket takes a 1 MiB kernel receive buffer (see
# green_push_pull)
_GREEN_STREAM_RCVBUF = 1 << 20


@workload("gevent PUSH/PULL stream 64 B", "msg/s", "higher")
def green_push_pull(scale):
    """msg/s from a PUSH greenlet to a PULL greenlet of one hub over tcp:
    the time from the timed batch's first send to its last receive, after
    a warm-up batch (the connection is up, nothing is left queued).

    Two artefacts of the setup are kept out, for every column alike. The
    clock covers the producer too: started at the first receive, it left
    out whatever the producer sent before that receive returned, which
    ranged from a few hundred messages to all of them (the kernel's send
    buffer grows to MiBs), so the row read ~0.7M one run and up to 2.9M
    the next. And the PULL socket gets a 1 MiB kernel receive buffer
    (ZMQ_RCVBUF): with the default 128 KiB, the receive window on loopback
    is at most about one segment (MSS ~64 KiB); when libzmq pauses reading
    (RCVHWM reached) and the window left is smaller than a segment, the
    sender keeps its queue until its persist timer fires (~200 ms, a
    zero-window probe) while both greenlets sleep with nothing to do
    (measured: ss shows the sender's persist timer, snd_wnd < mss, 2.5 MB
    unsent, the receiver's queue empty), which took 1 run in 5 to 10
    down to ~180k."""
    gevent = _require("gevent")
    gzmq = _require("zmq.green")
    count = max(1000, int(200_000 * scale))
    warm_up = 1000
    with contextlib.ExitStack() as stack:
        ctx = gzmq.Context()
        stack.callback(ctx.term)
        pull = ctx.socket(zmq.PULL)
        stack.callback(pull.close)
        pull.linger = 0
        pull.setsockopt(zmq.RCVBUF, _GREEN_STREAM_RCVBUF)
        url = f"tcp://127.0.0.1:{pull.bind_to_random_port('tcp://127.0.0.1')}"
        push = ctx.socket(zmq.PUSH)
        stack.callback(push.close)
        push.linger = 0
        push.connect(url)
        msg = b"x" * 64

        def produce(n):
            for _ in range(n):
                push.send(msg)

        producer = gevent.spawn(produce, warm_up)
        for _ in range(warm_up):
            pull.recv()
        producer.get(timeout=60)
        t0 = time.perf_counter()
        producer = gevent.spawn(produce, count)
        for _ in range(count):
            pull.recv()
        elapsed = time.perf_counter() - t0
        producer.get(timeout=60)
    return count / elapsed


@workload("monitored_queue throughput tcp 64 B", "msg/s", "higher")
def monitored_queue_throughput(scale):
    mq = _require("zmq.devices.monitoredqueue")
    count = max(1000, int(300_000 * scale))
    ctx = zmq.Context()
    front = ctx.socket(zmq.ROUTER)
    front_port = front.bind_to_random_port("tcp://127.0.0.1")
    back = ctx.socket(zmq.DEALER)
    back_port = back.bind_to_random_port("tcp://127.0.0.1")
    mon = ctx.socket(zmq.PUB)
    mon.bind("inproc://mq-monitor")

    def run_queue():
        try:
            mq.monitored_queue(front, back, mon, b"in", b"out")
        except zmq.ContextTerminated:
            pass
        for s in (front, back, mon):
            s.close(linger=0)

    thread = threading.Thread(target=run_queue, daemon=True)
    thread.start()
    sink = ctx.socket(zmq.DEALER)
    sink.connect(f"tcp://127.0.0.1:{back_port}")
    proc = subprocess.Popen(
        [sys.executable, __file__, "--dealer-sender", f"tcp://127.0.0.1:{front_port}",
         "64", str(count)]
    )
    sink.recv_multipart()
    t0 = time.perf_counter()
    for _ in range(count - 1):
        sink.recv_multipart()
    elapsed = time.perf_counter() - t0
    proc.wait(60)
    sink.close(linger=0)
    ctx.term()
    thread.join(10)
    return (count - 1) / elapsed


def _curve_server_with_auth(ctx, key_dir, kind):
    """A ThreadAuthenticator accepting the client certificate it makes in
    key_dir, and a CURVE server socket of `kind` bound on tcp behind it;
    returns (auth, server, its url, server public key, client keys)."""
    import shutil

    auth_mod = _require("zmq.auth")
    thread_mod = _require("zmq.auth.thread")
    auth_mod.create_certificates(key_dir, "server")
    client_public_file, _ = auth_mod.create_certificates(key_dir, "client")
    allowed = os.path.join(key_dir, "allowed")
    os.mkdir(allowed)
    shutil.copy(client_public_file, allowed)
    server_secret_file = os.path.join(key_dir, "server.key_secret")
    server_public, server_secret = auth_mod.load_certificate(server_secret_file)
    client_keys = auth_mod.load_certificate(os.path.join(key_dir, "client.key_secret"))
    auth = thread_mod.ThreadAuthenticator(ctx)
    auth.start()
    auth.allow("127.0.0.1")
    auth.configure_curve(domain="*", location=allowed)
    server = ctx.socket(kind)
    server.linger = 0
    server.curve_server = True
    server.curve_secretkey = server_secret
    url = f"tcp://127.0.0.1:{server.bind_to_random_port('tcp://127.0.0.1')}"
    return auth, server, url, server_public, client_keys


def _curve_client(ctx, kind, server_public, client_keys, url):
    sock = ctx.socket(kind)
    sock.linger = 0
    sock.curve_serverkey = server_public
    sock.curve_publickey, sock.curve_secretkey = client_keys
    sock.connect(url)
    return sock


@workload("CURVE+ZAP handshakes tcp", "handshakes/s", better="higher")
def curve_zap_handshakes(scale):
    # each: a new client socket, tcp connect, CURVE handshake, a ZAP request
    # answered by the authenticator thread, one message delivered, close
    import tempfile

    n = max(20, int(1000 * scale))
    with tempfile.TemporaryDirectory() as key_dir, zmq.Context() as ctx:
        auth, server, url, server_public, client_keys = _curve_server_with_auth(
            ctx, key_dir, zmq.PULL)

        def one():
            client = _curve_client(ctx, zmq.PUSH, server_public, client_keys, url)
            client.send(b"x")
            if not server.poll(10_000):
                raise RuntimeError("a CURVE handshake did not complete")
            server.recv()
            client.close()

        for _ in range(max(5, n // 10)):
            one()
        t0 = time.perf_counter()
        for _ in range(n):
            one()
        elapsed = time.perf_counter() - t0
        server.close()
        auth.stop()
    return n / elapsed


@workload("CURVE REQ/REP round trip tcp", "us/op")
def curve_round_trip(scale):
    # steady state after one authenticated handshake: encryption per message
    import tempfile

    n = max(100, int(20_000 * scale))
    with tempfile.TemporaryDirectory() as key_dir, zmq.Context() as ctx:
        auth, rep, url, server_public, client_keys = _curve_server_with_auth(
            ctx, key_dir, zmq.REP)
        req = _curve_client(ctx, zmq.REQ, server_public, client_keys, url)
        msg = b"x" * 64

        def round_trip():
            req.send(msg)
            rep.send(rep.recv())
            req.recv()

        elapsed_ns = per_op(n, round_trip)
        req.close()
        rep.close()
        auth.stop()
    return elapsed_ns / 1000


def _dealer_sender(url, size, count):
    with zmq.Context() as ctx:
        s = ctx.socket(zmq.DEALER)
        s.connect(url)
        msg = b"d" * size
        for _ in range(count):
            s.send(msg)
        s.close()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", nargs="?")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--describe", action="store_true",
                        help="the implementation's API and libzmq versions")
    parser.add_argument("--sender", nargs=3)
    parser.add_argument("--echo", nargs=2)
    parser.add_argument("--dealer-sender", nargs=3)
    args = parser.parse_args(argv)
    if args.sender:
        _sender(args.sender[0], int(args.sender[1]), int(args.sender[2]))
        return 0
    if args.echo:
        _echo(args.echo[0], int(args.echo[1]))
        return 0
    if args.dealer_sender:
        _dealer_sender(args.dealer_sender[0], int(args.dealer_sender[1]),
                       int(args.dealer_sender[2]))
        return 0
    if args.describe:
        version = getattr(zmq, "pyomq_version", None) or zmq.pyzmq_version
        print(json.dumps({"api": version(), "libzmq": zmq.zmq_version()}))
        return 0
    if args.list:
        print(json.dumps({name: [unit, better] for name, (_, unit, better) in WORKLOADS.items()}))
        return 0
    fn, unit, better = WORKLOADS[args.workload]
    try:
        value = fn(args.scale)
    except Skip as e:
        print(json.dumps({"skipped": str(e)}))
        return 0
    print(json.dumps({"value": value, "unit": unit, "better": better,
                      "zmq": os.path.dirname(zmq.__file__)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
