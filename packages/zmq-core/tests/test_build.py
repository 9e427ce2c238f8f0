# SPDX-License-Identifier: BSD-3-Clause
"""zmq.core.build, the build conventions for packages that cimport zmq-core
(zmq-devices uses it): a package built with the recipe of its docstring
compiles, links libzmq and runs; system library folders are not recorded
as an rpath."""

import os
import textwrap

import pytest
from conftest import build_against_zmq_core, cimporting_project, run_with

import zmq
from zmq.core import build

# the build_ext of zmq.core.build's docstring
SETUP = '''
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class build_ext_against_zmq_core(build_ext):
    def run(self):
        from zmq.core.build import prepare_extensions

        prepare_extensions(self)
        super().run()


setup(
    ext_modules=[Extension("zmq_build_user", ["zmq_build_user.pyx"])],
    cmdclass={"build_ext": build_ext_against_zmq_core},
)
'''
SOURCE = '''
from zmq cimport Socket, check_rc, libzmq


def send_copies(Socket sock, bytes payload, int count):
    """Send payload count times through zmq-core's C-level send."""
    cdef int i
    for i in range(count):
        sock._send_bytes(<const char *>payload, len(payload), 0)
    return count


def linger_of(Socket sock):
    cdef int value = -2
    cdef size_t size = sizeof(int)
    check_rc(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_LINGER, &value, &size))
    return value
'''


def test_rpath_leaves_out_what_the_loader_searches_anyway():
    dirs = ["/usr/lib/x86_64-linux-gnu", "/opt/libzmq/lib", "/usr/lib/", "/lib64", "/home/u/lib"]
    assert build.rpath(dirs) == ["/opt/libzmq/lib", "/home/u/lib"]


def test_extension_options_name_zmq_core_and_its_libzmq():
    options = build.extension_options()
    assert options["include_dirs"] == zmq.get_includes()
    assert options["library_dirs"] == zmq.get_library_dirs()
    assert options["runtime_library_dirs"] == build.rpath(zmq.get_library_dirs())
    assert options["libraries"] == ["zmq"]
    # the folder holding zmq/__init__.pxd is on the include path
    assert any(os.path.isfile(os.path.join(d, "zmq", "__init__.pxd"))
               for d in options["include_dirs"])


@pytest.fixture(scope="module")
def user_site(tmp_path_factory):
    project = cimporting_project(tmp_path_factory.mktemp("build-user"), "zmq-build-user",
                                 {"setup.py": SETUP, "zmq_build_user.pyx": SOURCE})
    return build_against_zmq_core(project, tmp_path_factory.mktemp("build-user-out"))


def test_package_built_with_the_conventions_runs(user_site):
    code = textwrap.dedent(
        """
        import zmq
        import zmq_build_user as ext

        # zmq-core's Cython directives: signatures embedded in Python syntax
        print(ext.send_copies.__doc__.splitlines()[0])
        with zmq.Context() as ctx:
            pull = ctx.socket(zmq.PULL)
            pull.rcvtimeo = 5000
            pull.bind("inproc://build-user")
            push = ctx.socket(zmq.PUSH)
            push.sndtimeo = 5000
            push.linger = 7
            push.connect("inproc://build-user")
            assert ext.send_copies(push, b"abc", 3) == 3
            assert [pull.recv() for _ in range(3)] == [b"abc"] * 3
            assert ext.linger_of(push) == 7
            push.close(linger=0)
            pull.close()
            try:
                ext.linger_of(push)
            except zmq.ZMQError as e:
                print("closed:", e.errno == zmq.ENOTSOCK)
        print("ok")
        """
    )
    run = run_with(user_site, code)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.split("\n")
    assert lines[0] == "send_copies(sock: Socket, payload: bytes, count: int)", lines[0]
    assert "closed: True" in run.stdout
    assert run.stdout.strip().endswith("ok")
