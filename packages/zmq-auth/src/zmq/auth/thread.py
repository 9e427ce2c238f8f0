# SPDX-License-Identifier: BSD-3-Clause
"""ZAP authentication answered by a background thread.

The thread runs its own asyncio loop: async credentials callbacks run
concurrently there, and plain ones on a small pool of worker threads, so a
slow check for one client does not delay the others.

The thread lives until :meth:`ThreadAuthenticator.stop` or until the
context is terminated; dropping the last reference to the authenticator
does not stop it (a server that forgot to keep it would otherwise silently
stop accepting clients when the garbage collector ran).
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import zmq
from zmq.auth._dispatch import ZapDispatcher
from zmq.auth.base import Authenticator, close_zap_socket

# how long stop() waits for the thread; it never waits forever
STOP_TIMEOUT = 5.0


async def _settle(tasks: list[asyncio.Task]) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)


class AuthenticationThread(threading.Thread):
    """The thread that serves a ThreadAuthenticator's ZAP socket."""

    def __init__(self, authenticator: Authenticator, callback_workers: int = 4) -> None:
        super().__init__(daemon=True, name="zmq-auth")
        self.authenticator = authenticator
        self.log = authenticator.log
        self.callback_workers = callback_workers
        self.started = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.dispatcher: ZapDispatcher | None = None
        self._stopping = False
        self._lock = threading.Lock()

    def run(self) -> None:
        auth = self.authenticator
        loop = asyncio.new_event_loop()
        executor = ThreadPoolExecutor(
            max_workers=self.callback_workers, thread_name_prefix="zmq-auth-callback"
        )
        auth.callback_executor = executor
        dispatcher = ZapDispatcher(auth, auth.zap_socket, loop, on_terminated=loop.stop)
        self.dispatcher = dispatcher
        try:
            with self._lock:
                self.loop = loop
                stop_now = self._stopping
            dispatcher.start()
            self.started.set()
            if not stop_now:
                loop.run_forever()
        finally:
            with self._lock:
                # from here on, other threads schedule nothing on this loop
                self.loop = None
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

    def start(self) -> None:
        """Bind the ZAP socket and start the thread that answers it."""
        if self.is_alive():
            raise RuntimeError("this authenticator is already running")
        super().start()
        self.thread = AuthenticationThread(self, self.callback_workers)
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
        thread.stop()
        if thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                self.log.warning("the authentication thread did not stop within %.1f s", timeout)

    def _add_monitor(self, monitor: zmq.Socket) -> None:
        thread = self.thread
        if thread is None or not thread.hand_over(monitor):
            super()._add_monitor(monitor)

    def is_alive(self) -> bool:
        """Is the ZAP thread running?"""
        return bool(self.thread and self.thread.is_alive())


__all__ = ["ThreadAuthenticator"]
