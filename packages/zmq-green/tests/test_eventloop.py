# SPDX-License-Identifier: BSD-3-Clause
"""zmq.green.eventloop: ZMQStream over a green socket, on Tornado's IOLoop."""

import pytest

import zmq.green as zmq

pytest.importorskip("tornado")

from zmq.green.eventloop.ioloop import IOLoop  # noqa: E402
from zmq.green.eventloop.zmqstream import ZMQStream  # noqa: E402


def test_zmqstream_echo_over_green_sockets(green_ctx):
    loop = IOLoop(make_current=False)
    try:
        server = green_ctx.socket(zmq.ROUTER)
        server.linger = 0
        server.bind("tcp://127.0.0.1:*")
        client = green_ctx.socket(zmq.DEALER)
        client.linger = 0
        client.connect(server.last_endpoint.decode())
        received = []

        async def main():
            stream = ZMQStream(server, io_loop=loop)
            stream.on_recv(lambda msg: (stream.send_multipart(msg), received.append(msg)))
            client_stream = ZMQStream(client)  # the current loop: this one
            assert client_stream.io_loop is loop
            replies = []
            done = loop.asyncio_loop.create_future()

            def on_reply(msg):
                replies.append(msg)
                if len(replies) == 3:
                    done.set_result(None)

            client_stream.on_recv(on_reply)
            for i in range(3):
                client_stream.send(b"%d" % i)
            await done
            stream.close()
            client_stream.close()
            return replies

        replies = loop.run_sync(main, timeout=30)
        assert replies == [[b"0"], [b"1"], [b"2"]]
        assert [m[-1] for m in received] == [b"0", b"1", b"2"]
    finally:
        loop.close(all_fds=False)
