# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Socket: a libzmq socket, with send/recv and options running in C."""

from types import GenericAlias

cimport cython

from cpython.buffer cimport (
    PyBUF_ANY_CONTIGUOUS,
    PyBUF_WRITABLE,
    PyBuffer_Release,
    PyObject_CheckBuffer,
    PyObject_GetBuffer,
)
from cpython.bytes cimport (
    PyBytes_AS_STRING,
    PyBytes_CheckExact,
    PyBytes_FromStringAndSize,
    PyBytes_GET_SIZE,
)
from cpython.object cimport PyObject_GenericSetAttr
from cpython.list cimport PyList_Append
from libc.errno cimport ENAMETOOLONG
from libc.stdint cimport int64_t, uint64_t, uintptr_t
from libc.string cimport memcpy
from posix.unistd cimport getpid, usleep, write

from zmq.core._internal cimport (
    _errno_unless_interrupted,
    _thread_wake_fd,
    _wait_fds,
    _get_buffer,
    _is_plain_attribute,
    _ms_left,
    _now,
    _poll_items,
    _retry_if_interrupted,
    _shadow_address,
    _signal_slice_ms,
    _socket_events,
    _socket_pollitem,
)
from zmq.core.cdecl.pytype cimport (
    FREE_THREADED,
    allow_class_attributes,
    drop_empty_dict,
    use_python_getattr_hook,
)
from zmq.core.error cimport check_rc, raise_errno
from zmq.core.context cimport Context
from zmq.core.cdecl cimport libzmq
from zmq.core.options cimport (
    _OPT_BYTES,
    _OPT_BY_ATTR,
    _OPT_INT64,
    _is_unsigned_int64,
    _option_for_attribute,
    _option_kind,
    _option_name,
)
from zmq.core.message cimport (
    Frame,
    MessageTracker,
    _default_copy_threshold,
    _finished_tracker,
    _new_tracker,
)
from zmq.core cimport codecs, zerocopy

from zmq.core.constants import EVENT_ALL, SocketOption, SocketType
from zmq.core.error import ZMQError
from zmq.core.message import Frame as _FrameClass


# bytes of this size or more are shared with libzmq even by copy=True sends
# (see _shares_bytes)
cdef enum:
    _SHARED_BYTES_MIN = 65536


cdef inline bint _shares_bytes(Socket sock, Py_ssize_t size, bint copy) noexcept:
    # whether send() hands a bytes object of `size` to libzmq without copying
    # it. Bytes never change, so with copy=True sharing large ones is as good
    # as a copy, and spares the allocation of a large libzmq buffer per
    # message (with the receiver's own allocation, glibc gave both back to
    # the OS after every message: hundreds of page faults each). Over inproc
    # the receiver gets the very memory: recv() returns the sent bytes object
    # itself and a received Frame over it is read-only (zerocopy._shared_readonly).
    if copy:
        # small ones first: the common send() of bytes reads nothing else
        return size >= _SHARED_BYTES_MIN and size >= sock.copy_threshold
    return size >= sock.copy_threshold

cdef inline bytes _utf8_bytes(object value, str what):
    # an endpoint or group name: bytes as given, str encoded as UTF-8
    if isinstance(value, str):
        return (<str>value).encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


cdef int _bind_or_connect(Socket sock, object addr, bint bind) except -1:
    # zmq_bind or zmq_connect, retried after a signal; errors name addr
    cdef bytes c_addr = _utf8_bytes(addr, "endpoint")
    cdef int err
    with cython.critical_section(sock):
        sock._check_open()
        if c_addr.startswith(b"inproc:"):
            sock._maybe_inproc = True
        while (libzmq.zmq_bind(sock.handle, c_addr) if bind
               else libzmq.zmq_connect(sock.handle, c_addr)) != 0:
            err = _errno_unless_interrupted()
            if err:
                _raise_endpoint_error(err, "bind to" if bind else "connect to", addr)
        if sock._waiters:
            # bind and connect read libzmq's commands too
            sock._wake_waiters()
    return 0


cdef int _raise_endpoint_error(int errnum, str action, object addr) except -1:
    from zmq.core.error import ZMQError
    from zmq.core.utils import IPC_PATH_MAX_LEN, strerror
    message = f"{strerror(errnum)} ({action} {addr!r})"
    if errnum == ENAMETOOLONG and str(addr).startswith("ipc://"):
        message += (
            f": an ipc path holds at most zmq.IPC_PATH_MAX_LEN = {IPC_PATH_MAX_LEN}"
            f" characters (sockaddr_un.sun_path)"
        )
    raise ZMQError(errnum, message)


# One libzmq send or receive, as _retry_transfer calls it: zmq_send's
# (data, size), or a zmq_msg_t in data for zmq_msg_send/zmq_msg_recv.
ctypedef int (*_transfer_op)(void *handle, void *data, size_t size, int flags) noexcept nogil


cdef int _send_bytes_op(void *handle, void *data, size_t size, int flags) noexcept nogil:
    return libzmq.zmq_send(handle, data, size, flags)


cdef int _send_msg_op(void *handle, void *msg, size_t size, int flags) noexcept nogil:
    return libzmq.zmq_msg_send(<libzmq.zmq_msg_t *>msg, handle, flags)


cdef int _recv_msg_op(void *handle, void *msg, size_t size, int flags) noexcept nogil:
    return libzmq.zmq_msg_recv(<libzmq.zmq_msg_t *>msg, handle, flags)


cdef int _retry_transfer(Socket sock, _transfer_op op, void *data, size_t size, int flags,
                         short event) except -1:
    # after a first non-blocking attempt failed: raise, or wait and retry as
    # flags and SNDTIMEO/RCVTIMEO allow; returns the op's result. Every
    # libzmq call on the socket is made holding the GIL and the socket's
    # critical section (a no-op with the GIL; on free-threaded Python the
    # object's own lock), which serialises them between threads: only the
    # wait itself (Socket._wait, without the GIL) lets go of both.
    cdef double deadline = 0.0
    cdef int rc = -1
    while rc < 0:
        sock._retry_or_raise(flags)
        if sock._wait(event, &deadline):
            with nogil:
                rc = op(sock.handle, data, size, flags)
        else:
            rc = op(sock.handle, data, size, flags | libzmq.ZMQ_DONTWAIT)
    if sock._waiters:
        sock._wake_waiters()
    return rc


cdef int _close_held(Socket sock, bint set_linger, int linger) except -1:
    # close()'s work, in the socket's critical section. A thread waiting on
    # the socket waits without it (and without the GIL): it is woken here,
    # raises ENOTSOCK, and leaves before the libzmq socket goes away.
    cdef void *handle
    cdef double give_up
    if sock._closed:
        # closed by another thread meanwhile
        return 0
    sock._closed = True
    handle = sock.handle
    # nothing can reach the libzmq socket through this object any more
    sock.handle = NULL
    if sock._waiters:
        # threads blocked on this socket wait on its FD, not in libzmq:
        # wake them (each raises ENOTSOCK) and let them go before the
        # socket (and its FD) goes away. Sleeping without the GIL lets go
        # of the critical section too, so that they can leave.
        sock._wake_waiters(True)
        give_up = _now() + 1.0
        while sock._waiters and _now() < give_up:
            with nogil:
                usleep(200)
    if getpid() != sock._pid:
        # the parent's socket, inherited by fork: not ours to touch
        return 0
    if set_linger:
        # may fail with ETERM once the context is terminating; closing
        # must still go ahead
        libzmq.zmq_setsockopt(handle, libzmq.ZMQ_LINGER, &linger, sizeof(int))
    if sock._draft_poller != NULL:
        libzmq.zmq_poller_destroy(&sock._draft_poller)
    libzmq.zmq_close(handle)
    return 0


cdef inline int _set_held(Socket sock, int option, const void *value, size_t size) except -1:
    with cython.critical_section(sock):
        sock._check_open()
        check_rc(libzmq.zmq_setsockopt(sock.handle, option, value, size))
    return 0


cdef inline int _get_held(Socket sock, int option, void *value, size_t *size) except -1:
    with cython.critical_section(sock):
        sock._check_open()
        if option == libzmq.ZMQ_EVENTS and sock._waiters:
            # reading EVENTS reads libzmq's commands: tell the waiters
            (<int *>value)[0] = sock._wake_waiters()
            return 0
        check_rc(libzmq.zmq_getsockopt(sock.handle, option, value, size))
    return 0


# The send and receive paths, in the socket's critical section (their
# methods take it; send_multipart and recv_multipart take it once for the
# whole message, so that threads sharing the socket never interleave parts).

cdef inline int _send_bytes_held(Socket sock, const void *data, size_t size,
                                 int flags) except -1:
    if sock._closed:
        raise_errno(libzmq.ENOTSOCK)
    if libzmq.zmq_send(sock.handle, data, size, flags | libzmq.ZMQ_DONTWAIT) < 0:
        _retry_transfer(sock, _send_bytes_op, <void *>data, size, flags, libzmq.ZMQ_POLLOUT)
    elif sock._waiters:
        sock._wake_waiters()
    return 0


cdef inline int _send_msg_held(Socket sock, libzmq.zmq_msg_t *msg, int flags) except -1:
    if sock._closed:
        raise_errno(libzmq.ENOTSOCK)
    if libzmq.zmq_msg_send(msg, sock.handle, flags | libzmq.ZMQ_DONTWAIT) < 0:
        _retry_transfer(sock, _send_msg_op, msg, 0, flags, libzmq.ZMQ_POLLOUT)
    elif sock._waiters:
        sock._wake_waiters()
    return 0


cdef object _send_part_held(Socket sock, object data, int flags, bint copy, object tracker):
    # one part; returns the tracker that watches it, if any
    cdef Py_buffer view
    cdef libzmq.zmq_msg_t msg
    cdef Frame frame
    if PyBytes_CheckExact(data):
        if not _shares_bytes(sock, PyBytes_GET_SIZE(data), copy):
            _send_bytes_held(sock, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data), flags)
            return None
        _get_buffer(data, &view, PyBUF_ANY_CONTIGUOUS, "send()")
    elif isinstance(data, Frame):
        frame = <Frame>data
        libzmq.zmq_msg_init(&msg)
        check_rc(libzmq.zmq_msg_copy(&msg, &frame.zmq_msg))
        try:
            _send_msg_held(sock, &msg, flags)
        except BaseException:
            libzmq.zmq_msg_close(&msg)
            raise
        return frame.tracker
    else:
        _get_buffer(data, &view, PyBUF_ANY_CONTIGUOUS, "send()")
        if copy or view.len < sock.copy_threshold:
            try:
                _send_bytes_held(sock, view.buf, <size_t>view.len, flags)
            finally:
                PyBuffer_Release(&view)
            return None
    # zero-copy: libzmq shares the buffer and releases the view when done
    if tracker is None:
        zerocopy._init_msg_zero_copy(&msg, &view, None, NULL, sock._maybe_inproc)
    else:
        zerocopy._init_msg_zero_copy(&msg, &view, tracker,
                                     &(<MessageTracker>tracker)._pending,
                                     sock._maybe_inproc)
    try:
        _send_msg_held(sock, &msg, flags)
    except BaseException:
        libzmq.zmq_msg_close(&msg)
        raise
    return tracker


cdef inline int _recv_msg_held(Socket sock, libzmq.zmq_msg_t *msg, int flags) except -1:
    cdef int rc
    if sock._closed:
        raise_errno(libzmq.ENOTSOCK)
    rc = libzmq.zmq_msg_recv(msg, sock.handle, flags | libzmq.ZMQ_DONTWAIT)
    if rc < 0:
        rc = _retry_transfer(sock, _recv_msg_op, msg, 0, flags, libzmq.ZMQ_POLLIN)
    elif sock._waiters:
        sock._wake_waiters()
    return rc


cdef object _recv_bytes_held(Socket sock, int flags, bint *more):
    cdef libzmq.zmq_msg_t msg
    cdef size_t size
    libzmq.zmq_msg_init(&msg)
    try:
        _recv_msg_held(sock, &msg, flags)
        size = libzmq.zmq_msg_size(&msg)
        result = None
        if size >= _SHARED_BYTES_MIN and sock._maybe_inproc:
            result = zerocopy._shared_readonly(libzmq.zmq_msg_data(&msg), size)
            if not (PyBytes_CheckExact(result)
                    and PyBytes_AS_STRING(result) == <char *>libzmq.zmq_msg_data(&msg)):
                result = None
        if result is None:
            result = PyBytes_FromStringAndSize(<char *>libzmq.zmq_msg_data(&msg), size)
        if more != NULL:
            more[0] = libzmq.zmq_msg_more(&msg)
    finally:
        libzmq.zmq_msg_close(&msg)
    return result


cdef Frame _recv_frame_held(Socket sock, int flags, bint track):
    cdef Frame frame = Frame.__new__(Frame)
    cdef size_t size
    cdef object shared
    frame._initialised = True  # holds a message: __init__ must not replace it
    _recv_msg_held(sock, &frame.zmq_msg, flags)
    frame.more = libzmq.zmq_msg_more(&frame.zmq_msg)
    size = libzmq.zmq_msg_size(&frame.zmq_msg)
    if size >= _SHARED_BYTES_MIN and sock._maybe_inproc:
        shared = zerocopy._shared_readonly(libzmq.zmq_msg_data(&frame.zmq_msg), size)
        if shared is not None:
            # the sender's read-only memory: keep it so (and Frame.bytes
            # returns a shared bytes object as it is)
            frame._readonly = True
            frame._data = shared
    if track:
        frame.tracker = _finished_tracker()
    return frame


cdef object _get_option(Socket sock, int option):
    # Socket.get()'s work, also what sock.<option> reads
    sock._check_open()
    cdef int kind = _option_kind(option)
    cdef int int_value = 0
    cdef int64_t int64_value = 0
    cdef char buf[1024]
    cdef size_t size
    if kind == _OPT_BYTES:
        # libzmq gives CURVE keys only for a buffer of exactly 32 bytes
        # (binary) or 41 (Z85 text and NUL): ask for the text
        size = (41 if libzmq.ZMQ_CURVE_PUBLICKEY <= option <= libzmq.ZMQ_CURVE_SERVERKEY
                else sizeof(buf))
        _get_held(sock, option, buf, &size)
        # string options come NUL-terminated; a routing id is binary
        if option != libzmq.ZMQ_ROUTING_ID and size > 0 and buf[size - 1] == 0:
            size -= 1
        return PyBytes_FromStringAndSize(buf, size)
    if kind == _OPT_INT64:
        size = sizeof(int64_t)
        _get_held(sock, option, &int64_value, &size)
        if _is_unsigned_int64(option):
            return <uint64_t>int64_value
        return int64_value
    if option == libzmq.ZMQ_FD:
        with cython.critical_section(sock):
            sock._check_open()
            return sock._fd()
    size = sizeof(int)
    _get_held(sock, option, &int_value, &size)
    return int_value


cdef int _poll_held(Socket sock, long timeout_ms, double deadline, int flags) except -1:
    # Socket.poll()'s work, in the socket's critical section (the wait lets go)
    cdef libzmq.zmq_pollitem_t item
    cdef int zmq_fd = 0, ready
    cdef size_t size = sizeof(int)
    sock._check_open()
    if libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_FD, &zmq_fd, &size) != 0:
        # a thread-safe (draft) socket: libzmq's own poll
        _socket_pollitem(&item, sock.handle, flags)
        _poll_items(&item, 1, timeout_ms)
        return item.revents
    while True:
        # ZMQ_EVENTS reads libzmq's commands: the FD then signals the
        # next change (and other waiters may have something to do)
        ready = _socket_events(sock.handle) & flags
        if sock._waiters:
            sock._wake_waiters()
        if ready or timeout_ms == 0:
            return ready
        sock._wait_fd(zmq_fd, timeout_ms, flags)
        if timeout_ms > 0:
            timeout_ms = _ms_left(deadline)
            if timeout_ms == 0:
                return _socket_events(sock.handle) & flags


class _EndpointContext:
    """Returned by bind() and connect(): ``with sock.bind(url):`` unbinds
    (or disconnects) when the block ends."""

    def __init__(self, socket, kind, addr):
        self.socket = socket
        self.kind = kind
        self.addr = addr

    def __enter__(self):
        return self.socket

    def __exit__(self, *exc):
        if self.socket.closed:
            return
        if self.kind == "bind":
            self.socket.unbind(self.addr)
        else:
            self.socket.disconnect(self.addr)

    def __repr__(self):
        return f"<SocketContext({self.kind}={self.addr!r})>"


# a waiter's key in and out of Socket._wake_fds; the caller holds the
# socket's critical section
cdef inline int _add_waiter(Socket sock, long key) except -1:
    if sock._wake_fds is None:
        sock._wake_fds = []
    sock._wake_fds.append(key)
    sock._waiters += 1
    return 0


cdef inline int _remove_waiter(Socket sock, long key) except -1:
    sock._waiters -= 1
    sock._wake_fds.remove(key)
    return 0


cdef class Socket:
    """A libzmq socket. Make one with ``context.socket(zmq.PUSH)``.

    Invariant: a closed socket raises ``ZMQError(ENOTSOCK)`` from every
    method except ``close()`` and ``closed``, before libzmq is called;
    ``_check_open()`` enforces it.

    Sending and receiving run in C. A blocking call first tries without
    blocking, with the GIL held; only if it would block does it release the
    GIL and wait, honouring SNDTIMEO/RCVTIMEO (``zmq.Again`` on timeout) and
    letting Ctrl-C through (KeyboardInterrupt).

    Socket options are attributes too: ``sock.linger = 0``, ``sock.rcvtimeo``,
    ``sock.hwm = 100`` (both high-water marks), ``sock.subscribe(b"topic")``.
    ``Socket(shadow=address)`` wraps a libzmq socket owned elsewhere.
    """

    def __cinit__(self, *args, **kwargs):
        self.handle = NULL
        self._closed = True
        self._pid = getpid()
        # until an attribute is set on it, so that sock.send(...) is read
        # through CPython's method cache (see use_python_getattr_hook below)
        drop_empty_dict(self)

    def __init__(self, ctx_or_socket=None, socket_type=0, *, shadow=0,
                 copy_threshold=None):
        cdef Context ctx
        if self.handle != NULL or self.context is not None:
            # a second __init__ would orphan the libzmq socket made by the first
            raise RuntimeError("Socket.__init__ called on a Socket that is already set up")
        if isinstance(ctx_or_socket, Socket):
            # Socket(other) shadows other, as in PyZMQ
            shadow, ctx_or_socket = ctx_or_socket, None
        self.copy_threshold = (
            _default_copy_threshold() if copy_threshold is None else copy_threshold
        )
        if shadow:
            if isinstance(shadow, Socket):
                self.context = (<Socket>shadow).context
                self.handle = (<Socket>shadow).handle
            else:
                self.handle = _shadow_address(shadow, "Socket")
                self.context = ctx_or_socket
            self._shadow = True
            self._shadow_obj = shadow
            # its endpoints were set elsewhere, inproc ones maybe
            self._maybe_inproc = True
            self._closed = False
            self._type = self._get_int(libzmq.ZMQ_TYPE)
            return
        if not isinstance(ctx_or_socket, Context):
            raise TypeError(
                f"Socket() needs a zmq.Context, not {type(ctx_or_socket).__name__};"
                f" use context.socket(type)"
            )
        ctx = ctx_or_socket
        if ctx._closed:
            raise_errno(libzmq.ENOTSUP)
        if not isinstance(socket_type, int):
            raise TypeError(f"socket_type must be an int, not {type(socket_type).__name__}")
        self.handle = libzmq.zmq_socket(ctx.handle, socket_type)
        if self.handle == NULL:
            raise_errno(libzmq.zmq_errno())
        self._closed = False
        self._type = socket_type
        self.context = ctx
        ctx._add_socket(self)

    # zmq.Context[Any], zmq.Socket[bytes]: generic in PyZMQ's typing
    __class_getitem__ = classmethod(GenericAlias)

    @classmethod
    def shadow(cls, address):
        """A new Socket wrapping an existing libzmq socket (a Socket or its
        ``underlying`` address), without owning it."""
        return cls(shadow=address)

    cdef int _check_open(self) except -1:
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        return 0

    @property
    def underlying(self):
        """The address of the libzmq socket, as an int (for shadowing)."""
        return <uintptr_t>self.handle

    @property
    def closed(self):
        """True once closed (here, or by whoever owns a shadowed socket)."""
        cdef int value
        cdef size_t size = sizeof(int)
        if self._closed:
            return True
        if self._shadow:
            with cython.critical_section(self):
                if self._closed:
                    return True
                if libzmq.zmq_getsockopt(self.handle, libzmq.ZMQ_TYPE, &value, &size) != 0:
                    if libzmq.zmq_errno() == libzmq.ENOTSOCK:
                        self._closed = True
                        return True
        return False

    @property
    def socket_type(self):
        """The socket type, as an int."""
        return self._type

    @property
    def type(self):
        """The socket type, as a :class:`zmq.SocketType`."""
        try:
            return SocketType(self._type)
        except ValueError:
            return self._type

    def __repr__(self):
        cls = type(self)
        # a class may name itself for repr (_repr_cls, looked up on the
        # class itself only, as in PyZMQ: zmq.green.Socket does)
        name = "zmq.Socket" if cls is Socket else cls.__dict__.get(
            "_repr_cls", f"{cls.__module__}.{cls.__name__}")
        t = self.type
        tname = t.name if isinstance(t, SocketType) else str(t)
        closed = " closed" if self._closed else ""
        return f"<{name}(zmq.{tname}) at {hex(id(self))}{closed}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __copy__(self, memo=None):
        return type(self).shadow(self.underlying)

    __deepcopy__ = __copy__

    def close(self, linger=None):
        """Close the socket; with *linger* (ms), set LINGER first. A shadow
        closes the socket it wraps too (as in PyZMQ); only garbage collection
        of a shadow leaves it open.

        Messages not yet sent are still delivered in the background until
        LINGER expires (default: until the context is terminated).
        """
        if self._closed:
            return
        if self.context is not None:
            try:
                self.context._rm_socket(self)
            except Exception:
                # a context-like object without it, or the interpreter's
                # shutdown, which may have torn down weakref's module
                pass
        cdef int c_linger
        if linger is not None:
            if not isinstance(linger, int):
                raise TypeError(f"linger must be an int (ms), not {type(linger).__name__}")
            c_linger = linger
        with cython.critical_section(self):
            _close_held(self, linger is not None, c_linger)

    def __del__(self):
        if self._closed or self._shadow or getpid() != self._pid:
            return
        try:
            import warnings
            warnings.warn(f"Unclosed socket {self!r}", ResourceWarning, source=self)
        except Exception:
            pass
        self.close()

    def __dealloc__(self):
        # __del__ normally closed it already; this covers objects that skipped it
        if self._draft_poller != NULL and getpid() == self._pid:
            # a shadow's poller too: it is this object's, not the socket's
            libzmq.zmq_poller_destroy(&self._draft_poller)
        if not self._closed and not self._shadow and self.handle != NULL \
                and getpid() == self._pid:
            libzmq.zmq_close(self.handle)

    # -- endpoints --------------------------------------------------------

    def bind(self, addr):
        """Bind to an endpoint (``"tcp://127.0.0.1:5555"``, ``"tcp://*:*"``,
        ``"ipc:///tmp/x"``, ``"inproc://name"``).

        Returns a context manager that unbinds when its block ends.
        """
        _bind_or_connect(self, addr, True)
        try:
            bound = self.get(SocketOption.LAST_ENDPOINT).decode("utf-8")
        except Exception:
            bound = addr
        return _EndpointContext(self, "bind", bound or addr)

    def connect(self, addr):
        """Connect to an endpoint. Returns a context manager that disconnects
        when its block ends."""
        _bind_or_connect(self, addr, False)
        return _EndpointContext(self, "connect", addr)

    def unbind(self, addr):
        """Stop listening on an endpoint given to bind()."""
        cdef bytes c_addr = _utf8_bytes(addr, "endpoint")
        with cython.critical_section(self):
            self._check_open()
            if libzmq.zmq_unbind(self.handle, c_addr) != 0:
                _raise_endpoint_error(libzmq.zmq_errno(), "unbind from", addr)

    def disconnect(self, addr):
        """Drop a connection made with connect()."""
        cdef bytes c_addr = _utf8_bytes(addr, "endpoint")
        with cython.critical_section(self):
            self._check_open()
            if libzmq.zmq_disconnect(self.handle, c_addr) != 0:
                _raise_endpoint_error(libzmq.zmq_errno(), "disconnect from", addr)

    def bind_to_random_port(self, addr, min_port=49152, max_port=65536, max_tries=100):
        """Bind to a free port of the host in *addr* (``"tcp://127.0.0.1"``)
        and return the port.

        With the default range the OS picks the port; with another range,
        ports in [min_port, max_port) are tried at random, up to *max_tries*
        times, then :class:`zmq.ZMQBindError` is raised.
        """
        from zmq.core.error import ZMQBindError, ZMQError
        from zmq.core.constants import EADDRINUSE
        if min_port == 49152 and max_port == 65536:
            self.bind(f"{addr}:*")
            endpoint = self.get(SocketOption.LAST_ENDPOINT).decode("ascii", "replace")
            return int(endpoint.rsplit(":", 1)[1])
        # random costs a ms at import, and only this needs it
        import random
        for _ in range(max_tries):
            port = random.randrange(min_port, max_port)
            try:
                self.bind(f"{addr}:{port}")
            except ZMQError as e:
                if e.errno != EADDRINUSE:
                    raise
            else:
                return port
        raise ZMQBindError(
            f"no free port in [{min_port}, {max_port}) after {max_tries} tries"
        )

    def monitor(self, addr, int events=EVENT_ALL):
        """Publish this socket's events (``zmq.EVENT_*``) on a PAIR socket
        bound at *addr* (an inproc endpoint); ``addr=None`` stops it."""
        cdef bytes c_addr = None if addr is None else _utf8_bytes(addr, "endpoint")
        with cython.critical_section(self):
            self._check_open()
            check_rc(libzmq.zmq_socket_monitor(
                self.handle, NULL if c_addr is None else <char *>c_addr, events))

    def get_monitor_socket(self, events=None, addr=None):
        """Start monitoring this socket and return a PAIR socket that
        receives its events (decode them with
        ``zmq.utils.monitor.recv_monitor_message``). *events* defaults to
        ``zmq.EVENT_ALL``; *addr* to a fresh inproc endpoint. Calling it
        again returns the same socket while it is open."""
        self._check_open()
        if self._monitor_socket is not None:
            if not self._monitor_socket.closed:
                return self._monitor_socket
            self._monitor_socket = None
        if addr is None:
            addr = f"inproc://monitor.s-{<uintptr_t>self.handle:x}"
        self.monitor(addr, EVENT_ALL if events is None else events)
        from zmq.core.constants import PAIR
        monitor_socket = self.context.socket(PAIR)
        monitor_socket.connect(addr)
        self._monitor_socket = monitor_socket
        return monitor_socket

    def disable_monitor(self):
        """Stop the monitoring started by monitor()/get_monitor_socket()."""
        self._check_open()
        self._monitor_socket = None
        self.monitor(None, 0)

    def join(self, group):
        """Join a RADIO/DISH group (draft API)."""
        cdef bytes c_group = _utf8_bytes(group, "group")
        with cython.critical_section(self):
            self._check_open()
            check_rc(libzmq.zmq_join(self.handle, c_group))

    def leave(self, group):
        """Leave a RADIO/DISH group (draft API)."""
        cdef bytes c_group = _utf8_bytes(group, "group")
        with cython.critical_section(self):
            self._check_open()
            check_rc(libzmq.zmq_leave(self.handle, c_group))

    # -- options ----------------------------------------------------------

    cdef int _get_int(self, int option) except? -1:
        cdef int value = 0
        cdef size_t size = sizeof(int)
        check_rc(libzmq.zmq_getsockopt(self.handle, option, &value, &size))
        return value

    def set(self, int option, optval):
        """Set a socket option. The value's type follows the option: int
        (``zmq.LINGER``), 64-bit int (``zmq.MAXMSGSIZE``, ``zmq.AFFINITY``) or
        bytes (``zmq.SUBSCRIBE``, ``zmq.ROUTING_ID``); see set_string() for
        str values."""
        self._check_open()
        cdef int kind = _option_kind(option)
        cdef int int_value
        cdef int64_t int64_value
        cdef const void *value
        cdef size_t size
        if kind == _OPT_BYTES:
            if isinstance(optval, str):
                raise TypeError(
                    f"option {_option_name(option)} takes bytes, not str;"
                    f" use setsockopt_string()"
                )
            if not isinstance(optval, bytes):
                raise TypeError(
                    f"option {_option_name(option)} takes bytes, not {type(optval).__name__}"
                )
            value = PyBytes_AS_STRING(optval)
            size = PyBytes_GET_SIZE(optval)
            _set_held(self, option, value, size)
            return
        if not isinstance(optval, int):
            raise TypeError(
                f"option {_option_name(option)} takes an int, not {type(optval).__name__}"
            )
        if kind == _OPT_INT64:
            if _is_unsigned_int64(option):
                if not 0 <= optval < 2**64:
                    raise OverflowError(
                        f"option {_option_name(option)} value {optval} does not fit"
                        f" an unsigned 64-bit int (0..{2**64 - 1})"
                    )
            elif not -2**63 <= optval < 2**63:
                raise OverflowError(
                    f"option {_option_name(option)} value {optval} does not fit a signed"
                    f" 64-bit int ({-2**63}..{2**63 - 1})"
                )
            int64_value = <int64_t>(optval if optval < 2**63 else optval - 2**64)
            _set_held(self, option, &int64_value, sizeof(int64_t))
            return
        if not -2**31 <= optval < 2**31:
            raise OverflowError(
                f"option {_option_name(option)} value {optval} does not fit a C int"
                f" ({-2**31}..{2**31 - 1})"
            )
        int_value = optval
        _set_held(self, option, &int_value, sizeof(int))

    def get(self, int option):
        """Get a socket option, as an int or bytes depending on the option
        (see get_string() for str)."""
        return _get_option(self, option)

    setsockopt = set
    getsockopt = get

    def set_string(self, int option, optval, encoding="utf-8"):
        """Set a bytes-valued option from a str, encoded with *encoding*."""
        if not isinstance(optval, str):
            raise TypeError(f"set_string() takes str, not {type(optval).__name__}")
        self.set(option, optval.encode(encoding))

    def get_string(self, int option, encoding="utf-8"):
        """Get a bytes-valued option decoded to str."""
        if _option_kind(option) != _OPT_BYTES:
            raise TypeError(f"option {_option_name(option)} is not a string option")
        return self.get(option).decode(encoding)

    setsockopt_string = setsockopt_unicode = set_string
    getsockopt_string = getsockopt_unicode = get_string

    def __setattr__(self, key, value):
        # sock.subscribe = topic works although subscribe is also a method
        lower = key.lower()
        if lower == "subscribe":
            self.subscribe(value)
            return
        if lower == "unsubscribe":
            self.unsubscribe(value)
            return
        if _is_plain_attribute(self, key):
            # object.__setattr__ refuses types with their own __setattr__
            PyObject_GenericSetAttr(self, key, value)
            return
        opt = _option_for_attribute(lower)
        if opt is None:
            raise AttributeError(f"{type(self).__name__} has no such option: {key.upper()}")
        self.set(opt, value)

    def __getattr__(self, str key):
        # reached only for names found nowhere else: socket options
        if key.startswith("_"):
            raise AttributeError(key)
        opt = _option_for_attribute(key)
        if opt is None:
            raise AttributeError(
                f"{type(self).__name__} has no such attribute or option: {key}"
            )
        try:
            if type(self) is Socket:
                return _get_option(self, opt)
            # a subclass may override get()
            return self.get(opt)
        except ZMQError as e:
            if e.errno in (libzmq.EINVAL, libzmq.EFAULT):  # write-only options
                raise AttributeError(f"{key} is a write-only option") from None
            raise

    def __dir__(self):
        names = set(dir(type(self)))
        names.update(SocketOption.__members__)
        names.update(_OPT_BY_ATTR)
        return sorted(names)

    def subscribe(self, topic):
        """Subscribe a SUB socket to messages starting with *topic* (str is
        encoded as utf-8; ``b""`` subscribes to everything)."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(libzmq.ZMQ_SUBSCRIBE, topic)

    def unsubscribe(self, topic):
        """Undo one subscribe(*topic*)."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(libzmq.ZMQ_UNSUBSCRIBE, topic)

    @property
    def hwm(self):
        """High-water mark: setting it sets SNDHWM and RCVHWM; reading it
        gives SNDHWM."""
        return self.get(libzmq.ZMQ_SNDHWM)

    @hwm.setter
    def hwm(self, value):
        self.set(libzmq.ZMQ_SNDHWM, value)
        self.set(libzmq.ZMQ_RCVHWM, value)

    def get_hwm(self):
        return self.hwm

    def set_hwm(self, value):
        self.hwm = value

    @property
    def rcvmore(self):
        """True if the last part received has more parts after it."""
        return bool(self.get(libzmq.ZMQ_RCVMORE))

    def fileno(self):
        """The file descriptor libzmq signals readiness on (edge-triggered:
        check ``sock.events`` after it fires)."""
        with cython.critical_section(self):
            self._check_open()
            return self._fd()

    cdef int _fd(self) except -1:
        cdef int fd = 0
        cdef libzmq.zmq_fd_t poller_fd = 0
        cdef size_t size = sizeof(int)
        cdef int err
        if self._draft_poller == NULL:
            if libzmq.zmq_getsockopt(self.handle, libzmq.ZMQ_FD, &fd, &size) == 0:
                return fd
            err = libzmq.zmq_errno()
            # thread-safe sockets (SERVER, CLIENT, RADIO, DISH...) refuse
            # ZMQ_FD; a poller over the socket signals on an fd of its own
            # (zmq_poller_fd, libzmq >= 4.3.2 with the draft API), as PyZMQ does
            if err != libzmq.EINVAL or not self._get_int(libzmq.ZMQ_THREAD_SAFE):
                raise_errno(err)
            self._draft_poller = libzmq.zmq_poller_new()
            if self._draft_poller == NULL:
                raise_errno(libzmq.zmq_errno())
            if libzmq.zmq_poller_add(self._draft_poller, self.handle, NULL,
                                     libzmq.ZMQ_POLLIN | libzmq.ZMQ_POLLOUT) != 0:
                err = libzmq.zmq_errno()
                libzmq.zmq_poller_destroy(&self._draft_poller)
                raise_errno(err)
        check_rc(libzmq.zmq_poller_fd(self._draft_poller, &poller_fd))
        return poller_fd

    # -- blocking -----------------------------------------------------------

    cdef int _retry_or_raise(self, int flags) except -1:
        # after a failed attempt: raise, or return so the caller tries again
        # (after a signal, or when it would block and blocking is allowed)
        cdef int err = _errno_unless_interrupted()
        if err and (err != libzmq.EAGAIN or flags & libzmq.ZMQ_DONTWAIT):
            raise_errno(err)
        return 0

    cdef int _wait(self, short event, double *deadline) except -1:
        cdef libzmq.zmq_pollitem_t item
        cdef long timeout_ms
        cdef int rc, zmq_fd = 0
        cdef size_t size = sizeof(int)
        if deadline[0] == 0.0:
            timeout_ms = self._get_int(libzmq.ZMQ_RCVTIMEO if event == libzmq.ZMQ_POLLIN
                                       else libzmq.ZMQ_SNDTIMEO)
            deadline[0] = -1.0 if timeout_ms < 0 else _now() + timeout_ms / 1000.0
        if deadline[0] < 0:
            timeout_ms = -1
        else:
            timeout_ms = _ms_left(deadline[0])
            if timeout_ms == 0:
                raise_errno(libzmq.EAGAIN)
        if libzmq.zmq_getsockopt(self.handle, libzmq.ZMQ_FD, &zmq_fd, &size) != 0:
            # a thread-safe (draft) socket has no ZMQ_FD: libzmq serialises
            # its callers itself, and its own wait is the one to use; in
            # the main thread in slices (so Ctrl-C lands), elsewhere inside
            # the blocking call itself when there is no timeout
            timeout_ms = _signal_slice_ms(timeout_ms)
            if timeout_ms < 0:
                return 1
            _socket_pollitem(&item, self.handle, event)
            with nogil:
                rc = libzmq.zmq_poll(&item, 1, timeout_ms)
            if rc < 0:
                _retry_if_interrupted()
            return 0
        if event == libzmq.ZMQ_POLLOUT or self._waiters:
            # a send's failed attempt may have left libzmq's commands
            # unread (it reads them at most once a millisecond); ZMQ_EVENTS
            # reads them, so that the FD signals the next change. A failed
            # recv read them all, but what another waiting thread waited
            # for may be ready now: the same read tells, once (a second
            # read could take in commands that nobody is told about)
            if self._wake_waiters() & event:
                return 0
        self._wait_fd(zmq_fd, timeout_ms, event)
        return 0

    cdef int _wait_fd(self, int zmq_fd, long timeout_ms, short events) except -1:
        cdef int fds[2]
        cdef object key
        fds[0] = zmq_fd
        fds[1] = _thread_wake_fd()
        key = fds[1] << 2 | (events & 3)
        _add_waiter(self, key)
        try:
            _wait_fds(fds, 2, timeout_ms)
        finally:
            _remove_waiter(self, key)
        if self._closed:
            # closed by another thread meanwhile (close() waits for us)
            raise_errno(libzmq.ENOTSOCK)
        return 0

    cdef int _start_waiting(self, long key, int events) except -1:
        with cython.critical_section(self):
            if self._closed:
                raise_errno(libzmq.ENOTSOCK)
            if FREE_THREADED and events and self._wake_waiters() & events:
                return 0
            _add_waiter(self, key)
        return 1

    cdef int _stop_waiting(self, long key) except -1:
        with cython.critical_section(self):
            _remove_waiter(self, key)
        return 0

    cdef int _wake_waiters(self, bint all=False) except -1:
        cdef uint64_t one = 1
        cdef int events = 3
        cdef size_t size = sizeof(int)
        cdef long key
        if not all and libzmq.zmq_getsockopt(self.handle, libzmq.ZMQ_EVENTS,
                                             &events, &size) != 0:
            # ETERM, or EINTR (a signal: this thread runs its handlers at
            # its next wait or call): let them all look for themselves
            events = 3
        if self._waiters:
            for key in self._wake_fds:
                if key & events:
                    write(key >> 2, &one, sizeof(one))
        return events

    # -- sending ------------------------------------------------------------

    cdef int _send_bytes(self, const void *data, size_t size, int flags) except -1:
        with cython.critical_section(self):
            _send_bytes_held(self, data, size, flags)
        return 0

    cdef int _send_msg(self, libzmq.zmq_msg_t *msg, int flags) except -1:
        with cython.critical_section(self):
            _send_msg_held(self, msg, flags)
        return 0

    cdef object _send_part(self, object data, int flags, bint copy, object tracker):
        """Send one part; returns the tracker that watches it, if any."""
        with cython.critical_section(self):
            return _send_part_held(self, data, flags, copy, tracker)

    def send(self, data, int flags=0, bint copy=True, bint track=False,
             routing_id=None, group=None):
        """Send one message part.

        *data*: bytes, a Frame, or any object with the buffer interface (str
        is refused: use send_string()). *flags*: ``zmq.NOBLOCK`` (raise
        ``zmq.Again`` instead of waiting), ``zmq.SNDMORE``. With
        ``copy=False``, data of at least ``copy_threshold`` bytes is shared
        with libzmq instead of copied; ``track=True`` then returns a
        :class:`MessageTracker` telling when libzmq is done with it.
        *routing_id* (SERVER) and *group* (RADIO) are draft-API fields.
        """
        cdef MessageTracker tracker = None
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        if PyBytes_CheckExact(data) and copy and routing_id is None and group is None:
            # the common case, kept free of any other work
            if _shares_bytes(self, PyBytes_GET_SIZE(data), True):
                self._send_part(data, flags, True, None)
            else:
                self._send_bytes(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data), flags)
            return None
        if routing_id is not None or group is not None:
            if not isinstance(data, Frame):
                data = _FrameClass(data, track=track, copy=copy or None,
                                   copy_threshold=self.copy_threshold)
            if routing_id is not None:
                data.routing_id = routing_id
            if group is not None:
                data.group = group
        if isinstance(data, Frame):
            if track and (<Frame>data).tracker is None:
                raise ValueError("track=True needs a tracked Frame: Frame(data, track=True)")
            self._send_part(data, flags, True, None)
            # the Frame's own tracker (None if untracked), as in PyZMQ
            return (<Frame>data).tracker
        if copy:
            self._send_part(data, flags, True, None)
            return None
        if track:
            tracker = _new_tracker()
        self._send_part(data, flags, False, tracker)
        if not track:
            return None
        return tracker if tracker._pending else _finished_tracker()

    def send_multipart(self, msg_parts, int flags=0, bint copy=True, bint track=False,
                       **kwargs):
        """Send a sequence of parts as one multipart message (SNDMORE is
        added to all but the last). Every part is checked before anything is
        sent, so a bad part never leaves half a message on the socket.

        With ``copy=False, track=True`` the one returned tracker watches
        every zero-copy part.
        """
        cdef Py_ssize_t i, n
        cdef MessageTracker tracker = None
        cdef Py_buffer view
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)
        n = len(msg_parts)
        if n == 0:
            raise ValueError("send_multipart() needs at least one part")
        for i in range(n):
            part = msg_parts[i]
            if PyBytes_CheckExact(part) or isinstance(part, Frame):
                continue
            if isinstance(part, str) or not PyObject_CheckBuffer(part):
                r = repr(part)
                raise TypeError(
                    f"part {i} ({r[:32] + '...' if len(r) > 32 else r}) is not bytes,"
                    f" a Frame or a buffer{'; encode str first' if isinstance(part, str) else ''}"
                )
            _get_buffer(part, &view, PyBUF_ANY_CONTIGUOUS, "send_multipart()")
            PyBuffer_Release(&view)
        if kwargs:
            # draft routing_id/group apply to the (single-frame) message
            for i in range(n - 1):
                self.send(msg_parts[i], flags | libzmq.ZMQ_SNDMORE, copy, track)
            return self.send(msg_parts[n - 1], flags, copy, track, **kwargs)
        cdef list frame_trackers = None
        if track and not copy:
            tracker = _new_tracker()
        with cython.critical_section(self):
            for i in range(n):
                part = msg_parts[i]
                if track and isinstance(part, Frame) and (<Frame>part).tracker is not None:
                    # gathered, and combined once at the end: a tracker per
                    # part chained onto the previous one nests as deep as
                    # the parts
                    if frame_trackers is None:
                        frame_trackers = []
                    frame_trackers.append((<Frame>part).tracker)
                _send_part_held(self, part, flags | libzmq.ZMQ_SNDMORE if i < n - 1 else flags,
                                copy, tracker)
        if not track:
            return None
        if frame_trackers is None:
            return tracker
        if tracker is None and len(frame_trackers) == 1:
            return frame_trackers[0]
        if tracker is not None:
            frame_trackers.append(tracker)
        return MessageTracker(*frame_trackers)

    def send_string(self, u, int flags=0, bint copy=True, encoding="utf-8", **kwargs):
        """Send a str, encoded with *encoding* (utf-8 by default)."""
        if not isinstance(u, str):
            raise TypeError(f"send_string() takes str, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    # -- receiving ----------------------------------------------------------

    cdef int _recv_msg(self, libzmq.zmq_msg_t *msg, int flags) except -1:
        with cython.critical_section(self):
            return _recv_msg_held(self, msg, flags)

    cdef object _recv_bytes(self, int flags, bint *more):
        with cython.critical_section(self):
            return _recv_bytes_held(self, flags, more)

    cdef Frame _recv_frame(self, int flags, bint track):
        with cython.critical_section(self):
            return _recv_frame_held(self, flags, track)

    def recv(self, int flags=0, bint copy=True, bint track=False):
        """Receive one message part: bytes, or with ``copy=False`` a
        :class:`Frame` sharing libzmq's memory. ``zmq.NOBLOCK`` raises
        ``zmq.Again`` when nothing is waiting; RCVTIMEO bounds the wait."""
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        if copy:
            return self._recv_bytes(flags, NULL)
        return self._recv_frame(flags, track)

    def recv_multipart(self, int flags=0, bint copy=True, bint track=False):
        """Receive every part of one multipart message, as a list of bytes
        (or of Frames with ``copy=False``)."""
        cdef bint more = True
        cdef list parts = []
        cdef Frame frame
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        with cython.critical_section(self):
            if copy:
                while more:
                    PyList_Append(parts, _recv_bytes_held(self, flags, &more))
            else:
                while more:
                    frame = _recv_frame_held(self, flags, track)
                    more = frame.more
                    PyList_Append(parts, frame)
        return parts

    def recv_string(self, int flags=0, encoding="utf-8"):
        """Receive one part and decode it (utf-8 by default). Invalid data
        raises UnicodeDecodeError; the message is consumed either way."""
        return self.recv(flags).decode(encoding)

    recv_unicode = recv_string

    def recv_into(self, buffer, /, *, nbytes=0, int flags=0):
        """Receive one part into a writable *buffer* (up to *nbytes*, default
        its whole length) and return the part's full size; a larger part is
        truncated, as zmq_recv does, which the returned size shows (also for
        parts over 2 GiB, where zmq_recv itself would understate it)."""
        cdef Py_buffer view
        cdef Py_ssize_t c_nbytes
        cdef libzmq.zmq_msg_t msg
        cdef size_t size
        self._check_open()
        if not isinstance(nbytes, int):
            raise TypeError(f"nbytes must be an int, not {type(nbytes).__name__}")
        if nbytes < 0:
            raise ValueError(f"nbytes must be >= 0, not {nbytes}")
        try:
            PyObject_GetBuffer(buffer, &view, PyBUF_ANY_CONTIGUOUS | PyBUF_WRITABLE)
        except (TypeError, BufferError) as e:
            # the same class as the buffer protocol's (TypeError: no buffer
            # at all; BufferError: read-only or not contiguous), as PyZMQ
            raise type(e)(
                f"recv_into() needs a writable contiguous buffer, not"
                f" {type(buffer).__name__}: {e}"
            ) from None
        try:
            if nbytes == 0:
                c_nbytes = view.len
            elif nbytes > view.len:
                raise ValueError(f"nbytes={nbytes} exceeds the buffer's {view.len} bytes")
            else:
                c_nbytes = nbytes
            libzmq.zmq_msg_init(&msg)
            try:
                self._recv_msg(&msg, flags)
                size = libzmq.zmq_msg_size(&msg)
                memcpy(view.buf, libzmq.zmq_msg_data(&msg), min(size, <size_t>c_nbytes))
            finally:
                libzmq.zmq_msg_close(&msg)
            return size
        finally:
            PyBuffer_Release(&view)

    # -- polling ------------------------------------------------------------

    def poll(self, timeout=None, int flags=libzmq.ZMQ_POLLIN):
        """Wait up to *timeout* ms (None: forever) for *flags*
        (``zmq.POLLIN``/``zmq.POLLOUT``); return the events that are ready
        (0 on timeout)."""
        cdef long timeout_ms = -1 if timeout is None or timeout < 0 else <long>timeout
        cdef double deadline = _now() + timeout_ms / 1000.0
        if self._closed:
            raise_errno(libzmq.ENOTSOCK)
        with cython.critical_section(self):
            return _poll_held(self, timeout_ms, deadline, flags)

    # -- serialisation: the codec provider's (zmq.core.codecs) ----------------

    def send_json(self, obj, flags=0, **kwargs):
        """Send *obj* as JSON (needs a codec provider: pip install zmq-serial)."""
        if not kwargs:
            return codecs._function("send_json")(self, obj, flags)
        return codecs._function("send_json")(self, obj, flags, **kwargs)

    def recv_json(self, flags=0, **kwargs):
        """Receive one JSON message (needs zmq-serial)."""
        if not kwargs:
            return codecs._function("recv_json")(self, flags)
        return codecs._function("recv_json")(self, flags, **kwargs)

    def send_pyobj(self, obj, flags=0, protocol=None, **kwargs):
        """Send *obj* pickled, with *protocol* (default: pickle's default)
        (needs zmq-serial)."""
        cdef bytes data
        if protocol is None and not kwargs:
            if _uses_fast_pickle(self, "send_pyobj"):
                # the provider's pickler, called from C: no Python frame between
                data = codecs._pyobj_dumps(obj)
                self._send_bytes(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data), flags)
                return None
            return codecs._function("send_pyobj")(self, obj, flags)
        if protocol is not None:
            kwargs["protocol"] = protocol
        return codecs._function("send_pyobj")(self, obj, flags, **kwargs)

    def recv_pyobj(self, flags=0, **kwargs):
        """Receive and unpickle one message (needs zmq-serial). Never use on
        messages from peers you do not trust."""
        if not kwargs:
            if _uses_fast_pickle(self, "recv_pyobj"):
                # codecs' state read once (a shared variable is a pointer away)
                loads = codecs._pyobj_loads
                data = self._recv_bytes(flags, NULL)
                try:
                    return loads(data)
                except Exception as e:
                    # the provider words the error; the data is never
                    # loaded a second time: unpickling runs code
                    if codecs._pyobj_loads_error is None:
                        raise
                    raise codecs._pyobj_loads_error(e) from None
            return codecs._function("recv_pyobj")(self, flags)
        return codecs._function("recv_pyobj")(self, flags, **kwargs)

    def send_serialized(self, msg, serialize, flags=0, copy=True, **kwargs):
        """Send ``serialize(msg)`` (a list of parts) (needs zmq-serial)."""
        return codecs._function("send_serialized")(self, msg, serialize, flags, copy,
                                                   **kwargs)

    def recv_serialized(self, deserialize, flags=0, copy=True):
        """Receive a multipart message and return ``deserialize(parts)``
        (needs zmq-serial)."""
        return codecs._function("recv_serialized")(self, deserialize, flags, copy)

    def send_msgpack(self, obj, flags=0, **kwargs):
        """Send *obj* as msgpack (needs zmq-serial[msgpack])."""
        return codecs._function("send_msgpack")(self, obj, flags, **kwargs)

    def recv_msgpack(self, flags=0, **kwargs):
        """Receive one msgpack message (needs zmq-serial[msgpack])."""
        return codecs._function("recv_msgpack")(self, flags, **kwargs)

    def send_array(self, array, flags=0, copy=False, track=False, **kwargs):
        """Send a numpy array zero-copy with its dtype and shape (needs zmq-serial)."""
        return codecs._function("send_array")(self, array, flags, copy, track, **kwargs)

    def recv_array(self, flags=0, copy=False, **kwargs):
        """Receive an array sent with send_array() (needs zmq-serial)."""
        return codecs._function("recv_array")(self, flags, copy, **kwargs)


cdef inline bint _uses_fast_pickle(Socket sock, str method) except -1:
    # whether send_pyobj/recv_pyobj without options take the provider's fast
    # pickle path: on a plain Socket only (a subclass may override send and
    # recv, which that path does not call), when the provider has one; it
    # then checks the socket is open, as send/recv would
    if type(sock) is not Socket:
        return False
    if codecs._pyobj_dumps is None:
        # no provider chosen yet (the first call loads one), or one without it
        if codecs._provider is not None:
            return False
        codecs._ensure_provider(method)
        if codecs._pyobj_dumps is None:
            return False
    if sock._closed:
        raise_errno(libzmq.ENOTSOCK)
    return True


allow_class_attributes(Socket)


class _WithGetattr:
    # a Python class with __getattr__: its attribute hook is CPython's
    def __getattr__(self, key):
        raise AttributeError(key)


use_python_getattr_hook(Socket, _WithGetattr)
