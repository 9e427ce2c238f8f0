# SPDX-License-Identifier: BSD-3-Clause
"""C-level interface of zmq.core.proxy: the forwarding loop behind proxy(),
proxy_steerable(), device() and zmq-devices' monitored_queue(), for cimport
(``from zmq cimport run_proxy``)."""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport capi  # noqa

from zmq.core.socket cimport Socket


# what the control socket of run_proxy obeys
cdef enum:
    # PAUSE, RESUME, TERMINATE and STATISTICS, as libzmq's zmq_proxy_steerable;
    # each command is copied to the capture socket, as libzmq does
    PROXY_CONTROL_STEER = 1
    # TERMINATE only (monitored_queue's ctrl_socket); nothing is copied
    PROXY_CONTROL_TERMINATE = 2


# Forward whole messages between frontend and backend in both directions
# (one direction if they are the same socket) until the context ends
# (ContextTerminated), a socket is closed (ZMQError(ENOTSOCK)) or control,
# if given, says TERMINATE: then returns 0. capture, if given, gets a copy
# of every part, each message preceded by frontend_prefix (for a message
# from the frontend) or backend_prefix as an extra first frame when these
# are not None. swap_router_ids: the first two frames of each message are
# forwarded in swapped order (ROUTER to ROUTER). Every libzmq call is made
# holding the GIL; the waits release it (see docs/threads.rst).
cdef int run_proxy(Socket frontend, Socket backend, Socket capture, Socket control,
                   int control_mode, bytes frontend_prefix, bytes backend_prefix,
                   bint swap_router_ids) except -1
