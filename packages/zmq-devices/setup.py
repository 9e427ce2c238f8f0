# SPDX-License-Identifier: BSD-3-Clause
"""Build of zmq-devices' Cython monitored queue against the installed
zmq-core: zmq.get_includes()/get_library_dirs() give the .pxd files, the
headers and libzmq, as for any third-party package.

zmq and Cython are imported only when the extension is compiled, so making
the sdist needs neither."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class build_ext_against_zmq_core(build_ext):
    def run(self):
        from Cython.Build import cythonize

        import zmq

        for ext in self.extensions:
            ext.include_dirs += zmq.get_includes()
            ext.library_dirs += zmq.get_library_dirs()
            ext.runtime_library_dirs += zmq.get_library_dirs()
        generated = cythonize(
            self.extensions,
            build_dir=f"{self.build_temp}/cython",
            compiler_directives={
                "language_level": "3",
                "embedsignature": True,
                "embedsignature.format": "python",
            },
        )
        # setuptools has already prepared these Extension objects: keep them
        sources = {ext.name: ext.sources for ext in generated}
        for ext in self.extensions:
            ext.sources = sources[ext.name]
        super().run()


setup(
    ext_modules=[
        Extension("zmq.devices.monitoredqueue", ["src/zmq/devices/monitoredqueue.pyx"],
                  libraries=["zmq"])
    ],
    cmdclass={"build_ext": build_ext_against_zmq_core},
)
