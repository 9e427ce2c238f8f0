# SPDX-License-Identifier: BSD-3-Clause
# Wrong: none of these is a buffer.
import zmq

s = zmq.Context().socket(zmq.PUSH)
s.send("text")  # wrong
s.send_multipart([b"a", 1])  # wrong
zmq.Frame(2.5)  # wrong
s.recv_into([0, 0])  # wrong
