# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, freethreading_compatible=True
"""The zero-copy release path: buffers that libzmq shares with Python.

Each zero-copy message carries a small C hint holding the Python buffer it
shares and, when tracked, a reference to its tracker. When libzmq releases
the message, its free callback counts the tracker down and queues the hint,
in C and without the GIL (cdecl/zero_copy_release.h): libzmq's I/O threads
never wait for Python. The buffer itself is released by the next thread
that holds the GIL anyway (a zero-copy send, a tracker check) or by the
reaper thread (``zmq.utils.garbage.gc.thread``), started with the first
zero-copy send. The reaper is a C thread: starting it costs the sender a
thread creation and nothing else (no import, no Python object, no hand-over
of the GIL), and it takes the GIL only for buffers nobody else drained.
Frame, MessageTracker (zmq.core.message) and Socket's sends use this module
through zerocopy.pxd.
"""

import atexit

cimport cython

from cpython.buffer cimport PyBuffer_Release
from cpython.exc cimport PyErr_CheckSignals
from cpython.ref cimport Py_DECREF, Py_INCREF, PyObject
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc
from posix.unistd cimport getpid

from zmq.core._internal cimport _SIGNAL_SLICE_MS, _exiting, _set_exiting
from zmq.core.error cimport check_rc
from zmq.core.cdecl cimport libzmq

cdef extern from "zero_copy_release.h" nogil:
    ctypedef struct zs_node:
        zs_node *prev
        zs_node *next
        zs_node *released_next
        uint64_t id
        int *pending
        int readonly
    zs_node zs_live
    long zs_live_count
    int zs_reaper_started
    int zs_reapers
    unsigned long zs_reaper_incarnation
    void zs_init()
    void zs_hold(zs_node *node, int *pending, int readonly)
    bint zs_any_readonly_live()
    void zs_release(zs_node *node)
    bint zs_has_released()
    uint64_t zs_current_generation()
    zs_node *zs_take_released()
    int zs_wait_pending(int *pending, long ms)
    int zs_reaper_next()
    unsigned long zs_reaper_starting()
    void zs_reaper_running(unsigned long native_id)
    void zs_reaper_ended()
    int zs_reaper_join(long ms)
    unsigned long zs_reaper_native(unsigned long incarnation, long ms)
    void zs_set_stopping(int stopping)
    void zs_lock_live()
    void zs_unlock_live()


cdef extern from "pythread.h":
    unsigned long PyThread_start_new_thread(void (*)(void *), void *)
    unsigned long PyThread_get_thread_ident() nogil
    unsigned long PyThread_get_thread_native_id() nogil


zs_init()

# pid of the process whose reaper thread runs (none yet: 0), and that
# thread's ident
cdef int _reaper_pid = 0
cdef unsigned long _reaper_ident = 0


def _notice_exit():
    """zmq-core's exit hook (the only one): from now on no context is
    terminated or warned about by garbage collection and no reaper starts
    (the flag first: nothing run while stopping may start a reaper again);
    then the reaper is stopped."""
    _set_exiting()
    _stop_reaper()


atexit.register(_notice_exit)


# What a zero-copy message carries to libzmq's free callback; `node` first,
# so that a zs_node pointer is the hint's.
ctypedef struct _ZeroCopyHint:
    zs_node node
    Py_buffer view
    PyObject *tracker


cdef void _drain_released() noexcept:
    """Drop the Python references of the messages libzmq has released
    (needs the GIL). Releasing a buffer may run arbitrary code, even code
    that drains again: the list taken here is already detached."""
    cdef zs_node *node = zs_take_released()
    cdef zs_node *following
    cdef _ZeroCopyHint *hint
    while node != NULL:
        following = node.released_next
        hint = <_ZeroCopyHint *>node
        PyBuffer_Release(&hint.view)
        if hint.tracker != NULL:
            Py_DECREF(<object>hint.tracker)
        free(hint)
        node = following


cdef void _drain_if_released() noexcept:
    if zs_has_released():
        _drain_released()


cdef int _wait_pending(int *pending, long ms) noexcept nogil:
    return zs_wait_pending(pending, ms)


cdef void _reap_until_stopped() noexcept nogil:
    # drops what libzmq released while no Python code of ours ran (a
    # program that sent zero-copy and then went quiet); the GIL only for that
    while zs_reaper_next():
        with gil:
            _drain_released()


cdef void _reaper_main(void *unused) noexcept nogil:
    # zmq-core's reaper thread: a C thread, no Python thread state until it
    # first takes the GIL
    zs_reaper_running(PyThread_get_thread_native_id())
    _reap_until_stopped()
    zs_reaper_ended()


def _reap():
    """Reap in the calling thread until the reaper is stopped (what a
    GarbageCollectorThread started by hand runs)."""
    with nogil:
        _reap_until_stopped()


# guards the reaper's start: on free-threaded Python two threads may make
# their first zero-copy send at once (a critical section on it; with the
# GIL, the GIL)
cdef object _reaper_guard = object()


cdef int _ensure_reaper() except -1:
    global _reaper_pid, _reaper_ident, zs_reaper_started
    with cython.critical_section(_reaper_guard):
        # the look and the claim with no Python call between: the section
        # cannot be suspended in between
        if (zs_reaper_started and _reaper_pid == getpid()) or _exiting:
            return 0
        zs_reaper_started = 1
        _reaper_pid = getpid()
    zs_set_stopping(0)
    zs_reaper_starting()
    # an OS thread whatever gevent or eventlet patched: CPython's C thread
    # API, which no patcher replaces
    _reaper_ident = PyThread_start_new_thread(_reaper_main, NULL)
    if _reaper_ident == <unsigned long>-1:
        zs_reaper_ended()
        zs_reaper_started = 0
        _reaper_pid = 0
        raise RuntimeError("cannot start the zero-copy reaper thread")
    return 0


def _start_reaper():
    _ensure_reaper()


def _stop_reaper(timeout=1.0):
    """Stop the reaper thread (at exit, or zmq.utils.garbage.gc.stop())
    after dropping whatever was released."""
    global _reaper_pid, zs_reaper_started
    cdef long ms = <long>(timeout * 1000)
    if _reaper_pid != getpid():
        return
    zs_set_stopping(1)
    zs_reaper_started = 0
    _reaper_pid = 0
    if _reaper_ident != PyThread_get_thread_ident():
        # a release run by the reaper may have called this: it cannot wait
        # for itself
        with nogil:
            zs_reaper_join(ms)
    _drain_released()


def _reaper_alive(unsigned long incarnation=0):
    """Whether the reaper runs in this process (that of *incarnation*, if
    given, see _reaper_info)."""
    return bool(zs_reaper_started and _reaper_pid == getpid() and zs_reapers > 0
                and (incarnation == 0 or incarnation == zs_reaper_incarnation))


def _join_reaper(timeout=None):
    """Wait up to *timeout* seconds (None: for ever) for the reaper to end."""
    cdef long ms = -1 if timeout is None else <long>(max(timeout, 0) * 1000)
    cdef int done = 0
    while not done:
        # in slices while waiting for ever, so that Ctrl-C lands
        with nogil:
            done = zs_reaper_join(_SIGNAL_SLICE_MS if ms < 0 else ms)
        if ms >= 0:
            return
        PyErr_CheckSignals()


def _reaper_info():
    """(incarnation, ident, native id) of the reaper running in this
    process, or None, for zmq.utils.garbage's GarbageCollectorThread that
    stands for it. An incarnation numbers the reaper's starts."""
    cdef unsigned long incarnation = zs_reaper_incarnation
    cdef unsigned long native_id
    if not _reaper_alive():
        return None
    with nogil:
        # set by the thread as it starts: microseconds
        native_id = zs_reaper_native(incarnation, 1000)
    return incarnation, _reaper_ident, native_id


def _held_buffers():
    """{id: (object, tracker or None)} of every buffer libzmq holds now,
    for zmq.utils.garbage. Released ones are dropped first."""
    cdef Py_ssize_t n, i
    cdef zs_node *node
    cdef _ZeroCopyHint *hint
    cdef PyObject **objs
    cdef uint64_t *ids
    _drain_released()
    # copy out under the lock, with new references, then build Python
    # objects without it (building them may run a free callback here)
    while True:
        n = zs_live_count + 16
        objs = <PyObject **>malloc(n * 2 * sizeof(PyObject *))
        ids = <uint64_t *>malloc(n * sizeof(uint64_t))
        if objs == NULL or ids == NULL:
            free(objs)
            free(ids)
            raise MemoryError()
        zs_lock_live()
        if zs_live_count > n:
            zs_unlock_live()
            free(objs)
            free(ids)
            continue
        i = 0
        node = zs_live.next
        while node != &zs_live:
            hint = <_ZeroCopyHint *>node
            ids[i] = node.id
            objs[2 * i] = <PyObject *>hint.view.obj
            objs[2 * i + 1] = hint.tracker
            if objs[2 * i] != NULL:
                Py_INCREF(<object>objs[2 * i])
            if objs[2 * i + 1] != NULL:
                Py_INCREF(<object>objs[2 * i + 1])
            i += 1
            node = node.next
        zs_unlock_live()
        break
    result = {}
    for n in range(i):
        obj = <object>objs[2 * n] if objs[2 * n] != NULL else None
        tracker = <object>objs[2 * n + 1] if objs[2 * n + 1] != NULL else None
        if objs[2 * n] != NULL:
            Py_DECREF(obj)
        if objs[2 * n + 1] != NULL:
            Py_DECREF(tracker)
        result[ids[n]] = (obj, tracker)
    free(objs)
    free(ids)
    return result


def _held_generation():
    """A number that moves whenever libzmq takes or releases a buffer, for
    zmq.utils.garbage: what it derived from _held_ids() is current while
    this number stays. What libzmq released is dropped first."""
    _drain_if_released()
    return zs_current_generation()


def _held_ids():
    """(generation, {id: None}) of the buffers libzmq holds now, in the
    order it took them, the two read together under the lock. Released ones
    are dropped first. Only numbers: nothing here keeps a buffer alive."""
    cdef Py_ssize_t n, i
    cdef zs_node *node
    cdef uint64_t *ids
    cdef uint64_t generation
    _drain_released()
    while True:
        n = zs_live_count + 16
        ids = <uint64_t *>malloc(n * sizeof(uint64_t))
        if ids == NULL:
            raise MemoryError()
        zs_lock_live()
        if zs_live_count > n:
            zs_unlock_live()
            free(ids)
            continue
        generation = zs_current_generation()
        i = 0
        node = zs_live.next
        while node != &zs_live:
            ids[i] = node.id
            i += 1
            node = node.next
        zs_unlock_live()
        break
    result = {}
    try:
        for n in range(i):
            result[ids[n]] = None
    finally:
        free(ids)
    return generation, result


def _held_buffer(uint64_t key):
    """(object, tracker or None) of the buffer libzmq holds under id *key*,
    or None if it holds none by that id (any more)."""
    cdef zs_node *node
    cdef _ZeroCopyHint *hint
    cdef PyObject *obj = NULL
    cdef PyObject *tracker = NULL
    cdef bint found = False
    _drain_released()
    # new references under the lock, Python objects built without it
    zs_lock_live()
    node = zs_live.next
    while node != &zs_live:
        if node.id == key:
            hint = <_ZeroCopyHint *>node
            obj = <PyObject *>hint.view.obj
            tracker = hint.tracker
            if obj != NULL:
                Py_INCREF(<object>obj)
            if tracker != NULL:
                Py_INCREF(<object>tracker)
            found = True
            break
        node = node.next
    zs_unlock_live()
    if not found:
        return None
    held = <object>obj if obj != NULL else None
    held_tracker = <object>tracker if tracker != NULL else None
    if obj != NULL:
        Py_DECREF(held)
    if tracker != NULL:
        Py_DECREF(held_tracker)
    return held, held_tracker


cdef void _release_zero_copy(void *data, void *vhint) noexcept nogil:
    """libzmq's free callback: runs in whichever thread drops the last
    reference to the message, often an I/O thread. It never takes the GIL:
    the hint is queued and the tracker counted down in C."""
    zs_release(&(<_ZeroCopyHint *>vhint).node)


cdef int _init_msg_zero_copy(libzmq.zmq_msg_t *msg, Py_buffer *view, object tracker,
                             int *pending, bint findable=False) except -1:
    cdef _ZeroCopyHint *hint
    _drain_if_released()
    if not zs_reaper_started:
        # a C flag, reset in a forked child: no getpid() call per send
        _ensure_reaper()
    hint = <_ZeroCopyHint *>malloc(sizeof(_ZeroCopyHint))
    if hint == NULL:
        PyBuffer_Release(view)
        raise MemoryError()
    # the hint takes over the buffer view: it is released once libzmq is done
    hint.view = view[0]
    hint.tracker = NULL
    cdef int rc = libzmq.zmq_msg_init_data(msg, view.buf, <size_t>view.len,
                                           _release_zero_copy, hint)
    if rc != 0:
        PyBuffer_Release(&hint.view)
        free(hint)
        check_rc(rc)
    if tracker is not None:
        Py_INCREF(tracker)
        hint.tracker = <PyObject *>tracker
    zs_hold(&hint.node, pending, findable and view.readonly)
    return 0


cdef object _shared_readonly(const void *data, size_t size):
    # the live messages of one inproc pipe are found in the order they
    # were sent, oldest first: the one received now is usually the first
    cdef zs_node *node
    cdef _ZeroCopyHint *hint
    cdef PyObject *found = NULL
    if not zs_any_readonly_live():
        return None
    zs_lock_live()
    node = zs_live.next
    while node != &zs_live:
        hint = <_ZeroCopyHint *>node
        if node.readonly and hint.view.buf == data and <size_t>hint.view.len == size:
            found = <PyObject *>hint.view.obj
            break
        node = node.next
    zs_unlock_live()
    # the caller's message keeps the node, and so the object, alive
    return <object>found if found != NULL else None
