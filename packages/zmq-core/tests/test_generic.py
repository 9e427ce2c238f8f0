# SPDX-License-Identifier: BSD-3-Clause
"""Context and Socket take type parameters, as PyZMQ's Generic classes do
(test_context.py checks the aliases): what programs do with them at run time
works too, in subclasses, class bodies and as constructors."""

from typing import Any, get_origin

import zmq


def test_subclass_alias_names_the_subclass():
    class MyContext(zmq.Context):
        pass

    assert get_origin(MyContext[Any]) is MyContext


def test_annotation_in_a_class_body_evaluates():
    # what ipykernel's SubshellThread does at import
    class Holder:
        context: zmq.Context[Any]
        socket: zmq.Socket[Any]

    assert get_origin(Holder.__annotations__["context"]) is zmq.Context


def test_calling_the_alias_makes_a_working_context():
    ctx = zmq.Context[Any]()
    try:
        assert type(ctx) is zmq.Context
        sock = ctx.socket(zmq.PAIR)
        sock.linger = 0
        port = sock.bind_to_random_port("tcp://127.0.0.1")
        assert port > 0
        sock.close()
    finally:
        ctx.destroy(linger=0)
