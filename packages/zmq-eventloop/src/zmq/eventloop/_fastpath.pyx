# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""The compiled half of FutureSocket (zmq/eventloop/_futures.py): its
mutable state, and the path of send/recv (and their multipart forms) that
completes at once.

Why compiled: an operation that completes at once is mostly glue between
libzmq's call and the asyncio future it returns (is anything queued, is
this the socket's loop, did the last receive wait). Written in Python that
glue cost about as much as the future itself; here the state is read as C
fields and zmq-core's send and receive are called through its cimport API.
Everything that waits (queueing, the FD's reader, timeouts, cancellation)
stays in _futures.py, which this calls back into through FutureSocket's
methods ``_start``, ``_wait_after_try``, ``_fast_failed`` and
``_schedule_events``.
"""

import asyncio
import collections
import weakref
from _thread import allocate_lock

from cpython.bytes cimport PyBytes_CheckExact
from cpython.object cimport PyTypeObject

import zmq
from zmq cimport Socket, libzmq

from zmq.eventloop import busypoll as _busypoll

# the unbound zmq.Socket methods: what the operations do once queued, and
# what the fast path calls for the cases it leaves to them
cdef object _recv = zmq.Socket.recv
cdef object _recv_multipart = zmq.Socket.recv_multipart
cdef object _send = zmq.Socket.send
cdef object _send_multipart = zmq.Socket.send_multipart
cdef object _Again = zmq.Again
# None outside a running loop, never raises
cdef object _running_loop = asyncio._get_running_loop
cdef object _base_create_future = asyncio.BaseEventLoop.create_future

cdef enum:
    _DONTWAIT = libzmq.ZMQ_DONTWAIT
    _POLLIN = libzmq.ZMQ_POLLIN
    _POLLOUT = libzmq.ZMQ_POLLOUT


def _future_maker(loop):
    """What makes a future of *loop* in its own thread: ``asyncio.Future``
    itself (which takes the running loop, cheaper than a call of
    ``loop.create_future``) when the loop's create_future is asyncio's own,
    else the loop's create_future."""
    if getattr(type(loop), "create_future", None) is _base_create_future:
        return asyncio.Future
    return loop.create_future


cdef extern from *:
    """
    #include "structmember.h"
    #ifndef Py_T_OBJECT_EX
    #define Py_T_OBJECT_EX T_OBJECT_EX
    #endif
    /* IOState's fields as plain member descriptors (see _expose_fields) */
    #define ZMQ_IOSTATE_NFIELDS 14
    static PyMemberDef zmq_iostate_members[ZMQ_IOSTATE_NFIELDS];
    #define ZMQ_IOSTATE_FIELD(i, f) (zmq_iostate_members[i] = (PyMemberDef){ \
        #f, Py_T_OBJECT_EX, offsetof(struct ZmqIOStateObject, f), 0, NULL})
    #define ZMQ_IOSTATE_FILL() do { \
        ZMQ_IOSTATE_FIELD(0, loop); ZMQ_IOSTATE_FIELD(1, busy); \
        ZMQ_IOSTATE_FIELD(2, new_future); ZMQ_IOSTATE_FIELD(3, recv_queue); \
        ZMQ_IOSTATE_FIELD(4, send_queue); ZMQ_IOSTATE_FIELD(5, reader_fd); \
        ZMQ_IOSTATE_FIELD(6, handling); ZMQ_IOSTATE_FIELD(7, scheduled); \
        ZMQ_IOSTATE_FIELD(8, polls); ZMQ_IOSTATE_FIELD(9, tornado); \
        ZMQ_IOSTATE_FIELD(10, waited); ZMQ_IOSTATE_FIELD(11, socket); \
        ZMQ_IOSTATE_FIELD(12, loop_lock); ZMQ_IOSTATE_FIELD(13, closed_loopless); \
    } while (0)
    /* a member descriptor lets Python code delete a field (it is then
       NULL): the fields the fast path reads must all be there */
    #define ZMQ_IOSTATE_COMPLETE(o) ((o)->loop && (o)->new_future && (o)->recv_queue \
        && (o)->send_queue && (o)->polls && (o)->waited)
    """
    ctypedef struct PyMemberDef:
        pass
    PyMemberDef zmq_iostate_members[]
    enum: ZMQ_IOSTATE_NFIELDS
    void ZMQ_IOSTATE_FILL()
    bint ZMQ_IOSTATE_COMPLETE(IOState o)
    object PyDescr_NewMember(PyTypeObject *t, PyMemberDef *m)
    void PyType_Modified(PyTypeObject *t)


cdef public class IOState [object ZmqIOStateObject, type ZmqIOStateType]:
    """The mutable state of a FutureSocket, kept off the socket itself:
    zmq.Socket's __setattr__ maps names to socket options, which is too slow
    for flags flipped on every event."""

    # Every field is a Python object, read from Python as a plain member
    # descriptor (_expose_fields), so that CPython reads and writes them as
    # fast as __slots__ (LOAD_ATTR_SLOT), and from Cython as a C field.

    # the asyncio loop; None until the socket is first used
    cdef object loop
    # the loop's busy-poll state, set with the loop
    cdef object busy
    # makes a future of the loop, called from the loop's thread (_future_maker)
    cdef object new_future
    # the queued operations (_futures._Pending), oldest first
    cdef object recv_queue
    cdef object send_queue
    # the FD the loop watches for this socket, None while unwatched
    cdef object reader_fd
    # bools: its events are being handled / a handling is scheduled
    cdef object handling
    cdef object scheduled
    # the polls watching this socket
    cdef object polls
    # the Tornado IOLoop the socket is registered with (zmq.eventloop.future)
    cdef object tornado
    # POLLIN/POLLOUT: the last receive/send had to wait (see _start)
    cdef object waited
    # weakly: the socket owns this state, a spinning future reaches the
    # socket through it
    cdef object socket
    # a close() from another thread while the socket has no loop yet
    # closes it from that thread; the loop's thread may be adopting the
    # socket at that very moment (its first operation): the lock makes one
    # of them come first, and an adoption after such a close fails with
    # ENOTSOCK instead of waiting on a closed socket
    cdef object loop_lock
    cdef object closed_loopless

    def __init__(self, loop, socket):
        # a Tornado IOLoop stands for the asyncio loop it runs on
        loop = getattr(loop, "asyncio_loop", loop)
        self.loop = loop
        if loop is not None:
            self.busy = _busypoll.for_loop(loop)
            self.new_future = _future_maker(loop)
        self.recv_queue = collections.deque()
        self.send_queue = collections.deque()
        self.reader_fd = None
        self.handling = False
        self.scheduled = False
        self.polls = []
        self.tornado = None
        self.waited = 0
        self.socket = weakref.ref(socket)
        self.loop_lock = allocate_lock()
        self.closed_loopless = False


cdef _expose_fields():
    # Cython gives `cdef public` fields property-like descriptors, which
    # CPython's specialising interpreter does not cache; member descriptors
    # over the same C fields it does, as for __slots__
    cdef dict type_dict = <dict>(<PyTypeObject *>IOState).tp_dict
    ZMQ_IOSTATE_FILL()
    for i in range(ZMQ_IOSTATE_NFIELDS):
        descr = PyDescr_NewMember(<PyTypeObject *>IOState, &zmq_iostate_members[i])
        type_dict[descr.__name__] = descr
    PyType_Modified(<PyTypeObject *>IOState)


_expose_fields()


cdef inline bint _on_own_loop(IOState io, object queue, int flags, int waited_bit):
    # the fast path's condition: a blocking call, nothing queued ahead of
    # it, made from the socket's own (running) loop
    return not (flags & _DONTWAIT or queue or <int>io.waited & waited_bit) \
        and io.loop is not None and _running_loop() is io.loop


cdef inline IOState _state(FutureSocketBase sock):
    # set by FutureSocket.__init__; a socket whose __init__ never ran (or
    # failed) gets the AttributeError the Python attribute gave
    if sock._io is None:
        raise AttributeError(f"{type(sock).__name__!r} object has no attribute '_io'")
    if not ZMQ_IOSTATE_COMPLETE(sock._io):
        raise AttributeError(f"{type(sock).__name__!r} object's state lost a field")
    return sock._io


cdef object _done(FutureSocketBase sock, IOState io, object result, object others):
    # the future of an operation done at once; the call consumed the FD's
    # signal, so what waits behind it (the other direction's queue, polls)
    # looks again
    future = io.new_future()
    future.set_result(result)
    if others or io.polls:
        sock._schedule_events(io)
    return future


cdef inline object _receive(FutureSocketBase sock, int flags, bint copy, bint track,
                            bint multipart):
    # recv() or recv_multipart(): at once when it can, else queued
    cdef IOState io = _state(sock)
    op = _recv_multipart if multipart else _recv
    if not _on_own_loop(io, io.recv_queue, flags, 0):
        return sock._start(io, io.recv_queue, op, (), flags, (copy, track), {},
                           libzmq.ZMQ_RCVTIMEO, _POLLIN)
    flags |= _DONTWAIT
    if <int>io.waited & _POLLIN:
        # the last receive had to wait, so this one likely will: ZMQ_EVENTS
        # arms the FD as a failed attempt does, without the cost of
        # raising zmq.Again
        sock._check_open()
        if not sock._get_int(libzmq.ZMQ_EVENTS) & _POLLIN:
            return sock._wait_after_try(io, io.recv_queue, op, (flags, copy, track), None,
                                        libzmq.ZMQ_RCVTIMEO, _POLLIN)
        io.waited = <int>io.waited & ~_POLLIN
    try:
        if multipart:
            result = _recv_multipart(sock, flags, copy, track)
        elif copy:
            result = sock._recv_bytes(flags, NULL)
        else:
            result = sock._recv_frame(flags, track)
    except _Again:
        return sock._wait_after_try(io, io.recv_queue, op, (flags, copy, track), None,
                                    libzmq.ZMQ_RCVTIMEO, _POLLIN)
    except Exception as e:
        return sock._fast_failed(io.loop, e)
    return _done(sock, io, result, io.send_queue)


cdef inline object _transmit(FutureSocketBase sock, object data, int flags, bint copy, bint track,
                             dict kwargs, bint multipart):
    # send() (data: one part) or send_multipart() (data: a list or tuple):
    # at once when it can, else queued
    cdef IOState io = _state(sock)
    op = _send_multipart if multipart else _send
    if not _on_own_loop(io, io.send_queue, flags, _POLLOUT):
        return sock._start(io, io.send_queue, op, (data,), flags, (copy, track), kwargs,
                           libzmq.ZMQ_SNDTIMEO, _POLLOUT)
    flags |= _DONTWAIT
    try:
        if not multipart and PyBytes_CheckExact(data) and copy and not (track or kwargs):
            # zmq.Socket.send's own common case, without its call
            sock._send_part(data, flags, True, None)
            result = None
        elif kwargs:
            # draft's routing_id and group
            result = op(sock, data, flags, copy, track, **kwargs)
        else:
            result = op(sock, data, flags, copy, track)
    except _Again:
        return sock._wait_after_try(io, io.send_queue, op, (data, flags, copy, track), kwargs,
                                    libzmq.ZMQ_SNDTIMEO, _POLLOUT)
    except Exception as e:
        return sock._fast_failed(io.loop, e)
    return _done(sock, io, result, io.recv_queue)


cdef class FutureSocketBase(Socket):
    """FutureSocket's compiled base: see the module docstring."""

    cdef public IOState _io

    def recv(self, int flags=0, bint copy=True, bint track=False):
        """Receive one part; returns a future of bytes (or a Frame)."""
        return _receive(self, flags, copy, track, False)

    def recv_multipart(self, int flags=0, bint copy=True, bint track=False):
        """Receive a whole multipart message; returns a future of a list."""
        return _receive(self, flags, copy, track, True)

    def send(self, data, int flags=0, bint copy=True, bint track=False, **kwargs):
        """Send one part; returns a future (of a MessageTracker with track)."""
        return _transmit(self, data, flags, copy, track, kwargs, False)

    def send_multipart(self, msg_parts, int flags=0, bint copy=True, bint track=False,
                       **kwargs):
        """Send a multipart message; returns a future."""
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)
        return _transmit(self, msg_parts, flags, copy, track, kwargs, True)
