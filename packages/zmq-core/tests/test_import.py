# SPDX-License-Identifier: BSD-3-Clause
"""What `import zmq` loads: none of the modules that made it slower than
PyZMQ's (a scan of sys.path, importlib.abc and what it pulls in, typing, re,
threading, random, warnings), and PyZMQ's alias packages, Poller and the
proxies only at their first use, with the same objects."""

import json

from zmq_testkit.processes import run_python

# each cost a few ms at import: pkgutil's extend_path listed every sys.path
# entry, importlib.abc pulled in importlib.resources and tempfile; threading,
# random and warnings a ms or less each, the modules of zmq a tenth each
NOT_AT_IMPORT = {
    "pkgutil",
    "importlib.abc",
    "importlib.resources",
    "tempfile",
    "typing",
    "re",
    "threading",
    "random",
    "warnings",
    "__future__",
    "zmq.sugar",
    "zmq.backend",
    "zmq.constants",
    "zmq.error",
    "zmq.core.osthread",
    "zmq.core.poll",
    "zmq.core.proxy",
}


def test_import_zmq_loads_none_of_the_slow_modules():
    out = run_python("""
        import json, sys
        before = set(sys.modules)
        import zmq
        print(json.dumps(sorted(set(sys.modules) - before)))
    """)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout))
    assert "zmq.core.socket" in loaded
    assert not loaded & NOT_AT_IMPORT, sorted(loaded & NOT_AT_IMPORT)


def test_pyzmq_alias_packages_load_at_first_use():
    out = run_python("""
        import sys
        import zmq
        assert "zmq.core.poll" not in sys.modules
        assert zmq.Poller is sys.modules["zmq.core.poll"].Poller
        assert zmq.select is zmq.core.poll.select and zmq.zmq_poll is zmq.core.poll.zmq_poll
        from zmq import device, proxy_steerable
        assert device is zmq.core.proxy.device and proxy_steerable is zmq.core.proxy.proxy_steerable
        assert zmq.proxy is zmq.core.proxy.proxy
        assert "zmq.error" not in sys.modules and "zmq.constants" not in sys.modules
        assert zmq.error.ZMQError is zmq.ZMQError and zmq.error is sys.modules["zmq.error"]
        assert zmq.constants.SocketType is zmq.SocketType
        assert zmq.sugar.socket.Socket is zmq.Socket
        assert zmq.sugar.context.SyncContext is zmq.SyncContext is zmq.Context
        assert zmq.SyncSocket is zmq.Socket
        assert zmq.backend.Frame is zmq.Frame
        assert zmq.Stopwatch is sys.modules["zmq.sugar.stopwatch"].Stopwatch
        assert zmq._FINISHED_TRACKER is zmq.sugar.tracker._FINISHED_TRACKER
        namespace = {}
        exec("from zmq import *", namespace)
        assert namespace["Stopwatch"] is zmq.Stopwatch
        assert namespace["Poller"] is zmq.Poller and namespace["constants"] is zmq.constants
        try:
            zmq.no_such_name
        except AttributeError as e:
            assert "no_such_name" in str(e), e
        else:
            raise AssertionError("zmq.no_such_name exists")
        print("ok")
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok"]
