# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Frame (alias Message): one libzmq message part; MessageTracker: when libzmq
is done with the memory of zero-copy sends.

A zero-copy Frame hands its buffer to zmq.core.zerocopy, which keeps it
alive until libzmq releases the message and then counts the Frame's tracker
down, in C and without the GIL. A tracker is a plain counter, so creating
one and asking ``done`` cost next to nothing.
"""

import time

cimport cython

from cpython.buffer cimport PyBUF_ANY_CONTIGUOUS, PyBuffer_FillInfo, PyBuffer_Release
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_CheckExact
from cpython.exc cimport PyErr_CheckSignals
from cpython.weakref cimport PyWeakref_NewRef
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

from zmq.core._internal cimport _SIGNAL_SLICE_MS, _get_buffer
from zmq.core.cdecl.pytype cimport allow_class_attributes
from zmq.core.error cimport check_rc, raise_errno
from zmq.core.cdecl cimport libzmq
from zmq.core cimport zerocopy

# Below this many bytes a copy is cheaper than sharing memory with libzmq.
# zmq.COPY_THRESHOLD is the setting users change; this is its initial value.
COPY_THRESHOLD = 65536

cdef object _zmq_module = None


cdef Py_ssize_t _default_copy_threshold() except? -1:
    # read zmq.COPY_THRESHOLD each time, so assigning it takes effect
    global _zmq_module
    if _zmq_module is None:
        import sys
        _zmq_module = sys.modules.get("zmq")
        if _zmq_module is None:
            return COPY_THRESHOLD
    try:
        return _zmq_module.COPY_THRESHOLD
    except AttributeError:  # zmq still importing
        return COPY_THRESHOLD


cdef bint _is_threading_event(obj) except -1:
    # threading is imported here, not at `import zmq`, which it would make a
    # tenth slower; a program that made a threading.Event has it already
    import threading
    return isinstance(obj, threading.Event)


# Not tracked by the cycle collector: a tracker only refers to other
# trackers and threading.Events, never back to anything holding it, and
# sends in flight can keep thousands alive, which would make every
# allocation pay for collections.
@cython.no_gc
@cython.freelist(256)
cdef class MessageTracker:
    """Tells when libzmq is done with the memory of one or more zero-copy sends.

    ``socket.send(data, copy=False, track=True)`` and ``Frame(data,
    track=True)`` return or carry one. ``done`` is True once libzmq has
    released every tracked message; only then may the sent buffer be changed.

    Trackers can also be combined: ``MessageTracker(t1, frame, event)`` is
    done when every tracker, tracked Frame and ``threading.Event`` given to it
    is done.
    """

    def __init__(self, *towatch):
        watched = []
        for obj in towatch:
            if isinstance(obj, Frame):
                obj = (<Frame>obj).tracker
                if obj is None:
                    raise ValueError("Not a tracked message: create the Frame with track=True")
            elif isinstance(obj, TrackerEvent):
                obj = (<TrackerEvent>obj)._tracker
            if isinstance(obj, MessageTracker):
                if obj is not self:
                    watched.append(obj)
            elif _is_threading_event(obj):
                watched.append(obj)
            else:
                raise TypeError(
                    f"MessageTracker watches Frames, MessageTrackers or threading.Events,"
                    f" not {type(obj).__name__}"
                )
        self._watched = tuple(watched) if watched else None

    @property
    def done(self):
        """True when libzmq has released every message this tracker watches."""
        if zerocopy._pending_count(&self._pending) > 0:
            return False
        if self._watched is not None:
            # iteratively: trackers of trackers can nest as deep as a
            # program likes (one per part of a huge multipart message)
            for obj in _watched_leaves(self):
                if isinstance(obj, MessageTracker):
                    if zerocopy._pending_count(&(<MessageTracker>obj)._pending) > 0:
                        return False
                elif not obj.is_set():
                    return False
        zerocopy._drain_if_released()
        return True

    @property
    def pending(self):
        """How many of this tracker's own messages libzmq still holds."""
        return zerocopy._pending_count(&self._pending)

    def wait(self, timeout=-1):
        """Block until ``done``, or raise :class:`zmq.NotDone` after *timeout*
        seconds (a negative or None timeout waits forever)."""
        if timeout is None or timeout < 0:
            deadline = None
        else:
            deadline = time.monotonic() + timeout
        if self._watched is None:
            _wait_tracker(self, deadline)
        else:
            for obj in _watched_leaves(self):
                if isinstance(obj, MessageTracker):
                    _wait_tracker(<MessageTracker>obj, deadline)
                elif not _wait_event(obj, deadline):
                    _raise_not_done()
        zerocopy._drain_if_released()

    def __repr__(self):
        state = "done" if self.done else f"pending={self.pending}"
        return f"<zmq.MessageTracker {state} at {hex(id(self))}>"


cdef list _watched_leaves(MessageTracker root):
    """root and every tracker and event it watches, at any depth, each once."""
    cdef list leaves = []
    cdef list stack = [root]
    cdef set seen = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, MessageTracker):
            key = id(obj)
            if key in seen:
                continue
            seen.add(key)
            leaves.append(obj)
            if (<MessageTracker>obj)._watched is not None:
                stack.extend((<MessageTracker>obj)._watched)
        else:
            leaves.append(obj)
    return leaves


cdef int _wait_tracker(MessageTracker tracker, deadline) except -1:
    cdef long slice_ms
    cdef int done = 0
    while zerocopy._pending_count(&tracker._pending) > 0:
        # in slices, so that Ctrl-C gets through a long wait: a condition
        # variable is not woken by a signal, so one is seen within a slice
        if deadline is None:
            slice_ms = _SIGNAL_SLICE_MS
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _raise_not_done()
            slice_ms = min(_SIGNAL_SLICE_MS, <long>(remaining * 1000.0) + 1)
        with nogil:
            done = zerocopy._wait_pending(&tracker._pending, slice_ms)
        if not done:
            PyErr_CheckSignals()
    return 0


cdef bint _wait_event(event, deadline) except -1:
    if deadline is None:
        event.wait()
        return True
    return event.wait(max(0.0, deadline - time.monotonic()))


cdef int _raise_not_done() except -1:
    from zmq.core.error import NotDone
    raise NotDone()


@cython.final
cdef class TrackerEvent:
    """A zero-copy Frame's ``tracker_event``: set once libzmq has released
    the Frame's memory. It has the waiting half of ``threading.Event``'s
    interface (``is_set()``, ``wait(timeout)``) and MessageTracker accepts it."""

    cdef MessageTracker _tracker

    def __cinit__(self, MessageTracker tracker):
        self._tracker = tracker

    def is_set(self):
        """True once libzmq has released the memory."""
        return self._tracker.done

    isSet = is_set

    def wait(self, timeout=None):
        """Wait until set, at most *timeout* seconds; return is_set()."""
        from zmq.core.error import NotDone
        try:
            self._tracker.wait(-1 if timeout is None else timeout)
        except NotDone:
            return False
        return True

    def __repr__(self):
        return f"<zmq.TrackerEvent {'set' if self.is_set() else 'unset'} at {hex(id(self))}>"


cdef MessageTracker _new_tracker():
    return MessageTracker.__new__(MessageTracker)


# A tracker that is done from the start, for tracked sends that were copied.
cdef MessageTracker _FINISHED = MessageTracker.__new__(MessageTracker)
# the same object for Python (zmq._FINISHED_TRACKER, as PyZMQ names it)
_FINISHED_TRACKER = _FINISHED


cdef MessageTracker _finished_tracker():
    return _FINISHED


class NotContiguousError(BufferError, ValueError):
    """A Frame was given a buffer that is not contiguous in memory (a
    BufferError, as in PyZMQ, and a ValueError, as the bad value it is)."""


def _draft_field(name, doc):
    # a Frame attribute read with get(name) and written with set(name, value)
    return property(lambda frame: frame.get(name), lambda frame, value: frame.set(name, value),
                    doc=doc)


@cython.freelist(64)
cdef class Frame:
    """One message part, as libzmq holds it. ``zmq.Message`` is the same class.

    A Frame can be made from anything with the buffer protocol (bytes,
    bytearray, memoryview, numpy arrays...). With ``copy=False``, or when the
    data is at least *copy_threshold* bytes (default ``zmq.COPY_THRESHOLD``),
    libzmq shares the memory instead of copying it, and the object is kept
    alive (and, for bytearrays, locked against resizing) until libzmq is done
    with it. With ``track=True`` the Frame's ``tracker`` reports when that is.

    ``socket.recv(copy=False)`` returns Frames: ``frame.buffer`` gives the
    received bytes as a memoryview without copying them, and
    ``frame.get(...)`` reads message properties (``"Socket-Type"``,
    ``"Peer-Address"``, ``zmq.MORE``...).
    """

    def __cinit__(self):
        # the msg is valid (empty) from birth, so __dealloc__ can always close it
        libzmq.zmq_msg_init(&self.zmq_msg)

    def __init__(self, data=None, track=False, copy=None, copy_threshold=None):
        cdef Py_buffer view
        cdef Py_ssize_t threshold
        cdef bint do_copy
        if self._initialised:
            raise RuntimeError("Frame.__init__ called on a Frame that already holds a message")
        self._initialised = True
        self.more = False
        if copy_threshold is not None:
            if not isinstance(copy_threshold, int):
                raise TypeError(
                    f"copy_threshold must be an int, not {type(copy_threshold).__name__}"
                )
            if copy_threshold < 0:
                raise ValueError(f"copy_threshold must be >= 0, not {copy_threshold}")
        if data is None:
            if track:
                self.tracker = _FINISHED
            return
        _get_buffer(data, &view, PyBUF_ANY_CONTIGUOUS, "Frame()")
        if copy is None:
            threshold = _default_copy_threshold() if copy_threshold is None else copy_threshold
            do_copy = view.len < threshold
        else:
            do_copy = copy
        if do_copy:
            try:
                check_rc(libzmq.zmq_msg_init_size(&self.zmq_msg, <size_t>view.len))
                memcpy(libzmq.zmq_msg_data(&self.zmq_msg), view.buf, <size_t>view.len)
            finally:
                PyBuffer_Release(&view)
            if track:
                self.tracker = _FINISHED
            return
        self._readonly = view.readonly
        if track:
            self.tracker = _new_tracker()
            zerocopy._init_msg_zero_copy(&self.zmq_msg, &view, self.tracker,
                                         &self.tracker._pending, True)
        else:
            zerocopy._init_msg_zero_copy(&self.zmq_msg, &view, None, NULL, True)
        self._data = data

    def __dealloc__(self):
        # may run the free callback, which takes the GIL we already hold
        libzmq.zmq_msg_close(&self.zmq_msg)

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        # writable, as in PyZMQ, unless the Frame shares a read-only object's
        # memory (writing would change an immutable bytes, for one)
        PyBuffer_FillInfo(buffer, self, libzmq.zmq_msg_data(&self.zmq_msg),
                          <Py_ssize_t>libzmq.zmq_msg_size(&self.zmq_msg), self._readonly, flags)

    def __len__(self):
        return libzmq.zmq_msg_size(&self.zmq_msg)

    def __copy__(self):
        return self.fast_copy()

    def fast_copy(self):
        """A new Frame sharing this one's content (libzmq reference count)."""
        cdef Frame other = Frame.__new__(Frame)
        other._initialised = True
        check_rc(libzmq.zmq_msg_copy(&other.zmq_msg, &self.zmq_msg))
        other._data = self._data
        other._bytes = self._bytes
        other._readonly = self._readonly
        other.tracker = self.tracker
        other.more = self.more
        return other

    @property
    def tracker_event(self):
        """For a tracked zero-copy Frame, an event that is set once libzmq
        has released its memory (see :class:`TrackerEvent`); else None."""
        if self.tracker is None or self.tracker is _FINISHED:
            return None
        return TrackerEvent(self.tracker)

    @property
    def buffer(self):
        """The message content as a memoryview (no copy); read-only when the
        Frame shares the memory of a read-only object such as bytes."""
        # the same view while it lives (a weak reference: a strong one
        # would be a cycle through the view, keeping the Frame alive). The
        # critical section: two threads replacing the cache at once on
        # free-threaded CPython would both drop the old one's reference
        with cython.critical_section(self):
            view = self._buffer() if self._buffer is not None else None
            if view is None:
                view = memoryview(self)
                self._buffer = PyWeakref_NewRef(view, None)
        return view

    @property
    def bytes(self):
        """The message content as bytes (copied once, then cached)."""
        if self._bytes is not None:
            return self._bytes
        if PyBytes_CheckExact(self._data) \
                and len(self._data) == libzmq.zmq_msg_size(&self.zmq_msg):
            # the bytes the Frame shares: no copy, and no second
            # reference kept (PyZMQ's refcount tests count them)
            return self._data
        with cython.critical_section(self):
            if self._bytes is None:
                self._bytes = PyBytes_FromStringAndSize(
                    <char *>libzmq.zmq_msg_data(&self.zmq_msg), libzmq.zmq_msg_size(&self.zmq_msg)
                )
            return self._bytes

    def __bytes__(self):
        return self.bytes

    def __getitem__(self, key):
        return self.get(key)

    def get(self, option):
        """Read a message option or property.

        An int reads a message option with zmq_msg_get (``zmq.MORE``,
        ``zmq.SHARED``, ``zmq.SRCFD``). A str reads a metadata property with
        zmq_msg_gets (``"Socket-Type"``, ``"Routing-Id"``, ``"User-Id"``,
        ``"Peer-Address"``, or any property a ZAP handler set).
        ``"routing_id"`` and ``"group"`` read the draft CLIENT/SERVER and
        RADIO/DISH fields.
        """
        cdef int rc
        cdef uint32_t rid
        cdef const char *result
        if isinstance(option, int):
            rc = libzmq.zmq_msg_get(&self.zmq_msg, option)
            check_rc(rc)
            return rc
        if option == "routing_id":
            _require_draft("Frame.routing_id")
            rid = libzmq.zmq_msg_routing_id(&self.zmq_msg)
            return rid if rid != 0 else None
        if option == "group":
            _require_draft("Frame.group")
            result = libzmq.zmq_msg_group(&self.zmq_msg)
            if result == NULL:
                raise_errno(libzmq.zmq_errno())
            return result.decode("utf-8")
        if isinstance(option, str):
            option = option.encode("utf-8")
        if not isinstance(option, bytes):
            raise TypeError(
                f"Frame.get() takes an int option or a str property name,"
                f" not {type(option).__name__}"
            )
        result = libzmq.zmq_msg_gets(&self.zmq_msg, <const char *>option)
        if result == NULL:
            raise_errno(libzmq.zmq_errno())
        return result.decode("utf-8")

    def set(self, option, value):
        """Set a message option (int option with an int value), or the draft
        ``"routing_id"`` (int) and ``"group"`` (str) fields."""
        cdef int rc
        if option == "routing_id":
            _require_draft("Frame.routing_id")
            if not isinstance(value, int):
                raise TypeError(f"routing_id must be an int, not {type(value).__name__}")
            if not 0 < value < 2**32:
                raise ValueError(f"routing_id must be in 1..2**32-1, not {value}")
            check_rc(libzmq.zmq_msg_set_routing_id(&self.zmq_msg, <uint32_t>value))
            return
        if option == "group":
            _require_draft("Frame.group")
            if isinstance(value, str):
                value = value.encode("utf-8")
            if not isinstance(value, bytes):
                raise TypeError(f"group must be str or bytes, not {type(value).__name__}")
            check_rc(libzmq.zmq_msg_set_group(&self.zmq_msg, <const char *>value))
            return
        if not isinstance(option, int):
            raise TypeError(f"Frame.set() option must be an int, not {type(option).__name__}")
        if not isinstance(value, int):
            raise TypeError(f"Frame.set() value must be an int, not {type(value).__name__}")
        rc = libzmq.zmq_msg_set(&self.zmq_msg, option, value)
        check_rc(rc)

    routing_id = _draft_field(
        "routing_id", "The CLIENT/SERVER routing id of this message (draft API).")
    group = _draft_field("group", "The RADIO/DISH group of this message (draft API).")

    def __repr__(self):
        cdef size_t n = libzmq.zmq_msg_size(&self.zmq_msg)
        head = bytes(memoryview(self)[:12])
        if n <= 16:
            return f"<zmq.Frame({bytes(self)!r})>"
        # the size in PyZMQ's units: B, then decimal kB, then MB/GB
        if n >= 1_000_000_000:
            size = f"{n // 1_000_000_000}GB"
        elif n >= 2**20:
            size = f"{n // 1_000_000}MB"
        elif n >= 1000:
            size = f"{n // 1000}kB"
        else:
            size = f"{n}B"
        return f"<zmq.Frame({head!r}...{size})>"


Message = Frame


cdef int _require_draft(str what) except -1:
    if not libzmq.ZMQ_STACK_DRAFT_API:
        # RuntimeError, as PyZMQ raises for draft features of a stable build
        raise RuntimeError(
            f"{what} needs libzmq's draft API, and this zmq-core was built without it"
        )
    return 0


allow_class_attributes(Frame)
allow_class_attributes(MessageTracker)
