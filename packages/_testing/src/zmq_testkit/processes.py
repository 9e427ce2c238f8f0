# SPDX-License-Identifier: BSD-3-Clause
"""Child processes that are always cleaned up: killed and reaped when a test
fails or a wait times out, their output read as it comes so a test can wait
for a line (a "ready" line, a statistics line) instead of sleeping."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

# how long a child may take to print its ready line or to exit when asked
CHILD_TIMEOUT_S = 20


def python_command(code, *args):
    """argv running `code` (dedented) in a fresh, unbuffered interpreter."""
    return [sys.executable, "-u", "-c", textwrap.dedent(code), *map(str, args)]


def run(argv, timeout=60, **kwargs):
    """subprocess.run with captured text output and a timeout: a child that
    outlives it is killed and reaped (subprocess.run does that), then the
    test fails with TimeoutExpired."""
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)


def run_python(code, *args, timeout=60, **kwargs):
    """run() a snippet of Python in a fresh interpreter."""
    return run(python_command(code, *args), timeout=timeout, **kwargs)


class Child:
    """A running subprocess whose stdout and stderr lines are collected by
    reader threads. Use it as a context manager: on the way out it is
    killed (if still running) and reaped, whatever happened.

    Child(argv, ready="running") returns once a stdout line contains
    "running" (ready_stream="stderr": a stderr line), or fails with the
    output so far if none comes in time.
    """

    def __init__(self, argv, ready=None, ready_stream="stdout", timeout=CHILD_TIMEOUT_S,
                 **popen):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, **popen,
        )
        self.pid = self.proc.pid
        self.lines = []  # stdout lines; None once stdout has ended
        self.err_lines = []
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err_lines),
                             daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        if ready is not None and self.wait_for_line(ready, timeout, ready_stream) is None:
            self.kill()
            raise AssertionError(
                f"{argv[:4]} never printed {ready!r}: {self.stdout()!r} {self.stderr()!r}"
            )

    @classmethod
    def python(cls, code, *args, **kwargs):
        """A Child running a snippet of Python (unbuffered, so its ready line
        comes at once)."""
        return cls(python_command(code, *args), **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def _read(self, stream, lines):
        for line in stream:
            with self._changed:
                lines.append(line)
                self._changed.notify_all()
        with self._changed:
            lines.append(None)
            self._changed.notify_all()

    def wait_for_line(self, match, timeout=CHILD_TIMEOUT_S, stream="stdout"):
        """The first line of `stream` containing `match` (a string) or for
        which match(line) is true; None if the stream ends or the timeout
        passes."""
        test = match if callable(match) else (lambda line: match in line)
        lines = {"stdout": self.lines, "stderr": self.err_lines}[stream]
        deadline = time.monotonic() + timeout
        seen = 0
        with self._changed:
            while True:
                for line in lines[seen:]:
                    if line is None:
                        return None
                    if test(line):
                        return line
                seen = len(lines)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)

    @property
    def returncode(self):
        """The exit status, None while running."""
        return self.proc.poll()

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=CHILD_TIMEOUT_S):
        """Wait for the child to exit (it is killed if it does not in time,
        and TimeoutExpired raised); then for its output to be read. Returns
        its exit status."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        for reader in self._readers:
            reader.join(timeout)
        return self.proc.returncode

    def stop(self, sig=signal.SIGTERM, timeout=CHILD_TIMEOUT_S):
        """Send `sig`, wait for the exit; returns (status, stdout, stderr)."""
        if self.proc.poll() is None:
            self.send_signal(sig)
        status = self.wait(timeout)
        return status, self.stdout(), self.stderr()

    def kill(self):
        """Kill (if running) and reap; idempotent."""
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        for reader in self._readers:
            reader.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()

    def stdout(self):
        with self._changed:
            return "".join(line for line in self.lines if line)

    def stderr(self):
        with self._changed:
            return "".join(line for line in self.err_lines if line)
