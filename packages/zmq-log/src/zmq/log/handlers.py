# SPDX-License-Identifier: BSD-3-Clause
"""Logging handlers that publish records over a PUB socket, and the
receiving side.

Publishing::

    handler = PUBHandler("tcp://127.0.0.1:12345")   # or an existing PUB socket
    handler.root_topic = "myapp"
    logging.getLogger().addHandler(handler)
    logging.getLogger("db").warning("disk::almost full")   # topic myapp.WARNING.disk

Each record is a two-frame message: the topic ``<root>.<LEVEL>[.<subtopic>]``
(the subtopic comes from a ``"subtopic::message"`` message, or from
:class:`TopicLogger`) and the record formatted by the formatter of its level
(:attr:`PUBHandler.formatters`). With ``json=True`` the second frame is
instead a JSON object of the record's fields (time, level, logger, message,
exception text, ``extra`` fields...), which :class:`LogReceiver` turns back
into a :class:`logging.LogRecord`.

The handler never blocks the application and never raises into it: it sends
without waiting, and a record that cannot go out (no subscriber connected
yet is fine, but a full queue at the high-water mark or a closed socket is
not) is dropped and counted in :attr:`PUBHandler.dropped`. Records from many
threads are serialised by the handler's lock, which
:meth:`logging.Handler.handle` holds around :meth:`~PUBHandler.emit`, so the
PUB socket is never used by two threads at once.
"""

import json
import logging
import time
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import zmq
from zmq.core.osthread import OSEvent, OSThread

TOPIC_DELIM = "::"

# how long close() lets records still queued on a socket the handler made
# reach their subscribers (a record logged just before close is not lost;
# an unreachable subscriber cannot make close() hang)
CLOSE_LINGER_MS = 2000

# LogRecord attributes that are not ``extra`` fields
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime",
}


def _default_formatters() -> dict[int, logging.Formatter]:
    detailed = logging.Formatter("%(levelname)s %(filename)s:%(lineno)d - %(message)s\n")
    return {
        logging.DEBUG: detailed,
        logging.INFO: logging.Formatter("%(message)s\n"),
        logging.WARNING: detailed,
        logging.ERROR: logging.Formatter(
            "%(levelname)s %(filename)s:%(lineno)d - %(message)s - %(exc_info)s\n"
        ),
        logging.CRITICAL: detailed,
    }


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


def record_to_dict(record: logging.LogRecord, message: str | None = None) -> dict[str, Any]:
    """The fields of *record* as a JSON-ready dict (``extra`` fields under
    ``"extra"``, values JSON cannot hold as their repr)."""
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    return {
        "name": record.name,
        "levelno": record.levelno,
        "levelname": record.levelname,
        "message": record.getMessage() if message is None else message,
        "created": record.created,
        "pathname": record.pathname,
        "filename": record.filename,
        "module": record.module,
        "lineno": record.lineno,
        "funcName": record.funcName,
        "process": record.process,
        "processName": record.processName,
        "thread": record.thread,
        "threadName": record.threadName,
        "exc_text": record.exc_text,
        "stack_info": record.stack_info,
        "extra": {
            key: _jsonable(value)
            for key, value in vars(record).items()
            if key not in _RECORD_FIELDS and not key.startswith("_")
        },
    }


class PUBHandler(logging.Handler):
    """PUBHandler(interface_or_socket, context=None, root_topic="", json=False)

    A logging handler that publishes records on a PUB socket: an existing
    one, or one bound to the given endpoint (on *context*, or a new context),
    which the handler then owns and closes in :meth:`close` (and a context
    it made, it terminates there too), after giving the records still queued
    up to :data:`CLOSE_LINGER_MS` to reach their subscribers.
    """

    def __init__(self, interface_or_socket: zmq.Socket | str, context: zmq.Context | None = None,
                 root_topic: str = "", json: bool = False) -> None:
        logging.Handler.__init__(self)
        self.root_topic = root_topic
        self.json = json
        self.formatters = _default_formatters()
        self.dropped = 0
        self._owns_socket = False
        self._owns_context = False
        self.socket: zmq.Socket
        self.ctx: zmq.Context | None
        if isinstance(interface_or_socket, zmq.Socket):
            self.socket = interface_or_socket
            self.ctx = interface_or_socket.context
        elif isinstance(interface_or_socket, str):
            self._owns_context = context is None
            self.ctx = context or zmq.Context()
            self.socket = self.ctx.socket(zmq.PUB)
            try:
                self.socket.bind(interface_or_socket)
            except zmq.ZMQError:
                self.socket.close(linger=0)
                if self._owns_context:
                    self.ctx.term()
                raise
            self._owns_socket = True
        else:
            raise TypeError(
                "PUBHandler needs a zmq PUB socket or an endpoint string,"
                f" not {type(interface_or_socket).__name__}"
            )

    @property
    def root_topic(self) -> str:
        """The first part of every topic ("" for none)."""
        return self._root_topic

    @root_topic.setter
    def root_topic(self, value: str | bytes) -> None:
        self.setRootTopic(value)

    def setRootTopic(self, root_topic: str | bytes) -> None:
        """Set the first part of every topic."""
        if isinstance(root_topic, bytes):
            root_topic = root_topic.decode("utf-8")
        self._root_topic = root_topic

    def setFormatter(self, fmt: logging.Formatter | None, level: int = logging.NOTSET) -> None:
        """Use *fmt* for records of *level*, or for all levels by default
        (None: logging's default format, as for any handler)."""
        if fmt is None:
            fmt = logging.Formatter()
        if level == logging.NOTSET:
            for known in list(self.formatters):
                self.formatters[known] = fmt
        else:
            self.formatters[level] = fmt

    def format(self, record: logging.LogRecord) -> str:
        formatter = self.formatters.get(record.levelno)
        if formatter is None:
            # a custom level: use the formatter of the nearest lower level
            known = [level for level in self.formatters if level <= record.levelno]
            formatter = self.formatters[max(known)] if known else logging.Formatter()
        return formatter.format(record)

    def _topic(self, record: logging.LogRecord) -> tuple[str, Any]:
        subtopic = ""
        message = record.msg
        if isinstance(message, str) and TOPIC_DELIM in message:
            subtopic, message = message.split(TOPIC_DELIM, 1)
        parts = [p for p in (self._root_topic, record.levelname, subtopic) if p]
        return ".".join(parts), message

    def emit(self, record: logging.LogRecord) -> None:
        """Publish *record*; never blocks, never raises (see the class notes)."""
        try:
            topic, message = self._topic(record)
            if message is not record.msg:
                record = logging.makeLogRecord(dict(vars(record), msg=message))
            if self.json:
                body = json.dumps(record_to_dict(record), ensure_ascii=False)
            else:
                body = self.format(record)
            frames = [topic.encode("utf-8", "replace"), body.encode("utf-8", "replace")]
        except Exception:
            self.handleError(record)
            return
        try:
            # reading EVENTS makes libzmq take in subscriptions that arrived
            # since the last send (a send alone looks at them at most once a
            # millisecond): a subscriber that just subscribed gets this record
            self.socket.get(zmq.EVENTS)
            self.socket.send_multipart(frames, zmq.NOBLOCK)
        except zmq.Again:
            self.dropped += 1  # at the high-water mark: drop, never wait
        except zmq.ZMQError:
            self.dropped += 1
            self.handleError(record)

    def close(self) -> None:
        """Close the handler, and the socket (and context) if the handler
        made it."""
        if self._owns_socket and not self.socket.closed:
            self.socket.close(linger=CLOSE_LINGER_MS)
        ctx = self.ctx
        if self._owns_context and ctx is not None and not ctx.closed:
            ctx.term()
        logging.Handler.close(self)


class TopicLogger(logging.Logger):
    """A Logger whose methods take a topic before the message.

    For example::

        logger.warning("disk.sda", "%d%% full", 93)   # topic <root>.WARNING.disk.sda
    """

    # the topic comes before the message: not Logger.log's signature (as in PyZMQ)
    def log(self, level: int, topic: str, msg: Any,  # type: ignore[override]
            *args: Any, **kwargs: Any) -> None:
        """Log ``msg % args`` at *level* under *topic*."""
        logging.Logger.log(self, level, f"{topic}{TOPIC_DELIM}{msg}", *args, **kwargs)


def _topic_method(name: str) -> Any:
    base = getattr(logging.Logger, name)

    def method(self: logging.Logger, topic: str, msg: Any, *args: Any, **kwargs: Any) -> None:
        base(self, f"{topic}{TOPIC_DELIM}{msg}", *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"Like Logger.{name}, with a topic before the message."
    return method


for _name in ("debug", "info", "warning", "error", "exception", "critical", "fatal"):
    setattr(TopicLogger, _name, _topic_method(_name))


if TYPE_CHECKING:

    class ReceivedRecord(logging.LogRecord):
        """For type checkers: what parse_message() and LogReceiver.receive()
        give, a plain LogRecord that also carries the message's ``topic``."""

        topic: str


class MalformedRecord(ValueError):
    """A message on a log socket that is not a PUBHandler record."""


def parse_message(frames: Sequence[Any], received: float | None = None) -> "ReceivedRecord":
    """A :class:`logging.LogRecord` from a PUBHandler message (plain or
    JSON). Raises :class:`MalformedRecord` for anything else."""
    if len(frames) != 2:
        raise MalformedRecord(f"a log record has 2 frames (topic, record), got {len(frames)}")
    try:
        topic = bytes(frames[0]).decode("utf-8")
        body = bytes(frames[1]).decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedRecord(f"a log record is utf-8 text: {e}") from None
    fields = None
    if body.startswith("{"):
        try:
            fields = json.loads(body)
        except ValueError:
            fields = None
    if isinstance(fields, dict) and "levelno" in fields and "message" in fields:
        extra = fields.pop("extra", None) or {}
        message = fields.pop("message")
        record = logging.makeLogRecord({**extra, **fields, "msg": message, "args": None})
    else:
        levelname = _level_from_topic(topic)
        record = logging.makeLogRecord({
            "name": topic,
            "msg": body.rstrip("\n"),
            "levelname": levelname,
            "levelno": logging.getLevelName(levelname)
            if isinstance(logging.getLevelName(levelname), int) else logging.INFO,
            "created": received if received is not None else time.time(),
        })
    record.topic = topic
    return cast("ReceivedRecord", record)


def _level_from_topic(topic: str) -> str:
    for part in topic.split("."):
        if isinstance(logging.getLevelName(part), int):
            return part
    return "INFO"


class LogReceiver:
    """LogReceiver(interface_or_socket, context=None, topic="", logger=None)

    The receiving side: a SUB socket (connected to one or more endpoints, or
    given) whose records are rebuilt as :class:`logging.LogRecord` and handed
    to *logger* (by default the local logger of the record's name), so remote
    logs flow through the local logging configuration. Malformed messages are
    skipped with a :class:`RuntimeWarning`; the receiver keeps running.
    """

    def __init__(self, interface_or_socket: zmq.Socket | str | Sequence[str],
                 context: zmq.Context | None = None, topic: str | bytes = "",
                 logger: logging.Logger | None = None) -> None:
        self.logger = logger
        self.received = 0
        self.skipped = 0
        self._thread: OSThread | None = None
        self._stop = OSEvent()
        if isinstance(interface_or_socket, zmq.Socket):
            self.socket = interface_or_socket
            self._owns_socket = False
        else:
            endpoints = (
                [interface_or_socket] if isinstance(interface_or_socket, str)
                else list(interface_or_socket)
            )
            self.socket = (context or zmq.Context.instance()).socket(zmq.SUB)
            self.socket.linger = 0
            for endpoint in endpoints:
                self.socket.connect(endpoint)
            self._owns_socket = True
        self.socket.subscribe(topic.encode("utf-8") if isinstance(topic, str) else topic)

    def receive(self, timeout: float | None = None) -> "ReceivedRecord | None":
        """Wait up to *timeout* seconds (None: forever) for one record,
        re-emit it and return it; None on timeout or a skipped message."""
        timeout_ms = None if timeout is None else int(timeout * 1000)
        if not self.socket.poll(timeout_ms):
            return None
        frames = self.socket.recv_multipart()
        try:
            record = parse_message(frames)
        except MalformedRecord as e:
            self.skipped += 1
            warnings.warn(f"skipped a malformed log message: {e}", RuntimeWarning, stacklevel=2)
            return None
        self.received += 1
        logger = self.logger or logging.getLogger(record.name)
        logger.handle(record)
        return record

    def start(self) -> None:
        """Receive and re-emit records in a background thread until stop()."""
        def loop() -> None:
            while not self._stop.is_set():
                self.receive(timeout=0.1)

        # an OS thread even under gevent's or eventlet's monkey-patching: as a
        # greenlet, its wait in libzmq would freeze every other greenlet
        self._thread = OSThread(target=loop, name="zmq-log-receiver", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the background thread started by start()."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        self.stop()
        if self._owns_socket and not self.socket.closed:
            self.socket.close(linger=CLOSE_LINGER_MS)


if TYPE_CHECKING:
    SUBHandler = LogReceiver
else:

    def __getattr__(name):
        # SUBHandler: LogReceiver's first name, kept for the code that used it;
        # it read as a logging.Handler, which a receiver is not
        if name == "SUBHandler":
            warnings.warn(
                "zmq.log.handlers.SUBHandler is deprecated: use LogReceiver (the same"
                " class; it receives records, it is no logging.Handler)",
                DeprecationWarning,
                stacklevel=2,
            )
            return LogReceiver
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "TOPIC_DELIM",
    "PUBHandler",
    "TopicLogger",
    "LogReceiver",
    "MalformedRecord",
    "parse_message",
    "record_to_dict",
]
