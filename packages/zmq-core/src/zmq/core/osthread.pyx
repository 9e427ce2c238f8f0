# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Threads, locks and events that stay operating-system ones after gevent or
eventlet monkey-patched ``threading``.

Monkey-patching turns ``threading.Thread`` into a greenlet and
``threading.Lock``/``Event`` into hub-bound objects. A thread the stack
starts for itself (the zero-copy reaper, an authenticator, a background
device, a log receiver) blocks in libzmq without the GIL; as a greenlet it
would freeze every other greenlet of the process. These classes are built
on CPython's C thread API (``PyThread_*``), which no patcher replaces, so
they behave the same whether or when a patcher ran.

- :class:`OSThread` is a :class:`threading.Thread` (same constructor,
  ``start``/``join``/``is_alive``/``ident``/``native_id``/``daemon``) whose
  ``start`` makes an OS thread. A daemon by default; interpreter shutdown
  waits for a non-daemon one, as for ``threading`` threads.
- :class:`OSLock` and :class:`OSEvent` are ``threading.Lock`` and
  ``threading.Event`` for sharing between such threads and the rest of the
  program. A wait on them blocks the calling OS thread: under gevent, every
  greenlet of that thread. Use them for hand-overs that take microseconds
  (a start-up handshake, a join), not for long waits in greenlets.

Waits release the GIL and run signal handlers when interrupted, so Ctrl-C
lands while the main thread waits.
"""

import sys
import threading

from cpython.exc cimport PyErr_CheckSignals
from cpython.pythread cimport (
    NOWAIT_LOCK,
    PY_LOCK_ACQUIRED,
    PY_LOCK_INTR,
    WAIT_LOCK,
    PyLockStatus,
    PyThread_acquire_lock,
    PyThread_allocate_lock,
    PyThread_free_lock,
    PyThread_release_lock,
    PyThread_type_lock,
)
from cpython.ref cimport Py_DECREF, Py_INCREF

from zmq.core._internal cimport _ms_left, _now


cdef extern from "pythread.h":
    ctypedef long long PY_TIMEOUT_T
    unsigned long PyThread_start_new_thread(void (*)(void *), void *)
    unsigned long PyThread_get_thread_ident()
    unsigned long PyThread_get_thread_native_id()
    PyLockStatus PyThread_acquire_lock_timed(
        PyThread_type_lock lock, PY_TIMEOUT_T microseconds, int intr_flag) nogil


cdef PyThread_type_lock _new_lock() except NULL:
    cdef PyThread_type_lock lock = PyThread_allocate_lock()
    if lock == NULL:
        raise MemoryError("cannot allocate a lock")
    return lock


cdef int _acquire(PyThread_type_lock lock, double timeout) except -1:
    """Take *lock*, waiting at most *timeout* seconds (< 0: no limit) with
    the GIL released; signal handlers run (and may raise) on interruption.
    1 if taken, 0 on timeout."""
    cdef PyLockStatus status
    cdef PY_TIMEOUT_T us
    cdef double deadline = _now() + timeout if timeout >= 0 else -1
    if PyThread_acquire_lock(lock, NOWAIT_LOCK):
        return 1
    while True:
        us = -1 if timeout < 0 else <PY_TIMEOUT_T>(_ms_left(deadline) * 1000)
        with nogil:
            status = PyThread_acquire_lock_timed(lock, us, 1)
        if status == PY_LOCK_ACQUIRED:
            return 1
        if status != PY_LOCK_INTR:
            return 0
        PyErr_CheckSignals()


cdef double _seconds(timeout) except? -2:
    if timeout is None:
        return -1
    t = float(timeout)
    if t != t:
        raise ValueError("timeout must be a number of seconds, not NaN")
    return t if t > 0 else 0


cdef class OSLock:
    """A mutual-exclusion lock of the operating system (the interface of
    ``threading.Lock``), whatever ``threading`` was patched into."""

    cdef PyThread_type_lock _lock
    cdef bint _held

    def __cinit__(self):
        self._lock = _new_lock()

    def __dealloc__(self):
        if self._lock != NULL:
            if self._held:
                PyThread_release_lock(self._lock)
            PyThread_free_lock(self._lock)

    def acquire(self, blocking=True, timeout=-1):
        """Take the lock; with *blocking* false, only if it is free; with a
        *timeout* (seconds), waiting at most that long. True if taken."""
        if not blocking:
            if timeout != -1:
                raise ValueError("a non-blocking acquire takes no timeout")
            taken = PyThread_acquire_lock(self._lock, NOWAIT_LOCK)
        elif timeout == -1:
            taken = _acquire(self._lock, -1)
        elif timeout < 0:
            raise ValueError(f"timeout must be -1 or at least 0, not {timeout!r}")
        else:
            taken = _acquire(self._lock, _seconds(timeout))
        if taken:
            self._held = True
        return bool(taken)

    def release(self):
        """Free the lock (from any thread, as threading.Lock allows)."""
        if not self._held:
            raise RuntimeError("release unlocked lock")
        self._held = False
        PyThread_release_lock(self._lock)

    def locked(self):
        """Whether some thread holds the lock."""
        return self._held

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()

    def __repr__(self):
        return f"<{type(self).__name__} {'locked' if self._held else 'unlocked'}>"


# One blocked OSEvent.wait(): a lock taken once by its waiter, released by
# set() to wake it. Lives on the waiter's C stack while it is linked.
ctypedef struct _Waiter:
    PyThread_type_lock lock
    _Waiter *next


cdef class OSEvent:
    """A flag threads wait for (the interface of ``threading.Event``),
    built on operating-system locks whatever ``threading`` was patched into."""

    # guards _flag and _waiters; held only for a few C statements
    cdef PyThread_type_lock _mutex
    cdef _Waiter *_waiters
    cdef bint _flag

    def __cinit__(self):
        self._mutex = _new_lock()

    def __dealloc__(self):
        if self._mutex != NULL:
            PyThread_free_lock(self._mutex)

    cdef inline void _lock(self) noexcept:
        with nogil:
            PyThread_acquire_lock(self._mutex, WAIT_LOCK)

    def is_set(self):
        """Whether the flag is set."""
        return self._flag

    def set(self):
        """Set the flag and wake every waiter."""
        cdef _Waiter *w
        self._lock()
        self._flag = True
        w = self._waiters
        self._waiters = NULL
        while w != NULL:
            PyThread_release_lock(w.lock)
            w = w.next
        PyThread_release_lock(self._mutex)

    def clear(self):
        """Clear the flag: later waits block until the next set()."""
        self._lock()
        self._flag = False
        PyThread_release_lock(self._mutex)

    def wait(self, timeout=None):
        """Wait until the flag is set, at most *timeout* seconds (None: no
        limit). Returns the flag."""
        cdef _Waiter me
        cdef _Waiter **link
        cdef double seconds = _seconds(timeout)
        self._lock()
        if self._flag:
            PyThread_release_lock(self._mutex)
            return True
        me.lock = PyThread_allocate_lock()
        if me.lock == NULL:
            PyThread_release_lock(self._mutex)
            raise MemoryError("cannot allocate a lock")
        PyThread_acquire_lock(me.lock, NOWAIT_LOCK)
        me.next = self._waiters
        self._waiters = &me
        PyThread_release_lock(self._mutex)
        try:
            # woken by set(), or timed out: the flag, read below, tells
            _acquire(me.lock, seconds)
        finally:
            # on a timeout or an exception, unlink ourselves unless set()
            # did it meanwhile; then nothing refers to `me` any more
            self._lock()
            link = &self._waiters
            while link[0] != NULL and link[0] != &me:
                link = &link[0].next
            if link[0] == &me:
                link[0] = me.next
            flag = self._flag
            PyThread_release_lock(self._mutex)
            PyThread_free_lock(me.lock)
        return flag

    def isSet(self):
        return self.is_set()

    def __repr__(self):
        return f"<{type(self).__name__} {'set' if self._flag else 'unset'}>"


def get_ident():
    """The calling OS thread's identifier (``threading.get_ident()`` gives
    a greenlet's under gevent); an OSThread's ``ident`` is one of these."""
    return PyThread_get_thread_ident()


cdef void _thread_main(void *arg) noexcept with gil:
    thread = <object>arg
    # start() took a reference for this thread; `thread` holds one now
    Py_DECREF(thread)
    try:
        thread._os_bootstrap(PyThread_get_thread_ident(), PyThread_get_thread_native_id())
    except BaseException:
        pass


class OSThread(threading.Thread):
    """A ``threading.Thread`` whose ``start()`` makes an operating-system
    thread even when gevent or eventlet patched ``threading``: subclass it
    or pass a *target*, as with ``threading.Thread``. *daemon* defaults to
    True."""

    def __init__(self, *args, daemon=True, **kwargs):
        # threading's own bookkeeping never sees this thread: a daemon to it
        super().__init__(*args, daemon=True, **kwargs)
        self._os_daemon = bool(daemon)
        self._os_done = OSEvent()
        self._os_started = False

    def start(self):
        """Run ``self.run()`` in a new OS thread."""
        if self._os_started:
            raise RuntimeError("threads can only be started once")
        self._os_started = True
        if not self._os_daemon:
            # where threading joins its non-daemon threads at shutdown
            threading._register_atexit(self.join)
        Py_INCREF(self)
        if PyThread_start_new_thread(_thread_main, <void *>self) == <unsigned long>-1:
            Py_DECREF(self)
            self._os_done.set()
            raise RuntimeError("can't start new thread")

    def _os_bootstrap(self, ident, native_id):
        self._ident = ident
        self._native_id = native_id
        try:
            self.run()
        except SystemExit:
            pass
        except BaseException:
            exc_type, exc, tb = sys.exc_info()
            try:
                threading.excepthook(threading.ExceptHookArgs((exc_type, exc, tb, self)))
            except BaseException:
                pass
            del exc_type, exc, tb
        finally:
            self._os_done.set()

    def join(self, timeout=None):
        """Wait until the thread ends, at most *timeout* seconds."""
        if not self._os_started:
            raise RuntimeError("cannot join thread before it is started")
        if self._ident is not None and self._ident == get_ident():
            raise RuntimeError("cannot join current thread")
        self._os_done.wait(timeout)

    def is_alive(self):
        """Whether the thread was started and has not ended yet."""
        return self._os_started and not self._os_done.is_set()

    @property
    def daemon(self):
        """Whether interpreter shutdown goes on without waiting for it."""
        return self._os_daemon

    @daemon.setter
    def daemon(self, value):
        if self._os_started:
            raise RuntimeError("cannot set daemon status of active thread")
        self._os_daemon = bool(value)

    def __repr__(self):
        if not self._os_started:
            status = "initial"
        elif self._os_done.is_set():
            status = "stopped"
        else:
            status = "started"
        daemon = " daemon" if self._os_daemon else ""
        return f"<{type(self).__name__}({self.name}, {status}{daemon} {self._ident})>"


__all__ = ["OSEvent", "OSLock", "OSThread", "get_ident"]
