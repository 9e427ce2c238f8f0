# SPDX-License-Identifier: BSD-3-Clause
# zmq-core's C-API version, for every extension that cimports zmq-core: the
# compile-time half of zmq.core.capi (capi.py beside it is the run-time half).
#
# The layout of Context, Socket, Frame and MessageTracker (their cdef fields
# and cdef methods) is compiled into each cimporting extension, and so are
# error.pxd's check_rc and raise_errno (inline; at error time they call
# zmq.core.error._raise_for_errno(errnum)). Any change to them makes an
# extension built before the change misbehave (a "size changed" warning,
# then wrong fields, or a crash when a cdef method moved), so every such
# change bumps ZMQ_CORE_CAPI_VERSION here and CAPI_VERSION in capi.py, together with zmq-core's
# major version: packages that cimport zmq-core declare zmq-core>=X.Y,<X+1.
# Additions (a new cimportable function) are not changes: they come in a
# minor release, which packages that use them name as their lower bound.
#
# context.pxd, message.pxd, socket.pxd and error.pxd cimport this file
# first, so every cimporting extension imports the type below before any of
# zmq-core's classes or functions. Its name carries the version the
# extension was built against; a zmq-core with another C-API has no such
# name, and zmq.core.capi then raises an ImportError that says what was
# built against what and what to reinstall.

cdef enum:
    ZMQ_CORE_CAPI_VERSION = 1

cdef extern from *:
    ctypedef class zmq.core.capi.CAPIVersion1 [object PyObject, check_size ignore]:
        pass
