# SPDX-License-Identifier: BSD-3-Clause
"""CURVE certificate files, in the text format czmq's zcert uses.

A certificate pair is ``NAME.key`` (the public key, to hand out) and
``NAME.key_secret`` (public and secret key: keep it private)::

    metadata
        name = "value"
    curve
        public-key = "<40 z85 characters>"
        secret-key = "<40 z85 characters>"

Secret files are written readable by their owner only (mode 0600), in a
folder created with mode 0700. Loading a secret file that group or others
can read warns with :class:`InsecureKeyFileWarning`, or raises
:class:`PermissionError` when ``strict=True``.
"""

import datetime
import glob
import os
import stat
import warnings
from typing import NamedTuple

import zmq

_SECRET_BANNER = """\
#   ZeroMQ CURVE secret certificate, written {when} by zmq-auth.
#   Whoever reads this file can act as its owner: keep it private (mode 0600).

"""

_PUBLIC_BANNER = """\
#   ZeroMQ CURVE public certificate, written {when} by zmq-auth.
#   Share it with the peers that should recognise this key; check it was not
#   changed on the way.

"""


class InsecureKeyFileWarning(UserWarning):
    """A secret key file is readable by other users than its owner."""


class Certificate(NamedTuple):
    """What a certificate file holds."""

    public_key: bytes
    secret_key: bytes | None
    metadata: dict[str, str]


def _text(value: str | bytes, what: str) -> str:
    text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
    if "\n" in text or "\r" in text or '"' in text:
        raise ValueError(f"a certificate's {what} cannot hold newlines or double quotes: {text!r}")
    return text


def _write_certificate(
    path: str,
    banner: str,
    public_key: str | bytes,
    secret_key: str | bytes | None = None,
    metadata: dict[str, str] | None = None,
) -> None:
    lines = [
        banner.format(when=datetime.datetime.now().isoformat(timespec="seconds")),
        "metadata\n",
    ]
    for name, value in (metadata or {}).items():
        lines.append(f'    {_text(name, "metadata name")} = "{_text(value, "metadata value")}"\n')
    lines.append("curve\n")
    lines.append(f'    public-key = "{_text(public_key, "public key")}"\n')
    mode = 0o644
    if secret_key:
        lines.append(f'    secret-key = "{_text(secret_key, "secret key")}"\n')
        mode = 0o600
    # created with its final mode (no moment where others could open it);
    # an existing file is truncated and its mode set again
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        if secret_key and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            fd = -1
            f.write("".join(lines))
    finally:
        if fd != -1:
            os.close(fd)


def create_certificates(
    key_dir: str | os.PathLike[str], name: str, metadata: dict[str, str] | None = None
) -> tuple[str, str]:
    """Make a new CURVE key pair and write it as ``key_dir/name.key`` (public)
    and ``key_dir/name.key_secret`` (secret, mode 0600). *key_dir* is created
    (mode 0700) when missing. Returns the two paths."""
    name = os.fspath(name)
    if not name or os.sep in name or (os.altsep and os.altsep in name) or name in (".", ".."):
        raise ValueError(f"a certificate name is a file name without a folder, not {name!r}")
    for key, value in (metadata or {}).items():  # refused before anything is written
        _text(key, "metadata name")
        _text(value, "metadata value")
    key_dir = os.fspath(key_dir)
    if not os.path.isdir(key_dir):
        os.makedirs(key_dir, mode=0o700)
    public_key, secret_key = zmq.curve_keypair()
    base = os.path.join(key_dir, name)
    public_file, secret_file = f"{base}.key", f"{base}.key_secret"
    _write_certificate(public_file, _PUBLIC_BANNER, public_key)
    _write_certificate(secret_file, _SECRET_BANNER, public_key, secret_key, metadata)
    return public_file, secret_file


def _unquote(value: bytes) -> bytes:
    return value.strip().strip(b" \t'\"")


def read_certificate(filename: str | os.PathLike[str], strict: bool = False) -> Certificate:
    """Parse a certificate file: keys and metadata. See :func:`load_certificate`."""
    if not os.path.exists(filename):
        raise OSError(f"Invalid certificate file: {os.fspath(filename)!s}")
    public_key = secret_key = None
    metadata: dict[str, str] = {}
    section = None
    with open(filename, "rb") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            if not raw[:1].isspace() and b"=" not in line:
                section = line
                continue
            key, sep, value = line.partition(b"=")
            key = key.strip()
            if not sep:
                continue
            if key == b"public-key":
                public_key = _unquote(value)
            elif key == b"secret-key":
                secret_key = _unquote(value)
            elif section == b"metadata":
                metadata[key.decode("utf-8", "replace")] = _unquote(value).decode(
                    "utf-8", "replace"
                )
    if public_key is None:
        raise ValueError(f"No public key found in {os.fspath(filename)!s}")
    if secret_key is not None:
        _check_private(filename, strict)
    return Certificate(public_key, secret_key, metadata)


def _check_private(filename: str | os.PathLike[str], strict: bool) -> None:
    if os.name == "nt":  # POSIX modes mean nothing there
        return
    mode = stat.S_IMODE(os.stat(filename).st_mode)
    if mode & 0o077:
        message = (
            f"{os.fspath(filename)!s} holds a secret key but its mode is {mode:04o}:"
            f" other users can read it; run chmod 600 on it"
        )
        if strict:
            raise PermissionError(message)
        warnings.warn(message, InsecureKeyFileWarning, stacklevel=3)


def load_certificate(
    filename: str | os.PathLike[str], strict: bool = False
) -> tuple[bytes, bytes | None]:
    """Read ``(public_key, secret_key)`` (z85 bytes) from a certificate file;
    *secret_key* is None for a public certificate.

    Raises OSError for a missing file and ValueError when it has no public
    key. A secret certificate readable by group or others warns
    (:class:`InsecureKeyFileWarning`), or raises PermissionError if *strict*.
    """
    cert = read_certificate(filename, strict=strict)
    return cert.public_key, cert.secret_key


def load_certificates(directory: str | os.PathLike[str] = ".") -> dict[bytes, bool]:
    """The public keys of every certificate (``*.key``) in *directory*, as
    ``{z85 public key: True}``."""
    if not os.path.isdir(directory):
        raise OSError(f"Invalid certificate directory: {os.fspath(directory)!s}")
    keys = {}
    for cert_file in sorted(glob.glob(os.path.join(glob.escape(os.fspath(directory)), "*.key"))):
        public_key, _ = load_certificate(cert_file)
        if public_key:
            keys[public_key] = True
    return keys


__all__ = ["create_certificates", "load_certificate", "load_certificates"]
