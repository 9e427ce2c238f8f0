# SPDX-License-Identifier: BSD-3-Clause
"""zmq.anyio on both of anyio's backends (the anyio_backend fixture): every
send/receive variant, waiting, timeouts, cancellation, closing, polls,
iteration, context managers and object streams, and tasks sharing one
socket without losing a wake-up."""

import inspect
import os
import threading
import time

import anyio
import pytest
from conftest import sockets_to_close_under_waiters
from zmq_testkit import closing, connected_pair

import zmq
import zmq.anyio

np = pytest.importorskip("numpy")

pytestmark = pytest.mark.anyio

# every await in these tests is bounded by this (seconds)
LIMIT = 10


def _variants():
    """name -> (send(sock, n), receive(sock) -> n), over every codec."""

    async def recv_into(s):
        buf = bytearray(16)
        n = await s.recv_into(buf)
        return int(bytes(buf[:n]))

    return {
        "recv": (lambda s, n: s.send(b"%d" % n), lambda s: _int(s.recv())),
        "recv_multipart": (lambda s, n: s.send_multipart([b"m", b"%d" % n]),
                           lambda s: _map(s.recv_multipart(), lambda r: int(r[1]))),
        "recv_string": (lambda s, n: s.send_string(str(n)), lambda s: _int(s.recv_string())),
        "recv_json": (lambda s, n: s.send_json({"n": n}),
                      lambda s: _map(s.recv_json(), lambda r: r["n"])),
        "recv_pyobj": (lambda s, n: s.send_pyobj(("n", n)),
                       lambda s: _map(s.recv_pyobj(), lambda r: r[1])),
        "recv_serialized": (lambda s, n: s.send_serialized(n, lambda v: [b"%d" % v]),
                            lambda s: s.recv_serialized(lambda frames: int(frames[0]))),
        "recv_msgpack": (lambda s, n: s.send_msgpack([n]),
                         lambda s: _map(s.recv_msgpack(), lambda r: r[0])),
        "recv_array": (lambda s, n: s.send_array(np.array([n], dtype=np.int64)),
                       lambda s: _map(s.recv_array(), lambda r: int(r[0]))),
        "recv_into": (lambda s, n: s.send(b"%d" % n), recv_into),
    }


async def _int(awaitable):
    return int(await awaitable)


async def _map(awaitable, fn):
    return fn(await awaitable)


VARIANTS = _variants()


def variant_or_skip(name):
    """(send, receive) of a variant; skips when its codec is not installed."""
    pytest.importorskip("zmq.serial")
    if name == "recv_msgpack":
        pytest.importorskip("msgpack")
    return VARIANTS[name]


async def test_every_method_is_a_coroutine_function():
    for name in ["send", "send_multipart", "send_string", "send_json", "send_pyobj",
                 "send_serialized", "send_msgpack", "send_array", "recv", "recv_multipart",
                 "recv_string", "recv_json", "recv_pyobj", "recv_serialized", "recv_msgpack",
                 "recv_array", "recv_into", "poll", "__aenter__", "__aexit__", "__anext__"]:
        assert inspect.iscoroutinefunction(getattr(zmq.anyio.Socket, name)), name
    assert inspect.iscoroutinefunction(zmq.anyio.Poller.poll)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
async def test_every_variant_waits_then_receives(anyctx, variant):
    send, receive = variant_or_skip(variant)
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "tcp")
    with closing(pull, push), anyio.fail_after(LIMIT):
        got = []
        async with anyio.create_task_group() as group:

            async def receiver():
                for _ in range(3):
                    got.append(await receive(pull))

            group.start_soon(receiver)
            # the receiver waits on the FD before anything is sent
            await anyio.wait_all_tasks_blocked()
            for n in range(3):
                await send(push, n)
        assert got == [0, 1, 2]


async def test_req_rep_in_a_task_group(anyctx):
    rep, req = connected_pair(anyctx, zmq.REP, zmq.REQ, "ipc")
    with closing(rep, req), anyio.fail_after(LIMIT):
        async with anyio.create_task_group() as group:

            async def serve():
                for _ in range(100):
                    msg = await rep.recv_multipart()
                    await rep.send_multipart([b"re:" + msg[0]])

            group.start_soon(serve)
            for i in range(100):
                await req.send(b"%d" % i)
                assert await req.recv() == b"re:%d" % i


async def test_timeouts_raise_again(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    lonely = anyctx.socket(zmq.PUSH)
    lonely.linger = 0
    lonely.bind(f"inproc://nobody-{id(lonely)}")
    with closing(pull, push, lonely), anyio.fail_after(LIMIT):
        pull.rcvtimeo = 30
        with pytest.raises(zmq.Again):
            await pull.recv()
        lonely.sndtimeo = 30
        with pytest.raises(zmq.Again):
            await lonely.send(b"x")
        # NOBLOCK: zmq.Again at once, as from a plain socket
        with pytest.raises(zmq.Again):
            await pull.recv(zmq.NOBLOCK)
        # and the socket still works
        await push.send(b"after")
        assert await pull.recv() == b"after"


async def test_a_cancelled_wait_takes_nothing(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(pull, push), anyio.fail_after(LIMIT):
        for receive in (pull.recv, pull.recv_multipart, pull.recv_string, pull.recv_json):
            with anyio.move_on_after(0.01) as scope:
                await receive()
            assert scope.cancelled_caught
        await push.send(b"1")
        await push.send(b"2")
        assert await pull.recv() == b"1"
        assert await pull.recv() == b"2"


async def test_a_message_already_there_is_delivered_in_a_cancelled_scope(anyctx):
    """The other outcome: an operation that completes at once completes,
    even in a scope cancelled before it started (only a wait is cancellable)."""
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(pull, push), anyio.fail_after(LIMIT):
        await push.send(b"there")
        assert await pull.poll(LIMIT * 1000) == zmq.POLLIN
        with anyio.CancelScope() as scope:
            scope.cancel()
            got = await pull.recv()
        assert got == b"there"
        assert not scope.cancelled_caught


async def test_close_wakes_every_waiter_with_a_clear_error(anyctx):
    pytest.importorskip("zmq.serial")
    pull, push, other, other_push, lonely, poller = sockets_to_close_under_waiters(
        anyctx, zmq.anyio.Poller)
    waits = [
        pull.recv, pull.recv_multipart, pull.recv_string, pull.recv_json, pull.recv_pyobj,
        lambda: pull.recv_serialized(lambda f: f), pull.recv_array,
        lambda: pull.recv_into(bytearray(4)), pull.poll, lambda: pull.poll(60_000),
        poller.poll, lambda: poller.poll(60_000), lambda: lonely.send(b"x"),
        lambda: lonely.send_multipart([b"a", b"b"]), lambda: lonely.poll(flags=zmq.POLLOUT),
    ]
    errors = []
    with closing(pull, push, other, other_push, lonely), anyio.fail_after(LIMIT):
        async with anyio.create_task_group() as group:
            for wait in waits:

                async def waiter(wait=wait):
                    try:
                        await wait()
                    except zmq.ZMQError as e:
                        errors.append(e)

                group.start_soon(waiter)
            await anyio.wait_all_tasks_blocked()
            assert errors == []
            pull.close()
            lonely.close()
        assert len(errors) == len(waits)
        for e in errors:
            assert e.errno == zmq.ENOTSOCK
            assert "closed while" in str(e)
        # the other socket of the poller is untouched
        await other_push.send(b"still")
        assert await other.recv() == b"still"


async def test_poll_and_poller(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    r, w = os.pipe()
    with closing(pull, push), anyio.fail_after(LIMIT):
        try:
            assert await pull.poll(0) == 0
            assert await pull.poll(20) == 0
            assert await push.poll(0, zmq.POLLOUT) == zmq.POLLOUT
            poller = zmq.anyio.Poller()
            poller.register(pull, zmq.POLLIN)
            poller.register(r, zmq.POLLIN)
            assert await poller.poll(20) == []
            async with anyio.create_task_group() as group:

                async def later():
                    await anyio.wait_all_tasks_blocked()
                    await push.send(b"x")

                group.start_soon(later)
                assert await poller.poll(LIMIT * 1000) == [(pull, zmq.POLLIN)]
            assert await pull.recv() == b"x"
            async with anyio.create_task_group() as group:

                async def write_later():
                    await anyio.wait_all_tasks_blocked()
                    os.write(w, b"!")

                group.start_soon(write_later)
                assert await poller.poll(LIMIT * 1000) == [(r, zmq.POLLIN)]
        finally:
            os.close(r)
            os.close(w)


async def test_context_manager_and_iteration(anyctx):
    url = f"inproc://iterate-{id(anyctx)}"
    got = []
    with anyio.fail_after(LIMIT):
        async with anyctx.socket(zmq.PULL) as pull, anyctx.socket(zmq.PUSH) as push:
            pull.linger = push.linger = 0
            pull.bind(url)
            push.connect(url)
            async with anyio.create_task_group() as group:

                async def consume():
                    async for msg in pull:
                        got.append(msg)

                group.start_soon(consume)
                for i in range(5):
                    await push.send_multipart([b"n", b"%d" % i])
                await anyio.wait_all_tasks_blocked()
                pull.close()  # ends the iteration
        assert pull.closed and push.closed
    assert got == [[b"n", b"%d" % i] for i in range(5)]


async def test_object_streams_compose_with_memory_streams_and_threads(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    received = []
    with closing(pull, push), anyio.fail_after(LIMIT):
        out = push.send_stream()
        incoming = pull.receive_stream()
        assert isinstance(out, anyio.abc.ObjectSendStream)
        assert isinstance(incoming, anyio.abc.ObjectReceiveStream)
        to_zmq, from_app = anyio.create_memory_object_stream(10)

        async def forward():
            # memory stream -> zmq: the two kinds of stream compose
            async with from_app, out:
                async for parts in from_app:
                    await out.send(parts)

        async def collect():
            async with incoming:
                async for msg in incoming:
                    received.append(msg)
                    if len(received) == 6:
                        break

        async with anyio.create_task_group() as group:
            group.start_soon(forward)
            group.start_soon(collect)
            async with to_zmq:
                for i in range(3):
                    await to_zmq.send([b"%d" % i])

                # and from a worker thread, through anyio.from_thread
                def from_a_thread():
                    for i in range(3, 6):
                        anyio.from_thread.run(to_zmq.send, [b"%d" % i])
                    return threading.get_ident()

                assert await anyio.to_thread.run_sync(from_a_thread) != threading.get_ident()
        assert received == [[b"%d" % i] for i in range(6)]
        # closing the streams closed their sockets
        assert pull.closed and push.closed
        with pytest.raises(anyio.ClosedResourceError):
            await incoming.receive()
        with pytest.raises(anyio.ClosedResourceError):
            await out.send([b"late"])
        with pytest.raises(TypeError, match="sequence of parts"):
            await push.send_stream(close_socket=False).send(b"not a list")


async def test_a_stream_ends_when_its_socket_is_closed_elsewhere(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(pull, push), anyio.fail_after(LIMIT):
        stream = pull.receive_stream()
        async with anyio.create_task_group() as group:
            ended = []

            async def read():
                async for _msg in stream:
                    pass
                ended.append(True)

            group.start_soon(read)
            await anyio.wait_all_tasks_blocked()
            pull.close()
        assert ended == [True]
        with pytest.raises(anyio.BrokenResourceError):
            lone = push.send_stream()
            push.close()
            await lone.send([b"x"])


async def test_from_socket_shares_the_libzmq_socket(anyctx, ctx):
    sync_pull, sync_push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(sync_pull, sync_push), anyio.fail_after(LIMIT):
        a = zmq.anyio.Socket.from_socket(sync_pull)
        b = zmq.anyio.Socket(sync_pull)
        assert a.underlying == sync_pull.underlying == b.underlying
        got = []
        # two wrappers of one socket wait together (one FD reader between them)
        async with anyio.create_task_group() as group:
            for wrapper in (a, b):

                async def receive(wrapper=wrapper):
                    got.append(await wrapper.recv())

                group.start_soon(receive)
            await anyio.wait_all_tasks_blocked()
            sync_push.send(b"1")
            sync_push.send(b"2")
        assert sorted(got) == [b"1", b"2"]


async def test_tasks_waiting_to_send_and_to_receive_on_one_socket(anyctx):
    """A DEALER with one task blocked on a full send queue and another on
    an empty receive queue: whichever direction frees up, the task waiting
    for it wakes, whatever the other task's calls consumed of the FD."""
    a, b = connected_pair(anyctx, zmq.DEALER, zmq.DEALER, "inproc")
    with closing(a, b), anyio.fail_after(LIMIT):
        a.sndhwm = b.rcvhwm = 1
        sent = 0
        # fill the path a -> b until a's sends would block
        while True:
            try:
                await a.send(b"fill", zmq.NOBLOCK)
                sent += 1
            except zmq.Again:
                break
        got = []
        async with anyio.create_task_group() as group:

            async def send_one():
                await a.send(b"last")

            async def receive_one():
                got.append(await a.recv())

            group.start_soon(send_one)
            group.start_soon(receive_one)
            await anyio.wait_all_tasks_blocked()
            # b answers, then drains: both of a's tasks must wake
            await b.send(b"answer")
            for _ in range(sent + 1):
                await b.recv()
        assert got == [b"answer"]


async def test_reading_events_elsewhere_strands_no_waiter(anyctx):
    """Reading ZMQ_EVENTS (get, poll, a Poller) consumes the FD's signal;
    a task already waiting on the socket still wakes."""
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(pull, push), anyio.fail_after(LIMIT):
        for look in (lambda: pull.get(zmq.EVENTS), lambda: pull.getsockopt(zmq.EVENTS),
                     lambda: pull.events,
                     lambda: pull.poll(0), lambda: _poller_of(pull).poll(0)):
            got = []
            async with anyio.create_task_group() as group:

                async def receive(got=got):
                    got.append(await pull.recv())

                group.start_soon(receive)
                await anyio.wait_all_tasks_blocked()
                await push.send(b"x")  # inproc: there at once
                # the message's arrival is read here, before the waiter looks
                seen = look()
                if inspect.isawaitable(seen):
                    seen = await seen
                assert seen
            assert got == [b"x"]


def _poller_of(sock):
    poller = zmq.anyio.Poller()
    poller.register(sock, zmq.POLLIN)
    return poller


async def test_context_instance_is_its_own():
    instance = zmq.anyio.Context.instance()
    try:
        assert isinstance(instance, zmq.anyio.Context)
        assert instance is zmq.anyio.Context.instance()
        assert instance is not zmq.Context.instance()
        sock = instance.socket(zmq.PAIR)
        assert isinstance(sock, zmq.anyio.Socket)
        sock.close()
    finally:
        instance.term()


async def test_bad_input_raises_clear_errors(anyctx):
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "inproc")
    with closing(pull, push), anyio.fail_after(LIMIT):
        with pytest.raises(TypeError, match="send_string"):
            await push.send_string(b"bytes")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await push.send("str")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="zmq.anyio.Socket"):
            zmq.anyio.MessageReceiveStream(zmq.Context.instance())  # type: ignore[arg-type]
    with pytest.raises(zmq.ZMQError) as info:
        await pull.recv()
    assert info.value.errno == zmq.ENOTSOCK


async def test_waiting_and_sparse_traffic_cost_no_busy_cpu(anyctx):
    """No busy waiting: a receive that waits 0.5 s, then 0.5 s of a
    message every 20 ms, cost a small fraction of that time in CPU (the
    process's, libzmq's threads included); a spin that never gave up would
    take all of it."""
    pull, push = connected_pair(anyctx, zmq.PULL, zmq.PUSH, "tcp")
    with closing(pull, push), anyio.fail_after(LIMIT):
        start_cpu, start = time.process_time(), time.perf_counter()
        with anyio.move_on_after(0.5):
            await pull.recv()
        async with anyio.create_task_group() as group:

            async def sparse():
                for _ in range(25):
                    await anyio.sleep(0.02)
                    await push.send(b"x")

            group.start_soon(sparse)
            for _ in range(25):
                await pull.recv()
        cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
    assert wall >= 1.0
    assert cpu < 0.25 * wall, (cpu, wall)
