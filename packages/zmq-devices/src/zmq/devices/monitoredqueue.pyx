# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, freethreading_compatible=True
"""monitored_queue: a queue between two sockets that also copies every
message, prefixed, to a monitor socket.

Written against zmq-core's cimport API (``from zmq cimport Socket,
run_proxy``): zmq-core's forwarding loop (the one behind zmq.proxy) moves the
messages as zmq_msg_t values with no Python object per message, draining a
burst per side before it looks again; the monitor gets each message's prefix
frame first, and ROUTER-to-ROUTER messages get their identities swapped. The
sockets stay usable from other threads, close() or Context.term() from
another thread ends the queue with ENOTSOCK or ContextTerminated, and Ctrl-C
raises KeyboardInterrupt.
"""

import zmq

from zmq cimport PROXY_CONTROL_TERMINATE, Socket, libzmq, run_proxy
from zmq.core.error cimport raise_errno


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
    replies find their way back. Runs in C; close() of one of the sockets
    from another thread raises ZMQError(ENOTSOCK) here, and Ctrl-C
    KeyboardInterrupt.
    """
    _check(in_socket, "in_socket", False)
    _check(out_socket, "out_socket", False)
    _check(mon_socket, "mon_socket", True)
    _check(ctrl_socket, "ctrl_socket", True)
    cdef bint swap_ids = (in_socket.socket_type == zmq.ROUTER
                          and out_socket.socket_type == zmq.ROUTER)
    run_proxy(in_socket, out_socket, mon_socket, ctrl_socket, PROXY_CONTROL_TERMINATE,
              in_prefix, out_prefix, swap_ids)


__all__ = ["monitored_queue"]
