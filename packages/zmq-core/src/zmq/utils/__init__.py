# SPDX-License-Identifier: BSD-3-Clause
"""Helpers under the import paths PyZMQ users know (zmq.utils.z85, ...).

Other distributions add modules here (zmq-serial ships zmq.utils.jsonapi),
installed into this same folder; a development checkout, where each
distribution has its own src/ folder, joins them with its venv's finder
(ci/dev_builds.py).
"""
