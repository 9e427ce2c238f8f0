# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, embedsignature=True, freethreading_compatible=True
"""Library-level functions: version, capabilities, errors, CURVE keys, Z85."""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t

from zmq.core.error cimport check_rc
from zmq.core.cdecl cimport libzmq

# True when this zmq-core was compiled against a zmq.h with the draft API.
BUILT_WITH_DRAFT_API = bool(libzmq.ZMQ_STACK_DRAFT_API)


cdef extern from "sys/un.h":
    cdef struct sockaddr_un:
        char sun_path[1]


cdef sockaddr_un _unix_address

# The longest ipc:// path the OS accepts (sun_path less its NUL).
IPC_PATH_MAX_LEN = sizeof(_unix_address.sun_path) - 1


def strerror(int errno):
    """libzmq's description of an error number (system or zmq-specific)."""
    return libzmq.zmq_strerror(errno).decode("utf-8", "replace")


def zmq_errno():
    """The errno of the calling thread's last failed libzmq call."""
    return libzmq.zmq_errno()


def zmq_version_info():
    """The version of the libzmq in use, as a tuple of 3 ints."""
    cdef int major = 0, minor = 0, patch = 0
    libzmq.zmq_version(&major, &minor, &patch)
    return (major, minor, patch)


def has(capability):
    """Whether libzmq has a capability: "ipc", "pgm", "tipc", "norm",
    "curve", "gssapi" or "draft"."""
    if isinstance(capability, str):
        capability = capability.encode("utf-8")
    if not isinstance(capability, bytes):
        raise TypeError(f"has() takes a str, not {type(capability).__name__}")
    return bool(libzmq.zmq_has(<const char *>capability))


def curve_keypair():
    """A new CURVE key pair, as (public, secret) Z85-encoded bytes of 40
    characters. Needs libzmq built with CURVE support."""
    cdef char public_key[41]
    cdef char secret_key[41]
    check_rc(libzmq.zmq_curve_keypair(public_key, secret_key))
    return public_key[:40], secret_key[:40]


def curve_public(secret_key):
    """The Z85 public key that belongs to a Z85 secret key (40 bytes)."""
    cdef char public_key[41]
    if isinstance(secret_key, str):
        try:
            secret_key = secret_key.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("secret_key must be 40 characters of Z85 text") from None
    elif isinstance(secret_key, (bytearray, memoryview)):
        secret_key = bytes(secret_key)
    if not isinstance(secret_key, bytes):
        raise TypeError(
            f"secret_key must be bytes or str, not {type(secret_key).__name__}"
        )
    if len(secret_key) != 40:
        # the key itself is never echoed: error messages end up in logs
        raise ValueError(
            f"secret_key must be 40 bytes of Z85 text, not {len(secret_key)} bytes"
        )
    if b"\0" in secret_key:
        raise ValueError("secret_key must be Z85 text, without NUL bytes")
    check_rc(libzmq.zmq_curve_public(public_key, <const char *>secret_key))
    return public_key[:40]


cdef bytes _z85_input(object data, bint decode):
    # the bytes to encode or decode, checked for length: Z85 turns each 4
    # bytes into 5 characters. bytes(4) would be four zero bytes,
    # bytes(2**36) 64 GiB: only buffers (and, for decoding, str) are data
    cdef bytes raw
    if isinstance(data, bytes):
        raw = data
    elif isinstance(data, str) and decode:
        try:
            raw = (<str>data).encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("Z85 text is ASCII") from None
    else:
        try:
            raw = bytes(memoryview(data))
        except TypeError:
            raise TypeError(
                f"z85 {'decode' if decode else 'encode'}() takes bytes or a buffer,"
                f" not {type(data).__name__}"
            ) from None
    cdef Py_ssize_t n = PyBytes_GET_SIZE(raw)
    if decode and n % 5:
        raise ValueError(f"Z85 decodes multiples of 5 characters, got {n}")
    if not decode and n % 4:
        raise ValueError(f"Z85 encodes multiples of 4 bytes, got {n}")
    return raw


def z85_encode(data):
    """Z85-encode bytes (or a buffer) whose length is a multiple of 4."""
    cdef bytes raw = _z85_input(data, False)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(raw)
    if n == 0:
        return b""
    cdef bytes out = PyBytes_FromStringAndSize(NULL, n * 5 // 4 + 1)
    if libzmq.zmq_z85_encode(PyBytes_AS_STRING(out), <const uint8_t *>PyBytes_AS_STRING(raw),
                             n) == NULL:
        raise ValueError("Z85 encoding failed")
    return out[:n * 5 // 4]


def z85_decode(text):
    """Decode Z85 text (str, bytes or a buffer, length a multiple of 5)."""
    cdef bytes raw = _z85_input(text, True)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(raw)
    if n == 0:
        return b""
    if b"\0" in raw:
        raise ValueError("Z85 text cannot contain NUL characters")
    cdef bytes out = PyBytes_FromStringAndSize(NULL, n * 4 // 5)
    if libzmq.zmq_z85_decode(<uint8_t *>PyBytes_AS_STRING(out),
                             <const char *>PyBytes_AS_STRING(raw)) == NULL:
        raise ValueError(f"invalid Z85 text ({n} characters)")
    return out
