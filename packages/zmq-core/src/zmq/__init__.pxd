# SPDX-License-Identifier: BSD-3-Clause
# The cimport API: ``from zmq cimport Context, Socket, Frame, libzmq``.
from zmq.core cimport libzmq
from zmq.core.context cimport Context
from zmq.core.message cimport Frame, MessageTracker
from zmq.core.socket cimport Socket
