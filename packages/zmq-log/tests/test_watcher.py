# SPDX-License-Identifier: BSD-3-Clause
"""The watcher CLI (python -m zmq.log) against a publishing process."""

import json
import signal
import sys
import time

from zmq_testkit import Child, endpoint, run

# Publishes on an XPUB: the watcher's subscription arriving there is the
# handshake, after which every record reaches the watcher; then it publishes
# a few rounds and waits to be killed.
PUBLISHER = """
    import logging, sys
    import zmq
    from zmq.log.handlers import PUBHandler, TopicLogger
    ctx = zmq.Context()
    xpub = ctx.socket(zmq.XPUB)
    xpub.linger = 0
    xpub.rcvtimeo = 20000
    xpub.bind(sys.argv[1])
    print("ready", flush=True)
    xpub.recv()   # the watcher's subscription
    handler = PUBHandler(xpub, root_topic="demo", json=sys.argv[2] == "json")
    log = TopicLogger("demo")
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    for _ in range(5):
        log.info("db", "query took %d ms", 12)
        log.warning("net.tcp", "retrying")
        xpub.send_multipart([b"garbage"])            # a malformed message
    print("published", flush=True)
    xpub.poll(20000)   # until killed: the watcher reads at its own pace
"""


def run_watcher(mode, *watcher_args):
    url = endpoint("ipc", "log")
    with Child.python(PUBLISHER, url, mode, ready="ready"):
        return run([sys.executable, "-m", "zmq.log", url, *watcher_args], timeout=30)


def test_watcher_prints_plain_records():
    out = run_watcher("plain", "--count", "4", "--align")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 4
    assert any("INFO" in line and "demo.INFO.db" in line and "query took 12 ms" in line
               for line in lines)
    assert any("WARNING" in line and "demo.WARNING.net.tcp" in line for line in lines)
    # the time column comes first
    time.strptime(lines[0][:19], "%Y-%m-%d %H:%M:%S")
    assert "malformed" in out.stderr  # garbage reported, watcher kept going


def test_watcher_topic_filter_and_json():
    out = run_watcher("json", "--count", "3", "--json", "--topic", "demo.WARNING")
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert len(records) == 3
    assert all(r["topic"] == "demo.WARNING.net.tcp" for r in records)
    assert all(r["message"] == "retrying" and r["levelname"] == "WARNING" for r in records)


def test_watcher_stops_on_sigterm():
    url = endpoint("ipc", "quiet")
    # its status line says it is ready (and its SIGTERM handler set)
    with Child([sys.executable, "-m", "zmq.log", url], ready="zmq-log: watching",
               ready_stream="stderr") as watcher:
        assert watcher.stop(signal.SIGTERM, timeout=10)[0] == 0


def test_watcher_bad_endpoint():
    out = run([sys.executable, "-m", "zmq.log", "nope://x"], timeout=30)
    assert out.returncode == 2
    assert "cannot connect to nope://x" in out.stderr
