# SPDX-License-Identifier: BSD-3-Clause
# PyZMQ 27's cimport path for the classes' C-level declarations:
# ``from zmq.backend.cython._zmq cimport Socket``.
from zmq.core.context cimport Context
from zmq.core.cdecl.libzmq cimport zmq_msg_t
from zmq.core.message cimport Frame, MessageTracker
from zmq.core.socket cimport Socket
