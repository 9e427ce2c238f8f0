# SPDX-License-Identifier: BSD-3-Clause
# PyZMQ 27's cimport path for the classes:
# ``from zmq.backend.cython cimport Context, Frame, Socket, libzmq``.
# The same zmq-core classes as ``from zmq cimport ...``, under PyZMQ's path.
from zmq.core.context cimport Context
from zmq.core.message cimport Frame, MessageTracker
from zmq.core.socket cimport Socket
