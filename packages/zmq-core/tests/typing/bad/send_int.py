# SPDX-License-Identifier: BSD-3-Clause
# Wrong: an int is not a buffer.
import zmq

zmq.Context().socket(zmq.PUSH).send(123)  # wrong
