# SPDX-License-Identifier: BSD-3-Clause
"""Devices: a proxy between two sockets, configured first, run in the
foreground, a background thread or a background process.

Configuration calls (``bind_in``, ``connect_out``, ``setsockopt_in``...) are
queued and applied when the device starts, in the thread or process that
runs it: sockets are never shared between threads.

Beyond PyZMQ, a background device can be stopped: ``stop()`` sends
TERMINATE to a control socket the device listens on (threads) or SIGTERM
(processes); either way the device's sockets are closed, honouring LINGER.
Thread devices still running at interpreter exit are stopped the same way.
"""

import atexit
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from threading import Thread
from typing import Any, cast

import zmq
from zmq import ENOTSOCK, ETERM, PAIR, PUSH, QUEUE, Context, ZMQBindError, ZMQError
from zmq.core.osthread import OSEvent, OSThread

# a peer type for each control socket type, to send TERMINATE from stop()
_CONTROL_PEERS: dict[int, int] = {
    zmq.PAIR: zmq.PAIR,
    zmq.PULL: zmq.PUSH,
    zmq.SUB: zmq.PUB,
    zmq.REP: zmq.REQ,
    zmq.ROUTER: zmq.DEALER,
    zmq.DEALER: zmq.DEALER,
}

_running: "weakref.WeakSet[Device]" = weakref.WeakSet()


@atexit.register
def _stop_running_threads() -> None:
    # daemon threads would otherwise die inside libzmq with sockets open
    for device in list(_running):
        try:
            device.stop(timeout=1)
        except Exception:
            pass


class _SocketSetup:
    """What a device applies to one of its sockets when it starts, in this
    order: options (some, ROUTING_ID or CURVE ones, must precede
    bind/connect), binds, connects."""

    __slots__ = ("sockopts", "binds", "connects")

    def __init__(self) -> None:
        self.sockopts: list[tuple[int, Any]] = []
        self.binds: list[str] = []
        self.connects: list[str] = []

    def apply(self, sock: zmq.Socket) -> None:
        for opt, value in self.sockopts:
            sock.setsockopt(opt, value)
        for addr in self.binds:
            sock.bind(addr)
        for addr in self.connects:
            sock.connect(addr)


class Device:
    """Device(device_type=QUEUE, in_type=None, out_type=None)

    A proxy between an ``in`` socket and an ``out`` socket of the given
    types, run by ``start()`` in the calling thread. The device type
    (QUEUE, FORWARDER, STREAMER) is kept for PyZMQ compatibility; the socket
    types decide what the device does. A negative *out_type* makes a
    single-socket device: the in socket is its own out socket (a REP that
    echoes every request, say), configured by both the ``*_in`` and
    ``*_out`` methods.

    Attributes: ``daemon`` (for background devices, default True),
    ``context_factory`` (a class attribute: the callable that makes the
    device's context; ``Context.instance`` for threads, so inproc endpoints
    of the application's context work, a new ``Context`` for processes).

    Subclasses add a monitor socket (:meth:`_monitor_socket`), their own
    control socket (:meth:`_control_socket`) or another loop between the
    sockets (:meth:`_forward`); :meth:`run_device` is the same for all.
    """

    context_factory: Callable[[], zmq.Context] = Context.instance

    def __init__(self, device_type: int = QUEUE, in_type: int | None = None,
                 out_type: int | None = None) -> None:
        if in_type is None:
            raise TypeError("in_type must be specified")
        if out_type is None:
            raise TypeError("out_type must be specified")
        self.device_type = device_type
        self.in_type = in_type
        self.out_type = out_type
        self._in = _SocketSetup()
        self._out = _SocketSetup()
        self._random_addrs: list[str] = []
        self._sockets: list[zmq.Socket] = []
        self._context: zmq.Context | None = None
        self._control_endpoint: str | None = f"inproc://zmq-devices.control-{id(self):x}"
        self._control_type: int = PAIR
        # set by the device's thread, waited for by the starting one: an OS
        # event, whatever gevent or eventlet made of threading
        self._ready = OSEvent()
        self.error: BaseException | None = None
        self.daemon = True
        self.done = False

    # -- configuration, applied when the device starts -------------------------

    def bind_in(self, addr: str) -> None:
        """Bind the in socket to *addr* when the device starts."""
        self._in.binds.append(addr)

    def bind_in_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        """Pick a free port on *addr* now, bind the in socket to it when the
        device starts, and return the port."""
        return self._bind_to_random_port(self._in, addr, *args, **kwargs)

    def connect_in(self, addr: str) -> None:
        """Connect the in socket to *addr* when the device starts."""
        self._in.connects.append(addr)

    def setsockopt_in(self, opt: int, value: Any) -> None:
        """Set a socket option of the in socket when the device starts."""
        self._in.sockopts.append((opt, value))

    def bind_out(self, addr: str) -> None:
        """Bind the out socket to *addr* when the device starts."""
        self._out.binds.append(addr)

    def bind_out_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        """Like bind_in_to_random_port, for the out socket."""
        return self._bind_to_random_port(self._out, addr, *args, **kwargs)

    def connect_out(self, addr: str) -> None:
        """Connect the out socket to *addr* when the device starts."""
        self._out.connects.append(addr)

    def setsockopt_out(self, opt: int, value: Any) -> None:
        """Set a socket option of the out socket when the device starts."""
        self._out.sockopts.append((opt, value))

    def _bind_to_random_port(self, setup: _SocketSetup, addr: str, *args: Any,
                             **kwargs: Any) -> int:
        port = self._reserve_random_port(addr, *args, **kwargs)
        setup.binds.append(f"{addr}:{port}")
        return port

    def _reserve_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        # bind and release at once: the OS picks a port nobody uses now
        with Context() as ctx, ctx.socket(PUSH) as binder:
            binder.linger = 0
            for _ in range(5):
                port = binder.bind_to_random_port(addr, *args, **kwargs)
                endpoint = f"{addr}:{port}"
                binder.unbind(binder.last_endpoint)
                if endpoint not in self._random_addrs:
                    self._random_addrs.append(endpoint)
                    return port
            raise ZMQBindError(f"could not reserve a fresh random port on {addr}")

    # -- running ---------------------------------------------------------------

    def _socket(self, socket_type: int, setup: _SocketSetup | None = None) -> zmq.Socket:
        assert self._context is not None, "made in _open_sockets"
        sock = self._context.socket(socket_type)
        self._sockets.append(sock)
        if setup is not None:
            setup.apply(sock)
        return sock

    def _open_sockets(self) -> tuple[zmq.Socket, zmq.Socket, zmq.Socket | None, zmq.Socket]:
        """Make and configure the device's sockets, in this thread: in, out,
        monitor and control."""
        self._context = self.context_factory()
        ins = self._socket(self.in_type, self._in)
        if self.out_type < 0:  # a single-socket device: *_out configures it too
            outs = ins
            self._out.apply(ins)
        else:
            outs = self._socket(self.out_type, self._out)
        return ins, outs, self._monitor_socket(), self._control_socket()

    def _monitor_socket(self) -> zmq.Socket | None:
        """The socket that gets a copy of every message: none here."""
        return None

    def _control_socket(self) -> zmq.Socket:
        """The socket stop() sends TERMINATE to."""
        ctrl = self._socket(PAIR)
        assert self._control_endpoint is not None, "a PAIR of the device's own"
        ctrl.bind(self._control_endpoint)
        return ctrl

    def _forward(self, ins: zmq.Socket, outs: zmq.Socket, mons: zmq.Socket | None,
                 ctrl: zmq.Socket) -> None:
        """Pass messages between the sockets until TERMINATE or ETERM."""
        zmq.proxy_steerable(ins, outs, mons, ctrl)

    def run_device(self) -> None:
        """Set up the sockets and forward messages until stopped."""
        sockets = self._open_sockets()
        self._ready.set()
        self._forward(*sockets)

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            if not sock.closed:
                sock.close()
        self._sockets = []

    def run(self) -> None:
        """Run the device here until it is stopped or its context ends."""
        _running.add(self)
        try:
            self.run_device()
        except ZMQError as e:
            if e.errno not in (ETERM, ENOTSOCK):
                self.error = e
                raise
        except BaseException as e:
            self.error = e
            raise
        finally:
            self.done = True
            self._close_sockets()
            self._ready.set()
            _running.discard(self)

    def start(self) -> None:
        """Run the device (in the foreground for a plain Device)."""
        return self.run()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the device has finished, at most *timeout* seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.001)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask a device running in another thread to finish, and wait for it
        (at most *timeout* seconds)."""
        if self.done:
            return
        self._ready.wait(timeout)
        if self.done or self._context is None:
            return
        endpoint = self._control_endpoint
        if endpoint is None:  # the user's PAIR (ProxySteerable)
            raise RuntimeError(
                "stop() cannot reach a PAIR control socket, which takes a single peer:"
                " send b'TERMINATE' on your own control socket instead"
            )
        peer_type = _CONTROL_PEERS.get(self._control_type, PAIR)
        peer = self._context.socket(peer_type)
        peer.linger = 0
        try:
            peer.connect(endpoint)
            deadline = time.monotonic() + timeout
            # a PUB peer needs its SUB's subscription first: repeat until done
            while not self.done and time.monotonic() < deadline:
                if peer.poll(50, zmq.POLLOUT):
                    peer.send(b"TERMINATE", zmq.NOBLOCK)
                if peer_type != zmq.PUB:
                    break
            self.join(max(0.0, deadline - time.monotonic()))
        finally:
            peer.close()


class BackgroundDevice(Device):
    """A Device whose start() runs it in the background (see subclasses).

    ``launcher`` is the Thread or Process running it (None before start()).
    """

    _launch_class: type[Thread] | type[Process]
    launcher: Thread | Process | None = None

    def start(self) -> None:
        """Start the device in the background and return once its sockets
        are set up, raising here if that failed (a bad endpoint...)."""
        self.launcher = self._launch_class(target=self.run)
        self.launcher.daemon = self.daemon
        self.launcher.start()
        self._wait_ready()

    def _wait_ready(self) -> None:
        self._ready.wait(10)
        if self.error is not None:
            raise self.error

    def join(self, timeout: float | None = None) -> None:
        """Wait for the background thread or process, like Thread.join."""
        self._started().join(timeout=timeout)

    def _started(self) -> Thread | Process:
        if self.launcher is None:
            raise RuntimeError(f"{type(self).__name__}: join() before start()")
        return self.launcher


class ThreadDevice(BackgroundDevice):
    """A Device run in a background thread (daemon by default)."""

    # an OS thread even under gevent's or eventlet's monkey-patching: as a
    # greenlet, the proxy's wait (poll(2) on its sockets) would freeze every
    # greenlet
    _launch_class = OSThread

    def run(self) -> None:
        try:
            super().run()
        except BaseException:
            pass  # kept in self.error and raised by start()

    def stop(self, timeout: float = 5.0) -> None:
        if self.launcher is None:
            return  # never started
        super().stop(timeout)
        self.launcher.join(timeout)


class ProcessDevice(BackgroundDevice):
    """A Device run in a background process, with a context of its own.

    The child reports to its parent through a pipe: ``start()`` returns once
    the device's sockets are set up, or raises the error that stopped it (a
    bad endpoint, a port in use...). A device that fails later exits with a
    non-zero code, and its error is ``error`` after ``join()``.
    """

    _launch_class = Process
    launcher: Process | None
    context_factory = Context
    _reports: Connection
    _child_reports: Connection

    def start(self) -> None:
        """Start the device process and return once its sockets are set
        up, raising here if that failed."""
        self._reports, self._child_reports = Pipe(duplex=False)
        try:
            self.launcher = self._launch_class(target=self.run)
            self.launcher.daemon = self.daemon
            self.launcher.start()
        finally:
            # only the child writes: with our copy closed, its death reads as EOF
            self._child_reports.close()
        self._wait_ready()

    def _started(self) -> Process:
        return cast(Process, super()._started())

    def _read_report(self, timeout: float) -> tuple[str, BaseException | None] | None:
        """The child's next report, (kind, error), or None if none came."""
        reports = getattr(self, "_reports", None)
        if reports is None or reports.closed:
            return None
        try:
            if not reports.poll(timeout):
                return None
            report: tuple[str, BaseException | None] = reports.recv()
            return report
        except (EOFError, OSError):
            reports.close()
            return ("exited", None)

    def _wait_ready(self) -> None:
        report = self._read_report(10)
        if report is None:
            return  # still setting up after 10 s: it will tell join()
        kind, error = report
        if kind == "ready":
            return
        launcher = self._started()
        launcher.join(5)
        if kind == "exited" or error is None:
            error = RuntimeError(
                f"the device process exited (code {launcher.exitcode}) before its"
                f" sockets were set up"
            )
        self.error = error
        raise error

    def join(self, timeout: float | None = None) -> None:
        """Wait for the process, like Process.join; afterwards ``error``
        holds what made the device fail, if anything did."""
        launcher = self._started()
        launcher.join(timeout=timeout)
        if launcher.exitcode is not None:
            report = self._read_report(0)
            if report is not None and report[0] == "error":
                self.error = report[1]

    def _report(self, kind: str, error: BaseException | None = None) -> None:
        try:
            self._child_reports.send((kind, error))
        except Exception:
            # an exception that does not pickle still gets its message across
            try:
                self._child_reports.send((kind, RuntimeError(repr(error))))
            except OSError:
                pass  # the parent is gone

    def run(self) -> None:
        # In the child: the device runs in a thread and the main thread
        # waits for SIGTERM (stop()) in Python, where the handler runs at
        # once, whatever the device's thread is doing. Terminating the
        # child's own context then ends the proxy (ETERM), its sockets are
        # closed and LINGER is honoured.
        reports = getattr(self, "_reports", None)
        if reports is not None:
            reports.close()  # the parent's end
        stop_requested = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop_requested.set())
        runner = OSThread(target=self._run_in_thread, daemon=True)
        runner.start()
        while not self._ready.wait(0.1) and not stop_requested.is_set():
            pass
        if self.error is not None:
            self._report("error", self.error)
        else:
            self._report("ready")
        while runner.is_alive() and not stop_requested.wait(0.1):
            pass
        if self._context is not None:
            self._context.term()
        runner.join()
        if self.error is not None:
            self._report("error", self.error)
            sys.exit(1)

    def _run_in_thread(self) -> None:
        try:
            Device.run(self)
        except BaseException:
            pass  # kept in self.error, reported to the parent

    @property
    def done(self) -> bool:
        launcher = self.launcher
        return launcher is not None and not launcher.is_alive() and launcher.exitcode is not None

    @done.setter
    def done(self, value: bool) -> None:
        pass  # derived from the process

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the process to finish (SIGTERM: it closes its sockets) and wait."""
        launcher = self.launcher
        if launcher is None or not launcher.is_alive():
            return
        launcher.terminate()
        launcher.join(timeout)
        if launcher.is_alive():
            launcher.kill()
            launcher.join(timeout)


__all__ = ["Device", "ThreadDevice", "ProcessDevice", "BackgroundDevice"]
