# SPDX-License-Identifier: BSD-3-Clause
"""Build of the example extension: zmq.get_includes() and
zmq.get_library_dirs() give everything a cimport of zmq needs."""

from Cython.Build import cythonize
from setuptools import Extension, setup

import zmq

extension = Extension(
    "zmq_cython_example.fastpath",
    ["src/zmq_cython_example/fastpath.pyx"],
    include_dirs=zmq.get_includes(),
    library_dirs=zmq.get_library_dirs(),
    runtime_library_dirs=zmq.get_library_dirs(),
    libraries=["zmq"],
)

setup(ext_modules=cythonize([extension], compiler_directives={"language_level": "3"}))
