# SPDX-License-Identifier: BSD-3-Clause
# Wrong: LINGER is an int option, ROUTING_ID a bytes option.
import zmq

s = zmq.Context().socket(zmq.DEALER)
s.linger = b"0"  # wrong
s.routing_id = 7  # wrong
