# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, freethreading_compatible=True
"""monitored_queue: a queue between two sockets that also copies every
message, prefixed, to a monitor socket.

Written against zmq-core's cimport API (``from zmq cimport Socket, libzmq``):
messages move between libzmq sockets as zmq_msg_t values, with the GIL
released and no Python object per message. After each wake-up the loop
drains up to a batch of waiting messages from each side before polling
again, which saves a poll system call per message under load.
"""

from cpython.exc cimport PyErr_CheckSignals
from libc.string cimport memcmp, memcpy

import zmq

from zmq cimport Socket, libzmq
from zmq.core.error cimport raise_errno

# messages relayed per side and wake-up before polling again (fairness bound)
cdef enum:
    _BATCH = 256

cdef int _send_prefix(void *mon, const char *prefix, size_t size) noexcept nogil:
    cdef libzmq.zmq_msg_t msg
    if libzmq.zmq_msg_init_size(&msg, size) != 0:
        return -1
    memcpy(libzmq.zmq_msg_data(&msg), prefix, size)
    if libzmq.zmq_msg_send(&msg, mon, libzmq.ZMQ_SNDMORE) < 0:
        libzmq.zmq_msg_close(&msg)
        return -1
    return 0


cdef int _forward_part(libzmq.zmq_msg_t *msg, void *dst, void *mon, bint more) noexcept nogil:
    """Send msg to dst (and a copy to mon); msg is left empty."""
    cdef libzmq.zmq_msg_t copy
    cdef int flags = libzmq.ZMQ_SNDMORE if more else 0
    if mon != NULL:
        libzmq.zmq_msg_init(&copy)
        if libzmq.zmq_msg_copy(&copy, msg) != 0:
            libzmq.zmq_msg_close(&copy)
            return -1
        if libzmq.zmq_msg_send(&copy, mon, flags) < 0:
            libzmq.zmq_msg_close(&copy)
            return -1
    if libzmq.zmq_msg_send(msg, dst, flags) < 0:
        return -1
    return 0


cdef int _relay(void *src, void *dst, void *mon, const char *prefix, size_t prefix_size,
                bint swap_ids) noexcept nogil:
    """Move one whole message src -> dst. Returns 1 if one was moved, 0 if
    none was waiting, -1 on error (errno set)."""
    cdef libzmq.zmq_msg_t msg, first
    cdef bint more
    libzmq.zmq_msg_init(&msg)
    if libzmq.zmq_msg_recv(&msg, src, libzmq.ZMQ_DONTWAIT) < 0:
        libzmq.zmq_msg_close(&msg)
        return 0 if libzmq.zmq_errno() == libzmq.EAGAIN else -1
    if mon != NULL and _send_prefix(mon, prefix, prefix_size) != 0:
        libzmq.zmq_msg_close(&msg)
        return -1
    more = libzmq.zmq_msg_more(&msg)
    if swap_ids and more:
        # ROUTER to ROUTER: the sender's id comes first, the destination's
        # second; the destination ROUTER needs them the other way round
        libzmq.zmq_msg_init(&first)
        libzmq.zmq_msg_move(&first, &msg)
        if libzmq.zmq_msg_recv(&msg, src, 0) < 0:
            libzmq.zmq_msg_close(&first)
            libzmq.zmq_msg_close(&msg)
            return -1
        more = libzmq.zmq_msg_more(&msg)
        if _forward_part(&msg, dst, mon, True) != 0 or \
                _forward_part(&first, dst, mon, more) != 0:
            libzmq.zmq_msg_close(&first)
            libzmq.zmq_msg_close(&msg)
            return -1
        libzmq.zmq_msg_close(&first)
        if not more:
            libzmq.zmq_msg_close(&msg)
            return 1
        if libzmq.zmq_msg_recv(&msg, src, 0) < 0:
            libzmq.zmq_msg_close(&msg)
            return -1
        more = libzmq.zmq_msg_more(&msg)
    while True:
        if _forward_part(&msg, dst, mon, more) != 0:
            libzmq.zmq_msg_close(&msg)
            return -1
        if not more:
            break
        if libzmq.zmq_msg_recv(&msg, src, 0) < 0:
            libzmq.zmq_msg_close(&msg)
            return -1
        more = libzmq.zmq_msg_more(&msg)
    libzmq.zmq_msg_close(&msg)
    return 1


cdef int _drain(void *src, void *dst, void *mon, const char *prefix, size_t prefix_size,
                bint swap_ids) noexcept nogil:
    cdef int _, rc
    for _ in range(_BATCH):
        rc = _relay(src, dst, mon, prefix, prefix_size, swap_ids)
        if rc <= 0:
            return rc
    return 1


cdef bint _is_terminate(void *ctrl) noexcept nogil:
    cdef libzmq.zmq_msg_t cmd
    cdef bint terminate = False
    libzmq.zmq_msg_init(&cmd)
    if libzmq.zmq_msg_recv(&cmd, ctrl, libzmq.ZMQ_DONTWAIT) >= 0:
        terminate = (libzmq.zmq_msg_size(&cmd) == 9 and
                     memcmp(libzmq.zmq_msg_data(&cmd), b"TERMINATE", 9) == 0)
    libzmq.zmq_msg_close(&cmd)
    return terminate


cdef int _check(Socket sock, str role, bint optional) except -1:
    if sock is None:
        if optional:
            return 0
        raise TypeError(f"{role} must be a zmq.Socket, not None")
    if sock.closed:
        raise_errno(libzmq.ENOTSOCK)
    return 0


def monitored_queue(Socket in_socket, Socket out_socket, Socket mon_socket,
                    bytes in_prefix=b"in", bytes out_prefix=b"out", Socket ctrl_socket=None):
    """Relay messages between *in_socket* and *out_socket* in both directions,
    copying each one to *mon_socket* with *in_prefix* or *out_prefix* as an
    extra first frame, until the context is terminated (ContextTerminated) or
    *ctrl_socket* receives ``b"TERMINATE"`` (then it returns).

    When both sockets are ROUTERs the two identity frames are swapped, so
    replies find their way back. Runs in C with the GIL released.
    """
    _check(in_socket, "in_socket", False)
    _check(out_socket, "out_socket", False)
    _check(mon_socket, "mon_socket", True)
    _check(ctrl_socket, "ctrl_socket", True)
    cdef void *ins = in_socket.handle
    cdef void *outs = out_socket.handle
    cdef void *mon = mon_socket.handle if mon_socket is not None else NULL
    cdef void *ctrl = ctrl_socket.handle if ctrl_socket is not None else NULL
    cdef const char *in_p = in_prefix
    cdef const char *out_p = out_prefix
    cdef size_t in_n = len(in_prefix)
    cdef size_t out_n = len(out_prefix)
    cdef bint swap_ids = (in_socket.socket_type == zmq.ROUTER
                          and out_socket.socket_type == zmq.ROUTER)
    cdef libzmq.zmq_pollitem_t items[3]
    cdef int n_items = 3 if ctrl != NULL else 2
    cdef int rc
    items[0].socket = ins
    items[0].fd = 0
    items[0].events = libzmq.ZMQ_POLLIN
    items[1].socket = outs
    items[1].fd = 0
    items[1].events = libzmq.ZMQ_POLLIN
    items[2].socket = ctrl
    items[2].fd = 0
    items[2].events = libzmq.ZMQ_POLLIN
    while True:
        with nogil:
            while True:
                items[0].revents = items[1].revents = items[2].revents = 0
                rc = libzmq.zmq_poll(items, n_items, -1)
                if rc < 0:
                    break
                if n_items == 3 and items[2].revents & libzmq.ZMQ_POLLIN and _is_terminate(ctrl):
                    break
                if items[0].revents & libzmq.ZMQ_POLLIN:
                    rc = _drain(ins, outs, mon, in_p, in_n, swap_ids)
                    if rc < 0:
                        break
                if items[1].revents & libzmq.ZMQ_POLLIN:
                    rc = _drain(outs, ins, mon, out_p, out_n, swap_ids)
                    if rc < 0:
                        break
        if rc >= 0:
            return  # TERMINATE received
        if libzmq.zmq_errno() != libzmq.EINTR:
            raise_errno(libzmq.zmq_errno())
        PyErr_CheckSignals()


__all__ = ["monitored_queue"]
