# SPDX-License-Identifier: BSD-3-Clause
"""The log watcher: ``python -m zmq.log ENDPOINT [ENDPOINT...]`` (or ``zmq-log``).

Subscribes to PUBHandler publishers and prints each record as
``time LEVEL topic | message``. ``--topic`` keeps only topics starting with a
prefix (repeatable), ``--align`` pads topics into columns, ``--json`` prints
one JSON object per record instead. Plain and JSON records are both
understood; a malformed message is reported on stderr and skipped.
"""

import argparse
import json
import signal
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

import zmq
from zmq.log.handlers import MalformedRecord, parse_message, record_to_dict

if TYPE_CHECKING:
    from zmq.log.handlers import ReceivedRecord


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="zmq-log",
        description="Print log records published by zmq.log.handlers.PUBHandler.",
    )
    parser.add_argument("endpoints", nargs="+", metavar="ENDPOINT",
                        help="publisher endpoint(s) to connect to, e.g. tcp://127.0.0.1:12345")
    parser.add_argument("-t", "--topic", action="append", default=[],
                        help="only records whose topic starts with this (repeatable)")
    parser.add_argument("--align", action="store_true",
                        help="pad topics so messages line up in a column")
    parser.add_argument("--json", action="store_true", help="print each record as a JSON line")
    parser.add_argument("--separator", default=" | ", help="between topic and message")
    parser.add_argument("--dateformat", default="%Y-%m-%d %H:%M:%S",
                        help="strftime format of the time column")
    parser.add_argument("--count", type=int, default=0,
                        help="exit after printing this many records (0: run until stopped)")
    return parser.parse_args(argv)


class Printer:
    def __init__(self, args: argparse.Namespace, out: TextIO = sys.stdout) -> None:
        self.args = args
        self.out = out
        self.width = 0

    def show(self, record: "ReceivedRecord") -> None:
        if self.args.json:
            fields = record_to_dict(record)
            fields["topic"] = record.topic
            self.out.write(json.dumps(fields, ensure_ascii=False) + "\n")
        else:
            when = datetime.fromtimestamp(record.created).strftime(self.args.dateformat)
            topic = record.topic
            if self.args.align:
                self.width = max(self.width, len(topic))
                topic = topic.ljust(self.width)
            message = record.getMessage().rstrip("\n")
            if record.exc_text and record.exc_text not in message:
                message = f"{message}\n{record.exc_text}"
            self.out.write(f"{when} {record.levelname:<8} {topic}{self.args.separator}{message}\n")
        self.out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    try:
        for endpoint in args.endpoints:
            sub.connect(endpoint)
    except zmq.ZMQError as e:
        print(f"zmq-log: error: cannot connect to {endpoint}: {e.strerror}", file=sys.stderr)
        return 2
    for topic in args.topic or [""]:
        sub.subscribe(topic)
    printer = Printer(args)
    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    # a status line on stderr (stdout holds only records): from here on a
    # SIGTERM stops the watcher cleanly
    print(f"zmq-log: watching {', '.join(args.endpoints)}", file=sys.stderr, flush=True)
    shown = 0
    try:
        while not stopping:
            if not sub.poll(200):
                continue
            frames = sub.recv_multipart()
            try:
                record = parse_message(frames, received=time.time())
            except MalformedRecord as e:
                print(f"zmq-log: warning: skipped a malformed message: {e}", file=sys.stderr,
                      flush=True)
                continue
            printer.show(record)
            shown += 1
            if args.count and shown >= args.count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        sub.close()
        ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
