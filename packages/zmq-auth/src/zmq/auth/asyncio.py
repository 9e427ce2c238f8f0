# SPDX-License-Identifier: BSD-3-Clause
"""ZAP authentication answered by the running asyncio loop.

Each request is answered in its own task: an async credentials callback
that waits delays only its own client. A plain callback runs on the loop
(it blocks the loop while it runs) unless *callback_executor* is given.
Works with plain asyncio and zmq-core alone.
"""

import asyncio
import warnings
from typing import Any

import zmq
from zmq.auth._dispatch import ZapDispatcher
from zmq.auth.base import Authenticator


class AsyncioAuthenticator(Authenticator):
    """ZAP authentication on the asyncio loop running when :meth:`start` is
    called."""

    _zap_socket_type = zmq.ROUTER

    def __init__(
        self,
        context: zmq.Context | None = None,
        loop: Any = None,
        encoding: str = "utf-8",
        log: Any = None,
        callback_executor: Any = None,
    ):
        super().__init__(context, encoding, log)
        if loop is not None:
            warnings.warn(
                f"{self.__class__.__name__}(loop) is deprecated and ignored",
                DeprecationWarning,
                stacklevel=2,
            )
        self.callback_executor = callback_executor
        self._dispatcher: ZapDispatcher | None = None

    def start(self) -> None:
        """Bind the ZAP socket and answer it from the running loop."""
        if self._dispatcher is not None:
            raise RuntimeError("this authenticator is already running")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "AsyncioAuthenticator.start() needs a running asyncio loop;"
                " call it from a coroutine, or use zmq.auth.thread.ThreadAuthenticator"
            ) from None
        super().start()
        self._dispatcher = ZapDispatcher(self, self.zap_socket, loop, on_terminated=self.stop)
        self._dispatcher.start()

    def _add_monitor(self, monitor: zmq.Socket) -> None:
        if self._dispatcher is None:
            super()._add_monitor(monitor)
        else:
            self._dispatcher.add_monitor(monitor)

    def stop(self) -> None:
        """Stop answering and close the ZAP socket."""
        if self._dispatcher is not None:
            self._dispatcher.close()
            self._dispatcher = None
        super().stop()


__all__ = ["AsyncioAuthenticator"]
