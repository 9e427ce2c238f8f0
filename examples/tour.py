# SPDX-License-Identifier: BSD-3-Clause
"""A short tour of the stack: each step uses real sockets and prints what
happened. Run it with `bash ci/tour.sh` (which builds and installs what it needs).

Steps for distributions that are not installed are skipped with a note.
"""

import sys
import threading
import time

import zmq

TIMEOUT_MS = 5000


def step(title):
    print(f"\n== {title}")


def configured(sock):
    sock.linger = 0
    sock.rcvtimeo = TIMEOUT_MS
    sock.sndtimeo = TIMEOUT_MS
    return sock


def connected_pair(ctx, bound_type, connected_type, endpoint):
    """A socket of *bound_type* bound to *endpoint* (``tcp://127.0.0.1:*``:
    a free port) and one of *connected_type* connected to it, both
    configured; the endpoint bound is ``bound.last_endpoint``."""
    bound = configured(ctx.socket(bound_type))
    bound.bind(endpoint)
    connected = configured(ctx.socket(connected_type))
    connected.connect(bound.last_endpoint.decode())
    return bound, connected


def tour_versions():
    step("versions")
    print(f"libzmq {zmq.zmq_version()}, PyZMQ API level {zmq.pyzmq_version()},"
          f" zmq-core {zmq.core.__version__}, draft API: {zmq.DRAFT_API},"
          f" CURVE: {zmq.has('curve')}")


def tour_req_rep(ctx):
    step("REQ/REP over tcp on 127.0.0.1")
    rep, req = connected_pair(ctx, zmq.REP, zmq.REQ, "tcp://127.0.0.1:*")
    with rep, req:
        t0 = time.perf_counter()
        rounds = 1000
        for i in range(rounds):
            req.send(b"ping %d" % i)
            rep.send(rep.recv().replace(b"ping", b"pong"))
            reply = req.recv()
        elapsed = time.perf_counter() - t0
        print(f"{rounds} round trips on {rep.last_endpoint.decode()}, last reply {reply!r},"
              f" {elapsed / rounds * 1e6:.1f} us per round trip")


def tour_pub_sub(ctx):
    step("PUB/SUB with topic filtering (inproc)")
    pub, sub = connected_pair(ctx, zmq.PUB, zmq.SUB, "inproc://tour-pub")
    with pub, sub:
        sub.subscribe(b"weather")
        # a SUB socket sees nothing until its subscription reached the PUB:
        # publish until the first message arrives
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not sub.poll(10):
            pub.send_multipart([b"weather", b"warming up"])
            if time.monotonic() > deadline:
                sys.exit("subscription never arrived")
        sub.recv_multipart()
        pub.send_multipart([b"sports", b"not for this subscriber"])
        pub.send_multipart([b"weather", b"sunny, 21C"])
        topic, body = sub.recv_multipart()
        print(f"subscriber got {topic.decode()}: {body.decode()}"
              " (the sports topic was filtered out)")


def tour_zero_copy(ctx):
    step("zero-copy PUSH/PULL with a MessageTracker")
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "tcp://127.0.0.1:*")
    with pull, push:
        payload = bytearray(b"z" * (1 << 20))
        tracker = push.send(payload, copy=False, track=True)
        frame = pull.recv(copy=False)
        tracker.wait(TIMEOUT_MS / 1000)
        print(f"sent 1 MiB without copying it; tracker done: {tracker.done};"
              f" received a Frame of {len(frame)} bytes from socket type"
              f" {frame.get('Socket-Type')} at {frame.get('Peer-Address')}")


def tour_router_dealer_poller(ctx):
    step("ROUTER/DEALER with a Poller")
    router = configured(ctx.socket(zmq.ROUTER))
    router.bind("inproc://tour-router")
    dealers = []
    for name in (b"alice", b"bob"):
        d = configured(ctx.socket(zmq.DEALER))
        d.routing_id = name
        d.connect("inproc://tour-router")
        d.send_string(f"hello from {name.decode()}")
        dealers.append(d)
    for _ in dealers:
        who, text = router.recv_multipart()
        router.send_multipart([who, b"welcome " + who])
    poller = zmq.Poller()
    for d in dealers:
        poller.register(d, zmq.POLLIN)
    seen: dict[bytes, str] = {}
    while len(seen) < len(dealers):
        for sock, _ in poller.poll(TIMEOUT_MS):
            seen[sock.routing_id] = sock.recv_string()
    for name, reply in sorted(seen.items()):
        print(f"dealer {name.decode()} got {reply!r}")
    for d in dealers:
        d.close()
    router.close()


def tour_blocking_thread(ctx):
    step("a blocking recv releases the GIL")
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc://tour-gil")
    with pull, push:
        got = []
        t = threading.Thread(target=lambda: got.append(pull.recv()))
        t.start()
        counted = sum(range(200_000))  # the main thread keeps running meanwhile
        push.send(b"done counting")
        t.join(TIMEOUT_MS / 1000)
        print(f"main thread counted to {counted} while the other waited;"
              f" it received {got[0]!r}")


def installed(module, distribution):
    import importlib.util

    if importlib.util.find_spec(module) is None:
        print(f"\n== ({distribution} is not installed: skipping its step)")
        return False
    return True


def tour_serial(ctx):
    step("zmq-serial: JSON, signed pickles and zero-copy numpy arrays")
    import numpy

    import zmq.serial

    a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc://tour-serial")
    with a, b:
        b.send_json({"sensor": "t1", "celsius": 21.5})
        print(f"recv_json gave {a.recv_json()}")
        key = b"tour key: 32 bytes of shared secret"
        b.send_pyobj({"pickled": (1, 2, 3)}, key=key)
        print(f"a signed pickle, checked before unpickling: {a.recv_pyobj(key=key)}")
        b.send_pyobj("unsigned")
        try:
            a.recv_pyobj(key=key)
        except zmq.serial.SignatureError as e:
            print(f"an unsigned one was refused: {e}")
        grid = numpy.arange(12.0).reshape(3, 4)
        b.send_array(grid)
        got = a.recv_array()
        print(f"recv_array gave a {got.shape} {got.dtype} array,"
              f" equal: {bool((got == grid).all())}")


def tour_devices(ctx):
    step("zmq-devices: a monitored queue in a background thread")
    from zmq.devices import ThreadMonitoredQueue

    queue = ThreadMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB, b"in", b"out")
    queue.bind_in("inproc://tour-clients")
    queue.bind_out("inproc://tour-workers")
    queue.bind_mon("inproc://tour-monitor")
    queue.start()
    tap = configured(ctx.socket(zmq.SUB))
    tap.subscribe(b"")
    tap.connect("inproc://tour-monitor")
    client = configured(ctx.socket(zmq.REQ))
    client.connect("inproc://tour-clients")
    worker = configured(ctx.socket(zmq.REP))
    worker.connect("inproc://tour-workers")
    time.sleep(0.1)  # the tap's subscription reaches the monitor socket
    client.send(b"job 42")
    print(f"worker got {worker.recv()!r} through the queue")
    worker.send(b"result 42")
    print(f"client got {client.recv()!r} back")
    for _ in range(2):
        prefix, *frames = tap.recv_multipart()
        print(f"monitor saw {prefix.decode()}: {frames[-1]!r}")
    queue.stop()
    print(f"queue stopped: {queue.done}")
    for s in (tap, client, worker):
        s.close()


def tour_log(ctx):
    step("zmq-log: logging over PUB/SUB, re-emitted on the other side")
    import logging

    from zmq.log.handlers import LogReceiver, PUBHandler

    sender = logging.getLogger("tour.remote")
    sender.setLevel(logging.INFO)
    sender.propagate = False
    handler = PUBHandler("inproc://tour-log", context=ctx, root_topic="tour", json=True)
    sender.addHandler(handler)
    local = logging.getLogger("tour.local")
    local.propagate = False
    printed = logging.StreamHandler(sys.stdout)
    printed.setFormatter(logging.Formatter("  re-emitted here: %(levelname)s %(message)s"))
    local.addHandler(printed)
    receiver = LogReceiver("inproc://tour-log", context=ctx, logger=local)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while receiver.receive(timeout=0.02) is None:  # until the subscription is in place
        sender.info("warming up")
        if time.monotonic() > deadline:
            sys.exit("the log subscription never arrived")
    sender.warning("disk::%d%% full", 93)
    record = receiver.receive(timeout=TIMEOUT_MS / 1000)
    if record is None:
        sys.exit("the warning was not received")
    print(f"received topic {record.topic!r}; handler dropped {handler.dropped} records")
    receiver.close()
    sender.removeHandler(handler)
    handler.close()


def tour_asyncio():
    step("zmq-eventloop: asyncio sockets, with a cancelled receive that loses nothing")
    import asyncio

    import zmq.asyncio

    async def run():
        ctx = zmq.asyncio.Context()
        pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc://tour-async")
        with pull, push:
            abandoned = pull.recv()
            abandoned.cancel()  # nothing was taken for it
            for i in range(3):
                await push.send(b"async %d" % i)
            got = [await pull.recv() for _ in range(3)]
            print(f"awaited {got}")
        ctx.term()

    asyncio.run(run())


def tour_green():
    step("zmq-green: greenlets sharing one socket; a killed waiter loses nothing")
    import gevent

    import zmq.green as gzmq

    with gzmq.Context() as ctx:
        # linger only: zmq.green warns that it honours the timeouts PyZMQ's ignored
        pull = ctx.socket(gzmq.PULL)
        pull.linger = 0
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push = ctx.socket(gzmq.PUSH)
        push.linger = 0
        push.connect(f"tcp://127.0.0.1:{port}")
        waiters = [gevent.spawn(pull.recv) for _ in range(100)]
        gevent.sleep(0)  # all 100 now wait on the one socket
        gevent.killall(waiters[:50])  # killed while waiting: they take nothing
        for i in range(50):
            push.send(b"%d" % i)
        gevent.joinall(waiters[50:], timeout=TIMEOUT_MS / 1000)
        got = sorted(int(g.value) for g in waiters[50:])
        print(f"50 surviving greenlets got one message each: {got == list(range(50))};"
              f" left on the socket: {pull.poll(100)}")
        poller = gzmq.Poller()
        poller.register(pull, gzmq.POLLIN)
        waiting = gevent.spawn(poller.poll, TIMEOUT_MS)
        ticks = 0
        while not waiting.ready():
            ticks += 1  # the hub runs while the poller waits
            gevent.sleep(0.001)
            if ticks == 20:
                push.send(b"wake the poller")
        print(f"poller woke after {ticks} hub turns with {waiting.value[0][1]} (POLLIN),"
              f" received {pull.recv()!r}")
        push.close()
        pull.close()


def tour_auth():
    step("zmq-auth: CURVE encryption, clients checked by a ZAP authenticator")
    import os
    import shutil
    import tempfile

    import zmq.auth
    from zmq.auth.thread import ThreadAuthenticator

    # a context of its own: its authenticator checks every socket in it
    with tempfile.TemporaryDirectory() as keys, zmq.Context() as ctx:
        zmq.auth.create_certificates(keys, "server")
        client_public_file, _ = zmq.auth.create_certificates(keys, "client")
        server_public, server_secret = zmq.auth.load_certificate(f"{keys}/server.key_secret")
        client_public, client_secret = zmq.auth.load_certificate(f"{keys}/client.key_secret")
        allowed_dir = f"{keys}/allowed"
        os.mkdir(allowed_dir)
        shutil.copy(client_public_file, allowed_dir)  # only the client's public key

        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.allow("127.0.0.1")
        auth.configure_curve(location=allowed_dir)

        server = configured(ctx.socket(zmq.PULL))
        server.curve_server = True
        server.curve_secretkey = server_secret
        port = server.bind_to_random_port("tcp://127.0.0.1")

        def client(public, secret):
            sock = configured(ctx.socket(zmq.PUSH))
            sock.curve_serverkey = server_public
            sock.curve_publickey, sock.curve_secretkey = public, secret
            sock.connect(f"tcp://127.0.0.1:{port}")
            return sock

        known = client(client_public, client_secret)
        known.send(b"hello, encrypted")
        frame = server.recv(copy=False)
        print(f"known client: {frame.bytes!r}, User-Id {frame.get('User-Id')}")
        stranger = client(*zmq.curve_keypair())
        try:
            stranger.send(b"let me in", zmq.NOBLOCK)
        except zmq.Again:  # already refused: nowhere to queue
            pass
        print(f"unknown client delivered anything within 1 s: {bool(server.poll(1000))}")
        for sock in (known, stranger, server):
            sock.close()
        auth.stop()


def main():
    tour_versions()
    with zmq.Context() as ctx:
        tour_req_rep(ctx)
        tour_pub_sub(ctx)
        tour_zero_copy(ctx)
        tour_router_dealer_poller(ctx)
        tour_blocking_thread(ctx)
        if installed("zmq.serial", "zmq-serial"):
            tour_serial(ctx)
        if installed("zmq.log", "zmq-log"):
            tour_log(ctx)
    if installed("zmq.devices", "zmq-devices"):
        tour_devices(zmq.Context.instance())
    if installed("zmq.asyncio", "zmq-eventloop"):
        tour_asyncio()
    if installed("zmq.green", "zmq-green"):
        tour_green()
    if installed("zmq.auth", "zmq-auth"):
        tour_auth()
    print("\ntour finished")


if __name__ == "__main__":
    main()
