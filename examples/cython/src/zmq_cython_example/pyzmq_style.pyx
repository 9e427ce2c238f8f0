# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3
"""Cython written the way PyZMQ users write it, unchanged: PyZMQ's cimport
paths, ``libzmq.ZMQ_*`` constants, libzmq calls on a Socket's handle,
Frames, and the parts of zmq.h (timers, atomic counters, draft calls) that
only a full libzmq.pxd declares."""

from libc.string cimport memcpy

from zmq cimport Context, Socket, libzmq
# PyZMQ's backend paths name the same classes and declarations
from zmq.backend.cython cimport Frame
from zmq.backend.cython._zmq cimport zmq_msg_t
from zmq.backend.cython.libzmq cimport (
    ZMQ_DONTWAIT,
    ZMQ_POLLIN,
    ZMQ_RCVMORE,
    ZMQ_SNDMORE,
    zmq_pollitem_t,
)

from zmq.error import ZMQError


cdef int _check(int rc) except -1:
    if rc < 0:
        raise ZMQError(libzmq.zmq_errno())
    return rc


def send_recv_frame(bytes payload):
    """A PUSH/PULL pair made from the classes, a Frame through it."""
    cdef Context ctx = Context()
    cdef Socket push = Socket(ctx, libzmq.ZMQ_PUSH)
    cdef Socket pull = Socket(ctx, libzmq.ZMQ_PULL)
    cdef Frame received
    try:
        push.bind("inproc://pyzmq-style")
        pull.connect("inproc://pyzmq-style")
        push.send(Frame(payload))
        received = pull.recv(flags=0, copy=False)
        return received.bytes
    finally:
        push.close(linger=0)
        pull.close(linger=0)
        ctx.term()


def send_parts(Socket sock, list parts):
    """Send *parts* as one multipart message, straight through libzmq on the
    socket's handle (one zmq_msg_t per part)."""
    cdef zmq_msg_t msg
    cdef bytes part
    cdef Py_ssize_t i, last = len(parts) - 1
    cdef int flags, rc
    for i, part in enumerate(parts):
        _check(libzmq.zmq_msg_init_size(&msg, len(part)))
        memcpy(libzmq.zmq_msg_data(&msg), <const char *>part, len(part))
        flags = ZMQ_SNDMORE if i < last else 0
        with nogil:
            rc = libzmq.zmq_msg_send(&msg, sock.handle, flags)
        if rc < 0:
            libzmq.zmq_msg_close(&msg)
            _check(rc)
    return len(parts)


def recv_parts(Socket sock, long timeout_ms):
    """Wait up to *timeout_ms* with zmq_poll, then receive every part of one
    message with zmq_msg_recv, reading ZMQ_RCVMORE through zmq_getsockopt."""
    cdef zmq_pollitem_t item
    cdef zmq_msg_t msg
    cdef int more = 1, rc
    cdef size_t more_size = sizeof(int)
    item.socket = sock.handle
    item.fd = 0
    item.events = ZMQ_POLLIN
    item.revents = 0
    with nogil:
        rc = libzmq.zmq_poll(&item, 1, timeout_ms)
    _check(rc)
    if not item.revents & ZMQ_POLLIN:
        raise ZMQError(libzmq.EAGAIN)
    parts = []
    while more:
        libzmq.zmq_msg_init(&msg)
        rc = libzmq.zmq_msg_recv(&msg, sock.handle, ZMQ_DONTWAIT)
        if rc < 0:
            libzmq.zmq_msg_close(&msg)
            _check(rc)
        parts.append((<char *>libzmq.zmq_msg_data(&msg))[:libzmq.zmq_msg_size(&msg)])
        libzmq.zmq_msg_close(&msg)
        _check(libzmq.zmq_getsockopt(sock.handle, ZMQ_RCVMORE, &more, &more_size))
    return parts


def frame_info(Frame frame):
    """(size, more) of a received Frame, read from its zmq_msg_t."""
    return (libzmq.zmq_msg_size(&frame.zmq_msg), bool(libzmq.zmq_msg_more(&frame.zmq_msg)))


def socket_type(Socket sock):
    """The socket's type, read through libzmq (ZMQ_TYPE)."""
    cdef int value = -1
    cdef size_t size = sizeof(int)
    # a closed Socket's handle is freed memory to libzmq
    if sock._closed:
        raise ZMQError(libzmq.ENOTSOCK)
    _check(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_TYPE, &value, &size))
    return value


def join_group(Socket sock, bytes group):
    """zmq_join, a draft function: a stand-in failing with ENOTSUP when this
    module was compiled without the draft API."""
    _check(libzmq.zmq_join(sock.handle, group))


def built_with_draft_api():
    return bool(libzmq.PYZMQ_DRAFT_API)


cdef void _count_tick(int timer_id, void *arg) noexcept nogil:
    libzmq.zmq_atomic_counter_inc(arg)


def run_timer(size_t interval_ms, int ticks):
    """Run a libzmq timer until it has fired *ticks* times, counting in a
    libzmq atomic counter; return the count."""
    cdef void *timers = libzmq.zmq_timers_new()
    cdef void *counter = libzmq.zmq_atomic_counter_new()
    cdef long wait_ms
    cdef int count
    try:
        _check(libzmq.zmq_timers_add(timers, interval_ms, _count_tick, counter))
        while libzmq.zmq_atomic_counter_value(counter) < ticks:
            wait_ms = libzmq.zmq_timers_timeout(timers)
            if wait_ms > 0:
                # zmq_poll with no items: libzmq's own sleep
                _check(libzmq.zmq_poll(NULL, 0, wait_ms))
            _check(libzmq.zmq_timers_execute(timers))
        count = libzmq.zmq_atomic_counter_value(counter)
    finally:
        libzmq.zmq_atomic_counter_destroy(&counter)
        libzmq.zmq_timers_destroy(&timers)
    return count
