# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Context: the libzmq context that sockets are made from."""

import os
# threading.Lock and weakref.WeakSet themselves, from the modules that
# threading and weakref take them from: importing those two would add more
# than a ms to `import zmq`
from _thread import allocate_lock
from _weakrefset import WeakSet
from types import GenericAlias

from cpython.object cimport PyObject_GenericSetAttr
from cpython.pythread cimport PyThread_start_new_thread
from libc.stdint cimport uintptr_t
from posix.unistd cimport getpid

from zmq.core._internal cimport (
    _exiting,
    _is_plain_attribute,
    _retry_if_interrupted,
    _shadow_address,
)
from zmq.core.error cimport check_rc, raise_errno
from zmq.core.cdecl.pytype cimport allow_class_attributes
from zmq.core.cdecl cimport libzmq

from zmq.core.constants import ContextOption, SocketOption

cdef void _term_detached(void *handle) noexcept nogil:
    # runs in a thread of its own, without Python: waits for lingering
    # messages of a context nobody references any more, then frees it
    while libzmq.zmq_ctx_term(handle) != 0 and libzmq.zmq_errno() == libzmq.EINTR:
        pass


cdef class Context:
    """A libzmq context: the owner of I/O threads and the factory of sockets.

    ``Context(other_context)`` or ``Context(shadow=address)`` wraps an
    existing libzmq context without owning it: the shadow never terminates it.
    Most programs use one context, ``Context.instance()``.

    Context options are attributes (``ctx.io_threads``, ``ctx.max_sockets``);
    socket options set as attributes (``ctx.linger = 0``) become defaults for
    every socket this context makes afterwards.

    A context is terminated by ``term()`` (waits for its sockets to close),
    ``destroy(linger)`` (closes them first), leaving a ``with`` block, or being
    garbage collected. Garbage collection never blocks: if lingering messages
    remain, a background thread finishes termination. After ``fork()`` the
    child never touches the parent's context.
    """

    def __cinit__(self, *args, **kwargs):
        self.handle = NULL
        self._pid = getpid()
        self._closed = True
        self._term_lock = allocate_lock()

    def __init__(self, io_threads=1, shadow=0):
        if isinstance(io_threads, Context):
            # Context(other) shadows other, as in PyZMQ
            shadow, io_threads = io_threads, 1
        self.sockopts = {}
        self._sockets = WeakSet()
        if shadow:
            self.handle = _shadow_address(shadow, "Context")
            self._shadow = True
            self._shadow_obj = shadow
            self._closed = False
            return
        if not isinstance(io_threads, int):
            raise TypeError(f"io_threads must be an int, not {type(io_threads).__name__}")
        self.handle = libzmq.zmq_ctx_new()
        if self.handle == NULL:
            raise_errno(libzmq.zmq_errno())
        self._closed = False
        if io_threads != 1:
            try:
                self.set(ContextOption.IO_THREADS, io_threads)
            except BaseException:
                libzmq.zmq_ctx_term(self.handle)
                self.handle = NULL
                self._closed = True
                raise

    # zmq.Context[Any], zmq.Socket[bytes]: generic in PyZMQ's typing
    __class_getitem__ = classmethod(GenericAlias)

    @classmethod
    def shadow(cls, address):
        """A new Context wrapping an existing libzmq context (a Context or its
        ``underlying`` address), without owning it."""
        return cls(shadow=address)

    @classmethod
    def shadow_pyczmq(cls, ctx):
        """A new Context wrapping the libzmq context of a pyczmq context
        (*ctx*: the cffi ``zctx_t *`` that ``pyczmq.zctx.new()`` returns),
        without owning it; the new Context keeps *ctx* referenced. Needs
        pyczmq, whose ``zctx.underlying()`` gives the libzmq context."""
        try:
            import cffi
        except ImportError:
            is_pointer = False  # pyczmq's contexts are cffi pointers
        else:
            is_pointer = isinstance(ctx, cffi.FFI().CData)
        if not is_pointer:
            raise TypeError(
                f"shadow_pyczmq takes a pyczmq context (the cffi zctx_t * of"
                f" pyczmq.zctx.new()), not {type(ctx).__name__}; use"
                f" Context.shadow() for a Context or an int address"
            )
        try:
            from pyczmq import zctx
        except ImportError as e:
            raise ImportError(
                f"shadow_pyczmq needs pyczmq, which made {ctx!r}: pip install pyczmq"
            ) from e
        from zmq.utils.interop import cast_int_addr

        address = cast_int_addr(zctx.underlying(ctx))
        if not address:
            raise ValueError(f"the pyczmq context {ctx!r} has no libzmq context (destroyed?)")
        cdef Context wrapper = cls(shadow=address)
        wrapper._shadow_obj = ctx
        return wrapper

    # Context.instance()'s singleton, as class attributes (as in PyZMQ): a
    # subclass shares its parent's until it sets ``_instance = None`` of its
    # own, and ``Context._instance = None`` forgets the current one.
    _instance = None
    _instance_pid = None
    _instance_lock = allocate_lock()

    @classmethod
    def instance(cls, io_threads=1):
        """The process-wide Context, made on first use. Thread-safe. A new
        one is made after the previous one was closed, and in a forked child
        (the parent's cannot be used there). A subclass that sets
        ``_instance = None`` in its body gets a singleton of its own class.
        """
        pid = os.getpid()
        ctx = cls._instance
        if ctx is None or cls._instance_pid != pid or ctx.closed:
            with cls._instance_lock:
                ctx = cls._instance
                if ctx is None or cls._instance_pid != pid or ctx.closed:
                    ctx = cls(io_threads=io_threads)
                    cls._instance = ctx
                    cls._instance_pid = pid
        return ctx

    @property
    def underlying(self):
        """The address of the libzmq context, as an int (for shadowing)."""
        return <uintptr_t>self.handle

    @property
    def closed(self):
        """True once the context is terminated."""
        return self._closed

    @property
    def _socket_class(self):
        # subclasses replace this with a class attribute
        from zmq.core.socket import Socket
        return Socket

    def __repr__(self):
        cls = type(self)
        name = "zmq.Context" if cls is Context else cls.__dict__.get(
            "_repr_cls", f"{cls.__module__}.{cls.__name__}")
        n = len(self._sockets) if self._sockets is not None else 0
        sockets = f"{n} socket{'s' if n != 1 else ''}" if n else ""
        closed = " closed" if self._closed else ""
        return f"<{name}({sockets}) at {hex(id(self))}{closed}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._warn_destroy_close = True
        self.destroy()

    def __copy__(self, memo=None):
        return type(self).shadow(self.underlying)

    __deepcopy__ = __copy__

    # -- options ----------------------------------------------------------

    def set(self, int option, optval):
        """Set a context option (``zmq.IO_THREADS``, ``zmq.MAX_SOCKETS``, ...)."""
        if self._closed:
            # RuntimeError, as PyZMQ raises: the context object is spent
            raise RuntimeError("Context has been terminated: its options cannot be set")
        if not isinstance(optval, int):
            raise TypeError(f"context options take ints, not {type(optval).__name__}")
        if not -2**31 <= optval < 2**31:
            raise OverflowError(f"context option value {optval} does not fit a C int")
        check_rc(libzmq.zmq_ctx_set(self.handle, option, optval))

    def get(self, int option):
        """Get a context option."""
        if self._closed:
            raise RuntimeError("Context has been terminated: its options cannot be read")
        cdef int rc = libzmq.zmq_ctx_get(self.handle, option)
        check_rc(rc)
        return rc

    def setsockopt(self, opt, value):
        """Set a default socket option for sockets this context makes later."""
        self.sockopts[opt] = value

    def getsockopt(self, opt):
        """Get a default socket option set with setsockopt()."""
        return self.sockopts[opt]

    def __setattr__(self, key, value):
        if _is_plain_attribute(self, key):
            # object.__setattr__ refuses types with their own __setattr__
            PyObject_GenericSetAttr(self, key, value)
            return
        name = key.upper()
        if name in ContextOption.__members__:
            self.set(ContextOption[name], value)
        elif name in SocketOption.__members__:
            self.sockopts[SocketOption[name]] = value
        else:
            raise AttributeError(f"{type(self).__name__} has no such option: {name}")

    def __getattr__(self, key):
        name = key.upper()
        if name in ContextOption.__members__:
            from zmq.core.error import ZMQError
            try:
                return self.get(ContextOption[name])
            except ZMQError as e:
                # write-only options (THREAD_AFFINITY_CPU_ADD...): an
                # AttributeError lets getattr(ctx, name, default), dir()-driven
                # tools and mock.Mock(spec=ctx) treat them as absent
                if e.errno in (libzmq.EINVAL, libzmq.EFAULT):
                    raise AttributeError(f"{key} is a write-only option") from None
                raise
        if name in SocketOption.__members__:
            opt = SocketOption[name]
            if opt in self.sockopts:
                return self.sockopts[opt]
        raise AttributeError(f"{type(self).__name__} has no such attribute or option: {key}")

    def __delattr__(self, key):
        instance_dict = getattr(self, "__dict__")
        if key in instance_dict:
            del instance_dict[key]
            return
        name = key.upper()
        opt = SocketOption.__members__.get(name)
        if opt is None or opt not in self.sockopts:
            raise AttributeError(key)
        del self.sockopts[opt]

    def __dir__(self):
        return sorted(set(dir(type(self))) | set(ContextOption.__members__))

    # -- sockets ----------------------------------------------------------

    def socket(self, socket_type, socket_class=None, **kwargs):
        """Make a socket of *socket_type* (``zmq.PUSH``, ``zmq.REQ``, ...).

        *socket_class* picks another Socket class (e.g. an asyncio one);
        *kwargs* go to its constructor. Default socket options set on this
        context are applied; ones that do not apply to this type are skipped.
        """
        if self._closed:
            raise_errno(libzmq.ENOTSUP)
        if socket_class is None:
            socket_class = self._socket_class
        s = socket_class(self, socket_type, **kwargs)
        if self.sockopts:
            from zmq.core.error import ZMQError
            for opt, value in self.sockopts.items():
                try:
                    s.setsockopt(opt, value)
                except ZMQError:
                    # e.g. SUBSCRIBE on a socket that is not a SUB
                    pass
        self._sockets.add(s)
        return s

    def _add_socket(self, socket):
        self._sockets.add(socket)

    def _rm_socket(self, socket):
        if self._sockets is not None:
            self._sockets.discard(socket)

    # -- termination ------------------------------------------------------

    def term(self):
        """Terminate the context.

        Blocking calls in other threads on its sockets raise
        ContextTerminated; then this waits until every socket is closed and
        its lingering messages are sent or dropped (see ``zmq.LINGER``).
        Ctrl-C interrupts the wait. Does nothing if already terminated; a
        call from a second thread while one terminates waits for it. As in
        PyZMQ, a shadow terminates the context it wraps when asked
        explicitly; it only never does so on garbage collection. In a forked
        child, the parent's context is just marked closed.
        """
        cdef int rc
        cdef void *handle
        if self._closed:
            return
        if getpid() != self._pid:
            self._closed = True
            self.handle = NULL
            return
        with self._term_lock:
            if self._closed:
                return  # terminated by the thread that held the lock
            handle = self.handle
            while True:
                with nogil:
                    rc = libzmq.zmq_ctx_term(handle)
                if rc == 0:
                    break
                _retry_if_interrupted()
            self._closed = True
            self.handle = NULL

    def destroy(self, linger=None):
        """Close every socket this context made (setting LINGER first when
        *linger* is given), then terminate it.

        Safe while other threads use the sockets: those blocked on one raise
        ``ZMQError(ENOTSOCK)`` as its close() wakes them (see ``Socket.close``),
        and one that closes a socket meanwhile does no harm.
        """
        if self._closed:
            return
        for s in _members(self._sockets):
            if s is not None and not s.closed:
                if self._warn_destroy_close:
                    import warnings
                    warnings.warn(
                        f"Destroying context with unclosed socket {s}",
                        ResourceWarning,
                        stacklevel=3,
                        source=s,
                    )
                if linger is not None:
                    from zmq.core.error import ZMQError
                    try:
                        s.setsockopt(SocketOption.LINGER, linger)
                    except ZMQError as e:
                        if e.errno != libzmq.ENOTSOCK:
                            raise
                        continue  # closed by another thread meanwhile
                s.close()
        self.term()

    def __del__(self):
        if self._closed or self._shadow or _exiting or getpid() != self._pid:
            return
        try:
            import warnings
            warnings.warn(f"Unclosed context {self!r}", ResourceWarning, source=self)
        except Exception:
            pass
        for s in _members(self._sockets):
            if s is not None and not s.closed:
                s.close()
        # finish in the background so garbage collection never blocks on
        # lingering messages
        self._closed = True
        _terminate_detached(self)

    def __dealloc__(self):
        # __del__ has normally run; this covers objects that skipped it
        if self.handle != NULL and not self._shadow and not self._closed \
                and not _exiting and getpid() == self._pid:
            self._closed = True
            _terminate_detached(self)


cdef list _members(object sockets):
    # the sockets of a WeakSet that other threads may add to meanwhile
    # (copying it then fails with "changed size during iteration")
    while True:
        try:
            return list(sockets or ())
        except RuntimeError:
            pass


cdef void _terminate_detached(Context ctx) noexcept:
    cdef void *handle = ctx.handle
    ctx.handle = NULL
    if handle == NULL:
        return
    libzmq.zmq_ctx_shutdown(handle)
    # if no thread can be had, the context leaks rather than block
    PyThread_start_new_thread(_term_detached, handle)


allow_class_attributes(Context)
