# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Forwarding between sockets: proxy, proxy_steerable, device, and the loop
behind them (run_proxy, which zmq-devices' monitored_queue cimports).

The loop is libzmq's zmq_proxy_steerable (4.3) redone so that the sockets
stay usable by other threads and Ctrl-C lands: messages move with
non-blocking zmq_msg_recv/zmq_msg_send while the GIL is held (that is how
calls on one socket are serialised, see docs/threads.rst), up to a burst
per direction, and when nothing can move the thread waits on the sockets'
ZMQ_FDs and its wake fd with the GIL released, registered as a waiter of
each socket (Socket._wake_fds), in signal slices in the main thread. So
close() from another thread wakes it (ENOTSOCK), Context.term() too (ETERM),
and a signal handler runs within a slice or a burst.

What moves when is libzmq's rule: a direction takes a message from its
source only when the source has one (POLLIN) and its destination can take
one (POLLOUT); a destination (or capture) that fills up in the middle holds
that direction, never the other one, except that the two directions never
interleave their parts on a capture socket they share.
"""

cimport cython
from cpython.exc cimport PyErr_CheckSignals
from cpython.ref cimport PyObject
from libc.stdint cimport uint64_t
from libc.string cimport memcmp

from zmq.core._internal cimport (
    _errno_unless_interrupted,
    _signal_slice_ms,
    _thread_wake_fd,
    _wait_fds,
)
from zmq.core.error cimport raise_errno
from zmq.core.cdecl cimport libzmq
from zmq.core.socket cimport Socket


cdef enum:
    # whole messages one direction moves before the loop looks at the other
    # sockets again: libzmq's proxy_burst_size
    _BURST = 1000
    # frontend, backend, capture, control
    _MAX_SOCKETS = 4
    # the steps of a part held by a flow: its message's prefix frame to the
    # capture socket, a copy to the capture socket, the part to its target
    _STEP_PREFIX = 0
    _STEP_CAPTURE = 1
    _STEP_TARGET = 2


cdef struct _Flow:
    # one direction (or the control socket's commands); sockets are indices
    # into _Engine.handles, -1 for none
    int src
    int dst                     # -1: the control flow (commands are obeyed)
    int capture
    const char *prefix          # capture's extra first frame, or NULL
    size_t prefix_size
    # parts received and not yet sent, in sending order, each with the
    # SNDMORE flag it is sent with (two only while swapping ROUTER ids)
    libzmq.zmq_msg_t held[2]
    int more[2]
    int n_held
    int step                    # of held[0]
    bint mid                    # parts of a message went out, not its last
    uint64_t size               # bytes of the message so far
    uint64_t *src_stats         # msg_in, bytes_in of the source
    uint64_t *dst_stats         # msg_out, bytes_out of the destination


cdef struct _Engine:
    int n
    void *handles[_MAX_SOCKETS]
    # the Sockets themselves (run_proxy's list holds the references)
    PyObject *socks[_MAX_SOCKETS]
    int zmq_fds[_MAX_SOCKETS]   # -1 for a thread-safe (draft) socket
    bint all_fds
    int events[_MAX_SOCKETS]    # ZMQ_EVENTS, read once per turn
    int want[_MAX_SOCKETS]      # what the flows wait for, per socket
    int n_flows
    _Flow flows[3]              # control first
    int capture_owner           # the flow whose message is half on capture
    int control_mode
    bint control_is_rep
    bint paused
    bint swap_ids
    # parts moved since this thread last let go of the GIL
    int unreleased
    # frontend's msg_in, bytes_in, msg_out, bytes_out, then backend's: the
    # STATISTICS reply (a multipart message counts once, as in libzmq 4.3)
    uint64_t stats[8]


cdef int _index_of(_Engine *e, list socks, Socket sock) except -2:
    # the index of sock among the engine's sockets, added if new; -1 for None
    cdef int i
    if sock is None:
        return -1
    for i in range(e.n):
        if socks[i] is sock or e.handles[i] == sock.handle:
            return i
    socks.append(sock)
    e.handles[e.n] = sock.handle
    e.socks[e.n] = <PyObject *>sock
    e.n += 1
    return e.n - 1


# Each libzmq call on one of the proxy's sockets, in that socket's critical
# section (empty with the GIL; on free-threaded CPython the Socket's lock,
# which is how calls on one socket are serialised there), and never on a
# socket another thread has closed: close() drops the handle in the same
# section. The caller reads libzmq's errno after a failure.

cdef inline int _msg_recv(_Engine *e, int i, libzmq.zmq_msg_t *msg) except -2:
    with cython.critical_section(<object>e.socks[i]):
        if (<Socket>e.socks[i])._closed:
            raise_errno(libzmq.ENOTSOCK)
        return libzmq.zmq_msg_recv(msg, e.handles[i], libzmq.ZMQ_DONTWAIT)


cdef inline int _msg_send(_Engine *e, int i, libzmq.zmq_msg_t *msg, int flags) except -2:
    with cython.critical_section(<object>e.socks[i]):
        if (<Socket>e.socks[i])._closed:
            raise_errno(libzmq.ENOTSOCK)
        return libzmq.zmq_msg_send(msg, e.handles[i], flags | libzmq.ZMQ_DONTWAIT)


cdef inline int _send(_Engine *e, int i, const void *data, size_t size, int flags) except -2:
    with cython.critical_section(<object>e.socks[i]):
        if (<Socket>e.socks[i])._closed:
            raise_errno(libzmq.ENOTSOCK)
        return libzmq.zmq_send(e.handles[i], data, size, flags | libzmq.ZMQ_DONTWAIT)


cdef int _check_open(list socks) except -1:
    # nothing touches a handle once another thread (or a signal handler)
    # closed its socket: the loop keeps the handles, the Socket drops them
    cdef Socket sock
    for sock in socks:
        if sock._closed:
            raise_errno(libzmq.ENOTSOCK)
    return 0


cdef int _read_events(_Engine *e, list socks) except -1:
    # ZMQ_EVENTS of every socket, once each: reading them reads libzmq's
    # commands, so that each FD signals the next change. When other threads
    # wait on a socket, the same read wakes those whose events are ready
    # (a second read could take in commands nobody is told about); if it
    # fails (ETERM) the loop takes the socket as ready and the next call on
    # it raises.
    cdef int i, err
    cdef size_t size
    cdef Socket sock
    for i in range(e.n):
        sock = <Socket>socks[i]
        with cython.critical_section(sock):
            if sock._closed:
                raise_errno(libzmq.ENOTSOCK)
            if sock._waiters:
                e.events[i] = sock._wake_waiters()
                continue
            size = sizeof(int)
            while libzmq.zmq_getsockopt(e.handles[i], libzmq.ZMQ_EVENTS, &e.events[i],
                                        &size) != 0:
                err = _errno_unless_interrupted()
                if err:
                    raise_errno(err)
                if sock._closed:  # by the signal handler that just ran
                    raise_errno(libzmq.ENOTSOCK)
                size = sizeof(int)
    return 0


cdef bint _blocked(int *want, int sock, int event) except -1:
    # after a failed call on sock: True if it would block (what the flow
    # then waits for goes into want), False after a signal (its handlers
    # ran; the caller looks again); raises any other error
    cdef int err = _errno_unless_interrupted()
    if err == libzmq.EAGAIN:
        want[sock] |= event
        return True
    if err:
        raise_errno(err)
    return False


cdef int _send_stat(_Engine *e, int control, uint64_t value, int flags) except -2:
    return _send(e, control, &value, sizeof(uint64_t), flags)


cdef int _obey(_Engine *e, libzmq.zmq_msg_t *command) except -1:
    # a one-part command from the control socket
    cdef const char *data = <const char *>libzmq.zmq_msg_data(command)
    cdef size_t size = libzmq.zmq_msg_size(command)
    cdef int control = e.flows[0].src
    cdef int i
    if size == 9 and memcmp(data, b"TERMINATE", 9) == 0:
        e.n_flows = 0  # the loop ends
    elif e.control_mode != PROXY_CONTROL_STEER:
        return 0
    elif size == 10 and memcmp(data, b"STATISTICS", 10) == 0:
        # libzmq's reply: 8 uint64 frames; one that cannot go out at once
        # (the peer does not read them) is dropped, not waited for
        if _send_stat(e, control, e.stats[0], libzmq.ZMQ_SNDMORE) >= 0:
            for i in range(1, 8):
                _send_stat(e, control, e.stats[i], libzmq.ZMQ_SNDMORE if i < 7 else 0)
        return 0
    elif size == 5 and memcmp(data, b"PAUSE", 5) == 0:
        e.paused = True
    elif size == 6 and memcmp(data, b"RESUME", 6) == 0:
        e.paused = False
    # anything else is ignored (libzmq 4.3.4 aborts the process)
    if e.control_is_rep:
        # a REP control socket must answer before its next command (libzmq 4.3.5)
        _send(e, control, NULL, 0, 0)
    return 0


cdef bint _ready(_Engine *e, _Flow *f, int flow) noexcept:
    # whether f can move by this turn's events; if not, what it waits for
    # goes into e.want
    cdef int sock
    if f.n_held:
        if f.step == _STEP_TARGET:
            if f.dst < 0:
                return True
            sock = f.dst
        else:
            sock = f.capture
        if e.events[sock] & libzmq.ZMQ_POLLOUT:
            return True
        e.want[sock] |= libzmq.ZMQ_POLLOUT
        return False
    if not f.mid:
        if e.paused and f.dst >= 0:
            return False
        if f.capture >= 0 and e.capture_owner >= 0 and e.capture_owner != flow:
            # the other direction's message is half on capture: the owner waits
            return False
        if f.dst >= 0 and f.dst != f.src and not e.events[f.dst] & libzmq.ZMQ_POLLOUT:
            e.want[f.dst] |= libzmq.ZMQ_POLLOUT
            if not e.events[f.src] & libzmq.ZMQ_POLLIN:
                e.want[f.src] |= libzmq.ZMQ_POLLIN
            return False
    if e.events[f.src] & libzmq.ZMQ_POLLIN:
        return True
    e.want[f.src] |= libzmq.ZMQ_POLLIN
    return False


cdef int _receive(_Engine *e, _Flow *f, int flow) except -2:
    # the next part into held[0] (and, for a ROUTER-to-ROUTER message, the
    # second: the two go out swapped); returns 0 if none is waiting, -1
    # after a signal (its handlers ran: the loop looks again)
    cdef libzmq.zmq_msg_t tmp
    cdef bint first = not f.mid
    if _msg_recv(e, f.src, &f.held[0]) < 0:
        return 0 if _blocked(e.want, f.src, libzmq.ZMQ_POLLIN) else -1
    f.more[0] = libzmq.zmq_msg_more(&f.held[0])
    f.n_held = 1
    f.step = _STEP_CAPTURE
    if not first:
        return 1
    f.size = 0
    if f.capture >= 0:
        e.capture_owner = flow
        if f.prefix != NULL:
            f.step = _STEP_PREFIX
    if e.swap_ids and f.more[0] and f.dst >= 0:
        # the rest of a message arrives with its first part
        while _msg_recv(e, f.src, &f.held[1]) < 0:
            if _blocked(e.want, f.src, libzmq.ZMQ_POLLIN):
                raise_errno(libzmq.EAGAIN)
        f.more[1] = libzmq.zmq_msg_more(&f.held[1])
        libzmq.zmq_msg_init(&tmp)
        libzmq.zmq_msg_move(&tmp, &f.held[0])
        libzmq.zmq_msg_move(&f.held[0], &f.held[1])
        libzmq.zmq_msg_move(&f.held[1], &tmp)
        # the second part goes first and is followed by the first, which
        # takes the second's place in the message
        f.more[0], f.more[1] = 1, f.more[1]
        f.n_held = 2
    return 1


cdef int _run_flow(_Engine *e, _Flow *f, int flow) except -1:
    # move parts along f until it would block or a burst of messages went;
    # returns 1 if anything moved
    cdef int done = 0, moved = 0, flags, rc
    cdef libzmq.zmq_msg_t copy
    cdef size_t size
    while e.n_flows:
        if f.n_held == 0:
            if not f.mid:
                if done >= _BURST or (e.paused and f.dst >= 0):
                    break
            rc = _receive(e, f, flow)
            if rc <= 0:
                return moved or rc < 0
            moved = 1
        flags = libzmq.ZMQ_SNDMORE if f.more[0] else 0
        if f.step == _STEP_PREFIX:
            if _send(e, f.capture, f.prefix, f.prefix_size, libzmq.ZMQ_SNDMORE) < 0:
                if not _blocked(e.want, f.capture, libzmq.ZMQ_POLLOUT):
                    moved = 1
                break
            f.step = _STEP_CAPTURE
        if f.step == _STEP_CAPTURE:
            if f.capture >= 0:
                libzmq.zmq_msg_init(&copy)
                libzmq.zmq_msg_copy(&copy, &f.held[0])
                if _msg_send(e, f.capture, &copy, flags) < 0:
                    libzmq.zmq_msg_close(&copy)
                    if not _blocked(e.want, f.capture, libzmq.ZMQ_POLLOUT):
                        moved = 1
                    break
            f.step = _STEP_TARGET
        size = libzmq.zmq_msg_size(&f.held[0])
        if f.dst < 0:
            if not f.mid and not flags:
                _obey(e, &f.held[0])
            libzmq.zmq_msg_close(&f.held[0])
            libzmq.zmq_msg_init(&f.held[0])
        elif _msg_send(e, f.dst, &f.held[0], flags) < 0:
            if not _blocked(e.want, f.dst, libzmq.ZMQ_POLLOUT):
                moved = 1
            break
        moved = 1
        e.unreleased += 1
        f.size += size
        f.mid = flags != 0
        f.step = _STEP_CAPTURE
        f.n_held -= 1
        if f.n_held:
            libzmq.zmq_msg_move(&f.held[0], &f.held[1])
            f.more[0] = f.more[1]
        elif not f.mid:
            # a whole message went
            done += 1
            if e.capture_owner == flow:
                e.capture_owner = -1
            if f.dst >= 0:
                f.src_stats[0] += 1
                f.src_stats[1] += f.size
                f.dst_stats[0] += 1
                f.dst_stats[1] += f.size
    return moved


cdef int _sleep(_Engine *e, list socks) except -1:
    # nothing can move: wait until something e.want waits for may be ready,
    # as a waiter of each socket (another thread's call that reads what we
    # wait for, or close(), writes to this thread's wake fd)
    cdef int fds[_MAX_SOCKETS + 1]
    cdef libzmq.zmq_pollitem_t items[_MAX_SOCKETS]
    cdef long keys[_MAX_SOCKETS]
    cdef int i, k = 0, rc, wake_fd
    cdef int listed = 0  # a waiter of sockets 0..listed-1 (those e.want)
    cdef bint ready = False
    cdef long timeout
    if not e.all_fds:
        # a thread-safe (draft) socket has no ZMQ_FD: zmq_poll waits on it
        for i in range(e.n):
            items[i].socket = e.handles[i]
            items[i].fd = 0
            items[i].events = e.want[i]
            items[i].revents = 0
        rc = 0
        timeout = _signal_slice_ms(-1)
        with nogil:
            rc = libzmq.zmq_poll(items, e.n, timeout)
        if rc < 0:
            _errno_unless_interrupted()
        return _check_open(socks)
    wake_fd = _thread_wake_fd()
    for i in range(e.n):
        k |= e.want[i]
    if not k:
        # every flow waits on another (cannot happen): any change will do
        for i in range(e.n):
            e.want[i] = libzmq.ZMQ_POLLIN
    k = 0
    for i in range(e.n):
        if e.want[i]:
            fds[k] = e.zmq_fds[i]
            k += 1
    fds[k] = wake_fd
    try:
        while listed < e.n:
            keys[listed] = wake_fd << 2 | (e.want[listed] & 3)
            # a close() (ENOTSOCK) or a change since _read_events ends the
            # sleep before it starts
            if e.want[listed] and not (<Socket>socks[listed])._start_waiting(
                    keys[listed], e.want[listed]):
                ready = True
                break
            listed += 1
        if not ready:
            _wait_fds(fds, k + 1, -1)
    finally:
        for i in range(listed):
            if e.want[i]:
                (<Socket>socks[i])._stop_waiting(keys[i])
    return _check_open(socks)


cdef int _init_flow(_Engine *e, int flow, int src, int dst, int capture,
                    bytes prefix, int src_stats, int dst_stats) noexcept:
    cdef _Flow *f = &e.flows[flow]
    f.src = src
    f.dst = dst
    f.capture = capture
    f.prefix = NULL
    f.prefix_size = 0
    if prefix is not None and capture >= 0:
        f.prefix = prefix
        f.prefix_size = len(prefix)
    libzmq.zmq_msg_init(&f.held[0])
    libzmq.zmq_msg_init(&f.held[1])
    f.n_held = 0
    f.mid = False
    f.step = _STEP_CAPTURE
    f.size = 0
    f.src_stats = &e.stats[src_stats]
    f.dst_stats = &e.stats[dst_stats]
    return 0


cdef int run_proxy(Socket frontend, Socket backend, Socket capture, Socket control,
                   int control_mode, bytes frontend_prefix, bytes backend_prefix,
                   bint swap_router_ids) except -1:
    cdef _Engine e
    cdef list socks = []
    cdef int i, f_i, b_i, c_i, ctl_i, moved, ran, rc, n_init = 0
    cdef bint looked_again = False
    cdef size_t size
    for sock in (frontend, backend, capture, control):
        if sock is not None and (<Socket>sock)._closed:
            raise_errno(libzmq.ENOTSOCK)
    e.n = 0
    f_i = _index_of(&e, socks, frontend)
    b_i = _index_of(&e, socks, backend)
    c_i = _index_of(&e, socks, capture)
    ctl_i = _index_of(&e, socks, control)
    e.all_fds = True
    for i in range(e.n):
        size = sizeof(int)
        with cython.critical_section(<object>e.socks[i]):
            if (<Socket>e.socks[i])._closed:
                raise_errno(libzmq.ENOTSOCK)
            rc = libzmq.zmq_getsockopt(e.handles[i], libzmq.ZMQ_FD, &e.zmq_fds[i], &size)
        if rc != 0:
            if libzmq.zmq_errno() == libzmq.ETERM:
                raise_errno(libzmq.ETERM)
            e.all_fds = False
            e.zmq_fds[i] = -1
    for i in range(8):
        e.stats[i] = 0
    e.capture_owner = -1
    e.control_mode = control_mode
    e.control_is_rep = control is not None and control.socket_type == libzmq.ZMQ_REP
    e.paused = False
    e.swap_ids = swap_router_ids
    e.unreleased = 0
    e.n_flows = 0
    try:
        if ctl_i >= 0:
            _init_flow(&e, e.n_flows, ctl_i, -1,
                       c_i if control_mode == PROXY_CONTROL_STEER else -1,
                       None, 0, 0)
            e.n_flows += 1
        _init_flow(&e, e.n_flows, f_i, b_i, c_i, frontend_prefix, 0, 6)
        e.n_flows += 1
        if b_i != f_i:
            _init_flow(&e, e.n_flows, b_i, f_i, c_i, backend_prefix, 4, 2)
            e.n_flows += 1
        n_init = e.n_flows
        while True:
            _read_events(&e, socks)
            for i in range(e.n):
                e.want[i] = 0
            moved = ran = 0
            for i in range(e.n_flows):
                if _ready(&e, &e.flows[i], i):
                    _check_open(socks)
                    ran = 1
                    moved |= _run_flow(&e, &e.flows[i], i)
                    if e.n_flows == 0:
                        return 0  # TERMINATE
            if moved:
                # the main thread runs its signal handlers; after a burst
                # without a sleep, other threads that want the GIL get it
                # (as they would from Python code, after the switch
                # interval). Not after every turn: a thread that waits for
                # the GIL would take it each time, and the switches cost
                # more than the moves.
                PyErr_CheckSignals()
                if e.unreleased >= _BURST:
                    e.unreleased = 0
                    with nogil:
                        pass
                looked_again = False
            elif ran and not looked_again:
                # a flow that ZMQ_EVENTS said could move did not: its failed
                # call read commands after this turn's events (what another
                # flow waits for may be ready now, its FD edge taken): one
                # more look before sleeping
                looked_again = True
            else:
                _sleep(&e, socks)
                e.unreleased = 0
                looked_again = False
    finally:
        for i in range(n_init):
            libzmq.zmq_msg_close(&e.flows[i].held[0])
            libzmq.zmq_msg_close(&e.flows[i].held[1])


cdef void *_checked(object sock, str role, bint optional) except? NULL:
    if sock is None:
        if optional:
            return NULL
        raise TypeError(f"{role} must be a zmq.Socket, not None")
    if not isinstance(sock, Socket):
        raise TypeError(f"{role} must be a zmq.Socket, not {type(sock).__name__}")
    if (<Socket>sock)._closed:
        raise_errno(libzmq.ENOTSOCK)
    return (<Socket>sock).handle


def proxy(frontend, backend, capture=None):
    """Forward messages between *frontend* and *backend* in both directions
    (and copy every part to *capture*, if given) until the context is
    terminated (ContextTerminated) or one of the sockets is closed by
    another thread (ZMQError(ENOTSOCK)). Ctrl-C raises KeyboardInterrupt;
    other threads may keep using the sockets."""
    _checked(frontend, "frontend", False)
    _checked(backend, "backend", False)
    _checked(capture, "capture", True)
    run_proxy(frontend, backend, capture, None, PROXY_CONTROL_STEER, None, None, False)


def proxy_steerable(frontend, backend, capture=None, control=None):
    """proxy() that also obeys commands on *control*: b"PAUSE", b"RESUME",
    b"TERMINATE" (returns) and b"STATISTICS" (replies with 8 uint64 frames:
    messages and bytes in and out of the frontend, then of the backend).
    Each command is copied to *capture* too; a REP control socket gets an
    empty reply to the others."""
    _checked(frontend, "frontend", False)
    _checked(backend, "backend", False)
    _checked(capture, "capture", True)
    _checked(control, "control", True)
    run_proxy(frontend, backend, capture, control, PROXY_CONTROL_STEER, None, None,
              False)


def device(device_type, frontend, backend):
    """The old name of proxy(frontend, backend); *device_type* (zmq.QUEUE,
    zmq.FORWARDER, zmq.STREAMER) is accepted and ignored, as in libzmq."""
    return proxy(frontend, backend)
