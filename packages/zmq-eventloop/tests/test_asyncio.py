# SPDX-License-Identifier: BSD-3-Clause
"""zmq.asyncio (and zmq.eventloop.future): awaitable sockets, cancellation,
timeouts, closing, polling, and one socket per loop."""

import asyncio

import pytest
from zmq_testkit import connected_pair, endpoint, instance_dict_made, loop_turns

import zmq
import zmq.asyncio
import zmq.eventloop.future
from zmq.eventloop import busypoll


def test_send_recv_multipart_string(run, actx):
    async def main():
        a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")
        await b.send(b"one")
        assert await a.recv() == b"one"
        await b.send_multipart([b"x", b"y"])
        assert await a.recv_multipart() == [b"x", b"y"]
        await a.send_string("héllo")
        assert await b.recv_string() == "héllo"
        frame = b.recv(copy=False)
        await a.send(b"frame")
        assert (await frame).bytes == b"frame"
        a.close()
        b.close()

    run(main)


def test_recv_waits_for_a_later_send(run, actx):
    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        pending = asyncio.ensure_future(a.recv())
        await loop_turns()
        assert not pending.done()
        await b.send(b"late")
        assert await asyncio.wait_for(pending, 5) == b"late"

    run(main)


def test_req_rep_on_one_loop(run, actx):
    async def main():
        rep, req = connected_pair(actx, zmq.REP, zmq.REQ, "tcp")

        async def serve(n):
            for _ in range(n):
                await rep.send(await rep.recv())

        server = asyncio.ensure_future(serve(200))
        for i in range(200):
            await req.send(b"%d" % i)
            assert await req.recv() == b"%d" % i
        await server

    run(main)


def test_a_receive_that_finds_nothing_leaves_a_waiting_send_its_wakeup(run, actx):
    # A receive that has to wait first tries (or reads ZMQ_EVENTS), which
    # processes the socket's commands and so drains its FD: a send waiting
    # for room that this made possible must still go out.
    async def main():
        busypoll.set_busy_poll(0, asyncio.get_running_loop())  # the FD alone
        url = endpoint("inproc")
        a = actx.socket(zmq.DEALER)
        b = actx.socket(zmq.DEALER)
        for sock in (a, b):
            sock.linger = 0
        a.sndhwm = b.rcvhwm = 1
        b.bind(url)
        a.connect(url)
        sent = 0
        while (pending := a.send(b"%d" % sent)).done():
            sent += 1
            assert sent < 10_000
        # b takes everything queued: a is told it may send again (a
        # command in a's mailbox, its FD signalled) ...
        for n in range(sent):
            assert await b.recv(zmq.NOBLOCK) == b"%d" % n
        # ... and before the loop looks, a receive on a finds nothing
        receiving = a.recv()
        assert not receiving.done()
        await asyncio.wait_for(pending, 5)
        assert await asyncio.wait_for(b.recv(), 5) == b"%d" % sent
        receiving.cancel()
        a.close()
        b.close()

    run(main)


def test_cancelled_recv_loses_nothing(run, actx):
    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        first = a.recv()
        second = a.recv_multipart()
        first.cancel()
        await b.send(b"m1")
        await b.send(b"m2")
        # the cancelled receive took nothing: m1 goes to the next one
        assert await second == [b"m1"]
        assert await a.recv() == b"m2"

    run(main)


def test_timeouts_raise_again(run, actx):
    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        a.rcvtimeo = 100
        with pytest.raises(zmq.Again):
            await a.recv()
        s = actx.socket(zmq.PUSH)
        s.sndtimeo = 100
        s.bind(endpoint())
        with pytest.raises(zmq.Again):
            await s.send(b"nobody")
        s.close(linger=0)
        with pytest.raises(zmq.Again):
            await a.recv(zmq.NOBLOCK)

    run(main)


def test_close_cancels_pending(run, actx):
    async def main():
        a, _ = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        pending = a.recv()
        a.close()
        with pytest.raises(asyncio.CancelledError):
            await pending

    run(main)


def test_poll_and_poller(run, actx):
    async def main():
        a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")
        assert await a.poll(50) == 0
        poller = zmq.asyncio.Poller()
        poller.register(a, zmq.POLLIN)
        waiting = asyncio.ensure_future(poller.poll(5000))
        await loop_turns()
        await b.send(b"wake")
        ready = dict(await waiting)
        assert ready == {a: zmq.POLLIN}
        assert await a.poll(1000) == zmq.POLLIN
        assert await poller.poll(0) == [(a, zmq.POLLIN)]

    run(main)


def test_from_socket_shadows_a_sync_socket(run):
    ctx = zmq.Context()
    sync_pull = ctx.socket(zmq.PULL)
    url = endpoint()
    sync_pull.bind(url)
    push = ctx.socket(zmq.PUSH)
    push.connect(url)

    async def main():
        apull = zmq.asyncio.Socket.from_socket(sync_pull)
        assert apull.underlying == sync_pull.underlying
        push.send(b"shared")
        assert await apull.recv() == b"shared"

    run(main)
    push.close(linger=0)
    sync_pull.close(linger=0)
    ctx.term()


def test_operations_done_at_once_use_the_loops_own_futures(actx):
    # send/recv that complete at once take a fast path that makes its
    # future with asyncio.Future on asyncio's own loops; a loop with a
    # create_future of its own still gets its own futures from it
    class Loop(asyncio.SelectorEventLoop):
        def create_future(self):
            return Own(loop=self)

    class Own(asyncio.Future):
        pass

    async def main():
        a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")
        futures = [b.send(b"one"), b.send_multipart([b"two", b"2"])]
        futures += [a.recv(), a.recv_multipart()]
        assert [type(f) for f in futures] == [Own] * 4
        assert [await f for f in futures] == [None, None, b"one", [b"two", b"2"]]
        # the same after a receive that had to wait
        waited = a.recv()
        await b.send(b"three")
        assert await asyncio.wait_for(waited, 5) == b"three"
        await b.send(b"four")
        await loop_turns(2)
        now = a.recv()
        assert type(now) is Own and now.done() and now.result() == b"four"

    loop = Loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


def test_operations_done_at_once_are_whole_asyncio_futures(run, actx):
    # PyZMQ returns a distinct asyncio.Future even for a send that is done
    # at once; programs pass them to asyncio.wait, Tornado's add_future
    # or add_done_callback. A cheaper stand-in (one shared "done" object
    # with no callbacks, as some peers return) would break those.
    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        sends = [b.send(b"one"), b.send(b"two")]
        assert all(type(f) is asyncio.Future and f.done() for f in sends)
        assert sends[0] is not sends[1]
        done, pending = await asyncio.wait(sends, timeout=5)
        assert done == set(sends) and not pending
        called = asyncio.get_running_loop().create_future()
        received = a.recv()
        assert type(received) is asyncio.Future and received.done()
        received.add_done_callback(called.set_result)
        assert received.cancel() is False
        assert await asyncio.wait_for(called, 5) is received
        assert await asyncio.gather(received, a.recv()) == [b"one", b"two"]

    run(main)


def test_a_socket_whose_init_never_ran_raises_instead_of_crashing():
    # the compiled fast path reads the socket's state as a C field: a
    # socket made without FutureSocket.__init__ has none, and must say so
    # (as the Python attribute did) rather than dereference nothing
    from zmq.eventloop._fastpath import FutureSocketBase

    ctx = zmq.Context()
    sock = FutureSocketBase(ctx, zmq.PUSH)
    try:
        for call in (sock.recv, sock.recv_multipart, lambda: sock.send(b"x"),
                     lambda: sock.send_multipart([b"x"])):
            with pytest.raises(AttributeError, match="_io"):
                call()
    finally:
        sock.close(linger=0)
        ctx.term()


@pytest.mark.parametrize("field", ["loop", "new_future", "recv_queue", "send_queue", "polls",
                                   "waited"])
def test_a_state_that_lost_a_field_raises_instead_of_crashing(actx, field):
    # the state's fields are member descriptors, which Python code can
    # delete (leaving the C field NULL); the fast path reads them as C fields
    sock = actx.socket(zmq.PULL)
    state = sock._io
    value = getattr(state, field)
    try:
        delattr(state, field)
        with pytest.raises(AttributeError, match="lost a field"):
            sock.recv()
    finally:
        setattr(state, field, value)
        sock.close(linger=0)


def test_async_sockets_keep_no_instance_dict(actx):
    # their own state is a slot: CPython 3.12+ reads methods (sock.recv)
    # through its cache only while the socket's __dict__ was never made
    sock = actx.socket(zmq.DEALER)
    try:
        sock.linger = 0
        assert sock.linger == 0
        assert not instance_dict_made(sock)
    finally:
        sock.close(linger=0)


def test_async_sockets_read_attributes_as_zmq_socket_does(actx):
    # options, properties and unknown names behave as on zmq.Socket
    sock = actx.socket(zmq.DEALER)
    plain = zmq.Context.instance().socket(zmq.DEALER)
    try:
        for s in (sock, plain):
            s.sndhwm = 7
            s.routing_id = b"me"
            assert (s.sndhwm, s.routing_id, s.type, s.closed) == (7, b"me", zmq.DEALER, False)
        with pytest.raises(AttributeError) as ours:
            sock.no_such_option  # noqa: B018
        with pytest.raises(AttributeError) as theirs:
            plain.no_such_option  # noqa: B018
        assert str(ours.value) == str(theirs.value)
        assert "no_such_option" in str(ours.value)
    finally:
        sock.close(linger=0)
        plain.close(linger=0)


def test_a_socket_moves_to_a_new_loop_once_its_loop_is_closed(actx):
    a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")

    async def exchange(n):
        await b.send(b"%d" % n)
        assert await asyncio.wait_for(a.recv(), 5) == b"%d" % n
        pending = a.recv()  # left pending when the loop ends
        await asyncio.sleep(0)
        return pending

    left = [asyncio.run(exchange(n)) for n in range(3)]
    # what was left pending on a closed loop was cancelled when the socket
    # moved on (the last one: when it closed)
    assert [f.cancelled() for f in left] == [True, True, False]
    a.close()
    assert left[-1].cancelled()
    b.close()


def test_a_socket_stays_with_a_loop_that_still_runs(actx):
    import threading

    a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
    ready = threading.Event()
    release = threading.Event()

    async def hold():
        with pytest.raises(zmq.Again):
            await a.recv(zmq.NOBLOCK)
        ready.set()
        # the loop keeps running until the test is done with it
        await asyncio.get_running_loop().run_in_executor(None, release.wait, 10)

    thread = threading.Thread(target=asyncio.run, args=(hold(),))
    thread.start()
    try:
        assert ready.wait(10)

        async def use():
            with pytest.raises(RuntimeError, match="event loop"):
                a.recv()

        asyncio.run(use())
    finally:
        release.set()
        thread.join(10)
    a.close()
    b.close()


def test_instance_and_tornado_future_module(run):
    assert zmq.asyncio.Context.instance() is zmq.asyncio.Context.instance()
    assert zmq.asyncio.Context.instance() is not zmq.Context.instance()
    ctx = zmq.eventloop.future.Context()

    async def main():
        a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
        assert isinstance(a, zmq.eventloop.future.Socket)
        await b.send(b"t")
        assert await a.recv() == b"t"
        a.close()
        b.close()

    run(main)
    ctx.term()
    zmq.asyncio.Context.instance().term()


def test_serialisation_on_async_sockets(run, actx):
    pytest.importorskip("zmq.serial")

    async def main():
        a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")
        await b.send_json({"k": [1, 2]})
        assert await a.recv_json() == {"k": [1, 2]}
        await b.send_pyobj((1, "two"))
        assert await a.recv_pyobj() == (1, "two")

    run(main)


def test_loop_closed_with_open_socket_warns_and_never_hangs():
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import asyncio, gc, warnings
        import zmq, zmq.asyncio
        ctx = zmq.asyncio.Context()
        s = ctx.socket(zmq.PULL)
        s.bind("inproc://left-open")

        async def main():
            asyncio.ensure_future(s.recv())  # still pending when the loop ends
            for _ in range(5):  # a few loop turns: the receive is waiting
                await asyncio.sleep(0)

        asyncio.run(main())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del s
            gc.collect()
        print("warned:", any("outlived its event loop" in str(w.message) for w in caught))
        ctx.destroy(linger=0)
        print("done")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    assert "warned: True" in out.stdout
    assert "done" in out.stdout
