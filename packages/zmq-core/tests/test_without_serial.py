# SPDX-License-Identifier: BSD-3-Clause
"""With zmq-core alone, the serialisation methods say what to install."""

import importlib.util

import pytest

import zmq

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zmq.serial") is not None,
    reason="zmq-serial is installed here; its own tests cover these methods",
)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.send_json({"a": 1}),
        lambda s: s.recv_json(),
        lambda s: s.send_pyobj(1),
        lambda s: s.recv_pyobj(),
        lambda s: s.send_serialized(1, lambda m: [b"x"]),
        lambda s: s.recv_serialized(lambda f: f),
        lambda s: s.send_msgpack(1),
        lambda s: s.recv_msgpack(),
        lambda s: s.send_array(b"x"),
        lambda s: s.recv_array(),
    ],
)
def test_serialisation_methods_name_the_distribution(ctx, call):
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    with pytest.raises(ImportError, match="pip install zmq-serial"):
        call(s)
    s.close()
