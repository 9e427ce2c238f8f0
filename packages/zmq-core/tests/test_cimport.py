# SPDX-License-Identifier: BSD-3-Clause
"""The cimport API: a third-party Cython package (examples/cython) is built
against the installed zmq-core the way one from an index would be (zmq-core
as a build requirement, found in the wheelhouse tox built), then run."""

import textwrap

import pytest
from conftest import REPO, build_against_zmq_core, run_with

EXAMPLE = REPO / "examples" / "cython"
# building the package against the wheel (pip wheel: up to 600 s) counts in
# the timeout of the first test that uses it
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    return build_against_zmq_core(EXAMPLE, tmp_path_factory.mktemp("cimport"))


def test_third_party_extension_calls_zmq_core_at_c_level(example_site):
    code = textwrap.dedent(
        """
        import zmq
        import zmq_cython_example as ex
        from zmq_testkit import connected_pair

        assert ex.libzmq_version() == zmq.zmq_version_info()
        with zmq.Context() as ctx:
            assert ex.context_address(ctx) == ctx.underlying
            pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
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
    run = run_with(example_site, code)
    assert run.returncode == 0, run.stderr
    assert "timeout raised" in run.stdout
    assert "closed socket: True" in run.stdout
    assert run.stdout.strip().endswith("ok")


def test_cython_written_for_pyzmq_builds_and_runs_unchanged(example_site):
    """examples/cython's pyzmq_style module: PyZMQ's cimport paths,
    libzmq.ZMQ_* constants and libzmq calls on Socket handles, over real
    sockets (inproc and tcp)."""
    code = textwrap.dedent(
        """
        import errno
        import zmq
        from zmq_cython_example import pyzmq_style as ex

        assert ex.send_recv_frame(b"my msg") == b"my msg"
        with zmq.Context() as ctx:
            for url in ("inproc://parts", "tcp://127.0.0.1:*"):
                pull = ctx.socket(zmq.PULL)
                pull.linger = 0
                pull.bind(url)
                push = ctx.socket(zmq.PUSH)
                push.linger = 0
                push.connect(pull.last_endpoint.decode())
                assert ex.socket_type(push) == zmq.PUSH
                assert ex.send_parts(push, [b"a", b"", b"c" * 1000]) == 3
                assert ex.recv_parts(pull, 5000) == [b"a", b"", b"c" * 1000]
                # libzmq calls and Python calls mix on one socket
                push.send_multipart([b"x", b"yz"])
                assert ex.recv_parts(pull, 5000) == [b"x", b"yz"]
                ex.send_parts(push, [b"head", b"tail"])
                head = pull.recv(copy=False)
                assert ex.frame_info(head) == (4, True)
                assert pull.recv() == b"tail"
                try:
                    ex.recv_parts(pull, 10)
                except zmq.ZMQError as e:
                    print("nothing to receive:", e.errno == errno.EAGAIN)
                try:
                    ex.join_group(push, b"group")
                except zmq.ZMQError as e:
                    # a PUSH socket joins no group, draft API or not
                    print("join:", e.errno == zmq.ENOTSUP)
                push.close()
                pull.close()
                try:
                    ex.socket_type(push)
                except zmq.ZMQError as e:
                    print("closed socket:", e.errno == zmq.ENOTSOCK)
        assert ex.run_timer(1, 3) == 3
        print("draft:", ex.built_with_draft_api())
        print("ok")
        """
    )
    run = run_with(example_site, code)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.count("nothing to receive: True") == 2, out
    assert out.count("join: True") == 2, out
    assert out.count("closed socket: True") == 2, out
    assert out.strip().endswith("ok")
