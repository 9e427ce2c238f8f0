# SPDX-License-Identifier: BSD-3-Clause
"""Decorators that open a Context or Socket for the length of a call.

    from zmq.decorators import context, socket

    @context()
    @socket(zmq.PUSH)
    def work(ctx, push):
        ...

Each call of ``work`` gets a fresh context and socket, closed when it
returns (or raises), as a ``with`` block would.

Arguments of the decorator: an optional first str (or ``name=``) is the
parameter the object is passed as (by keyword); without one it is appended
to the positional arguments. The remaining arguments go to ``zmq.Context``
or to ``context.socket`` (socket type first). ``@socket`` takes its context
from the call's ``context=`` keyword (another name with ``context_name=``),
else from the first positional ``zmq.Context``, else ``Context.instance()``.
"""

import functools
from collections.abc import Callable
from typing import Any

import zmq

__all__ = ("context", "socket")

# the decorated function takes one argument fewer than the function it wraps
_F = Callable[..., Any]
# (call_args, call_kwargs) -> the factory of the object a call gets
_Opener = Callable[[tuple[Any, ...], dict[str, Any]], Callable[..., Any]]


def _split_name(args: tuple[Any, ...], kwargs: dict[str, Any]
                ) -> tuple[str | None, tuple[Any, ...], dict[str, Any]]:
    # the parameter name may come first (a str) or as name=
    if isinstance(kwargs.get("name"), str):
        name = kwargs.pop("name")
    elif args and isinstance(args[0], str):
        name, args = args[0], args[1:]
    else:
        name = None
    return name, args, kwargs


def _decorator(open_object: _Opener, name: str | None, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Callable[[_F], _F]:
    """Wrap a function so each call runs inside ``with open_object(call)(*args,
    **kwargs) as obj`` and receives obj, by keyword *name* or appended."""

    def decorate(func: _F) -> _F:
        @functools.wraps(func)
        def wrapper(*call_args: Any, **call_kwargs: Any) -> Any:
            factory = open_object(call_args, call_kwargs)
            with factory(*args, **kwargs) as obj:
                if name is None:
                    call_args = call_args + (obj,)
                elif name in call_kwargs:
                    raise TypeError(
                        f"{func.__name__}() got multiple values for argument {name!r}"
                    )
                else:
                    call_kwargs[name] = obj
                return func(*call_args, **call_kwargs)

        return wrapper

    return decorate


def context(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator: the function gets a new ``zmq.Context`` for each call
    (destroyed afterwards). Arguments besides the name go to ``zmq.Context``
    (e.g. ``io_threads``)."""
    name, args, kwargs = _split_name(args, kwargs)
    return _decorator(lambda call_args, call_kwargs: zmq.Context, name, args, kwargs)


def socket(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator: the function gets a new socket for each call (closed
    afterwards). Arguments besides the name go to ``context.socket`` (the
    socket type first, then e.g. ``socket_class``)."""
    name, args, kwargs = _split_name(args, kwargs)
    context_name = kwargs.pop("context_name", "context")

    def find_context(call_args: tuple[Any, ...], call_kwargs: dict[str, Any]
                     ) -> Callable[..., Any]:
        ctx = call_kwargs.get(context_name)
        if not isinstance(ctx, zmq.Context):
            ctx = next((a for a in call_args if isinstance(a, zmq.Context)), None)
        if ctx is None:
            ctx = zmq.Context.instance()
        return ctx.socket

    return _decorator(find_context, name, args, kwargs)
