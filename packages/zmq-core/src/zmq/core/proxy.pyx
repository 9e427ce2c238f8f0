# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Forwarding between sockets inside libzmq: proxy, proxy_steerable, device."""

from zmq.core._internal cimport _retry_if_interrupted
from zmq.core.error cimport raise_errno
from zmq.core.cdecl cimport libzmq
from zmq.core.socket cimport Socket


cdef void *_handle_of(object sock, str role, bint optional) except? NULL:
    if sock is None:
        if optional:
            return NULL
        raise TypeError(f"{role} must be a zmq.Socket, not None")
    if not isinstance(sock, Socket):
        raise TypeError(f"{role} must be a zmq.Socket, not {type(sock).__name__}")
    if (<Socket>sock)._closed:
        raise_errno(libzmq.ENOTSOCK)
    return (<Socket>sock).handle


def proxy(frontend, backend, capture=None):
    """Forward messages between *frontend* and *backend* in both directions
    (and copy them to *capture*, if given) until the context is terminated,
    which raises ContextTerminated. Runs in C with the GIL released."""
    cdef void *f = _handle_of(frontend, "frontend", False)
    cdef void *b = _handle_of(backend, "backend", False)
    cdef void *c = _handle_of(capture, "capture", True)
    while True:
        with nogil:
            # returns only on error, e.g. ETERM when the context ends
            libzmq.zmq_proxy(f, b, c)
        _retry_if_interrupted()


def proxy_steerable(frontend, backend, capture=None, control=None):
    """proxy() that also obeys commands on *control*: b"PAUSE", b"RESUME",
    b"TERMINATE" (returns) and b"STATISTICS" (libzmq replies with counters)."""
    cdef void *f = _handle_of(frontend, "frontend", False)
    cdef void *b = _handle_of(backend, "backend", False)
    cdef void *c = _handle_of(capture, "capture", True)
    cdef void *ctl = _handle_of(control, "control", True)
    cdef int rc
    while True:
        with nogil:
            rc = libzmq.zmq_proxy_steerable(f, b, c, ctl)
        if rc == 0:
            return
        _retry_if_interrupted()


def device(device_type, frontend, backend):
    """The old name of proxy(frontend, backend); *device_type* (zmq.QUEUE,
    zmq.FORWARDER, zmq.STREAMER) is accepted and ignored, as in libzmq."""
    return proxy(frontend, backend)
