# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, freethreading_compatible=True
"""zmq-core's private low-level helpers (see _internal.pxd): the ones not
inlined, and the interpreter-exit flag every module reads."""

from cpython.buffer cimport PyObject_CheckBuffer, PyObject_GetBuffer
from cpython.exc cimport PyErr_CheckSignals, PyErr_SetFromErrno
from cpython.object cimport PyObject
from libc.errno cimport EINTR
from libc.stdint cimport uintptr_t

from zmq.core.cdecl.pytype cimport dict_if_made


cdef extern from *:
    """
    #include <poll.h>
    #include <pthread.h>
    #include <stdint.h>
    #include <stdlib.h>
    #include <sys/eventfd.h>
    #include <unistd.h>

    /* one eventfd per thread, made on first use and closed at thread exit
       (the key's value is fd + 1). A forked child's one thread drops the
       parent's (still the parent's to use) and makes its own. */
    static pthread_key_t zs_wake_key;
    static pthread_once_t zs_wake_once = PTHREAD_ONCE_INIT;

    static void zs_wake_free(void *p) { close((int)(intptr_t)p - 1); }

    static void zs_wake_after_fork(void)
    {
        void *p = pthread_getspecific(zs_wake_key);
        if (p != NULL) {
            close((int)(intptr_t)p - 1);
            pthread_setspecific(zs_wake_key, NULL);
        }
    }

    static void zs_wake_key_init(void)
    {
        pthread_key_create(&zs_wake_key, zs_wake_free);
        pthread_atfork(NULL, NULL, zs_wake_after_fork);
    }

    static int zs_thread_wake_fd(void)
    {
        void *p;
        int fd;
        pthread_once(&zs_wake_once, zs_wake_key_init);
        p = pthread_getspecific(zs_wake_key);
        if (p != NULL)
            return (int)(intptr_t)p - 1;
        fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd >= 0 && pthread_setspecific(zs_wake_key, (void *)(intptr_t)(fd + 1)) != 0) {
            close(fd);
            return -1;
        }
        return fd;
    }

    /* poll fds[0..n) for reading; the last one is the wake fd: drained */
    static int zs_poll_fds(const int *fds, int n, long timeout_ms, int *err)
    {
        struct pollfd stack[8];
        struct pollfd *p = n <= 8 ? stack : (struct pollfd *)malloc(n * sizeof(struct pollfd));
        uint64_t count;
        int i, rc;
        if (p == NULL) {
            *err = ENOMEM;
            return -1;
        }
        for (i = 0; i < n; i++) {
            p[i].fd = fds[i];
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        rc = poll(p, n, timeout_ms < 0 ? -1 : (int)timeout_ms);
        *err = errno;
        if (rc > 0 && p[n - 1].revents)
            (void)!read(fds[n - 1], &count, sizeof(count));
        if (p != stack)
            free(p);
        return rc;
    }
    """
    int zs_thread_wake_fd() nogil
    int zs_poll_fds(const int *fds, int n, long timeout_ms, int *err) nogil


cdef int _thread_wake_fd() except -1:
    cdef int fd = zs_thread_wake_fd()
    if fd < 0:
        PyErr_SetFromErrno(OSError)
        return -1
    return fd


cdef extern from "pythread.h":
    unsigned long PyThread_get_thread_ident() nogil


# the thread Python runs signal handlers in (0: not known yet; learnt at
# the first wait, and again in a forked child)
cdef unsigned long _main_ident = 0


def _forget_main_thread():
    global _main_ident
    _main_ident = 0


import os as _os
_os.register_at_fork(after_in_child=_forget_main_thread)


cdef bint _in_main_thread() except -1:
    global _main_ident
    if _main_ident == 0:
        import threading
        _main_ident = threading.main_thread().ident
    return PyThread_get_thread_ident() == _main_ident


cdef long _signal_slice_ms(long timeout_ms) except -2:
    # The main thread (where Python runs signal handlers) sleeps in slices:
    # a signal that arrives while it is awake, between its last look at
    # Python's pending handlers and the poll, does not interrupt the poll;
    # it is seen at the end of the slice, so Ctrl-C lands within one.
    if not _in_main_thread():
        return timeout_ms
    PyErr_CheckSignals()
    if timeout_ms < 0 or timeout_ms > _SIGNAL_SLICE_MS:
        return _SIGNAL_SLICE_MS
    return timeout_ms


cdef int _wait_fds(int *fds, int n, long timeout_ms) except -1:
    cdef int rc, err = 0
    cdef long slice_ms
    cdef double deadline = _now() + timeout_ms / 1000.0
    while True:
        slice_ms = _signal_slice_ms(timeout_ms)
        with nogil:
            rc = zs_poll_fds(fds, n, slice_ms, &err)
        if rc > 0:
            return rc
        if rc < 0:
            if err == EINTR:
                PyErr_CheckSignals()
                return 1
            raise OSError(err, _os.strerror(err))
        if slice_ms == timeout_ms:
            return 0
        if timeout_ms > 0:
            timeout_ms = _ms_left(deadline)
            if timeout_ms == 0:
                return 0


cdef void _set_exiting() noexcept:
    global _exiting
    _exiting = True


cdef bint _is_plain_attribute(object obj, str key) except -1:
    # obj.__dict__ would make the dict (see cdecl/pytype.pxd's drop_empty_dict)
    cdef PyObject *instance_dict = dict_if_made(obj)
    if instance_dict != NULL and key in <dict>instance_dict:
        return True
    for klass in type(obj).__mro__:
        if key in klass.__dict__ or key in getattr(klass, "__annotations__", {}):
            return True
    return False


cdef int _get_buffer_slow(object data, Py_buffer *view, int flags, str what) except -1:
    if isinstance(data, str):
        raise TypeError(
            f"{what} takes bytes or a buffer, not str; encode it first or use send_string()"
        )
    if not PyObject_CheckBuffer(data):
        raise TypeError(
            f"{what} takes bytes, a Frame or an object with the buffer interface,"
            f" not {type(data).__name__}"
        )
    try:
        PyObject_GetBuffer(data, view, flags)
    except BufferError as e:
        from zmq.core.message import NotContiguousError
        raise NotContiguousError(
            f"{what} needs a contiguous buffer, and this {type(data).__name__} is not"
            f" contiguous; copy it first (e.g. numpy.ascontiguousarray): {e}"
        ) from None
    return 0


cdef void *_shadow_address(object shadow, str what) except NULL:
    address = shadow if isinstance(shadow, int) else getattr(shadow, "underlying", shadow)
    if not isinstance(address, int):
        from zmq.utils.interop import cast_int_addr
        try:
            address = cast_int_addr(address)
        except ValueError:
            raise ValueError(
                f"shadow takes a {what}, an int address or a cffi/ctypes pointer,"
                f" not {type(shadow).__name__}"
            ) from None
    if address == 0:
        raise ValueError(f"shadow address is 0 (null): no libzmq {what.lower()} at {shadow!r}")
    if not 0 < address < 2**64:
        # OverflowError, as PyZMQ raises converting it to a size_t
        raise OverflowError(f"shadow address must be an int in 1..2**64-1, not {address}")
    return <void *><uintptr_t>address
