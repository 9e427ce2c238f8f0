# SPDX-License-Identifier: BSD-3-Clause
# Wrong: recv() gives bytes, recv(copy=False) a Frame.
import zmq

s = zmq.Context().socket(zmq.PULL)
n: int = s.recv()  # wrong
f: bytes = s.recv(copy=False)  # wrong
