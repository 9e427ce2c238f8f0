# SPDX-License-Identifier: BSD-3-Clause
"""Helpers under the import paths PyZMQ users know (zmq.utils.z85, ...)."""
