# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, freethreading_compatible=True
"""The socket-option tables (see options.pxd), built once from SocketOption."""

from zmq.core.constants import SocketOption, _OptType

_KIND_OF_TYPE = {_OptType.int: _OPT_INT, _OptType.int64: _OPT_INT64,
                 _OptType.bytes: _OPT_BYTES, _OptType.fd: _OPT_FD}
_OPT_KINDS = {int(o): _KIND_OF_TYPE[o._opt_type] for o in SocketOption}
del _KIND_OF_TYPE
_UNSIGNED_INT64_OPTS = frozenset(
    int(getattr(SocketOption, name)) for name in
    ("AFFINITY", "VMCI_BUFFER_SIZE", "VMCI_BUFFER_MIN_SIZE", "VMCI_BUFFER_MAX_SIZE")
    if hasattr(SocketOption, name)
)
_OPT_BY_ATTR = {name.lower(): o for name, o in SocketOption.__members__.items()}


cdef str _option_name(int option):
    try:
        return SocketOption(option).name
    except ValueError:
        return str(option)
