# SPDX-License-Identifier: BSD-3-Clause
"""PUBHandler and TopicLogger over real PUB/SUB sockets."""

import json
import logging
import threading

import pytest
from conftest import subscriber
from zmq_testkit import drain, endpoint, make_socket, until_received

import zmq
from zmq.log.handlers import PUBHandler, TopicLogger


def test_handler_from_socket_topics_and_formatters(ctx, logger):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    handler = PUBHandler(pub)
    handler.root_topic = "app"
    logger.addHandler(handler)
    sub = subscriber(ctx, url)
    until_received(sub, lambda: logger.info("warming up"))
    drain(sub)
    logger.info("plain info")
    assert sub.recv_multipart() == [b"app.INFO", b"plain info\n"]
    logger.warning("disk::almost full")
    topic, body = sub.recv_multipart()
    assert topic == b"app.WARNING.disk"
    assert body.startswith(b"WARNING test_handlers.py:") and body.endswith(b"almost full\n")
    handler.setFormatter(logging.Formatter("<%(message)s>"), logging.ERROR)
    logger.error("custom")
    assert sub.recv_multipart() == [b"app.ERROR", b"<custom>"]
    handler.setFormatter(logging.Formatter("all: %(message)s"))
    logger.debug("everything")
    assert sub.recv_multipart()[1] == b"all: everything"
    assert handler.formatters[logging.INFO]._fmt == "all: %(message)s"


def test_handler_from_endpoint_owns_its_socket(ctx, logger):
    handler = PUBHandler("tcp://127.0.0.1:*", context=ctx, root_topic=b"bytes-root")
    url = handler.socket.last_endpoint.decode()
    assert handler.root_topic == "bytes-root"
    logger.addHandler(handler)
    sub = subscriber(ctx, url)
    topic, _ = until_received(sub, lambda: logger.info("hi"))
    assert topic == b"bytes-root.INFO"
    logger.removeHandler(handler)
    handler.close()
    assert handler.socket.closed


def test_topic_logger(ctx):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    handler = PUBHandler(pub, root_topic="root")
    log = TopicLogger("topic-logger-test")
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    sub = subscriber(ctx, url)
    until_received(sub, lambda: log.info("warm", "up"))
    drain(sub)
    log.warning("db.pool", "%d connections left", 2)
    topic, body = sub.recv_multipart()
    assert topic == b"root.WARNING.db.pool"
    assert body.endswith(b"2 connections left\n")
    log.log(logging.ERROR, "net", "down")
    assert sub.recv_multipart()[0] == b"root.ERROR.net"


def test_json_records(ctx, logger):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    logger.addHandler(PUBHandler(pub, json=True))
    sub = subscriber(ctx, url)
    until_received(sub, lambda: logger.info("warm"))
    drain(sub)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        logger.exception("math::failed %s", "badly", extra={"request_id": 7, "obj": object()})
    topic, body = sub.recv_multipart()
    assert topic == b"ERROR.math"
    fields = json.loads(body)
    assert fields["message"] == "failed badly"
    assert fields["levelname"] == "ERROR"
    assert "ZeroDivisionError" in fields["exc_text"]
    assert fields["extra"]["request_id"] == 7
    assert fields["extra"]["obj"].startswith("<object object")


def test_never_raises_or_blocks_when_it_cannot_send(ctx, logger):
    pub = ctx.socket(zmq.PUB)
    pub.linger = 0
    pub.sndhwm = 1
    pub.bind("tcp://127.0.0.1:*")
    handler = PUBHandler(pub)
    logger.addHandler(handler)
    for i in range(50):  # no subscriber: PUB drops, never blocks
        logger.info("nobody listens %d", i)
    pub.close()
    errors = []
    handler.handleError = lambda record: errors.append(record)
    logger.info("socket closed")  # dropped and reported, never raised
    assert handler.dropped == 1
    assert len(errors) == 1


def test_full_queue_drops_and_counts(ctx, logger):
    # a PUB drops silently at its high-water mark; an XPUB with XPUB_NODROP
    # says EAGAIN instead, which the handler counts (and never waits on)
    pub = ctx.socket(zmq.XPUB)
    pub.linger = 0
    pub.sndhwm = 5
    pub.xpub_nodrop = 1
    pub.bind("inproc://log-full")
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.rcvhwm = 5  # before connecting: the pipe's size is fixed then
    sub.subscribe(b"")
    sub.connect("inproc://log-full")
    handler = PUBHandler(pub)
    logger.addHandler(handler)
    until_received(sub, lambda: logger.info("warm"))
    pub.recv()  # the XPUB's subscription message
    for i in range(500):
        logger.info("flood %d", i)  # returns at once even at the high-water mark
    assert handler.dropped > 0


def test_non_string_unicode_and_huge_messages(ctx, logger):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    logger.addHandler(PUBHandler(pub))
    sub = subscriber(ctx, url)
    until_received(sub, lambda: logger.info("warm"))
    drain(sub)
    logger.info({"a": 1})
    assert sub.recv_multipart()[1] == b"{'a': 1}\n"
    logger.info("ünïcödé ✓ — 日本")
    assert sub.recv_multipart()[1].decode("utf-8") == "ünïcödé ✓ — 日本\n"
    big = "x" * 5_000_000
    logger.info(big)
    assert len(sub.recv_multipart()[1]) == len(big) + 1
    logger.info("surrogate \udcff")  # not encodable: replaced, not raised
    assert sub.recv_multipart()[1] == b"surrogate ?\n"


def test_many_threads_one_handler(ctx, logger):
    url = endpoint("inproc", "log")
    pub = ctx.socket(zmq.PUB)
    pub.linger = 0
    pub.sndhwm = 0
    pub.bind(url)
    handler = PUBHandler(pub)
    logger.addHandler(handler)
    sub = subscriber(ctx, url)
    sub.rcvhwm = 0
    until_received(sub, lambda: logger.info("warm"))
    drain(sub)
    n_threads, per_thread = 8, 300

    def spam(t):
        for i in range(per_thread):
            logger.info("t%d-%d", t, i)

    threads = [threading.Thread(target=spam, args=(t,)) for t in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    got = [sub.recv_multipart() for _ in range(n_threads * per_thread)]
    # every record arrived whole: two frames, an intact body
    assert all(len(m) == 2 and m[1].startswith(b"t") and m[1].endswith(b"\n") for m in got)
    per = {}
    for _, body in got:
        t, i = body.decode().strip()[1:].split("-")
        per.setdefault(t, []).append(int(i))
    assert all(v == list(range(per_thread)) for v in per.values())
    assert handler.dropped == 0


def test_bad_constructor_arguments(ctx):
    with pytest.raises(TypeError):
        PUBHandler(42)
    with pytest.raises(zmq.ZMQError):
        PUBHandler("nope://x", context=ctx)


def test_blank_root_topic_reaches_a_subscriber_that_just_subscribed(ctx, logger):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    handler = PUBHandler(pub)
    handler.setRootTopic(b"")
    logger.addHandler(handler)
    everything = subscriber(ctx, url)
    until_received(everything, lambda: logger.debug("sync"))
    drain(everything)
    # subscribed right after a send: libzmq's PUB must still take the new
    # subscription in before the next record (a send alone looks for new
    # subscriptions at most once a millisecond)
    logger.debug("warm")
    only_info = subscriber(ctx, url, b"INFO")
    logger.debug("debug message")
    logger.info("info message")
    assert everything.recv_multipart()[0] == b"DEBUG"
    assert everything.recv_multipart()[0] == b"DEBUG"
    assert everything.recv_multipart() == [b"INFO", b"info message\n"]
    assert only_info.recv_multipart() == [b"INFO", b"info message\n"]
    assert only_info.poll(50) == 0
    for s in (everything, only_info):
        s.close()


def test_handler_terminates_the_context_it_made():
    url = endpoint("inproc", "log")
    handler = PUBHandler(url)
    made = handler.ctx
    handler.close()
    assert handler.socket.closed and made.closed
    # a context it was given stays the caller's
    given = zmq.Context()
    try:
        handler = PUBHandler(url, context=given)
        handler.close()
        assert handler.socket.closed and not given.closed
    finally:
        given.term()
    # a failed bind leaves nothing behind either
    with pytest.raises(zmq.ZMQError):
        PUBHandler("nope://x")


def test_records_logged_just_before_close_reach_the_subscriber(logger):
    # the handler binds (and owns) its socket; the subscriber has joined
    # (one record through), then records are logged and the handler closed
    # at once: the ones still queued are sent before the socket goes
    url = endpoint("tcp", "log")
    handler = PUBHandler(url)
    url = handler.socket.last_endpoint.decode()
    logger.addHandler(handler)
    ctx = zmq.Context()
    sub = subscriber(ctx, url)
    try:
        until_received(sub, lambda: logger.info("join"))
        drain(sub)
        body = "x" * 100_000
        count = 200
        for n in range(count):
            logger.info("%d %s", n, body)
        logger.removeHandler(handler)
        handler.close()
        received = [sub.recv_multipart() for _ in range(count)]
        assert [int(m[1].split()[0]) for m in received] == list(range(count))
        assert handler.dropped == 0
    finally:
        sub.close()
        ctx.term()


def test_record_logged_right_after_the_handler_is_made_arrives(ctx, logger):
    # ipyparallel's shape: the collector's SUB binds, each process connects
    # a PUB and wraps it in a handler; once the subscriber has joined (one
    # message through), the first record the new handler sends arrives
    sub = make_socket(ctx, zmq.SUB, bind=endpoint("tcp", "log"))
    sub.subscribe(b"")
    pub = make_socket(ctx, zmq.PUB, connect=sub.last_endpoint.decode())
    until_received(sub, lambda: pub.send_multipart([b"join", b""]))
    drain(sub)
    handler = PUBHandler(pub)
    handler.root_topic = "scheduler"
    logger.addHandler(handler)
    logger.info("started")
    assert sub.recv_multipart() == [b"scheduler.INFO", b"started\n"]
    assert handler.dropped == 0
    logger.removeHandler(handler)
    handler.close()
    assert not pub.closed  # the caller's socket stays open
