# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""The codec hook: where ``Socket.send_json`` and its kin find their codecs.

zmq-core's Socket has PyZMQ's serialisation methods but serialises nothing
itself: each method calls the function of the same name on the *codec
provider*, with the socket first (``socket.send_json(obj)`` calls
``provider.send_json(socket, obj, 0)``). zmq-serial is the provider most
programs use; any object following the protocol below can be one.

Which provider
--------------
1. the one passed to :func:`register`, if any;
2. otherwise the one named by the entry point installed in the ``zmq.codecs``
   group, loaded the first time a serialisation method is called (never at
   ``import zmq``). zmq-serial declares, in its ``pyproject.toml``::

       [project.entry-points."zmq.codecs"]
       serial = "zmq.serial.provider"

3. otherwise the method raises ImportError: ``pip install zmq-serial``.

An entry point that fails to load, or two of them, raise an ImportError
naming them.

The provider protocol
---------------------
A provider is any object (a module, a class, an instance) whose attributes
are these functions; each receives the socket first, then the method's own
arguments, and returns what the method returns:

- ``send_json(socket, obj, flags=0, **kwargs)``,
  ``recv_json(socket, flags=0, **kwargs)``
- ``send_pyobj(socket, obj, flags=0, protocol=..., **kwargs)``,
  ``recv_pyobj(socket, flags=0, **kwargs)``
- ``send_serialized(socket, msg, serialize, flags=0, copy=True, **kwargs)``,
  ``recv_serialized(socket, deserialize, flags=0, copy=True)``
- ``send_msgpack(socket, obj, flags=0, **kwargs)``,
  ``recv_msgpack(socket, flags=0, **kwargs)``
- ``send_array(socket, array, flags=0, copy=False, track=False, **kwargs)``,
  ``recv_array(socket, flags=0, copy=False, **kwargs)``

A function the provider lacks makes its method raise ImportError naming the
provider. The functions also receive subclasses and the asyncio/Tornado
sockets of zmq-eventloop, whose ``recv`` returns an awaitable: a receive
function then returns an awaitable of the decoded value.

Sockets that receive through futures may take part in that decoding: a
socket class that defines ``_deserialize(self, received, load)`` (PyZMQ's
name for this hook, kept for its subclasses) is handed the awaitable its
``recv`` just returned and returns the awaitable of ``load(message)``.
zmq-eventloop's sockets define it, so that a decoded receive stays one
cancellable step; a provider calls it rather than awaiting ``received``
itself. This is part of the documented protocol between providers and
socket classes, despite the underscore.

Optionally, the fast pickle path, used by a plain :class:`zmq.Socket` (not a
subclass, which may override ``send``/``recv``) for ``send_pyobj(obj)`` and
``recv_pyobj()`` without options, called straight from C:

- ``pyobj_dumps(obj) -> bytes``: the message ``send_pyobj(obj)`` sends;
- ``pyobj_loads(data: bytes)``: the object ``recv_pyobj()`` returns;
- ``pyobj_loads_error(exc) -> BaseException`` (may be absent): the error to
  raise, instead of *exc*, when ``pyobj_loads`` raised *exc*. The data is
  never loaded a second time (unpickling runs code).

Both ``pyobj_dumps`` and ``pyobj_loads``, or neither. They must give the same
messages, objects and errors as the provider's ``send_pyobj``/``recv_pyobj``.

This module owns the choice and its state; zmq-core's Socket reads it and
calls it through the C interface in codecs.pxd (``zmq.core.codecs`` imports
nothing from the socket module).
"""

# threading.RLock's own lock type: importing threading would add a ms to
# `import zmq`
from _thread import RLock

GROUP = "zmq.codecs"

METHODS = (
    "send_json", "recv_json",
    "send_pyobj", "recv_pyobj",
    "send_serialized", "recv_serialized",
    "send_msgpack", "recv_msgpack",
    "send_array", "recv_array",
)
_FAST_PATH = ("pyobj_dumps", "pyobj_loads", "pyobj_loads_error")

# held while choosing the provider; reentrant: a provider's module may call
# register() while the entry point imports it
_choosing = RLock()

# the provider in use and its fast pickle path (see codecs.pxd); what to
# call the provider in errors
_provider = None
_pyobj_dumps = None
_pyobj_loads = None
_pyobj_loads_error = None
cdef str _origin = ""


cdef int _use(object provider, str origin) except -1:
    # *provider* (already checked) or None becomes the one in use
    global _provider, _origin, _pyobj_dumps, _pyobj_loads, _pyobj_loads_error
    dumps = getattr(provider, "pyobj_dumps", None)
    loads = getattr(provider, "pyobj_loads", None)
    if dumps is None or loads is None:
        dumps = loads = loads_error = None
    else:
        loads_error = getattr(provider, "pyobj_loads_error", None)
    _pyobj_dumps, _pyobj_loads, _pyobj_loads_error = dumps, loads, loads_error
    _origin = "" if provider is None else (origin or repr(provider))
    _provider = provider
    return 0


def register(provider: object) -> None:
    """Make *provider* the codec provider of every socket, in place of the
    one in use (zmq-serial's included). ``None`` unregisters it: the next
    serialisation call looks for the ``zmq.codecs`` entry point again.

    Raises TypeError for an object that provides none of the functions, or a
    function that is not callable, or half of the fast pickle path.
    """
    if provider is not None:
        _check(provider)
    with _choosing:
        _use(provider, None)


def get_provider() -> object:
    """The codec provider in use, loading the ``zmq.codecs`` entry point if
    none is registered yet; ImportError if there is none."""
    if _provider is None:
        _load_entry_point("zmq.core.codecs.get_provider()")
    return _provider


cdef int _ensure_provider(str method) except -1:
    if _provider is None:
        _load_entry_point(f"Socket.{method}()")
    return 0


cdef object _function(str name):
    if _provider is None:
        _load_entry_point(f"Socket.{name}()")
    try:
        return getattr(_provider, name)
    except AttributeError:
        raise ImportError(
            f"Socket.{name}() is not provided by the codec provider in use: {_origin}"
        ) from None


def _check(provider):
    present = [name for name in METHODS + _FAST_PATH if hasattr(provider, name)]
    if not present:
        raise TypeError(
            f"{provider!r} is not a codec provider: it has none of {', '.join(METHODS)}"
        )
    for name in present:
        if not callable(getattr(provider, name)):
            raise TypeError(f"the codec provider's {name} is not callable")
    if hasattr(provider, "pyobj_dumps") != hasattr(provider, "pyobj_loads"):
        raise TypeError("a codec provider's fast pickle path needs both pyobj_dumps"
                        " and pyobj_loads, or neither")


def _load_entry_point(caller):
    """Register the provider the ``zmq.codecs`` entry point names, unless
    one is in use; *caller* names the call in errors."""
    from importlib.metadata import entry_points

    with _choosing:
        if _provider is not None:  # another thread was first
            return
        found = list(entry_points(group=GROUP))
        if not found:
            raise ImportError(
                f"{caller} needs the zmq-serial distribution: pip install zmq-serial"
                f" (no codec provider: no {GROUP!r} entry point is installed and none"
                f" was registered with zmq.core.codecs.register())"
            )
        if len(found) > 1:
            names = "; ".join(_describe(ep) for ep in found)
            raise ImportError(
                f"{caller}: several {GROUP!r} entry points are installed ({names});"
                f" choose one with zmq.core.codecs.register()"
            )
        ep = found[0]
        try:
            provider = ep.load()
            _check(provider)
        except Exception as e:
            dist = _dist_name(ep)
            fix = f"; reinstall it: pip install --force-reinstall {dist}" if dist else ""
            raise ImportError(
                f"{caller}: {_describe(ep)} failed to load its codec provider:"
                f" {type(e).__name__}: {e}{fix}"
            ) from e
        dist = _dist_name(ep)
        origin = _describe(ep) + (f"; upgrade it: pip install -U {dist}" if dist else "")
        if _provider is None:  # else its module registered one itself
            _use(provider, origin)


def _dist_name(ep):
    return ep.dist.name if ep.dist is not None else None


def _describe(ep):
    where = f" ({ep.dist.name} {ep.dist.version})" if ep.dist is not None else ""
    return f"the {GROUP!r} entry point {ep.name} = {ep.value}{where}"


__all__ = ["GROUP", "METHODS", "get_provider", "register"]
