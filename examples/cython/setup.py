# SPDX-License-Identifier: BSD-3-Clause
"""Build of the example extensions: zmq.get_includes() and
zmq.get_library_dirs() give everything a cimport of zmq needs."""

from Cython.Build import cythonize
from setuptools import Extension, setup

import zmq

extensions = [
    Extension(
        f"zmq_cython_example.{name}",
        [f"src/zmq_cython_example/{name}.pyx"],
        include_dirs=zmq.get_includes(),
        library_dirs=zmq.get_library_dirs(),
        runtime_library_dirs=zmq.get_library_dirs(),
        libraries=["zmq"],
    )
    # fastpath: zmq-core's C-level methods; pyzmq_style: Cython written for
    # PyZMQ, which builds unchanged against zmq-core
    for name in ("fastpath", "pyzmq_style")
]

setup(ext_modules=cythonize(extensions, compiler_directives={"language_level": "3"}))
