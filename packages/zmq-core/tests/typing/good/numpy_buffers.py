# SPDX-License-Identifier: BSD-3-Clause
# Correct code: NumPy arrays and scalars go wherever a buffer goes. mypy
# (default and --strict) must accept it, also when checking for a Python
# older than 3.12, whose NumPy stubs declare no buffer protocol (before
# zmq.core.buffers it failed there).
import numpy as np

import zmq


def arrays(a: zmq.Socket, b: zmq.Socket) -> int:
    arr = np.arange(10, dtype=np.int64)
    scalar = np.float64(2.5)
    a.send(arr)
    a.send(arr, copy=False)
    a.send(scalar)
    tracker: zmq.MessageTracker = a.send(arr, copy=False, track=True)
    a.send_multipart([b"head", arr, scalar, memoryview(b"m")])
    frame = zmq.Frame(arr)
    a.send(frame)
    into = np.zeros(10, dtype=np.int64)
    n: int = b.recv_into(into)
    tracker.wait()
    return n
