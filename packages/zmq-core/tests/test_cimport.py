# SPDX-License-Identifier: BSD-3-Clause
"""The cimport API: a third-party Cython package (examples/cython) is built
against the installed zmq-core the way one from an index would be (zmq-core
as a build requirement, found in the wheelhouse tox built), then run."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "cython"
WHEELHOUSE = os.environ.get("ZMQ_WHEELHOUSE")


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    if not WHEELHOUSE:
        pytest.skip("ZMQ_WHEELHOUSE (set by tox) names the zmq-core wheel to build against")
    out = tmp_path_factory.mktemp("cimport")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--find-links", WHEELHOUSE, "-w", str(out / "wheels"), str(EXAMPLE)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list((out / "wheels").glob("zmq_cython_example-*.whl"))
    assert len(wheels) == 1
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "--target", str(out / "site"), str(wheels[0])],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    return out / "site"


def test_third_party_extension_calls_zmq_core_at_c_level(example_site):
    code = textwrap.dedent(
        """
        import zmq
        import zmq_cython_example as ex

        assert ex.libzmq_version() == zmq.zmq_version_info()
        with zmq.Context() as ctx:
            assert ex.context_address(ctx) == ctx.underlying
            pull = ctx.socket(zmq.PULL)
            pull.rcvtimeo = 5000
            pull.bind("inproc://cython")
            push = ctx.socket(zmq.PUSH)
            push.sndtimeo = 5000
            push.connect("inproc://cython")
            assert ex.send_copies(push, b"abc", 1000) == 1000
            assert ex.recv_total(pull, 1000) == 3000
            push.send(b"frame")
            assert ex.frame_size(pull.recv(copy=False)) == 5
            # errors raised in the C path reach the caller as usual
            pull.setsockopt(zmq.RCVTIMEO, 10)
            try:
                ex.recv_total(pull, 1)
            except zmq.Again:
                print("timeout raised")
            push.close(linger=0)
            pull.close()
            try:
                ex.send_copies(push, b"x", 1)
            except zmq.ZMQError as e:
                print("closed socket:", e.errno == zmq.ENOTSOCK)
        print("ok")
        """
    )
    path = [str(example_site)] + [p for p in [os.environ.get("PYTHONPATH")] if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert run.returncode == 0, run.stderr
    assert "timeout raised" in run.stdout
    assert "closed socket: True" in run.stdout
    assert run.stdout.strip().endswith("ok")
