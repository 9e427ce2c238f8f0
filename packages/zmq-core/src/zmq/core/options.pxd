# SPDX-License-Identifier: BSD-3-Clause
"""What each socket option is: the kind of its value, its attribute name
(``sock.linger``), its name in errors. Socket.set/get and the attribute
access of socket.pyx read these tables; zmq/core/constants.py's
SocketOption (each option's value type) is their source.

Private to zmq-core: zmq/__init__.pxd does not cimport this file.
"""

# option value kinds, for the C-level switch in Socket.set/get
cdef enum:
    _OPT_INT = 0
    _OPT_INT64 = 1
    _OPT_BYTES = 2
    _OPT_FD = 3

# option number -> value kind
cdef dict _OPT_KINDS
# 64-bit options that libzmq declares uint64_t (the others are int64_t)
cdef frozenset _UNSIGNED_INT64_OPTS
# attribute name (lower case) -> SocketOption, for sock.linger = 0 and friends
cdef dict _OPT_BY_ATTR


cdef inline int _option_kind(int option) except -1:
    # unknown numbers are taken as int and left to libzmq to reject (an
    # option of a newer libzmq may still work)
    return _OPT_KINDS.get(option, _OPT_INT)


cdef inline bint _is_unsigned_int64(int option) except -1:
    return option in _UNSIGNED_INT64_OPTS


cdef inline object _option_for_attribute(str name):
    # the SocketOption an attribute name (any case) stands for, or None;
    # most are written in lower case already, and lower() makes a new str
    opt = _OPT_BY_ATTR.get(name)
    if opt is None:
        opt = _OPT_BY_ATTR.get(name.lower())
    return opt


# the option's name (LINGER), or its number for one SocketOption lacks
cdef str _option_name(int option)
