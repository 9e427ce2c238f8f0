# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's C API for libzmq errors, for Cython code that calls libzmq
itself (``from zmq cimport check_rc, raise_errno, libzmq``):

    check_rc(libzmq.zmq_setsockopt(sock.handle, libzmq.ZMQ_LINGER, &zero, sizeof(int)))
    if libzmq.zmq_msg_send(&msg, sock.handle, 0) < 0:
        raise_errno(libzmq.zmq_errno())

``raise_errno(errnum)`` raises what zmq-core raises for that errno
(``zmq.Again`` for EAGAIN, ``zmq.ContextTerminated`` for ETERM, else
``zmq.ZMQError``) and returns -1; ``check_rc(rc)`` does so with
``zmq_errno()`` when rc < 0 and returns 0 otherwise. Both are ``except -1``:
call them with the GIL held. zmq-core's own modules use the same two.

Part of the C API (see capi.pxd): they are inline, so their code is compiled
into the cimporting extension, and at error time it calls
``zmq.core.error._raise_for_errno(errnum)``, which every zmq-core of this
C-API version keeps.
"""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport capi  # noqa

from zmq.core.cdecl cimport libzmq


cdef inline int raise_errno(int errnum) except -1:
    # error path only: the import is cached by Python after the first time
    from zmq.core.error import _raise_for_errno
    _raise_for_errno(errnum)
    return -1


cdef inline int check_rc(int rc) except -1:
    if rc < 0:
        raise_errno(libzmq.zmq_errno())
    return 0
