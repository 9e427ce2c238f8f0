# SPDX-License-Identifier: BSD-3-Clause
"""ZAP authentication answered by a background thread.

The thread runs its own asyncio loop: async credentials callbacks run
concurrently there, and plain ones on a small pool of worker threads, so a
slow check for one client does not delay the others.

The thread lives until :meth:`ThreadAuthenticator.stop` (which sends
``TERMINATE`` down :attr:`ThreadAuthenticator.pipe`, PyZMQ's protocol) or
until the context is terminated; dropping the last reference to the
authenticator does not stop it (a server that forgot to keep it would
otherwise silently stop accepting clients when the garbage collector ran).

The thread and its callback workers are OS threads even after gevent or
eventlet monkey-patched ``threading`` (zmq.core.osthread): as greenlets,
their waits would freeze the program's other greenlets.
"""

import _queue
import asyncio
import concurrent.futures
import itertools
from typing import Any

import zmq
from zmq.auth._dispatch import ZapDispatcher
from zmq.auth.base import Authenticator, close_zap_socket
from zmq.core.osthread import OSEvent, OSLock, OSThread, get_ident

# how long stop() waits for the thread; it never waits forever
STOP_TIMEOUT = 5.0


async def _settle(tasks: list[asyncio.Task[Any]]) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)


class CallbackWorkers(concurrent.futures.Executor):
    """At most *workers* OS threads that run synchronous credentials
    callbacks (``concurrent.futures.ThreadPoolExecutor`` starts
    ``threading`` threads, greenlets once gevent patched them)."""

    def __init__(self, workers: int, name: str = "zmq-auth-callback") -> None:
        self._jobs: Any = _queue.SimpleQueue()  # C-level: blocks the OS thread
        self._threads: list[OSThread] = []
        self._workers = workers
        self._name = name
        self._idle = 0
        self._lock = OSLock()
        self._shut = False

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new callbacks after shutdown")
            self._jobs.put((future, fn, args, kwargs))
            # a worker waiting for a job takes it; else one more, up to the limit
            if self._idle == 0 and len(self._threads) < self._workers:
                thread = OSThread(target=self._work, name=f"{self._name}-{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            job = self._jobs.get()
            with self._lock:
                self._idle -= 1
            if job is None:
                return
            future, fn, args, kwargs = job
            del job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as e:
                    future.set_exception(e)
            del future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shut = True
            threads = list(self._threads)
        if cancel_futures:
            while True:
                try:
                    job = self._jobs.get_nowait()
                except _queue.Empty:
                    break
                if job is not None:
                    job[0].cancel()
        for _ in threads:
            self._jobs.put(None)
        if wait:
            for thread in threads:
                thread.join()


class AuthenticationThread(OSThread):
    """The thread that serves a ThreadAuthenticator's ZAP socket and the
    thread end of its :attr:`pipe` (``TERMINATE`` ends the thread)."""

    #: while the thread runs: the Poller over the pipe and the ZAP socket it
    #: consults when the pipe's FD signals (PyZMQ's attribute)
    poller: zmq.Poller | None = None

    def __init__(
        self,
        authenticator: Authenticator,
        pipe: zmq.Socket | None = None,
        callback_workers: int = 4,
    ) -> None:
        super().__init__(name="zmq-auth")
        self.authenticator = authenticator
        self.log = authenticator.log
        self.pipe = pipe
        self.callback_workers = callback_workers
        self.started = OSEvent()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.dispatcher: ZapDispatcher | None = None
        self._stopping = False
        # serialises the pipes' use between this thread and the caller of
        # ThreadAuthenticator.stop(): this thread closes both at its end
        self._lock = OSLock()

    def run(self) -> None:
        auth = self.authenticator
        loop = asyncio.new_event_loop()
        executor = CallbackWorkers(self.callback_workers)
        auth.callback_executor = executor
        dispatcher = ZapDispatcher(auth, auth.zap_socket, loop, on_terminated=loop.stop)
        self.dispatcher = dispatcher
        pipe = self.pipe
        # read once: getsockopt fails (ETERM) once the context is terminated
        pipe_fd = pipe.getsockopt(zmq.FD) if pipe is not None else -1
        try:
            with self._lock:
                self.loop = loop
                stop_now = self._stopping
            dispatcher.start()
            if pipe is not None:
                self.poller = zmq.Poller()
                self.poller.register(pipe, zmq.POLLIN)
                self.poller.register(auth.zap_socket, zmq.POLLIN)
                loop.add_reader(pipe_fd, self._read_pipe)
                loop.call_soon(self._read_pipe)
            self.started.set()
            if not stop_now:
                loop.run_forever()
        finally:
            with self._lock:
                # from here on, other threads schedule nothing on this loop
                # and send nothing down the pipe
                self.loop = None
                self.poller = None
                if pipe is not None:
                    loop.remove_reader(pipe_fd)
                    pipe.close(linger=0)
                    self.pipe = None
                    peer = getattr(auth, "pipe", None)
                    if peer is not None:
                        peer.close(linger=0)
            dispatcher.close()
            # one last turn: cancelled requests unwind, and callbacks already
            # scheduled (a watch() hand-over) find the dispatcher closed
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            loop.run_until_complete(_settle(pending))
            loop.close()
            executor.shutdown(wait=False, cancel_futures=True)
            auth.callback_executor = None
            # the ZAP socket belongs to this thread from start to end
            if auth.zap_socket is not None:
                close_zap_socket(auth.zap_socket)
                auth.zap_socket = None  # type: ignore[assignment]
            self.started.set()

    def _read_pipe(self) -> None:
        # the FD is edge-triggered: read until the poller sees nothing left on
        # the pipe (a ZAP request it sees on the way is the dispatcher's)
        pipe, poller, dispatcher = self.pipe, self.poller, self.dispatcher
        try:
            while pipe is not None and poller is not None:
                ready = dict(poller.poll(0))
                if dispatcher is not None and self.authenticator.zap_socket in ready:
                    dispatcher.drain()
                if pipe not in ready:
                    return
                command = pipe.recv_multipart(zmq.NOBLOCK)
                if command[0] == b"TERMINATE":
                    self.log.debug("auth thread received TERMINATE")
                    assert self.loop is not None
                    self.loop.stop()
                    return
                self.log.error("Invalid auth command from API: %r", command)
                pipe.send(b"ERROR", zmq.NOBLOCK)
        except zmq.ZMQError as e:
            if e.errno not in (zmq.EAGAIN, zmq.ETERM, zmq.ENOTSOCK):
                raise

    def terminate(self) -> bool:
        """Send TERMINATE down the authenticator's pipe, unless the thread
        has closed it already; True if sent."""
        with self._lock:
            peer = getattr(self.authenticator, "pipe", None)
            if self.pipe is None or peer is None or peer.closed:
                return False
            try:
                peer.send(b"TERMINATE", zmq.NOBLOCK)
            except zmq.ZMQError:
                return False
            return True

    def hand_over(self, monitor: zmq.Socket) -> bool:
        """Give a watch() monitor socket to the thread; False if it is ending."""
        with self._lock:
            if self.loop is None or self.dispatcher is None:
                return False
            self.loop.call_soon_threadsafe(self.dispatcher.add_monitor, monitor)
            return True

    def stop(self) -> None:
        """Ask the thread to finish (from any thread); does not wait."""
        with self._lock:
            self._stopping = True
            loop = self.loop
            if loop is not None:
                try:
                    loop.call_soon_threadsafe(loop.stop)
                except RuntimeError:  # the loop closed meanwhile
                    pass


class ThreadAuthenticator(Authenticator):
    """Run ZAP authentication in a background thread.

    *callback_workers* threads run synchronous credentials callbacks.
    """

    _zap_socket_type = zmq.ROUTER
    thread: AuthenticationThread | None
    #: the authenticator's end of the PAIR pipe to its thread (None when
    #: stopped); ``pipe.send(b"TERMINATE")`` stops the thread
    pipe: zmq.Socket | None
    #: the inproc endpoint the pipe is bound to, unique per authenticator
    #: (and per start)
    pipe_endpoint: str
    _pipe_endpoint_bound = False

    def __init__(
        self,
        context: zmq.Context | None = None,
        encoding: str = "utf-8",
        log: Any = None,
        callback_workers: int = 4,
    ):
        super().__init__(context=context, encoding=encoding, log=log)
        if callback_workers < 1:
            raise ValueError(f"callback_workers must be at least 1, not {callback_workers}")
        self.callback_workers = callback_workers
        self.thread = None
        self.pipe = None
        self._starts = itertools.count()
        self.pipe_endpoint = self._next_pipe_endpoint()

    def _next_pipe_endpoint(self) -> str:
        # a new one at each start: libzmq frees an inproc name only once the
        # closed socket is reaped, so binding the last one again may fail
        return f"inproc://zmq.auth.pipe.{id(self):x}.{next(self._starts)}"

    def start(self) -> None:
        """Bind the ZAP socket and start the thread that answers it."""
        if self.is_alive():
            raise RuntimeError("this authenticator is already running")
        super().start()
        if self._pipe_endpoint_bound:
            self.pipe_endpoint = self._next_pipe_endpoint()
        self._pipe_endpoint_bound = True
        self.pipe = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
        self.pipe.linger = 1
        thread_pipe = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
        thread_pipe.linger = 1
        try:
            self.pipe.bind(self.pipe_endpoint)
            thread_pipe.connect(self.pipe_endpoint)
        except zmq.ZMQError:
            self.pipe.close(linger=0)
            thread_pipe.close(linger=0)
            self.pipe = None
            super().stop()
            raise
        self.thread = AuthenticationThread(self, thread_pipe, self.callback_workers)
        self.thread.start()
        if not self.thread.started.wait(timeout=10):
            raise RuntimeError("Authenticator thread failed to start")

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the thread and close the ZAP socket. Waits at most *timeout*
        seconds for the thread (a callback that never returns cannot make it
        hang); never waits when called from the thread itself."""
        thread = self.thread
        self.thread = None
        if thread is None:
            super().stop()
            return
        if not thread.terminate():
            thread.stop()
        if thread.ident != get_ident():
            thread.join(timeout)
            if thread.is_alive():
                self.log.warning("the authentication thread did not stop within %.1f s", timeout)
        # the thread closes the pipe as it ends; if it has not ended, close
        # our end here (under its lock: it may be closing it right now)
        with thread._lock:
            if self.pipe is not None and not self.pipe.closed:
                self.pipe.close(linger=0)
            self.pipe = None

    def _add_monitor(self, monitor: zmq.Socket) -> None:
        thread = self.thread
        if thread is None or not thread.hand_over(monitor):
            super()._add_monitor(monitor)

    def is_alive(self) -> bool:
        """Is the ZAP thread running?"""
        return bool(self.thread and self.thread.is_alive())


__all__ = ["ThreadAuthenticator"]
