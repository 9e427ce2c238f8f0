# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's install support: the check for PyZMQ installed in the same
folder (``_coinstall``), the "pip install <distribution>" error for a
``zmq.*`` module another distribution ships (``distributions``) and the
``zmq-pip-without-pyzmq`` command (``pip_without_pyzmq``)."""
