# SPDX-License-Identifier: BSD-3-Clause
"""The Locust app of test_locust.py: a master and its workers exchange large
custom messages both ways while the workers' users fire requests, and the
master ends the run by itself once everything has arrived.

- Each user fires a request event directly (no network traffic) until its
  worker has finished its exchange.
- Each worker, when the test starts, sends the master one ``to_master``
  message per size in SIZES. The master checks each and answers with a
  ``to_worker`` message of the same size, made for that worker. Every
  payload is pseudo-random bytes drawn from a seed that names its sender,
  receiver and size, so the receiver can check every byte.
- A worker that has checked every payload it expects and fired at least
  MIN_REQUESTS requests stops firing and sends ``worker_done`` with its
  count. The master quits (which makes every worker quit) once every worker
  is done and its statistics hold exactly the requests the workers counted.
- Any problem, or no end within TIMEOUT seconds of the test's start, makes
  the master quit with exit code 1.

Each process writes what it saw to $LOCUST_TEST_OUT/<role>-<pid>.json when
it quits, for the test to check again.
"""

import json
import os
import random

import gevent
from gevent.event import Event
from locust import User, constant, events, task
from locust.runners import MasterRunner, WorkerRunner

SIZES = (100_000, 2 * 1024 * 1024)
MIN_REQUESTS = 50
TIMEOUT = 30

OUT = os.environ["LOCUST_TEST_OUT"]


def payload(sender, receiver, size):
    return random.Random(f"{sender}->{receiver}:{size}").randbytes(size)


def message(sender, receiver, size):
    return {
        "sender": sender,
        "receiver": receiver,
        "size": size,
        "blob": payload(sender, receiver, size),
    }


def problem_with(data, sender, receiver):
    """None if ``data`` is a message from ``sender`` to ``receiver`` with the
    expected bytes, else what is wrong with it."""
    if (data.get("sender"), data.get("receiver")) != (sender, receiver):
        return (
            f"from {data.get('sender')!r} to {data.get('receiver')!r}, "
            f"expected from {sender!r} to {receiver!r}"
        )
    size, blob = data.get("size"), data.get("blob")
    if size not in SIZES:
        return f"size {size!r} is not one of {SIZES}"
    if not isinstance(blob, bytes) or len(blob) != size:
        length = len(blob) if isinstance(blob, (bytes, str, list)) else None
        return f"{type(blob).__name__} of length {length}, expected {size} bytes"
    if blob != payload(sender, receiver, size):
        return f"{size} bytes that differ from those sent"
    return None


def write_result(role, result):
    with open(os.path.join(OUT, f"{role}-{os.getpid()}.json"), "w") as f:
        json.dump(result, f)


class WorkerSide:
    """The worker's half of the exchange; its users fire while ``firing``."""

    def __init__(self, runner):
        self.runner = runner
        self.name = runner.client_id
        self.fired = 0
        self.firing = True
        self.enough_fired = Event()
        self.received = {}  # size -> None or a problem
        self.all_received = Event()
        self.problems = []
        runner.register_message("to_worker", self.on_payload)

    def on_payload(self, environment, msg, **_kwargs):
        problem = problem_with(msg.data, "master", self.name)
        if problem:
            self.problems.append(problem)
        self.received[msg.data.get("size")] = problem
        if set(self.received) >= set(SIZES):
            self.all_received.set()

    def record_request(self):
        self.fired += 1
        if self.fired >= MIN_REQUESTS:
            self.enough_fired.set()

    def exchange(self):
        for size in SIZES:
            self.runner.send_message("to_master", message(self.name, "master", size))
        if not self.all_received.wait(TIMEOUT):
            self.problems.append(f"received only sizes {list(self.received)} of {SIZES}")
        if not self.enough_fired.wait(TIMEOUT):
            self.problems.append(f"fired only {self.fired} of {MIN_REQUESTS} requests")
        # no yield between these two lines: the count sent is final
        self.firing = False
        self.runner.send_message("worker_done", {"fired": self.fired, "problems": self.problems})

    def result(self):
        return {
            "name": self.name,
            "fired": self.fired,
            "received": {str(size): problem or "ok" for size, problem in self.received.items()},
            "problems": self.problems,
        }


class MasterSide:
    """The master's half of the exchange, and the end of the run."""

    def __init__(self, environment):
        self.environment = environment
        self.runner = environment.runner
        self.workers = environment.parsed_options.expect_workers
        self.received = {}  # worker -> {size -> None or a problem}
        self.done = {}  # worker -> its worker_done data
        self.problems = []
        self.finished = Event()
        self.runner.register_message("to_master", self.on_payload)
        self.runner.register_message("worker_done", self.on_done)
        # added after the listener that merges a report into the master's
        # statistics (the runner's), so it sees them merged
        environment.events.worker_report.add_listener(self.on_report)

    def on_payload(self, environment, msg, **_kwargs):
        worker = msg.node_id
        problem = problem_with(msg.data, worker, "master")
        if problem:
            self.finish(f"from {worker}: {problem}")
        self.received.setdefault(worker, {})[msg.data.get("size")] = problem
        if msg.data.get("size") in SIZES:
            self.runner.send_message(
                "to_worker", message("master", worker, msg.data["size"]), client_id=worker
            )

    def on_done(self, environment, msg, **_kwargs):
        self.done[msg.node_id] = msg.data
        for problem in msg.data["problems"]:
            self.finish(f"on {msg.node_id}: {problem}")
        self.check()

    def on_report(self, client_id, data, **_kwargs):
        self.check()

    def check(self):
        if len(self.done) < self.workers:
            return
        fired = sum(data["fired"] for data in self.done.values())
        recorded = self.runner.stats.num_requests
        if recorded > fired:
            self.finish(f"{recorded} requests recorded, but the workers fired {fired}")
        elif recorded == fired:
            self.finish()

    def watch(self):
        if not self.finished.wait(TIMEOUT):
            self.finish(
                f"no end after {TIMEOUT} s: received {self.received}, done {self.done}, "
                f"{self.runner.stats.num_requests} requests recorded"
            )

    def finish(self, problem=None):
        if problem:
            self.problems.append(problem)
            print(f"locust test: {problem}", flush=True)
            self.environment.process_exit_code = 1
        if not self.finished.is_set():
            self.finished.set()
            # quit() ends the runner's greenlets, this handler's among them
            gevent.spawn(self.runner.quit)

    def result(self):
        return {
            "received": {
                worker: {str(size): problem or "ok" for size, problem in sizes.items()}
                for worker, sizes in self.received.items()
            },
            "fired": {worker: data["fired"] for worker, data in self.done.items()},
            "recorded": self.runner.stats.num_requests,
            "problems": self.problems,
        }


side = None


@events.init.add_listener
def set_up(environment, runner, **_kwargs):
    global side
    if isinstance(runner, WorkerRunner):
        side = WorkerSide(runner)
    elif isinstance(runner, MasterRunner):
        side = MasterSide(environment)


@events.test_start.add_listener
def start_exchange(environment, **_kwargs):
    # on a worker this runs in the greenlet that receives the master's
    # messages: the exchange, which waits for some, needs its own
    if isinstance(side, WorkerSide):
        gevent.spawn(side.exchange)
    elif isinstance(side, MasterSide):
        gevent.spawn(side.watch)


@events.quitting.add_listener
def write_what_was_seen(environment, **_kwargs):
    if isinstance(side, WorkerSide):
        write_result("worker", side.result())
    elif isinstance(side, MasterSide):
        write_result("master", side.result())


class Recorder(User):
    wait_time = constant(0.005)

    @task
    def record(self):
        if not side.firing:
            return
        self.environment.events.request.fire(
            request_type="fake",
            name="recorded",
            response_time=1.0,
            response_length=10,
            exception=None,
            context={},
        )
        side.record_request()
