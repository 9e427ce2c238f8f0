# SPDX-License-Identifier: BSD-3-Clause
"""Bad input gets a clear Python exception; nothing crashes, hangs or is
silently truncated, and the socket stays usable afterwards."""

import re

import pytest
from zmq_testkit import configure, make_socket

import zmq


def test_send_str_is_a_type_error(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    with pytest.raises(TypeError, match="send_string"):
        a.send("text")
    with pytest.raises(TypeError):
        a.send(12345)
    with pytest.raises(TypeError):
        a.send(None)
    with pytest.raises(TypeError):
        a.send(object(), copy=False)
    a.send(b"still fine")
    assert b.recv() == b"still fine"


@pytest.mark.parametrize("copy", [True, False])
def test_a_strided_buffer_is_the_same_error_for_send_and_frame(pair, copy):
    # one buffer check for sends and Frames: a BufferError (PyZMQ's class
    # for it) that is also a ValueError, naming the call and the fix
    from zmq.core.message import NotContiguousError

    a, b = pair(zmq.PUSH, zmq.PULL)
    strided = memoryview(bytearray(b"abcdefgh"))[::2]
    calls = {
        "send()": lambda: a.send(strided, copy=copy),
        "send_multipart()": lambda: a.send_multipart([b"head", strided], copy=copy),
        "Frame()": lambda: zmq.Frame(strided, copy=copy),
    }
    for name, call in calls.items():
        with pytest.raises(NotContiguousError, match=re.escape(name) + ".*contiguous"):
            call()
        with pytest.raises(BufferError):
            call()
        with pytest.raises(ValueError):
            call()
    for call in (lambda: a.send("text", copy=copy), lambda: zmq.Frame("text", copy=copy)):
        with pytest.raises(TypeError, match="not str; encode it first or use send_string"):
            call()
    a.send(b"still fine")
    assert b.recv() == b"still fine"


def test_closed_socket_raises_enotsock(ctx):
    s = ctx.socket(zmq.PUSH)
    s.close()
    for call in (
        lambda: s.send(b"x"),
        lambda: s.recv(),
        lambda: s.send_multipart([b"x"]),
        lambda: s.recv_multipart(),
        lambda: s.bind("inproc://closed"),
        lambda: s.connect("inproc://closed"),
        lambda: s.getsockopt(zmq.LINGER),
        lambda: s.setsockopt(zmq.LINGER, 0),
        lambda: s.recv_into(bytearray(4)),
        lambda: s.fileno(),
        lambda: s.poll(0),
        lambda: s.poll(0, zmq.POLLOUT),
        lambda: s.send(b"big" * 100_000),
        lambda: s.send(bytearray(100_000), copy=False),
    ):
        with pytest.raises(zmq.ZMQError) as info:
            call()
        assert info.value.errno == zmq.ENOTSOCK
    # nothing refers to the freed libzmq socket any more
    assert s.underlying == 0


@pytest.mark.parametrize(
    "endpoint, errnos",
    [
        ("tcp://127.0.0.1", {zmq.EINVAL}),
        ("nosuchproto://x", {zmq.EPROTONOSUPPORT}),
        ("tcp://256.1.1.1:5555", {zmq.EINVAL, zmq.ENODEV if hasattr(zmq, "ENODEV") else 19}),
        ("garbage", {zmq.EINVAL}),
    ],
)
def test_bad_endpoints(ctx, endpoint, errnos):
    s = configure(ctx.socket(zmq.PULL))
    with pytest.raises(zmq.ZMQError) as info:
        s.bind(endpoint)
    assert info.value.errno in errnos
    assert endpoint in str(info.value)
    with pytest.raises(TypeError):
        s.bind(12)


def test_address_in_use(ctx):
    a = configure(ctx.socket(zmq.PULL))
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b = configure(ctx.socket(zmq.PULL))
    with pytest.raises(zmq.ZMQError) as info:
        b.bind(f"tcp://127.0.0.1:{port}")
    assert info.value.errno == zmq.EADDRINUSE


def test_unknown_option_number(ctx):
    s = configure(ctx.socket(zmq.PUSH))
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(9999, 1)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError) as info:
        s.getsockopt(9999)
    assert info.value.errno == zmq.EINVAL


def test_wrong_option_value_types(ctx):
    s = configure(ctx.socket(zmq.DEALER))
    with pytest.raises(TypeError):
        s.setsockopt(zmq.LINGER, "100")
    with pytest.raises(TypeError):
        s.setsockopt(zmq.LINGER, 1.5)
    with pytest.raises(TypeError, match="setsockopt_string"):
        s.setsockopt(zmq.ROUTING_ID, "text")
    with pytest.raises(TypeError):
        s.setsockopt(zmq.ROUTING_ID, 5)
    with pytest.raises(TypeError):
        s.setsockopt(zmq.MAXMSGSIZE, b"1")
    with pytest.raises(TypeError):
        s.setsockopt("LINGER", 1)


def test_out_of_range_option_values_are_refused(ctx):
    s = configure(ctx.socket(zmq.DEALER))
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.LINGER, 2**40)
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.LINGER, -(2**40))
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.MAXMSGSIZE, 2**70)
    assert s.linger == 0  # unchanged, not truncated
    # values libzmq itself refuses
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(zmq.SNDHWM, -5)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError):
        s.setsockopt(zmq.ROUTING_ID, b"")  # routing ids are 1..255 bytes
    with pytest.raises(zmq.ZMQError):
        s.setsockopt(zmq.ROUTING_ID, b"x" * 256)


def test_bad_socket_types(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.socket(999)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(TypeError):
        ctx.socket("PUSH")
    with pytest.raises(TypeError):
        zmq.Socket(None, zmq.PUSH)


def test_maxmsgsize_drops_oversize_messages(ctx):
    a = configure(ctx.socket(zmq.PULL))
    a.maxmsgsize = 1000
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b = make_socket(ctx, zmq.PUSH, connect=f"tcp://127.0.0.1:{port}")
    b.send(b"small")  # within the limit: delivered
    assert a.recv() == b"small"
    b.send(b"x" * 10_000)  # over the limit: libzmq drops it with the connection
    assert a.poll(300) == 0  # never delivered, never truncated


def test_huge_recv_into_is_reported_not_truncated_silently(pair):
    a, b = pair(zmq.PULL, zmq.PUSH)
    b.send(b"y" * 1_000_000)
    small = bytearray(10)
    assert a.recv_into(small) == 1_000_000


def test_recv_on_terminated_context(ctx):
    c = zmq.Context()
    s = c.socket(zmq.PULL)
    s.linger = 0
    import threading

    t = threading.Thread(target=c.term)
    t.start()
    with pytest.raises(zmq.ContextTerminated):
        s.recv()
    s.close()
    t.join(5)
    assert not t.is_alive()
    with pytest.raises(zmq.ZMQError) as info:
        s.recv()
    assert info.value.errno == zmq.ENOTSOCK


def test_bad_poll_items(ctx):
    p = zmq.Poller()
    p.register(object(), zmq.POLLIN)
    with pytest.raises(TypeError):
        p.poll(0)
    with pytest.raises(KeyError):
        zmq.Poller().unregister(ctx.socket(zmq.PUSH))


def test_bad_recv_into_targets(pair):
    a, b = pair(zmq.PULL, zmq.PUSH)
    with pytest.raises(TypeError):
        a.recv_into("not a buffer")
    with pytest.raises(TypeError):
        a.recv_into(bytearray(4), nbytes="4")


def test_released_memoryview_is_refused(pair):
    a, b = pair(zmq.PULL, zmq.PUSH)
    view = memoryview(bytearray(b"gone" * 50_000))
    view.release()
    for copy in (True, False):
        with pytest.raises(ValueError, match="released"):
            b.send(view, copy=copy)
        with pytest.raises(ValueError, match="released"):
            zmq.Frame(view)
    b.send(b"still usable")
    assert a.recv() == b"still usable"


def test_z85_refuses_ints_and_takes_empty_input():
    from zmq.utils import z85

    for bad in (4, 2**36, 0, None, 4.0):
        with pytest.raises(TypeError):
            z85.encode(bad)
        with pytest.raises(TypeError):
            z85.decode(bad)
    assert z85.encode(b"") == b""
    assert z85.decode(b"") == b""
    assert z85.decode("") == b""
    assert z85.encode(bytearray(b"\x86\x4f\xd2\x6f")) == z85.encode(b"\x86\x4f\xd2\x6f")


def test_int64_options_are_range_checked_by_their_c_type(ctx):
    s = configure(ctx.socket(zmq.PUSH))
    for bad in (2**63, 2**64 - 1, -(2**63) - 1):
        with pytest.raises(OverflowError):
            s.setsockopt(zmq.MAXMSGSIZE, bad)
    s.setsockopt(zmq.MAXMSGSIZE, 2**63 - 1)
    assert s.getsockopt(zmq.MAXMSGSIZE) == 2**63 - 1
    s.setsockopt(zmq.MAXMSGSIZE, -1)
    assert s.getsockopt(zmq.MAXMSGSIZE) == -1
    # AFFINITY is a uint64_t bitmask: the top bit is a valid value
    s.setsockopt(zmq.AFFINITY, 2**63 + 1)
    assert s.getsockopt(zmq.AFFINITY) == 2**63 + 1
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.AFFINITY, -1)
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.AFFINITY, 2**64)


def test_negative_copy_threshold_is_refused():
    with pytest.raises(ValueError, match="copy_threshold"):
        zmq.Frame(b"x", copy_threshold=-1)
    with pytest.raises(TypeError, match="copy_threshold"):
        zmq.Frame(b"x", copy_threshold="10")
    assert zmq.Frame(b"x", copy_threshold=0).bytes == b"x"


def test_context_options_after_term_raise_runtime_error():
    ctx = zmq.Context()
    ctx.term()
    with pytest.raises(RuntimeError):
        ctx.get(zmq.IO_THREADS)
    with pytest.raises(RuntimeError):
        ctx.set(zmq.IO_THREADS, 2)


def test_frame_init_twice_is_refused(pair):
    frame = zmq.Frame(b"first" * 100)
    with pytest.raises(RuntimeError):
        frame.__init__(b"second")
    assert frame.bytes == b"first" * 100
    a, b = pair(zmq.PAIR, zmq.PAIR, "inproc")
    b.send(b"received")
    got = a.recv(copy=False)
    with pytest.raises(RuntimeError):
        got.__init__(b"other")
    assert got.bytes == b"received"


def test_socket_init_twice_is_refused():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    with pytest.raises(RuntimeError):
        s.__init__(ctx, zmq.PULL)
    assert s.socket_type == zmq.PUSH
    s.close()
    with pytest.raises(RuntimeError):
        s.__init__(ctx, zmq.PULL)
    # nothing leaked: destroy() returns instead of waiting for a lost socket
    done = []
    import threading

    t = threading.Thread(target=lambda: (ctx.destroy(linger=0), done.append(1)), daemon=True)
    t.start()
    t.join(10)
    assert done, "Context.destroy() hung"


@pytest.mark.parametrize("cls", [zmq.Context, zmq.Socket])
@pytest.mark.parametrize(
    "address, error",
    [(-1, OverflowError), (2**64, OverflowError), ("tcp://x", ValueError), (1.5, ValueError),
     (object(), ValueError)],
)
def test_a_bad_shadow_address_is_the_same_error_for_context_and_socket(cls, address, error):
    # one reading of shadow addresses, raising what PyZMQ 27.2 raises: an
    # int that is no address overflows a size_t, anything else cannot be cast
    with pytest.raises(error, match="shadow"):
        cls.shadow(address)
