# SPDX-License-Identifier: BSD-3-Clause
"""Tornado is an extra of zmq-eventloop: zmq.asyncio works without it."""


def require(module: str) -> None:
    """Import tornado for *module*, or raise an ImportError that names the
    extra to install."""
    try:
        import tornado  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"{module} needs Tornado: pip install zmq-eventloop[tornado]"
        ) from e
