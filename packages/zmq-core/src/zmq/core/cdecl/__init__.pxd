# SPDX-License-Identifier: BSD-3-Clause
# zmq-core's C declarations and headers: libzmq.pxd (all of zmq.h, public
# through ``from zmq cimport libzmq``), zmq_compat.h (its stand-ins for a
# libzmq without drafts), zero_copy_release.h (the zero-copy bookkeeping,
# compiled into zmq.core.zerocopy only) and pytype.pxd (class attributes on
# Cython classes). This file makes the folder a cimportable package.
