# SPDX-License-Identifier: BSD-3-Clause
"""The watcher CLI (python -m zmq.log) against a publishing process."""

import json
import signal
import subprocess
import sys
import textwrap
import time

PUBLISHER = textwrap.dedent(
    """
    import logging, sys, time
    import zmq
    from zmq.log.handlers import PUBHandler, TopicLogger
    handler = PUBHandler(sys.argv[1], root_topic="demo", json=sys.argv[2] == "json")
    log = TopicLogger("demo")
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    pub = handler.socket
    end = time.monotonic() + 20
    while time.monotonic() < end:   # until the watcher has had enough
        log.info("db", "query took %d ms", 12)
        log.warning("net.tcp", "retrying")
        pub.send_multipart([b"garbage"])            # a malformed message
        time.sleep(0.05)
    """
)


def run_watcher(tmp_path, mode, *watcher_args):
    url = f"ipc://{tmp_path}/log"
    publisher = subprocess.Popen([sys.executable, "-c", PUBLISHER, url, mode])
    try:
        watcher = subprocess.run(
            [sys.executable, "-m", "zmq.log", url, *watcher_args],
            capture_output=True, text=True, timeout=30,
        )
    finally:
        publisher.kill()
        publisher.wait()
    return watcher


def test_watcher_prints_plain_records(tmp_path):
    out = run_watcher(tmp_path, "plain", "--count", "4", "--align")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 4
    assert any("INFO" in line and "demo.INFO.db" in line and "query took 12 ms" in line
               for line in lines)
    assert any("WARNING" in line and "demo.WARNING.net.tcp" in line for line in lines)
    # the time column comes first
    time.strptime(lines[0][:19], "%Y-%m-%d %H:%M:%S")
    assert "malformed" in out.stderr  # garbage reported, watcher kept going


def test_watcher_topic_filter_and_json(tmp_path):
    out = run_watcher(tmp_path, "json", "--count", "3", "--json", "--topic", "demo.WARNING")
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert len(records) == 3
    assert all(r["topic"] == "demo.WARNING.net.tcp" for r in records)
    assert all(r["message"] == "retrying" and r["levelname"] == "WARNING" for r in records)


def test_watcher_stops_on_sigterm(tmp_path):
    url = f"ipc://{tmp_path}/quiet"
    watcher = subprocess.Popen([sys.executable, "-m", "zmq.log", url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # its status line says it is ready (and its SIGTERM handler set)
    assert watcher.stderr.readline().startswith("zmq-log: watching")
    watcher.send_signal(signal.SIGTERM)
    try:
        watcher.wait(10)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0


def test_watcher_bad_endpoint():
    out = subprocess.run([sys.executable, "-m", "zmq.log", "nope://x"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "cannot connect to nope://x" in out.stderr
