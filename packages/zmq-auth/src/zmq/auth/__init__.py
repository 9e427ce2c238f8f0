# SPDX-License-Identifier: BSD-3-Clause
"""ZAP authentication for ZeroMQ servers (the zmq-auth distribution).

``zmq.auth`` gives the policy engine (:class:`Authenticator`,
``CURVE_ALLOW_ANY``) and the CURVE certificate files
(:func:`create_certificates`, :func:`load_certificate`,
:func:`load_certificates`). :mod:`zmq.auth.thread` answers requests from a
background thread, :mod:`zmq.auth.asyncio` from the running asyncio loop.
``python -m zmq.auth`` (or ``zmq-auth``) manages certificate files.
"""

from zmq.auth._version import __version__
from zmq.auth.base import CURVE_ALLOW_ANY, Authenticator
from zmq.auth.certs import create_certificates, load_certificate, load_certificates

__all__ = [
    "__version__",
    "Authenticator",
    "CURVE_ALLOW_ANY",
    "create_certificates",
    "load_certificate",
    "load_certificates",
]
