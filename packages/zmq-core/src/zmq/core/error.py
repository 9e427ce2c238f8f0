# SPDX-License-Identifier: BSD-3-Clause
"""The exceptions zmq raises, with PyZMQ 27's names and constructors.

ZMQError carries libzmq's ``errno`` and ``strerror``. Three errnos have their
own subclass, which the bindings raise so callers can catch them alone:
EAGAIN -> Again, ETERM -> ContextTerminated, EINTR -> InterruptedSystemCall.
"""

from errno import EAGAIN, EINTR

from zmq.core.constants import Errno

# names for the annotations only (quoted where used): importing typing
# would add several ms to `import zmq`, collections.abc and __future__ a
# tenth of one each
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, NoReturn

ETERM = Errno.ETERM


_STRERROR: dict[int, str] = {}


def _strerror(errnum: int) -> str:
    # cached: Again and friends are raised on hot paths (non-blocking calls)
    text = _STRERROR.get(errnum)
    if text is None:
        try:
            from zmq.core.utils import strerror

            text = strerror(errnum)
        except ImportError:  # the compiled module is unavailable (docs, tooling)
            import os

            text = os.strerror(errnum)
        _STRERROR[errnum] = text
    return text


def _last_errno() -> int:
    from zmq.core.utils import zmq_errno

    return zmq_errno()


class DraftFDWarning(RuntimeWarning):
    """Warns that FD support on thread-safe (draft) sockets is experimental."""

    def __init__(self, msg: str = "") -> None:
        super().__init__(
            msg
            or "FD on thread-safe draft sockets is experimental and may change;"
            " silence with warnings.simplefilter('ignore', zmq.error.DraftFDWarning)"
        )


class ZMQBaseError(Exception):
    """Base of every exception zmq raises."""


class ZMQError(ZMQBaseError):
    """ZMQError(errno=None, msg=None)

    A failed libzmq call. ``errno`` is the error number (``zmq.EAGAIN``,
    ``zmq.ETERM``...), ``strerror`` its description, or *msg* when given.
    Without *errno*, the calling thread's last libzmq errno is used.
    """

    errno: int | None = None
    strerror: str | None = None

    def __init__(self, errno: int | str | None = None, msg: str | None = None) -> None:
        if errno is None:
            errno = _last_errno()
        if isinstance(errno, int):
            self.errno = errno
            self.strerror = _strerror(errno) if msg is None else msg
        else:
            # a message passed where the errno goes, as PyZMQ allows
            self.errno = None
            self.strerror = str(errno) if msg is None else msg
        super().__init__(self.errno, self.strerror)

    def __str__(self) -> str:
        return self.strerror or ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> "tuple[type, tuple[Any, ...]]":
        return (type(self), (self.errno, self.strerror))


class ZMQBindError(ZMQBaseError):
    """bind_to_random_port() found no free port in its range."""


class NotDone(ZMQBaseError):
    """MessageTracker.wait() timed out before libzmq was done."""


class ContextTerminated(ZMQError):
    """The socket's context was terminated (ETERM)."""

    def __init__(self, errno: object = "ignored", msg: object = "ignored") -> None:
        super().__init__(ETERM)


class Again(ZMQError):
    """The operation would block: nothing to receive, no room to send, or
    RCVTIMEO/SNDTIMEO expired (EAGAIN)."""

    def __init__(self, errno: object = "ignored", msg: object = "ignored") -> None:
        super().__init__(EAGAIN)


class InterruptedSystemCall(ZMQError, InterruptedError):
    """A signal interrupted the call (EINTR). The bindings retry such calls
    themselves after running signal handlers; this reaches users only from
    code that chooses not to."""

    def __init__(self, errno: object = "ignored", msg: object = "ignored") -> None:
        super().__init__(EINTR)

    def __str__(self) -> str:
        return super().__str__() + ": the call was interrupted by a signal; try it again"


class ZMQVersionError(NotImplementedError):
    """ZMQVersionError(min_version, msg="Feature")

    The libzmq in use is too old for a feature."""

    def __init__(self, min_version: str | tuple[int, ...], msg: str = "Feature") -> None:
        from zmq.core.utils import zmq_version_info

        self.min_version = min_version
        self.msg = msg
        self.version = ".".join(str(v) for v in zmq_version_info())
        super().__init__(min_version, msg)

    def __str__(self) -> str:
        return f"{self.msg} requires libzmq >= {self.min_version}, have {self.version}"

    def __repr__(self) -> str:
        return f"ZMQVersionError({str(self)!r})"

    def __reduce__(self) -> "tuple[type, tuple[Any, ...]]":
        return (type(self), (self.min_version, self.msg))


_BY_ERRNO = {EAGAIN: Again, ETERM: ContextTerminated, EINTR: InterruptedSystemCall}


def _error_for_errno(errnum: int) -> ZMQError:
    """The exception the bindings raise for a libzmq errno."""
    special = _BY_ERRNO.get(errnum)
    return special() if special is not None else ZMQError(errnum)


def _raise_for_errno(errnum: int) -> "NoReturn":
    raise _error_for_errno(errnum)


def _check_rc(rc: int, errno: int | None = None, error_without_errno: bool = True) -> None:
    """Raise the matching ZMQError if *rc* is -1 (PyZMQ's helper)."""
    if rc == -1:
        if errno is None:
            errno = _last_errno()
        if errno == 0 and not error_without_errno:
            return
        _raise_for_errno(errno)


def _check_version(min_version_info: "Iterable[int]", msg: str = "Feature") -> None:
    """Raise ZMQVersionError if libzmq is older than *min_version_info*."""
    from zmq.core.utils import zmq_version_info

    if zmq_version_info() < tuple(min_version_info):
        raise ZMQVersionError(".".join(str(v) for v in min_version_info), msg)


__all__ = [
    "DraftFDWarning",
    "ZMQBaseError",
    "ZMQBindError",
    "ZMQError",
    "NotDone",
    "ContextTerminated",
    "InterruptedSystemCall",
    "Again",
    "ZMQVersionError",
]
