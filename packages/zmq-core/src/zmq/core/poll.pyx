# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Waiting on several sockets and file descriptors: zmq_poll, Poller, select."""

cimport cython
from cpython.exc cimport PyErr_CheckSignals
from libc.errno cimport EINTR, errno
from libc.stdlib cimport free, malloc

from zmq.core._internal cimport (
    _ms_left,
    _now,
    _poll_items,
    _signal_slice_ms,
    _socket_events,
    _socket_pollitem,
    _thread_wake_fd,
)
from zmq.core.cdecl.pytype cimport allow_class_attributes
from zmq.core.error cimport raise_errno
from zmq.core.cdecl cimport libzmq
from zmq.core.socket cimport Socket


cdef extern from "<poll.h>" nogil:
    struct pollfd:
        int fd
        short events
        short revents
    short POLLIN, POLLOUT, POLLERR, POLLPRI
    int poll(pollfd *fds, unsigned long nfds, int timeout)


cdef extern from "<unistd.h>" nogil:
    ssize_t read(int fd, void *buf, size_t count)


cdef short _to_poll_events(short zmq_events) noexcept:
    # zmq_poll's flags for a plain fd, as poll(2)'s
    cdef short events = 0
    if zmq_events & libzmq.ZMQ_POLLIN:
        events |= POLLIN
    if zmq_events & libzmq.ZMQ_POLLOUT:
        events |= POLLOUT
    if zmq_events & libzmq.ZMQ_POLLERR:
        events |= POLLERR
    if zmq_events & libzmq.ZMQ_POLLPRI:
        events |= POLLPRI
    return events


cdef short _to_zmq_events(short revents) noexcept:
    cdef short events = 0
    if revents & POLLIN:
        events |= libzmq.ZMQ_POLLIN
    if revents & POLLOUT:
        events |= libzmq.ZMQ_POLLOUT
    if revents & (POLLERR | POLLHUP_NVAL):
        events |= libzmq.ZMQ_POLLERR
    if revents & POLLPRI:
        events |= libzmq.ZMQ_POLLPRI
    return events


cdef extern from *:
    """
    #define ZMQ_STACK_POLLHUP_NVAL (POLLHUP | POLLNVAL)
    """
    short POLLHUP_NVAL "ZMQ_STACK_POLLHUP_NVAL"


cdef int _sockets_ready(libzmq.zmq_pollitem_t *items, list objs, int n) except -1:
    """Fill the sockets' revents from ZMQ_EVENTS (the plain fds' with 0);
    returns how many sockets are ready. Reading ZMQ_EVENTS reads libzmq's
    commands, so that each FD signals the next change, and may make what
    other threads wait for on the socket ready: they are woken."""
    cdef int i, ready = 0
    cdef Socket sock
    for i in range(n):
        items[i].revents = 0
        if items[i].socket == NULL:
            continue
        sock = <Socket>objs[i]
        with cython.critical_section(sock):
            if sock._closed:
                raise_errno(libzmq.ENOTSOCK)
            items[i].revents = _socket_events(items[i].socket) & items[i].events
            if sock._waiters:
                sock._wake_waiters()
        if items[i].revents:
            ready += 1
    return ready


cdef int _poll_objects(libzmq.zmq_pollitem_t *items, list objs, int n,
                       long timeout_ms) except -1:
    """zmq_poll's work, done so that other threads may use (and close) the
    sockets meanwhile: every libzmq call holds the GIL, and the wait is on
    the sockets' ZMQ_FDs and this thread's wake fd, as a waiter of each
    socket (Socket._wake_fds). Fills revents; returns how many are ready.
    Falls back to zmq_poll for thread-safe (draft) sockets, which have no
    ZMQ_FD."""
    cdef pollfd *fds
    cdef int i, ready, rc, err, zmq_fd
    cdef size_t size
    cdef Socket sock
    cdef double deadline = _now() + timeout_ms / 1000.0
    cdef unsigned long long drained
    cdef int wake_fd
    cdef long slice_ms
    cdef list keys
    cdef int listed
    cdef bint sockets_only = True
    for i in range(n):
        if items[i].socket == NULL:
            sockets_only = False
            break
    if sockets_only:
        # ZMQ_EVENTS alone answers when one is ready or no wait is wanted
        # (Poller.poll(0)): no system call, nothing to set up
        ready = _sockets_ready(items, objs, n)
        if ready or timeout_ms == 0:
            return ready
    fds = <pollfd *>malloc(sizeof(pollfd) * (n + 1))
    if fds == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            if items[i].socket == NULL:
                fds[i].fd = items[i].fd
                fds[i].events = _to_poll_events(items[i].events)
            else:
                size = sizeof(int)
                sock = <Socket>objs[i]
                with cython.critical_section(sock):
                    sock._check_open()
                    rc = libzmq.zmq_getsockopt(items[i].socket, libzmq.ZMQ_FD, &zmq_fd, &size)
                if rc != 0:
                    return _poll_items(items, n, timeout_ms)
                fds[i].fd = zmq_fd
                fds[i].events = POLLIN  # it reads ready on any change
        wake_fd = _thread_wake_fd()
        fds[n].fd = wake_fd
        fds[n].events = POLLIN
        keys = [None] * n
        while True:
            # sockets first, as zmq_poll does
            ready = _sockets_ready(items, objs, n)
            if ready:
                timeout_ms = 0  # only the plain fds' state is still wanted
            listed = 0  # a waiter of the sockets among items 0..listed-1
            try:
                # a close() (ENOTSOCK), or a change since _sockets_ready
                # (possible without the GIL), sends this turn back to look
                # again; no need to be a waiter when the poll does not wait
                while timeout_ms and listed < n:
                    if items[listed].socket != NULL:
                        keys[listed] = wake_fd << 2 | (items[listed].events & 3)
                        if not (<Socket>objs[listed])._start_waiting(
                                keys[listed], items[listed].events & 3):
                            break
                    listed += 1
                if listed == n or not timeout_ms:
                    slice_ms = _signal_slice_ms(timeout_ms)
                    with nogil:
                        rc = poll(fds, n + 1, slice_ms)
                        err = errno
            finally:
                for i in range(listed):
                    if items[i].socket != NULL:
                        (<Socket>objs[i])._stop_waiting(keys[i])
            if timeout_ms and listed < n:
                continue
            if fds[n].revents:
                read(wake_fd, &drained, sizeof(drained))
            if rc < 0:
                if err != EINTR:
                    import os
                    raise OSError(err, os.strerror(err))
                PyErr_CheckSignals()
            for i in range(n):
                if items[i].socket == NULL and fds[i].revents:
                    items[i].revents = _to_zmq_events(fds[i].revents) & (
                        items[i].events | libzmq.ZMQ_POLLERR)
                    if items[i].revents:
                        ready += 1
                elif items[i].socket != NULL and (<Socket>objs[i])._closed:
                    # closed by another thread while this one waited
                    raise_errno(libzmq.ENOTSOCK)
            if ready or timeout_ms == 0:
                return ready
            if timeout_ms > 0:
                timeout_ms = _ms_left(deadline)
    finally:
        free(fds)


cdef int _fill_item(libzmq.zmq_pollitem_t *item, object obj, int events) except -1:
    if isinstance(obj, Socket):
        if (<Socket>obj)._closed:
            raise_errno(libzmq.ENOTSOCK)
        _socket_pollitem(item, (<Socket>obj).handle, events)
        return 0
    item.events = events
    item.revents = 0
    item.socket = NULL
    if isinstance(obj, int):
        item.fd = obj
    elif hasattr(obj, "fileno"):
        item.fd = obj.fileno()
    else:
        raise TypeError(
            f"can only poll zmq Sockets, file descriptors (int) or objects with"
            f" fileno(), not {type(obj).__name__}"
        )
    if item.fd < 0:
        raise ValueError(f"invalid file descriptor {item.fd} for {obj!r}")
    return 0


cdef long _timeout_ms(object timeout) except? -2:
    if timeout is None:
        return -1
    if timeout < 0:
        return -1
    return <long>timeout


def zmq_poll(sockets, timeout=-1):
    """Poll ``[(socket_or_fd, events), ...]`` for up to *timeout* ms (-1 or
    None: forever); return ``[(socket_or_fd, revents), ...]`` for the ready ones."""
    cdef list entries = list(sockets)
    cdef int n = len(entries)
    cdef int i
    cdef libzmq.zmq_pollitem_t *items = <libzmq.zmq_pollitem_t *>malloc(
        sizeof(libzmq.zmq_pollitem_t) * (n or 1))
    if items == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            obj, events = entries[i]
            _fill_item(&items[i], obj, events)
        _poll_objects(items, [e[0] for e in entries], n, _timeout_ms(timeout))
        # sockets come back as themselves, anything else as its int fd (as
        # select.poll and PyZMQ report them)
        return [(entries[i][0] if items[i].socket != NULL else items[i].fd, items[i].revents)
                for i in range(n) if items[i].revents]
    finally:
        free(items)


cdef class Poller:
    """Waits on many sockets and file descriptors at once.

    ``register(obj, flags)`` adds a zmq Socket, an int fd or an object with
    ``fileno()``; ``poll(timeout_ms)`` returns ``[(obj, events), ...]`` for the
    ready ones (``dict(poller.poll())`` is the usual idiom).
    """

    cdef list _objs
    cdef list _flags
    cdef dict _index
    cdef libzmq.zmq_pollitem_t *_items
    cdef int _n_items
    cdef bint _dirty
    cdef dict __dict__

    def __cinit__(self):
        self._objs = []
        self._flags = []
        self._index = {}
        self._items = NULL
        self._dirty = True

    def __dealloc__(self):
        free(self._items)

    @property
    def sockets(self):
        """The registered ``(obj, flags)`` pairs."""
        return list(zip(self._objs, self._flags))

    def __contains__(self, obj):
        return obj in self._index

    def register(self, socket, flags=libzmq.ZMQ_POLLIN | libzmq.ZMQ_POLLOUT):
        """Watch *socket* for *flags* (POLLIN, POLLOUT, POLLERR); flags=0
        unregisters it. Registering again replaces the flags."""
        if not flags:
            if socket in self._index:
                self.unregister(socket)
            return
        if socket in self._index:
            self._flags[self._index[socket]] = flags
        else:
            self._index[socket] = len(self._objs)
            self._objs.append(socket)
            self._flags.append(flags)
        self._dirty = True

    def modify(self, socket, flags=libzmq.ZMQ_POLLIN | libzmq.ZMQ_POLLOUT):
        """Change the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket):
        """Stop watching *socket* (KeyError if it is not registered)."""
        idx = self._index.pop(socket)
        del self._objs[idx]
        del self._flags[idx]
        for i in range(idx, len(self._objs)):
            self._index[self._objs[i]] = i
        self._dirty = True

    def poll(self, timeout=None):
        """Wait up to *timeout* ms (None or negative: forever) and return
        ``[(obj, events), ...]`` for every ready registered object."""
        cdef int i
        cdef int n = len(self._objs)
        cdef libzmq.zmq_pollitem_t *items
        cdef list ready = []
        if self._dirty or self._n_items != n:
            items = <libzmq.zmq_pollitem_t *>malloc(sizeof(libzmq.zmq_pollitem_t) * (n or 1))
            if items == NULL:
                raise MemoryError()
            free(self._items)
            self._items = items
            self._n_items = n
            for i in range(n):
                _fill_item(&self._items[i], self._objs[i], self._flags[i])
            self._dirty = False
        else:
            # registrations unchanged: only check that sockets are still open
            for i in range(n):
                if self._items[i].socket != NULL and (<Socket>self._objs[i])._closed:
                    raise_errno(libzmq.ENOTSOCK)
                self._items[i].revents = 0
        _poll_objects(self._items, self._objs, n, _timeout_ms(timeout))
        for i in range(n):
            if self._items[i].revents:
                # a registered fd or file object is reported by its int fd
                ready.append((self._objs[i] if self._items[i].socket != NULL
                              else self._items[i].fd, self._items[i].revents))
        return ready


def select(rlist, wlist, xlist, timeout=None):
    """Like ``select.select`` for zmq sockets and fds: wait up to *timeout*
    seconds (None: forever) and return the ready (readable, writable,
    errored) lists."""
    cdef long timeout_ms = -1 if timeout is None or timeout < 0 else <long>(timeout * 1000)
    entries = {}
    for obj in rlist:
        entries[obj] = entries.get(obj, 0) | libzmq.ZMQ_POLLIN
    for obj in wlist:
        entries[obj] = entries.get(obj, 0) | libzmq.ZMQ_POLLOUT
    for obj in xlist:
        entries[obj] = entries.get(obj, 0) | libzmq.ZMQ_POLLERR
    ready = zmq_poll(list(entries.items()), timeout_ms)
    readable, writable, errored = [], [], []
    for obj, revents in ready:
        if revents & libzmq.ZMQ_POLLIN:
            readable.append(obj)
        if revents & libzmq.ZMQ_POLLOUT:
            writable.append(obj)
        if revents & libzmq.ZMQ_POLLERR:
            errored.append(obj)
    return readable, writable, errored


allow_class_attributes(Poller)
