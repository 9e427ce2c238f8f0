# SPDX-License-Identifier: BSD-3-Clause
"""libzmq's constants: the one table the bindings and users read them from.

Each family of zmq.h constants is an enum (the same classes and member names
as PyZMQ 27's ``zmq.constants``), and every member is also a module-level
name (``zmq.PUSH``, ``zmq.LINGER``, ``zmq.EVENT_CONNECTED``...). Values are
those of libzmq 4.3's zmq.h; ``tests/test_constants.py`` parses the zmq.h of
the build under test and fails on any value that differs or is missing.

Names in ``DRAFT_NAMES`` exist in zmq.h only under ZMQ_BUILD_DRAFT_API; they
are defined here regardless (as PyZMQ does), and libzmq rejects them with
ENOTSUP/EINVAL when the build lacks the draft API (see ``zmq.DRAFT_API``).
"""

import errno as _errno
from enum import Enum, IntEnum, IntFlag

try:
    # Builds an enum from a plain class in about half the time a class
    # statement takes (CPython's standard library builds its own enums with
    # it since 3.11), and these classes are most of what `import zmq` itself
    # spends. The classes are the same: tests/test_constants.py checks each
    # family against a class statement's with enum._test_simple_enum.
    from enum import _simple_enum
except ImportError:  # CPython 3.10: class statements
    _simple_enum = None


def _family(etype, opt_types=False):
    """Class decorator: the *etype* enum (a family) whose members are the
    class's public names, with the class's name and docstring. With
    *opt_types*, a value may be written ``value, type``; every canonical
    member then carries ``_opt_type``, the type given or ``_INT``."""

    def build(table):
        members = {}
        types = {}
        for name, value in vars(table).items():
            if name.startswith("_"):
                continue
            if isinstance(value, tuple):
                value, types[name] = value
            members[name] = value
        if _simple_enum is not None:
            body = dict(members, __module__=table.__module__,
                        __qualname__=table.__qualname__, __doc__=table.__doc__)
            family = _simple_enum(etype)(type(table.__name__, (), body))
        else:
            family = etype(table.__name__, list(members.items()),
                           module=table.__module__, qualname=table.__qualname__)
            family.__doc__ = table.__doc__
        if opt_types:
            for member in family:
                member._opt_type = types.get(member.name, _INT)
        return family

    return build

# zmq's own error numbers start here, clear of any system errno
HAUSNUMERO = 156384712


@_family(IntEnum)
class Errno:
    """Error numbers libzmq reports: the system's, then zmq's own."""

    EAGAIN = _errno.EAGAIN
    EFAULT = _errno.EFAULT
    EINVAL = _errno.EINVAL
    ENOTSUP = _errno.ENOTSUP
    EPROTONOSUPPORT = _errno.EPROTONOSUPPORT
    ENOBUFS = _errno.ENOBUFS
    ENETDOWN = _errno.ENETDOWN
    EADDRINUSE = _errno.EADDRINUSE
    EADDRNOTAVAIL = _errno.EADDRNOTAVAIL
    ECONNREFUSED = _errno.ECONNREFUSED
    EINPROGRESS = _errno.EINPROGRESS
    ENOTSOCK = _errno.ENOTSOCK
    EMSGSIZE = _errno.EMSGSIZE
    EAFNOSUPPORT = _errno.EAFNOSUPPORT
    ENETUNREACH = _errno.ENETUNREACH
    ECONNABORTED = _errno.ECONNABORTED
    ECONNRESET = _errno.ECONNRESET
    ENOTCONN = _errno.ENOTCONN
    ETIMEDOUT = _errno.ETIMEDOUT
    EHOSTUNREACH = _errno.EHOSTUNREACH
    ENETRESET = _errno.ENETRESET
    # native zmq errors
    EFSM = HAUSNUMERO + 51
    ENOCOMPATPROTO = HAUSNUMERO + 52
    ETERM = HAUSNUMERO + 53
    EMTHREAD = HAUSNUMERO + 54


@_family(IntEnum)
class ContextOption:
    """Options of zmq_ctx_set/zmq_ctx_get."""

    IO_THREADS = 1
    MAX_SOCKETS = 2
    SOCKET_LIMIT = 3
    THREAD_PRIORITY = 3
    THREAD_SCHED_POLICY = 4
    MAX_MSGSZ = 5
    MSG_T_SIZE = 6
    THREAD_AFFINITY_CPU_ADD = 7
    THREAD_AFFINITY_CPU_REMOVE = 8
    THREAD_NAME_PREFIX = 9


@_family(IntEnum)
class SocketType:
    """Socket types for ``context.socket()``."""

    PAIR = 0
    PUB = 1
    SUB = 2
    REQ = 3
    REP = 4
    DEALER = 5
    ROUTER = 6
    PULL = 7
    PUSH = 8
    XPUB = 9
    XSUB = 10
    STREAM = 11
    # old names
    XREQ = 5
    XREP = 6
    # draft
    SERVER = 12
    CLIENT = 13
    RADIO = 14
    DISH = 15
    GATHER = 16
    SCATTER = 17
    DGRAM = 18
    PEER = 19
    CHANNEL = 20


@_family(Enum)
class _OptType:
    """The C type of a socket option's value."""

    int = "int"
    int64 = "int64"
    bytes = "bytes"
    fd = "fd"


_INT, _INT64, _BYTES, _FD = _OptType.int, _OptType.int64, _OptType.bytes, _OptType.fd


@_family(IntEnum, opt_types=True)
class SocketOption:
    """Options of zmq_setsockopt/zmq_getsockopt; ``opt._opt_type`` tells
    the value's C type (int, int64, bytes or fd)."""

    #                   value, type (int unless given)
    HWM = 1
    AFFINITY = 4, _INT64
    ROUTING_ID = 5, _BYTES
    SUBSCRIBE = 6, _BYTES
    UNSUBSCRIBE = 7, _BYTES
    RATE = 8
    RECOVERY_IVL = 9
    SNDBUF = 11
    RCVBUF = 12
    RCVMORE = 13
    FD = 14, _FD
    EVENTS = 15
    TYPE = 16
    LINGER = 17
    RECONNECT_IVL = 18
    BACKLOG = 19
    RECONNECT_IVL_MAX = 21
    MAXMSGSIZE = 22, _INT64
    SNDHWM = 23
    RCVHWM = 24
    MULTICAST_HOPS = 25
    RCVTIMEO = 27
    SNDTIMEO = 28
    LAST_ENDPOINT = 32, _BYTES
    ROUTER_MANDATORY = 33
    TCP_KEEPALIVE = 34
    TCP_KEEPALIVE_CNT = 35
    TCP_KEEPALIVE_IDLE = 36
    TCP_KEEPALIVE_INTVL = 37
    IMMEDIATE = 39
    XPUB_VERBOSE = 40
    ROUTER_RAW = 41
    IPV6 = 42
    MECHANISM = 43
    PLAIN_SERVER = 44
    PLAIN_USERNAME = 45, _BYTES
    PLAIN_PASSWORD = 46, _BYTES
    CURVE_SERVER = 47
    CURVE_PUBLICKEY = 48, _BYTES
    CURVE_SECRETKEY = 49, _BYTES
    CURVE_SERVERKEY = 50, _BYTES
    PROBE_ROUTER = 51
    REQ_CORRELATE = 52
    REQ_RELAXED = 53
    CONFLATE = 54
    ZAP_DOMAIN = 55, _BYTES
    ROUTER_HANDOVER = 56
    TOS = 57
    CONNECT_ROUTING_ID = 61, _BYTES
    GSSAPI_SERVER = 62
    GSSAPI_PRINCIPAL = 63, _BYTES
    GSSAPI_SERVICE_PRINCIPAL = 64, _BYTES
    GSSAPI_PLAINTEXT = 65
    HANDSHAKE_IVL = 66
    SOCKS_PROXY = 68, _BYTES
    XPUB_NODROP = 69
    BLOCKY = 70
    XPUB_MANUAL = 71
    XPUB_WELCOME_MSG = 72, _BYTES
    STREAM_NOTIFY = 73
    INVERT_MATCHING = 74
    HEARTBEAT_IVL = 75
    HEARTBEAT_TTL = 76
    HEARTBEAT_TIMEOUT = 77
    XPUB_VERBOSER = 78
    CONNECT_TIMEOUT = 79
    TCP_MAXRT = 80
    THREAD_SAFE = 81
    MULTICAST_MAXTPDU = 84
    VMCI_BUFFER_SIZE = 85, _INT64
    VMCI_BUFFER_MIN_SIZE = 86, _INT64
    VMCI_BUFFER_MAX_SIZE = 87, _INT64
    VMCI_CONNECT_TIMEOUT = 88
    USE_FD = 89
    GSSAPI_PRINCIPAL_NAMETYPE = 90
    GSSAPI_SERVICE_PRINCIPAL_NAMETYPE = 91
    BINDTODEVICE = 92, _BYTES
    # old names and options libzmq deprecated
    IDENTITY = 5, _BYTES
    CONNECT_RID = 61, _BYTES
    TCP_ACCEPT_FILTER = 38, _BYTES
    IPC_FILTER_PID = 58
    IPC_FILTER_UID = 59
    IPC_FILTER_GID = 60
    IPV4ONLY = 31
    DELAY_ATTACH_ON_CONNECT = 39
    FAIL_UNROUTABLE = 33
    ROUTER_BEHAVIOR = 33
    # draft
    ZAP_ENFORCE_DOMAIN = 93
    LOOPBACK_FASTPATH = 94
    METADATA = 95, _BYTES
    MULTICAST_LOOP = 96
    ROUTER_NOTIFY = 97
    XPUB_MANUAL_LAST_VALUE = 98
    SOCKS_USERNAME = 99, _BYTES
    SOCKS_PASSWORD = 100, _BYTES
    IN_BATCH_SIZE = 101
    OUT_BATCH_SIZE = 102
    WSS_KEY_PEM = 103, _BYTES
    WSS_CERT_PEM = 104, _BYTES
    WSS_TRUST_PEM = 105, _BYTES
    WSS_HOSTNAME = 106, _BYTES
    WSS_TRUST_SYSTEM = 107
    ONLY_FIRST_SUBSCRIBE = 108
    RECONNECT_STOP = 109
    HELLO_MSG = 110, _BYTES
    DISCONNECT_MSG = 111, _BYTES
    PRIORITY = 112
    # draft options of libzmq releases after 4.3.4
    BUSY_POLL = 113
    HICCUP_MSG = 114, _BYTES
    XSUB_VERBOSE_UNSUBSCRIBE = 115
    TOPICS_COUNT = 116
    NORM_MODE = 117
    NORM_UNICAST_NACK = 118
    NORM_BUFFER_SIZE = 119
    NORM_SEGMENT_SIZE = 120
    NORM_BLOCK_SIZE = 121
    NORM_NUM_PARITY = 122
    NORM_NUM_AUTOPARITY = 123
    NORM_PUSH = 124


@_family(IntEnum)
class MessageOption:
    """Options of zmq_msg_get (``frame.get(zmq.MORE)``)."""

    MORE = 1
    SRCFD = 2
    SHARED = 3


@_family(IntFlag)
class Flag:
    """Flags of send and recv."""

    DONTWAIT = 1
    SNDMORE = 2
    NOBLOCK = DONTWAIT


@_family(IntEnum)
class RouterNotify:
    """Values of the ROUTER_NOTIFY option (draft)."""

    CONNECT = 1
    DISCONNECT = 2


@_family(IntEnum)
class NormMode:
    """Values of the NORM_MODE option (draft, libzmq after 4.3.4)."""

    FIXED = 0
    CC = 1
    CCL = 2
    CCE = 3
    CCE_ECNONLY = 4


@_family(IntEnum)
class SecurityMechanism:
    """Values of the MECHANISM option."""

    NULL = 0
    PLAIN = 1
    CURVE = 2
    GSSAPI = 3


@_family(IntEnum)
class ReconnectStop:
    """Values of the RECONNECT_STOP option (draft)."""

    CONN_REFUSED = 1
    HANDSHAKE_FAILED = 2
    # libzmq 4.3.4's zmq.h value; later releases moved it to 4
    AFTER_DISCONNECT = 3


@_family(IntFlag)
class Event:
    """Socket monitor events (``zmq.EVENT_*``) and the protocol error codes
    that accompany EVENT_HANDSHAKE_FAILED_PROTOCOL."""

    PROTOCOL_ERROR_WS_UNSPECIFIED = 0x30000000
    PROTOCOL_ERROR_ZMTP_UNSPECIFIED = 0x10000000
    PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND = 0x10000001
    PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE = 0x10000002
    PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE = 0x10000003
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED = 0x10000011
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE = 0x10000012
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO = 0x10000013
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE = 0x10000014
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR = 0x10000015
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY = 0x10000016
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME = 0x10000017
    PROTOCOL_ERROR_ZMTP_INVALID_METADATA = 0x10000018
    PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = 0x11000001
    PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH = 0x11000002
    PROTOCOL_ERROR_ZAP_UNSPECIFIED = 0x20000000
    PROTOCOL_ERROR_ZAP_MALFORMED_REPLY = 0x20000001
    PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID = 0x20000002
    PROTOCOL_ERROR_ZAP_BAD_VERSION = 0x20000003
    PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE = 0x20000004
    PROTOCOL_ERROR_ZAP_INVALID_METADATA = 0x20000005
    CONNECTED = 0x0001
    CONNECT_DELAYED = 0x0002
    CONNECT_RETRIED = 0x0004
    LISTENING = 0x0008
    BIND_FAILED = 0x0010
    ACCEPTED = 0x0020
    ACCEPT_FAILED = 0x0040
    CLOSED = 0x0080
    CLOSE_FAILED = 0x0100
    DISCONNECTED = 0x0200
    MONITOR_STOPPED = 0x0400
    HANDSHAKE_FAILED_NO_DETAIL = 0x0800
    HANDSHAKE_SUCCEEDED = 0x1000
    HANDSHAKE_FAILED_PROTOCOL = 0x2000
    HANDSHAKE_FAILED_AUTH = 0x4000
    ALL_V1 = 0xFFFF
    ALL = ALL_V1
    # draft
    PIPES_STATS = 0x10000
    ALL_V2 = ALL_V1 | PIPES_STATS


@_family(IntFlag)
class PollEvent:
    """Events of zmq_poll and the EVENTS option."""

    POLLIN = 1
    POLLOUT = 2
    POLLERR = 4
    POLLPRI = 8


@_family(IntEnum)
class DeviceType:
    """Device types of the deprecated zmq_device()."""

    STREAMER = 1
    FORWARDER = 2
    QUEUE = 3


# Module-level names: Event, NormMode, RouterNotify and ReconnectStop members
# carry a prefix at module level (EVENT_CONNECTED, NORM_CC, NOTIFY_CONNECT,
# RECONNECT_STOP_CONN_REFUSED); every other member keeps its own name.
_PREFIXES = {
    Event: "EVENT_",
    NormMode: "NORM_",
    RouterNotify: "NOTIFY_",
    ReconnectStop: "RECONNECT_STOP_",
}
_FAMILIES = (
    ContextOption,
    DeviceType,
    Errno,
    Event,
    Flag,
    MessageOption,
    NormMode,
    PollEvent,
    ReconnectStop,
    RouterNotify,
    SecurityMechanism,
    SocketOption,
    SocketType,
)

_module_names = {}
for _family in _FAMILIES:
    _prefix = _PREFIXES.get(_family, "")
    for _name, _member in _family.__members__.items():
        if _prefix and _name.startswith("PROTOCOL_ERROR"):
            _module_names[_name] = _member
        else:
            _module_names[_prefix + _name] = _member
globals().update(_module_names)

# zmq.h constants outside PyZMQ's families (defaults, limits, GSSAPI name types)
IO_THREADS_DFLT = 1
MAX_SOCKETS_DFLT = 1023
THREAD_PRIORITY_DFLT = -1
THREAD_SCHED_POLICY_DFLT = -1
GROUP_MAX_LENGTH = 255
POLLITEMS_DFLT = 16
GSSAPI_NT_HOSTBASED = 0
GSSAPI_NT_USER_NAME = 1
GSSAPI_NT_KRB5_PRINCIPAL = 2
# draft
ZERO_COPY_RECV = 10
CURRENT_EVENT_VERSION = 1
CURRENT_EVENT_VERSION_DRAFT = 2

_EXTRA_NAMES = [
    "IO_THREADS_DFLT",
    "MAX_SOCKETS_DFLT",
    "THREAD_PRIORITY_DFLT",
    "THREAD_SCHED_POLICY_DFLT",
    "GROUP_MAX_LENGTH",
    "POLLITEMS_DFLT",
    "GSSAPI_NT_HOSTBASED",
    "GSSAPI_NT_USER_NAME",
    "GSSAPI_NT_KRB5_PRINCIPAL",
    "ZERO_COPY_RECV",
    "CURRENT_EVENT_VERSION",
    "CURRENT_EVENT_VERSION_DRAFT",
]

# Names zmq.h defines only with ZMQ_BUILD_DRAFT_API (module-level spelling).
DRAFT_NAMES = frozenset(
    [t.name for t in SocketType if t >= SocketType.SERVER]
    + [o for o in SocketOption.__members__ if SocketOption[o] >= SocketOption.ZAP_ENFORCE_DOMAIN]
    + [f"RECONNECT_STOP_{m}" for m in ReconnectStop.__members__]
    + [f"NOTIFY_{m}" for m in RouterNotify.__members__]
    + [f"NORM_{m}" for m in NormMode.__members__]
    + ["EVENT_PIPES_STATS", "EVENT_ALL_V2", "EVENT_ALL_V1"]
    + ["ZERO_COPY_RECV", "CURRENT_EVENT_VERSION", "CURRENT_EVENT_VERSION_DRAFT"]
)

__all__ = (
    [f.__name__ for f in _FAMILIES]
    + ["Enum", "IntEnum", "IntFlag", "HAUSNUMERO", "DRAFT_NAMES"]
    + list(_module_names)
    + _EXTRA_NAMES
)

del _family, _prefix, _name, _member
