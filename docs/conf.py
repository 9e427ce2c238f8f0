# SPDX-License-Identifier: BSD-3-Clause
"""Sphinx configuration of the zmq-stack documentation."""

project = "zmq-stack"
author = "zmq-stack developers"
copyright = "2026, zmq-stack developers"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
autodoc_member_order = "bysource"
autodoc_typehints = "none"
nitpicky = False
html_theme = "alabaster"
exclude_patterns = ["_build"]

# Signatures embedded by Cython name types such as ``Socket`` unqualified,
# and zmq.Socket, zmq.core.socket.Socket and zmq.asyncio.Socket all match.
suppress_warnings = ["ref.python"]
