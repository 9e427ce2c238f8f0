# SPDX-License-Identifier: BSD-3-Clause
"""Socket options of every value type, as calls and as attributes."""

import dis
import sys
import sysconfig

import pytest
from zmq_testkit import instance_dict_made

import zmq


@pytest.fixture
def sock(ctx):
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    yield s
    s.close()


def test_int_options(sock):
    sock.setsockopt(zmq.LINGER, 250)
    assert sock.getsockopt(zmq.LINGER) == 250
    sock.set(zmq.SNDHWM, 5)
    assert sock.get(zmq.SNDHWM) == 5
    sock.rcvtimeo = 1234
    assert sock.rcvtimeo == 1234
    assert sock.RCVTIMEO == 1234
    sock.linger = -1
    assert sock.linger == -1


def test_int64_options(sock):
    sock.setsockopt(zmq.MAXMSGSIZE, 2**40)
    assert sock.getsockopt(zmq.MAXMSGSIZE) == 2**40
    sock.maxmsgsize = -1
    assert sock.maxmsgsize == -1
    sock.affinity = 3
    assert sock.affinity == 3
    assert zmq.SocketOption.MAXMSGSIZE._opt_type is zmq.constants._OptType.int64


def test_bytes_options(sock):
    sock.setsockopt(zmq.ROUTING_ID, b"\x00binary\x00")
    # a routing id is binary: its trailing NUL is kept
    assert sock.getsockopt(zmq.ROUTING_ID) == b"\x00binary\x00"
    sock.identity = b"id"
    assert sock.identity == b"id"
    sock.bind("tcp://127.0.0.1:0")
    endpoint = sock.getsockopt(zmq.LAST_ENDPOINT)
    assert endpoint.startswith(b"tcp://127.0.0.1:")
    assert not endpoint.endswith(b"\x00")
    assert sock.last_endpoint == endpoint


def test_string_options(sock):
    sock.setsockopt_string(zmq.ROUTING_ID, "ünï")
    assert sock.getsockopt(zmq.ROUTING_ID) == "ünï".encode()
    assert sock.getsockopt_string(zmq.ROUTING_ID) == "ünï"
    sock.set_string(zmq.ZAP_DOMAIN, "global")
    assert sock.get_string(zmq.ZAP_DOMAIN) == "global"
    sock.setsockopt_unicode(zmq.ZAP_DOMAIN, "x", encoding="ascii")
    assert sock.getsockopt_unicode(zmq.ZAP_DOMAIN) == "x"
    with pytest.raises(TypeError):
        sock.getsockopt_string(zmq.LINGER)
    with pytest.raises(TypeError):
        sock.setsockopt_string(zmq.ROUTING_ID, b"bytes")


def test_fd_option(sock):
    fd = sock.getsockopt(zmq.FD)
    assert isinstance(fd, int) and fd > 0
    assert sock.fd == fd
    assert zmq.SocketOption.FD._opt_type is zmq.constants._OptType.fd


def test_read_only_and_write_only(sock):
    assert sock.type == zmq.DEALER
    assert sock.events & zmq.POLLOUT == 0  # no peer yet
    with pytest.raises(zmq.ZMQError):
        sock.setsockopt(zmq.TYPE, 1)
    # SUBSCRIBE is write-only: reading the attribute is an AttributeError
    sub = sock.context.socket(zmq.SUB)
    try:
        with pytest.raises(AttributeError):
            sub.subscribe_value = 1
        with pytest.raises(AttributeError):
            _ = sub.unsubscribe_nope
    finally:
        sub.close()


def test_hwm_sets_both(sock):
    sock.hwm = 17
    assert sock.sndhwm == 17
    assert sock.rcvhwm == 17
    assert sock.hwm == 17
    sock.set_hwm(3)
    assert sock.get_hwm() == 3


def test_unknown_attribute(sock):
    with pytest.raises(AttributeError):
        sock.not_an_option = 1
    with pytest.raises(AttributeError):
        sock.not_an_option  # noqa: B018


def test_subclass_attributes(ctx):
    class Tagged(zmq.Socket):
        tag: str

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.tag = "set in __init__"
            self.extra = None

    extra_raised = False
    try:
        s = ctx.socket(zmq.PUSH, socket_class=Tagged)
    except AttributeError:
        # an unannotated attribute is taken for an unknown option, as in PyZMQ
        extra_raised = True
    assert extra_raised

    class Declared(zmq.Socket):
        tag = None

    s = ctx.socket(zmq.PUSH, socket_class=Declared)
    s.tag = "ok"
    assert s.tag == "ok"
    s.linger = 0
    assert s.linger == 0
    s.close()


def test_dir_lists_options(sock):
    names = dir(sock)
    assert "linger" in names
    assert "send_multipart" in names


def test_option_attributes_leave_no_instance_dict(ctx):
    # CPython reads sock.send through its method cache only while the
    # socket's __dict__ was never made: options set and read as attributes
    # must not make it, and a plain attribute still lands in it
    s = ctx.socket(zmq.PUSH)
    s.linger = 0
    s.hwm = 10
    assert (s.linger, s.sndhwm, s.RCVHWM) == (0, 10, 10)
    assert not instance_dict_made(s)

    class Labelled(zmq.Socket):
        label: str

    t = ctx.socket(zmq.PULL, socket_class=Labelled)
    t.label = "a"
    assert t.label == "a"
    assert vars(t) == {"label": "a"}
    t.close()
    s.close()


def test_option_attribute_reads_go_through_an_overridden_get(ctx):
    class Doubling(zmq.Socket):
        def get(self, option):
            return 2 * super().get(option)

    s = ctx.socket(zmq.PUSH, socket_class=Doubling)
    s.linger = 21
    assert s.linger == 42
    assert s.getsockopt(zmq.LINGER) == 21
    s.close()


@pytest.mark.skipif(
    sys.version_info < (3, 12) or sysconfig.get_config_var("Py_GIL_DISABLED"),
    reason="CPython specialises method reads through a class's __getattr__ hook"
    " from 3.12, and not on free-threaded builds",
)
def test_methods_are_read_through_the_method_cache(ctx):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    a.linger = b.linger = 0
    a.bind("inproc://method-cache")
    b.connect("inproc://method-cache")

    def round_trips(n):
        for _ in range(n):
            b.send(b"x")
            a.recv()

    # enough calls for the interpreter to specialise the loop's reads
    round_trips(200)
    reads = [i.opname for i in dis.get_instructions(round_trips, adaptive=True)
             if i.argval in ("send", "recv")]
    assert len(reads) == 2
    assert all(op.startswith("LOAD_ATTR_METHOD") for op in reads), reads
    a.close()
    b.close()
