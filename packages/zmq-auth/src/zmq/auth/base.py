# SPDX-License-Identifier: BSD-3-Clause
"""The ZAP policy engine: which peers a ZeroMQ server socket accepts.

libzmq asks a ZAP handler (RFC 27) about every incoming connection of a socket
that has a security mechanism or a ZAP domain, by sending a request to
``inproc://zeromq.zap.01`` in the socket's context. :class:`Authenticator`
binds that endpoint and answers from its policies:

- addresses: :meth:`~Authenticator.allow` or :meth:`~Authenticator.deny`
  (one or the other) is checked first, for every mechanism;
- NULL: accepted unless the address is refused;
- PLAIN: the user name and password must match :meth:`configure_plain`'s;
- CURVE: the client's public key must be in a folder of certificates
  (:meth:`configure_curve`), accepted by a callback
  (:meth:`configure_curve_callback`), or anything (``CURVE_ALLOW_ANY``).

The accepted peer's User-Id (:meth:`curve_user_id` for CURVE, the user name for
PLAIN) and the metadata from :meth:`zap_metadata` go back to libzmq in the
reply, so ``frame.get("User-Id")`` on a received message names the peer.

Secrets stay secret: passwords are compared in constant time and neither a
password nor any credential frame is ever written to a log record.

This class answers requests only when told to (:meth:`handle_zap_message`);
:mod:`zmq.auth.thread` and :mod:`zmq.auth.asyncio` run it for you.
"""

import contextvars
import hmac
import inspect
import logging
import os
import struct
from typing import Any

import zmq
from zmq.auth.certs import load_certificates
from zmq.utils import z85

CURVE_ALLOW_ANY = "*"
# the ZAP protocol version this handler speaks (RFC 27)
VERSION = b"1.0"
ZAP_ENDPOINT = "inproc://zeromq.zap.01"

# The request being answered, when the ZAP socket is a ROUTER: its envelope
# (routing id + delimiter) must prefix the reply, and a request left
# unanswered must get an error reply or libzmq stalls that handshake.
# A context variable, because each request runs in its own asyncio task.
_current_request: contextvars.ContextVar["_Request | None"] = contextvars.ContextVar(
    "zmq_auth_request", default=None
)


class _Request:
    __slots__ = ("envelope", "replied")

    def __init__(self, envelope: list[bytes]) -> None:
        self.envelope = envelope
        self.replied = False


def encode_metadata(metadata: dict[Any, Any]) -> bytes:
    """ZMTP metadata encoding (RFC 23) of a ``{name: value}`` dict, the form
    a ZAP reply carries: a 1-byte name length, the name, a 4-byte big-endian
    value length, the value."""
    parts = []
    for name, value in metadata.items():
        name_b = name.encode("ascii") if isinstance(name, str) else bytes(name)
        value_b = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if not 0 < len(name_b) < 256:
            raise ValueError(f"a metadata name takes 1 to 255 bytes, not {len(name_b)}: {name!r}")
        parts.append(
            struct.pack("B", len(name_b)) + name_b + struct.pack(">I", len(value_b)) + value_b
        )
    return b"".join(parts)


def close_zap_socket(sock: zmq.Socket) -> None:
    """Close a ZAP socket so that a new one can bind at once: an inproc
    endpoint is only released when libzmq reaps the socket, later, unless
    it is unbound first."""
    try:
        sock.unbind(ZAP_ENDPOINT)
    except zmq.ZMQError:  # context terminated, or never bound
        pass
    sock.close()


class Authenticator:
    """A ZAP handler for the sockets of one context.

    ``start()`` binds the ZAP socket; ``handle_zap_message(frames)`` answers
    one request received on it. Until a policy is configured, NULL
    connections are accepted and PLAIN and CURVE ones refused.
    """

    # REP answers one request at a time, in order: right for a caller that
    # reads and answers requests itself. The thread and asyncio
    # authenticators use a ROUTER, so a slow check does not hold up others.
    _zap_socket_type = zmq.REP

    context: zmq.Context
    encoding: str
    allow_any: bool
    credentials_providers: dict[str, Any]
    zap_socket: zmq.Socket
    passwords: dict[str, dict[str, str]]
    certs: dict[str, dict[bytes, Any]]
    log: Any

    def __init__(
        self, context: zmq.Context | None = None, encoding: str = "utf-8", log: Any = None
    ):
        if zmq.zmq_version_info() < (4, 0):
            raise zmq.ZMQVersionError((4, 0), "security")
        self.context = context or zmq.Context.instance()
        self.encoding = encoding
        self.allow_any = False
        self.credentials_providers = {}
        self.zap_socket = None  # type: ignore[assignment]
        self._allowed: set[str] = set()
        self._denied: set[str] = set()
        # {domain: {user name: password}}
        self.passwords = {}
        # {domain: {z85 public key: True}}
        self.certs = {}
        self.log = log or logging.getLogger("zmq.auth")
        # where synchronous credentials callbacks run: None runs them inline
        self.callback_executor: Any = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        """Create the ZAP socket and bind it to ``inproc://zeromq.zap.01``."""
        sock = self.context.socket(self._zap_socket_type, socket_class=zmq.Socket)
        sock.setsockopt(zmq.LINGER, 1)
        try:
            sock.bind(ZAP_ENDPOINT)
        except zmq.ZMQError as e:
            sock.close(linger=0)
            if e.errno == zmq.EADDRINUSE:
                raise zmq.ZMQError(
                    e.errno, "another authenticator is already running in this context"
                ) from None
            raise
        self.zap_socket = sock
        self.log.debug("Starting")

    def stop(self) -> None:
        """Close the ZAP socket: sockets of this context stop authenticating."""
        if self.zap_socket is not None:
            close_zap_socket(self.zap_socket)
        self.zap_socket = None  # type: ignore[assignment]

    # -- policies ------------------------------------------------------------

    def allow(self, *addresses: str) -> None:
        """Accept only peers from these IP addresses (then still check their
        PLAIN or CURVE credentials). Not combinable with :meth:`deny`."""
        if self._denied:
            raise ValueError("allow() and deny() cannot be combined: deny() was used already")
        self.log.debug("Allowing %s", ",".join(addresses))
        self._allowed.update(addresses)

    def deny(self, *addresses: str) -> None:
        """Refuse peers from these IP addresses; others go on to their
        mechanism's checks. Not combinable with :meth:`allow`."""
        if self._allowed:
            raise ValueError("allow() and deny() cannot be combined: allow() was used already")
        self.log.debug("Denying %s", ",".join(addresses))
        self._denied.update(addresses)

    def configure_plain(self, domain: str = "*", passwords: dict[str, str] | None = None) -> None:
        """Set the ``{user name: password}`` table PLAIN clients of *domain*
        are checked against (``"*"``: requests without a domain)."""
        if passwords:
            self.passwords[domain] = passwords
        self.log.debug("Configure plain: %s", domain)

    def configure_curve(self, domain: str = "*", location: str | os.PathLike[str] = ".") -> None:
        """Accept CURVE clients of *domain* whose public key is in a
        certificate (``*.key``) in the folder *location*, read now: call
        again after changing the folder. ``CURVE_ALLOW_ANY`` accepts any key."""
        self.log.debug("Configure curve: %s[%s]", domain, location)
        if location == CURVE_ALLOW_ANY:
            self.allow_any = True
        else:
            self.allow_any = False
            try:
                self.certs[domain] = load_certificates(location)
            except Exception as e:
                self.log.error("Failed to load CURVE certs from %s: %s", location, e)

    def configure_curve_callback(self, domain: str = "*", credentials_provider: Any = None) -> None:
        """Accept CURVE clients of *domain* for which
        ``credentials_provider.callback(domain, z85_public_key)`` returns true.

        The callback may be a coroutine function: it then runs concurrently
        with other handshakes. A plain function runs on
        :attr:`callback_executor` when one is set (the thread authenticator
        sets one), so a slow lookup only delays its own client.
        """
        self.allow_any = False
        if credentials_provider is not None:
            self.credentials_providers[domain] = credentials_provider
        else:
            self.log.error("None credentials_provider provided for domain:%s", domain)

    def configure_gssapi(self, domain: str = "*", location: str | None = None) -> None:
        """GSSAPI needs no configuration here: libzmq and the GSSAPI library
        authenticate the peer, this handler accepts the principal."""

    def curve_user_id(self, client_public_key: bytes) -> str:
        """The User-Id of an accepted CURVE client: by default the z85 text of
        its public key. Override (or assign) to map keys to names."""
        return z85.encode(client_public_key).decode("ascii")

    def zap_metadata(
        self, user_id: str, mechanism: str, domain: str, address: str
    ) -> dict[str, Any] | None:
        """Metadata attached to an accepted connection, readable on each of
        its messages with ``frame.get(name)``. None by default; override (or
        assign) to return a ``{name: str | bytes}`` dict; by convention
        application names start with ``X-`` (RFC 27), apart from libzmq's own
        (``User-Id``, ``Socket-Type``...)."""
        return None

    # -- handshakes refused before ZAP --------------------------------------

    def watch(self, socket: zmq.Socket) -> None:
        """Also log the handshakes libzmq refuses on *socket* by itself,
        before asking ZAP: a CURVE client that encrypted for another server
        key, or a client speaking another mechanism. Call from the thread that
        owns *socket*. This uses the socket's monitor (libzmq keeps one per
        socket: a later ``socket.monitor()`` replaces it)."""
        addr = f"inproc://zmq.auth.watch-{id(self):x}-{socket.getsockopt(zmq.FD)}"
        socket.monitor(
            addr, zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
        )
        monitor = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
        monitor.setsockopt(zmq.LINGER, 0)
        monitor.connect(addr)
        self._add_monitor(monitor)

    def _add_monitor(self, monitor: zmq.Socket) -> None:
        monitor.close()
        raise RuntimeError(
            "watch() needs an authenticator that runs by itself:"
            " ThreadAuthenticator or AsyncioAuthenticator, started"
        )

    def _log_refused_handshake(self, event: dict[str, Any]) -> None:
        endpoint = bytes(event["endpoint"]).decode("utf-8", "replace")
        try:
            detail = zmq.Event(event["value"]).name
        except ValueError:
            detail = str(event["value"])
        self.log.info(
            "DENIED (handshake refused by libzmq before ZAP: %s, %s) endpoint=%s",
            event["event"].name,
            detail,
            endpoint,
        )

    # -- answering requests --------------------------------------------------

    async def handle_zap_message(self, msg: list[bytes]) -> None:
        """Answer one ZAP request (its frames, without any routing envelope)."""
        if len(msg) < 6:
            # the frames may hold credentials: their count only
            self.log.error("Invalid ZAP message, not enough frames: %d", len(msg))
            if len(msg) < 2:
                self.log.error("Not enough information to reply")
            else:
                self._send_zap_reply(msg[1], b"400", b"Not enough frames")
            return

        version, request_id, domain_b, address_b, identity, mechanism = msg[:6]
        credentials = msg[6:]
        domain = domain_b.decode(self.encoding, "replace")
        address = address_b.decode(self.encoding, "replace")

        if version != VERSION:
            self.log.error("Invalid ZAP version: %r", version)
            self._send_zap_reply(request_id, b"400", b"Invalid version")
            return

        self.log.debug(
            "version: %r, request_id: %r, domain: %r, address: %r, identity: %r, mechanism: %r",
            version,
            request_id,
            domain,
            address,
            identity,
            mechanism,
        )

        allowed = False
        denied = False
        reason = b"NO ACCESS"
        if self._allowed:
            if address in self._allowed:
                allowed = True
                self.log.debug("PASSED (allowed) address=%s", address)
            else:
                denied = True
                reason = b"Address not allowed"
                self.log.info("DENIED (not allowed) address=%s", address)
        elif self._denied:
            if address in self._denied:
                denied = True
                reason = b"Address denied"
                self.log.info("DENIED (denied) address=%s", address)
            else:
                allowed = True
                self.log.debug("PASSED (not denied) address=%s", address)

        username = "anonymous"
        if not denied:
            if mechanism == b"NULL" and not allowed:
                self.log.debug("ALLOWED (NULL)")
                allowed = True
            elif mechanism == b"PLAIN":
                # even an allowed address must authenticate
                if not self._has_frames(request_id, "PLAIN", credentials, 2):
                    return
                username = credentials[0].decode(self.encoding, "replace")
                allowed, reason = self._authenticate_plain(domain, username, credentials[1])
            elif mechanism == b"CURVE":
                if not self._has_frames(request_id, "CURVE", credentials, 1):
                    return
                key = credentials[0]
                allowed, reason = await self._authenticate_curve(domain, key)
                if allowed:
                    username = self.curve_user_id(key)
            elif mechanism == b"GSSAPI":
                if not self._has_frames(request_id, "GSSAPI", credentials, 1):
                    return
                principal = credentials[0]
                username = principal.decode("utf8", "replace")
                allowed, reason = self._authenticate_gssapi(domain, principal)

        if allowed:
            metadata = self.zap_metadata(
                username, mechanism.decode("ascii", "replace"), domain, address
            )
            self._send_zap_reply(
                request_id, b"200", b"OK", username, encode_metadata(metadata) if metadata else b""
            )
        else:
            self._send_zap_reply(request_id, b"400", reason)

    def _authenticate_plain(
        self, domain: str, username: str, password: str | bytes
    ) -> tuple[bool, bytes]:
        """Check a PLAIN user name and password. The password is compared in
        constant time (also when the user is unknown), and never logged."""
        if not self.passwords:
            reason = b"No passwords defined"
            self.log.info("DENIED (PLAIN) %s", reason.decode())
            return False, reason
        domain = domain or "*"
        table = self.passwords.get(domain)
        if table is None:
            self.log.info("DENIED (PLAIN) unknown domain=%s", domain)
            return False, b"Invalid domain"
        supplied = password if isinstance(password, bytes) else password.encode(self.encoding)
        expected = table.get(username)
        known = expected is not None
        if isinstance(expected, str):
            expected_b = expected.encode(self.encoding)
        elif expected is None:
            # compare against something all the same, so the time taken does
            # not tell whether the user exists
            expected_b = bytes(len(supplied) + 1)
        else:
            expected_b = bytes(expected)
        matches = hmac.compare_digest(supplied, expected_b)
        if known and matches:
            self.log.debug("ALLOWED (PLAIN) domain=%s username=%s", domain, username)
            return True, b"OK"
        # one reason for both: a client must not learn which user names exist
        self.log.info(
            "DENIED (PLAIN) domain=%s username=%s: invalid username or password", domain, username
        )
        return False, b"Invalid username or password"

    async def _authenticate_curve(self, domain: str, client_key: bytes) -> tuple[bool, bytes]:
        """Check a CURVE client's public key (32 bytes)."""
        if self.allow_any:
            self.log.debug("ALLOWED (CURVE allow any client)")
            return True, b"OK"
        domain = domain or "*"
        z85_client_key = z85.encode(client_key)
        key_text = z85_client_key.decode("ascii")
        if self.credentials_providers:
            provider = self.credentials_providers.get(domain)
            if provider is None:
                self.log.info("DENIED (CURVE) unknown domain=%s", domain)
                return False, b"Unknown domain"
            allowed = bool(await self._call_provider(provider.callback, domain, z85_client_key))
            how = "CURVE auth_callback"
        else:
            keys = self.certs.get(domain)
            if keys is None:
                self.log.info("DENIED (CURVE) unknown domain=%s", domain)
                return False, b"Unknown domain"
            allowed = bool(keys.get(z85_client_key))
            how = "CURVE"
        if allowed:
            self.log.debug("ALLOWED (%s) domain=%s client_key=%s", how, domain, key_text)
            return True, b"OK"
        self.log.info("DENIED (%s) domain=%s client_key=%s", how, domain, key_text)
        return False, b"Unknown key"

    async def _call_provider(self, callback: Any, domain: str, key: bytes) -> Any:
        if inspect.iscoroutinefunction(callback) or self.callback_executor is None:
            result = callback(domain, key)
        else:
            import asyncio

            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self.callback_executor, callback, domain, key)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _authenticate_gssapi(self, domain: str, principal: bytes) -> tuple[bool, bytes]:
        """GSSAPI peers were authenticated by GSSAPI itself: accept."""
        self.log.debug("ALLOWED (GSSAPI) domain=%s principal=%s", domain, principal)
        return True, b"OK"

    def _has_frames(self, request_id: bytes, mechanism: str, credentials: list[bytes],
                    count: int) -> bool:
        """True if *credentials* has the *count* frames *mechanism* takes;
        else False, the request already answered with 400."""
        if len(credentials) == count:
            return True
        self.log.error("Invalid %s credentials: %d frames", mechanism, len(credentials))
        self._send_zap_reply(request_id, b"400", b"Invalid credentials")
        return False

    def _send_zap_reply(
        self,
        request_id: bytes,
        status_code: bytes,
        status_text: bytes,
        user_id: str | bytes = "anonymous",
        metadata: bytes = b"",
    ) -> None:
        """Send the reply that completes (200) or refuses (400) a handshake."""
        if status_code != b"200":
            user_id, metadata = b"", b""
        elif isinstance(user_id, str):
            user_id = user_id.encode(self.encoding, "replace")
        self.log.debug("ZAP reply code=%s text=%s", status_code, status_text)
        reply = [VERSION, request_id, status_code, status_text, user_id, metadata]
        request = _current_request.get()
        if request is not None:
            reply = request.envelope + reply
            request.replied = True
        self.zap_socket.send_multipart(reply)


__all__ = ["Authenticator", "CURVE_ALLOW_ANY"]
