# SPDX-License-Identifier: BSD-3-Clause
"""Build of zmq-eventloop's Cython module (zmq.eventloop._fastpath, the
compiled half of its future sockets) against the installed zmq-core, as for
any third-party package: zmq.core.build gives the .pxd files, libzmq's
headers and library (rpath-filtered) and the Cython directives zmq-core
itself is built with.

zmq and Cython are imported only when the extension is compiled, so making
the sdist needs neither."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class build_ext_against_zmq_core(build_ext):
    def run(self):
        from zmq.core.build import prepare_extensions

        prepare_extensions(self)
        super().run()


setup(
    ext_modules=[
        Extension("zmq.eventloop._fastpath", ["src/zmq/eventloop/_fastpath.pyx"])
    ],
    cmdclass={"build_ext": build_ext_against_zmq_core},
)
