# SPDX-License-Identifier: BSD-3-Clause
"""LogReceiver re-emits remote records into the local logging tree."""

import logging
import threading
import time

import pytest
from zmq_testkit import drain, endpoint, make_socket, until_received

import zmq
from zmq.log.handlers import LogReceiver, PUBHandler, parse_message


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.arrived = threading.Event()

    def emit(self, record):
        self.records.append(record)
        self.arrived.set()


@pytest.mark.parametrize("use_json", [True, False])
def test_records_are_rebuilt_and_re_emitted(ctx, logger, use_json):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    logger.addHandler(PUBHandler(pub, root_topic="svc", json=use_json))
    local = logging.getLogger("local-sink")
    local.propagate = False
    sink = Collect()
    local.addHandler(sink)
    receiver = LogReceiver(url, context=ctx, logger=local)
    until_received(receiver.socket, lambda: logger.info("warm"))
    drain(receiver.socket)
    sink.records.clear()
    try:
        raise KeyError("missing")
    except KeyError:
        logger.error("job::failed %d", 3, exc_info=True, extra={"job": "j-1"})
    record = receiver.receive(timeout=5)
    assert record is not None
    assert sink.records == [record]
    assert record.levelno == logging.ERROR
    assert record.topic == "svc.ERROR.job"
    if use_json:
        assert record.getMessage() == "failed 3"
        assert record.name == logger.name
        assert record.job == "j-1"
        assert "KeyError" in record.exc_text
        formatted = logging.Formatter("%(message)s").format(record)
        assert "Traceback" in formatted
    else:
        assert "failed 3" in record.getMessage()
    local.removeHandler(sink)
    receiver.close()


def test_malformed_messages_are_skipped_with_a_warning(ctx):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    receiver = LogReceiver(url, context=ctx, logger=logging.getLogger("sink2"))
    until_received(receiver.socket, lambda: pub.send_multipart([b"INFO", b"warm"]))
    drain(receiver.socket)
    pub.send_multipart([b"one frame only"])
    with pytest.warns(RuntimeWarning, match="malformed"):
        assert receiver.receive(timeout=5) is None
    pub.send_multipart([b"INFO", b"\xff\xfe not utf-8"])
    with pytest.warns(RuntimeWarning):
        assert receiver.receive(timeout=5) is None
    pub.send_multipart([b"app.WARNING", b"fine\n"])
    record = receiver.receive(timeout=5)
    assert record.levelname == "WARNING" and record.getMessage() == "fine"
    assert receiver.skipped == 2 and receiver.received == 1
    receiver.close()


def test_background_receiver(ctx, logger):
    url = endpoint("inproc", "log")
    pub = make_socket(ctx, zmq.PUB, bind=url)
    logger.addHandler(PUBHandler(pub, json=True))
    sink = Collect()
    target = logging.getLogger("bg-sink")
    target.propagate = False
    target.addHandler(sink)
    receiver = LogReceiver(url, context=ctx, logger=target)
    receiver.start()
    deadline = time.monotonic() + 5
    # publish until the receiver's subscription has landed (slow joiner)
    while not sink.records and time.monotonic() < deadline:
        logger.warning("hello from afar")
        sink.arrived.wait(0.02)
    receiver.close()
    assert sink.records and sink.records[0].getMessage() == "hello from afar"
    target.removeHandler(sink)


def test_parse_message_plain_levels():
    record = parse_message([b"root.CRITICAL.sub", b"boom\n"])
    assert record.levelno == logging.CRITICAL
    assert record.getMessage() == "boom"
    assert parse_message([b"no-level", b"x"]).levelname == "INFO"


def test_subhandler_is_a_deprecated_name_of_logreceiver():
    import zmq.log.handlers as handlers

    with pytest.warns(DeprecationWarning, match="use LogReceiver"):
        assert handlers.SUBHandler is LogReceiver
    with pytest.warns(DeprecationWarning, match="SUBHandler is deprecated"):
        from zmq.log.handlers import SUBHandler  # noqa: F401
    assert "SUBHandler" not in handlers.__all__
    with pytest.raises(AttributeError, match="no attribute 'SUBHandlr'"):
        handlers.SUBHandlr  # noqa: B018
