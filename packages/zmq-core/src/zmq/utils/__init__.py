# SPDX-License-Identifier: BSD-3-Clause
"""Helpers under the import paths PyZMQ users know (zmq.utils.z85, ...).

Other distributions add modules here (zmq-serial ships zmq.utils.jsonapi);
extend_path finds them in a development checkout too, where each
distribution has its own src/ folder.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
