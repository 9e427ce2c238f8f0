# SPDX-License-Identifier: BSD-3-Clause
# Makes zmq.backend a cimportable package: PyZMQ 27's cimport paths under
# zmq.backend.cython resolve here too (Cython cannot cimport through a
# namespace package, cython#5335).
