# SPDX-License-Identifier: BSD-3-Clause
# makes zmq.core a cimportable package
