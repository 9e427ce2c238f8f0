# SPDX-License-Identifier: BSD-3-Clause
"""Turning libzmq return codes into Python exceptions, shared by every module.

zmq-core's own modules cimport these names; other packages use the same
functions under their public names, check_rc and raise_errno (error.pxd).
"""

from zmq.core.libzmq cimport zmq_errno


cdef inline int _raise_errno(int errnum) except -1:
    # error path only: the import is cached by Python after the first time
    from zmq.core.error import _raise_for_errno
    _raise_for_errno(errnum)
    return -1


cdef inline int _check_rc(int rc) except -1:
    if rc < 0:
        _raise_errno(zmq_errno())
    return 0
