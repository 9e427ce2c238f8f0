# SPDX-License-Identifier: BSD-3-Clause
"""Free-threaded CPython (issue #22): importing zmq leaves the GIL off, and
threads that share sockets with no GIL at all lose, duplicate or tear no
message. The stress test runs on every build (with the GIL it checks the
same serialisation, by other means); on a free-threaded one it moves 10^6
messages. Each runs in a child process, which a crash would take down."""

import sysconfig

import pytest
from zmq_testkit import run_python

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))

# every distribution of the stack installed here, imported
IMPORT_ALL = """
import importlib, sys, warnings
warnings.simplefilter("error", RuntimeWarning)
import zmq
names = ["zmq.devices", "zmq.asyncio", "zmq.eventloop.future", "zmq.eventloop.zmqstream",
         "zmq.serial", "zmq.auth", "zmq.log.handlers", "zmq.utils.monitor", "zmq.utils.z85"]
imported = []
for name in names:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        continue  # its distribution is not installed here
    imported.append(name)
ctx = zmq.Context()
a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
a.bind("inproc://gil"); b.connect("inproc://gil")
tracker = a.send(b"x" * 100_000, copy=False, track=True)
frame = b.recv(copy=False)
del frame
tracker.wait(5)
a.close(); b.close(); ctx.term()
print(sys._is_gil_enabled(), " ".join(imported))
"""


@pytest.mark.skipif(not FREE_THREADED, reason="needs a free-threaded CPython (3.13t, 3.14t)")
def test_import_leaves_the_gil_off():
    # an extension that does not declare free-threading support turns the
    # GIL back on when imported (with a RuntimeWarning)
    result = run_python(IMPORT_ALL, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    gil, *imported = result.stdout.split()
    assert gil == "False", f"the GIL came back on: {result.stderr}"
    assert "zmq.utils.z85" in imported


# 4 sending and 4 receiving threads share one PUSH and one PULL socket over
# inproc, with a small HWM so that both sides wait. The senders mix plain
# sends, two-part messages, zero-copy sends with trackers and non-blocking
# sends after Socket.poll; the receivers mix recv_multipart with and
# without copy, and Socket.poll then a non-blocking recv_multipart. Once
# every message has arrived, the main thread closes the PULL socket under
# the blocked receivers: each must leave with ENOTSOCK. Prints
# "ok <messages> <seconds>".
STRESS = """
import sys, threading, time
import zmq

total = int(sys.argv[1])
SENDERS = RECEIVERS = 4
per_sender = total // SENDERS
total = per_sender * SENDERS
ctx = zmq.Context()
push, pull = ctx.socket(zmq.PUSH), ctx.socket(zmq.PULL)
for s in (push, pull):
    s.linger = 0
push.sndhwm = pull.rcvhwm = 100
push.copy_threshold = 0  # every copy=False send is zero-copy
pull.bind("inproc://stress")
push.connect("inproc://stress")

failures = []
trackers = []
received = [[] for _ in range(RECEIVERS)]
count_lock = threading.Lock()
count = 0
all_in = threading.Event()


def sender(i):
    try:
        for seq in range(per_sender):
            kind = seq % 4
            if kind == 0:
                push.send(b"%d %d" % (i, seq))
            elif kind == 1:
                push.send_multipart([b"%d" % i, b"%d" % seq])
            elif kind == 2:
                tracker = push.send(bytearray(b"%d %d" % (i, seq)), copy=False, track=True)
                if seq % 1000 == 2:
                    trackers.append(tracker)
            else:
                while True:
                    try:
                        push.send(b"%d %d" % (i, seq), zmq.NOBLOCK)
                        break
                    except zmq.Again:
                        push.poll(1000, zmq.POLLOUT)
    except BaseException as e:
        failures.append(f"sender {i}: {e!r}")


def receiver(j):
    global count
    mine = received[j]
    n = 0
    try:
        while True:
            kind = n % 3
            n += 1
            if kind == 0:
                parts = pull.recv_multipart()
            elif kind == 1:
                parts = [f.bytes for f in pull.recv_multipart(copy=False)]
            else:
                if not pull.poll(1000):
                    continue
                try:
                    parts = pull.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    continue  # another receiver took it
            mine.append(parts)
            with count_lock:
                count += 1
                if count == total:
                    all_in.set()
    except zmq.ZMQError as e:
        if e.errno != zmq.ENOTSOCK:
            failures.append(f"receiver {j}: {e!r}")
    except BaseException as e:
        failures.append(f"receiver {j}: {e!r}")


start = time.monotonic()
threads = [threading.Thread(target=sender, args=(i,)) for i in range(SENDERS)]
threads += [threading.Thread(target=receiver, args=(j,)) for j in range(RECEIVERS)]
for t in threads:
    t.start()
if not all_in.wait(240):
    print(f"only {count} of {total} messages arrived; failures: {failures}")
    sys.exit(1)
elapsed = time.monotonic() - start
# every receiver now waits in recv_multipart or poll: close under them
pull.close()
for t in threads:
    t.join(10)
    if t.is_alive():
        print("a thread is still blocked 10 s after close()")
        sys.exit(1)
if failures:
    print("failures:", failures[:5])
    sys.exit(1)
for tracker in trackers:
    tracker.wait(10)
seen = set()
for mine in received:
    for parts in mine:
        if len(parts) == 1:
            key = tuple(parts[0].split())
        elif len(parts) == 2:
            key = (parts[0], parts[1])
        else:
            print(f"a message of {len(parts)} parts: {parts!r}")
            sys.exit(1)
        if key in seen:
            print(f"duplicated: {key!r}")
            sys.exit(1)
        seen.add(key)
expected = {(b"%d" % i, b"%d" % seq) for i in range(SENDERS) for seq in range(per_sender)}
if seen != expected:
    print(f"lost {len(expected - seen)}, unexpected {len(seen - expected)}")
    sys.exit(1)
push.close()
ctx.term()
print(f"ok {len(seen)} {elapsed:.1f}")
"""


def test_eight_threads_share_sockets_with_nothing_lost():
    messages = 1_000_000 if FREE_THREADED else 100_000
    result = run_python(STRESS, messages, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert result.stdout.split()[:2] == ["ok", str(messages)], result.stdout
