# SPDX-License-Identifier: BSD-3-Clause
# PyZMQ 27's cimport path for the C API:
# ``from zmq.backend.cython cimport libzmq``, ``from zmq.backend.cython.libzmq
# cimport zmq_msg_t``. Every name of zmq-core's libzmq.pxd, under PyZMQ's path.
from zmq.core.cdecl.libzmq cimport *
