# SPDX-License-Identifier: BSD-3-Clause
# Wrong: send() returns None with copy=True, and a tracker only with
# copy=False and track=True (or a tracked Frame's: maybe None).
import zmq

s = zmq.Context().socket(zmq.PUSH)
t: zmq.MessageTracker = s.send(b"x", track=True)  # wrong
u: zmq.MessageTracker = s.send(b"x", copy=False)  # wrong
v: zmq.MessageTracker = s.send(zmq.Frame(b"x", track=True))  # wrong
version: int = zmq.zmq_version()  # wrong
zmq.Context.shadow_pyczmq()  # wrong
