# SPDX-License-Identifier: BSD-3-Clause
"""The codec hook (zmq.core.codecs): a provider registered by the program, or
found through the ``zmq.codecs`` entry point, gives sockets their
serialisation methods; without one they say what to install."""

import ast
import importlib.metadata
import os
import subprocess
import sys
import textwrap

import pytest
from zmq_testkit import configure

import zmq
from zmq.core import codecs


@pytest.fixture
def pair_sockets(pair):
    """(bound, connected) PAIR sockets over inproc."""
    return pair(zmq.PAIR, zmq.PAIR, "inproc")


@pytest.fixture(autouse=True)
def unregister():
    yield
    codecs.register(None)


class Tagged:
    """A program's own provider: Python literals, tagged with the path taken."""

    @staticmethod
    def send_json(socket, obj, flags=0, **kwargs):
        return socket.send(b"json:" + repr(obj).encode(), flags)

    @staticmethod
    def recv_json(socket, flags=0, **kwargs):
        return _untag(b"json:", socket.recv(flags))

    @staticmethod
    def send_pyobj(socket, obj, flags=0, protocol=None, **kwargs):
        return socket.send(b"slow:" + repr(obj).encode(), flags)

    @staticmethod
    def recv_pyobj(socket, flags=0, **kwargs):
        return _untag(b"slow:", socket.recv(flags))


class TaggedFast(Tagged):
    loads = []

    @staticmethod
    def pyobj_dumps(obj):
        return b"fast:" + repr(obj).encode()

    @staticmethod
    def pyobj_loads(data):
        TaggedFast.loads.append(data)
        return _untag(b"fast:", data)

    @staticmethod
    def pyobj_loads_error(exc):
        return ValueError(f"recv_pyobj: not a tagged literal ({type(exc).__name__})")


def _untag(tag, data):
    if not data.startswith(tag):
        raise LookupError(f"expected {tag!r}, got {data[:20]!r}")
    return ast.literal_eval(data[len(tag):].decode())


def _entry_points():
    return list(importlib.metadata.entry_points(group=codecs.GROUP))


def test_registered_provider_serves_every_socket(pair_sockets):
    a, b = pair_sockets
    codecs.register(Tagged)
    assert codecs.get_provider() is Tagged
    b.send_json({"n": 1})
    assert a.recv() == b"json:{'n': 1}"
    b.send_json([1, "two"])
    assert a.recv_json() == [1, "two"]
    b.send_pyobj((3, 4))  # no fast path: the provider's send_pyobj
    assert a.recv() == b"slow:(3, 4)"
    b.send_pyobj({5})
    assert a.recv_pyobj() == {5}


def test_a_function_the_provider_lacks_is_an_import_error_naming_it(pair_sockets):
    a, b = pair_sockets
    codecs.register(Tagged)
    with pytest.raises(ImportError, match=r"send_msgpack\(\) is not provided .*Tagged"):
        b.send_msgpack(1)
    with pytest.raises(ImportError, match=r"recv_array\(\) is not provided"):
        a.recv_array()


def test_fast_path_serves_plain_sockets_and_not_subclasses(pair_sockets):
    a, b = pair_sockets
    codecs.register(TaggedFast)
    b.send_pyobj([1, 2])
    assert a.recv() == b"fast:[1, 2]"
    b.send(b"fast:'x'")
    TaggedFast.loads.clear()
    assert a.recv_pyobj() == "x"
    assert TaggedFast.loads == [b"fast:'x'"]
    # with options, the provider's own function
    b.send_pyobj(1, protocol=2)
    assert a.recv() == b"slow:1"

    class Sub(zmq.Socket):
        pass

    ctx = a.context
    c = configure(ctx.socket(zmq.PAIR, socket_class=Sub))
    d = configure(ctx.socket(zmq.PAIR, socket_class=Sub))
    c.bind("inproc://codecs-hook-sub")
    d.connect("inproc://codecs-hook-sub")
    d.send_pyobj("sub")  # a subclass may override send: never the fast path
    assert c.recv() == b"slow:'sub'"
    d.send(b"slow:'back'")
    TaggedFast.loads.clear()
    assert c.recv_pyobj() == "back"
    assert TaggedFast.loads == []
    c.close()
    d.close()


def test_fast_path_words_a_failed_load_once(pair_sockets):
    a, b = pair_sockets
    codecs.register(TaggedFast)
    b.send(b"garbage")
    TaggedFast.loads.clear()
    with pytest.raises(ValueError, match=r"not a tagged literal \(LookupError\)"):
        a.recv_pyobj()
    assert TaggedFast.loads == [b"garbage"]  # loaded once, never again
    # without pyobj_loads_error, the provider's own error
    codecs.register(type("Bare", (), {"pyobj_dumps": staticmethod(TaggedFast.pyobj_dumps),
                                      "pyobj_loads": staticmethod(TaggedFast.pyobj_loads)}))
    b.send(b"garbage")
    with pytest.raises(LookupError):
        a.recv_pyobj()


def test_fast_path_on_a_closed_socket_raises_enotsock(pair_sockets):
    a, b = pair_sockets
    codecs.register(TaggedFast)
    b.close()
    for call in (lambda: b.send_pyobj(1), lambda: b.recv_pyobj()):
        with pytest.raises(zmq.ZMQError) as info:
            call()
        assert info.value.errno == zmq.ENOTSOCK


@pytest.mark.parametrize(
    "provider, message",
    [
        ("a string", "not a codec provider"),
        (type("Odd", (), {"send_json": 42}), "send_json is not callable"),
        (type("Half", (), {"pyobj_dumps": staticmethod(repr)}), "both pyobj_dumps and pyobj_loads"),
    ],
)
def test_bad_providers_are_refused(provider, message):
    with pytest.raises(TypeError, match=message):
        codecs.register(provider)


@pytest.mark.skipif(bool(_entry_points()), reason="a zmq.codecs entry point is installed here")
def test_no_provider_says_what_to_install(pair_sockets):
    a, b = pair_sockets
    codecs.register(Tagged)
    codecs.register(None)  # back to the entry point, and there is none
    for call in (lambda: b.send_json(1), lambda: b.send_pyobj(1), lambda: a.recv_pyobj(),
                 lambda: codecs.get_provider()):
        with pytest.raises(ImportError, match="pip install zmq-serial") as info:
            call()
        assert "'zmq.codecs' entry point" in str(info.value)


# -- the entry point, in a fresh interpreter over a folder on its path --------


PROVIDER_MODULE = """
import ast

def send_json(socket, obj, flags=0, **kwargs):
    return socket.send(b"ep:" + repr(obj).encode(), flags)

def recv_json(socket, flags=0, **kwargs):
    return ast.literal_eval(socket.recv(flags)[3:].decode())

def pyobj_dumps(obj):
    return b"ep-fast:" + repr(obj).encode()

def pyobj_loads(data):
    return ast.literal_eval(data[8:].decode())
"""

PROGRAM = """
import sys
import zmq
assert "demo_codecs" not in sys.modules
assert "importlib.metadata" not in sys.modules, "import zmq looked up entry points"
from zmq_testkit.sockets import connected_pair
ctx = zmq.Context()
a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
"""


def _install(folder, dist, entry_points, module=None):
    info = folder / f"{dist.replace('-', '_')}-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text("[zmq.codecs]\n" + "".join(
        f"{name} = {value}\n" for name, value in entry_points.items()))
    if module:
        (folder / f"{module}.py").write_text(PROVIDER_MODULE)


def _run(folder, program):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PROGRAM) + textwrap.dedent(program)],
        cwd=folder, env=dict(os.environ, PYTHONPATH=str(folder)),
        capture_output=True, text=True, timeout=60,
    )


entry_point_free = pytest.mark.skipif(
    bool(_entry_points()), reason="a zmq.codecs entry point is installed here")


@entry_point_free
def test_entry_point_is_loaded_at_the_first_serialisation_call(tmp_path):
    _install(tmp_path, "demo-codecs", {"demo": "demo_codecs"}, module="demo_codecs")
    run = _run(tmp_path, """
        b.send_json({"k": [1]})
        assert a.recv() == b"ep:{'k': [1]}"
        assert "demo_codecs" in sys.modules
        b.send_pyobj(7)  # its fast path
        assert a.recv() == b"ep-fast:7"
        b.send(b"ep-fast:'back'")
        assert a.recv_pyobj() == "back"
        from zmq.core import codecs
        assert codecs.get_provider() is sys.modules["demo_codecs"]
        try:
            b.send_msgpack(1)
        except ImportError as e:
            print(e)
        ctx.destroy(linger=0)
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        "Socket.send_msgpack() is not provided by the codec provider in use: the 'zmq.codecs'"
        " entry point demo = demo_codecs (demo-codecs 1.2); upgrade it: pip install -U demo-codecs"
    )


@entry_point_free
def test_a_registered_provider_wins_over_the_entry_point(tmp_path):
    _install(tmp_path, "demo-codecs", {"demo": "demo_codecs"}, module="demo_codecs")
    run = _run(tmp_path, """
        from zmq.core import codecs

        class Mine:
            @staticmethod
            def send_json(socket, obj, flags=0):
                return socket.send(b"mine", flags)

        codecs.register(Mine)
        b.send_json(1)
        assert a.recv() == b"mine"
        assert "demo_codecs" not in sys.modules
        codecs.register(None)  # the entry point's again
        b.send_json(1)
        assert a.recv() == b"ep:1"
        ctx.destroy(linger=0)
    """)
    assert run.returncode == 0, run.stderr


@entry_point_free
def test_a_broken_entry_point_is_named(tmp_path):
    _install(tmp_path, "broken-codecs", {"broken": "no_such_codecs_module"})
    run = _run(tmp_path, "b.send_json(1)")
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: Socket.send_json(): the 'zmq.codecs' entry point"
                           " broken = no_such_codecs_module (broken-codecs 1.2) failed to load"
                           " its codec provider: ModuleNotFoundError"), last
    assert last.endswith("pip install --force-reinstall broken-codecs"), last


@entry_point_free
def test_an_entry_point_that_is_no_provider_is_named(tmp_path):
    _install(tmp_path, "odd-codecs", {"odd": "odd_codecs"})
    (tmp_path / "odd_codecs.py").write_text("value = 1\n")
    run = _run(tmp_path, "b.recv_json()")
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert "odd = odd_codecs (odd-codecs 1.2) failed to load its codec provider: TypeError:" \
        in last, last


@entry_point_free
def test_two_entry_points_ask_for_a_choice(tmp_path):
    _install(tmp_path, "one-codecs", {"one": "demo_codecs"}, module="demo_codecs")
    _install(tmp_path, "two-codecs", {"two": "demo_codecs"})
    run = _run(tmp_path, "b.send_json(1)")
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert "several 'zmq.codecs' entry points" in last and "one-codecs" in last \
        and "two-codecs" in last and "zmq.core.codecs.register()" in last, last
