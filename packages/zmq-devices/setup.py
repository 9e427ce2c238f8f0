# SPDX-License-Identifier: BSD-3-Clause
"""Build of zmq-devices' Cython monitored queue against the installed
zmq-core: zmq.get_includes()/get_library_dirs() give the .pxd files, the
headers and libzmq, as for any third-party package."""

from Cython.Build import cythonize
from setuptools import Extension, setup

import zmq

extension = Extension(
    "zmq.devices.monitoredqueue",
    ["src/zmq/devices/monitoredqueue.pyx"],
    include_dirs=zmq.get_includes(),
    library_dirs=zmq.get_library_dirs(),
    runtime_library_dirs=zmq.get_library_dirs(),
    libraries=["zmq"],
)

setup(
    ext_modules=cythonize(
        [extension],
        compiler_directives={
            "language_level": "3",
            "embedsignature": True,
            "embedsignature.format": "python",
        },
    )
)
