# SPDX-License-Identifier: BSD-3-Clause
"""What `import zmq` loads: none of the modules that made it slower than
PyZMQ's (a scan of sys.path, importlib.abc and what it pulls in, typing, re),
and PyZMQ's alias packages only at their first use, with the same objects."""

import json

from zmq_testkit.processes import run_python

# each cost a few ms at import: pkgutil's extend_path listed every sys.path
# entry, importlib.abc pulled in importlib.resources and tempfile
NOT_AT_IMPORT = {
    "pkgutil",
    "importlib.abc",
    "importlib.resources",
    "tempfile",
    "typing",
    "re",
    "zmq.sugar",
    "zmq.backend",
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
        assert zmq.sugar.socket.Socket is zmq.Socket
        assert zmq.sugar.context.SyncContext is zmq.SyncContext is zmq.Context
        assert zmq.SyncSocket is zmq.Socket
        assert zmq.backend.Frame is zmq.Frame
        assert zmq.Stopwatch is sys.modules["zmq.sugar.stopwatch"].Stopwatch
        assert zmq._FINISHED_TRACKER is zmq.sugar.tracker._FINISHED_TRACKER
        namespace = {}
        exec("from zmq import *", namespace)
        assert namespace["Stopwatch"] is zmq.Stopwatch
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
