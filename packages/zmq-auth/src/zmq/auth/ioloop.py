# SPDX-License-Identifier: BSD-3-Clause
"""Deprecated: Tornado runs on asyncio, so
:class:`zmq.auth.asyncio.AsyncioAuthenticator` serves Tornado programs too.
Importing this module warns."""

import warnings
from typing import Any

import zmq
from zmq.auth.asyncio import AsyncioAuthenticator

warnings.warn(
    "zmq.auth.ioloop is deprecated: use zmq.auth.asyncio.AsyncioAuthenticator",
    DeprecationWarning,
    stacklevel=2,
)


class IOLoopAuthenticator(AsyncioAuthenticator):
    """An AsyncioAuthenticator, under its old Tornado name."""

    def __init__(
        self,
        context: zmq.Context | None = None,
        encoding: str = "utf-8",
        log: Any = None,
        io_loop: Any = None,
    ):
        if io_loop is not None:
            warnings.warn(
                f"{self.__class__.__name__}(io_loop) is deprecated and ignored",
                DeprecationWarning,
                stacklevel=2,
            )
        super().__init__(context=context, encoding=encoding, log=log)


__all__ = ["IOLoopAuthenticator"]
