# SPDX-License-Identifier: BSD-3-Clause
"""A Locust user that makes no network traffic: each task fires a request
event directly. Each worker writes how many it fired to
$ZMQ_GREEN_LOCUST_OUT/<pid>.count when it quits, for the test to add up."""

import os

from locust import User, constant, events, task
from locust.runners import WorkerRunner

fired = 0


class Recorder(User):
    wait_time = constant(0.005)

    @task
    def record(self):
        global fired
        self.environment.events.request.fire(
            request_type="fake",
            name="recorded",
            response_time=1.0,
            response_length=10,
            exception=None,
            context={},
        )
        fired += 1


@events.quitting.add_listener
def write_count(environment, **_kwargs):
    if isinstance(environment.runner, WorkerRunner):
        path = os.path.join(os.environ["ZMQ_GREEN_LOCUST_OUT"], f"{os.getpid()}.count")
        with open(path, "w") as f:
            f.write(str(fired))
