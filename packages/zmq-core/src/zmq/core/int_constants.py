# SPDX-License-Identifier: BSD-3-Clause
"""libzmq's constants as plain ``int``: every integer name of
:mod:`zmq.constants`, with the same value, but of type ``int`` rather than an
enum member.

For hot paths that compare, mask or pass a constant millions of times
(event-loop and gevent layers: ``events & POLLIN``), where an enum member's
``__and__`` and ``__eq__`` cost a Python call each::

    from zmq.core.int_constants import EVENTS as _EVENTS, POLLIN as _POLLIN

Imported as module globals, they stay plain globals of the importing module.
The names are made from ``zmq.constants``' table when this module is first
imported (``import zmq`` does not import it); ``int_constants.pyi`` lists
them for type checkers and is generated from the same table.
"""

from zmq.core import constants as _constants


def _plain_ints() -> dict[str, int]:
    return {
        name: int(value)
        for name in _constants.__all__
        if isinstance(value := getattr(_constants, name), int)
    }


# every public name of this module is one of them (so it needs no __all__:
# a star import takes exactly these)
globals().update(_plain_ints())
