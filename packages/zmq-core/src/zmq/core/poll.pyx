# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True
"""Waiting on several sockets and file descriptors: zmq_poll, Poller, select."""

from libc.stdlib cimport free, malloc

from zmq.core._internal cimport _poll_items, _socket_pollitem
from zmq.core.cdecl.pytype cimport allow_class_attributes
from zmq.core.error cimport raise_errno
from zmq.core.cdecl cimport libzmq
from zmq.core.socket cimport Socket


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
        _poll_items(items, n, _timeout_ms(timeout))
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
        _poll_items(self._items, n, _timeout_ms(timeout))
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
