# SPDX-License-Identifier: BSD-3-Clause
# The cimport API: ``from zmq cimport Context, Socket, Frame, libzmq``, and
# ``check_rc``/``raise_errno`` for libzmq errors (zmq/core/error.pxd).
from zmq.core.cdecl cimport libzmq
from zmq.core.context cimport Context
from zmq.core.error cimport check_rc, raise_errno
from zmq.core.message cimport Frame, MessageTracker
from zmq.core.socket cimport Socket
# the C-API version this extension is built against (see zmq/core/capi.pxd)
from zmq.core.capi cimport ZMQ_CORE_CAPI_VERSION
# the forwarding loop of proxy()/proxy_steerable() (zmq-devices' monitored_queue)
from zmq.core.proxy cimport PROXY_CONTROL_STEER, PROXY_CONTROL_TERMINATE, run_proxy
