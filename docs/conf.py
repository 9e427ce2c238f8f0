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
