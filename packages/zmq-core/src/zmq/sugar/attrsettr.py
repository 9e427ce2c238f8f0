# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.attrsettr``: options as attributes, for classes of your own.

zmq.Context and zmq.Socket already map attribute names to options
(``sock.linger = 0``); this mixin gives a Python class with ``get(option)``
and ``set(option, value)`` methods the same behaviour.
"""

from __future__ import annotations

from zmq import constants

# typing's names for the annotations only: importing typing would add
# several ms to `import zmq`
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class AttributeSetter:
    """Mixin: ``obj.name = value`` calls ``obj.set(zmq.NAME, value)`` and
    ``obj.name`` calls ``obj.get(zmq.NAME)`` when NAME is a libzmq constant;
    other names are ordinary attributes."""

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self.__dict__ or key.startswith("_") or hasattr(type(self), key):
            object.__setattr__(self, key, value)
            return
        option = getattr(constants, key.upper(), None)
        if not isinstance(option, int):
            raise AttributeError(f"{type(self).__name__} has no such option: {key.upper()}")
        self._set_attr_opt(key.upper(), option, value)

    def _set_attr_opt(self, name: str, opt: int, value: Any) -> None:
        self.set(opt, value)

    def __getattr__(self, key: str) -> Any:
        # only called when ordinary lookup failed
        if key.startswith("_"):
            raise AttributeError(key)
        option = getattr(constants, key.upper(), None)
        if not isinstance(option, int):
            raise AttributeError(f"{type(self).__name__} has no such option: {key.upper()}")
        return self._get_attr_opt(key.upper(), option)

    def _get_attr_opt(self, name: str, opt: int) -> Any:
        return self.get(opt)

    def get(self, option: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define get(option)")

    def set(self, option: int, value: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define set(option, value)")


__all__ = ["AttributeSetter"]
