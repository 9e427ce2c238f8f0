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
call them with the GIL held.

Part of the C API (see abi.pxd): they are inline, so their code is compiled
into the cimporting extension, and at error time it calls
``zmq.core.error._raise_for_errno(errnum)``, which every zmq-core of this
C-API version keeps.
"""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport abi  # noqa

from zmq.core.checkrc cimport _check_rc as check_rc, _raise_errno as raise_errno  # noqa
