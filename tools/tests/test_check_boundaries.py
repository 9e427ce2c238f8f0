# SPDX-License-Identifier: BSD-3-Clause
"""tools/check_boundaries.py on small trees of made-up distributions: one
test per kind of violation, the legitimate uses it must let through, and the
repository itself, which must pass."""

import itertools
import textwrap

import check_boundaries
import pytest
from conftest import REPO

CORE_INIT = '''
from zmq.core.socket import Socket
from zmq.core.tracker import _FINISHED_TRACKER
__all__ = ["Socket", "_FINISHED_TRACKER", "utils"]
'''
CORE_PXD = '''
# the cimport API
from zmq.core cimport libzmq
from zmq.core.socket cimport Socket
from zmq.core.errors cimport raise_errno
'''


def make_tree(root, extra_files, eventloop_deps='["zmq-core>=1.0"]', extras=""):
    """zmq-core, zmq-serial (which adds zmq.utils.jsonapi) and zmq-eventloop,
    plus *extra_files* ({path under packages/: text})."""
    files = {
        "zmq-core/pyproject.toml": '[project]\nname = "zmq-core"\n',
        "zmq-core/src/zmq/__init__.py": CORE_INIT,
        "zmq-core/src/zmq/__init__.pxd": CORE_PXD,
        "zmq-core/src/zmq/core/__init__.py": "",
        "zmq-core/src/zmq/core/socket.pyx": "def _split_server(c):\n    pass\n",
        "zmq-core/src/zmq/core/socket.pxd": "cdef class Socket:\n    pass\n",
        "zmq-core/src/zmq/core/libzmq.pxd": "cdef extern from 'zmq.h':\n    int ZMQ_PUSH\n",
        "zmq-core/src/zmq/core/checkrc.pxd": "cdef int _raise_errno(int e) except -1\n",
        "zmq-core/src/zmq/core/errors.pxd": "cdef int raise_errno(int e) except -1\n",
        "zmq-core/src/zmq/core/tracker.py": "_FINISHED_TRACKER = object()\n",
        "zmq-core/src/zmq/core/_helpers.py": "def now():\n    return 0\n",
        "zmq-core/src/zmq/utils/__init__.py": "",
        "zmq-core/src/zmq/utils/z85.py": "def encode(b):\n    return b\n",
        "zmq-serial/pyproject.toml":
            '[project]\nname = "zmq-serial"\ndependencies = ["zmq-core>=1.0"]\n',
        "zmq-serial/src/zmq/serial/__init__.py": "import zmq\n",
        "zmq-serial/src/zmq/utils/jsonapi.py": "def dumps(o):\n    return b''\n",
        "zmq-eventloop/pyproject.toml":
            f'[project]\nname = "zmq-eventloop"\ndependencies = {eventloop_deps}\n{extras}',
        "zmq-eventloop/src/zmq/eventloop/__init__.py": "import zmq\nfrom zmq import Socket\n",
        "zmq-eventloop/src/zmq/eventloop/_futures.py": "x = 1\n",
        # not a part of the zmq package: never looked at
        "_testing/pyproject.toml": '[project]\nname = "testkit"\n',
        "_testing/src/testkit/__init__.py": "from zmq.core._helpers import now\n",
    }
    files.update(extra_files)
    for name, text in files.items():
        path = root / "packages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def problems(tmp_path):
    """problems(extra_files, **make_tree_options): the check's findings on a
    fresh tree (one folder of tmp_path per call)."""
    trees = itertools.count()

    def check(extra_files, **kwargs):
        root = make_tree(tmp_path / str(next(trees)), extra_files, **kwargs)
        return check_boundaries.problems_in(root)

    return check


def only(found, *words):
    assert len(found) == 1, found
    for word in words:
        assert word in found[0], found
    return found[0]


def test_a_clean_tree_passes(problems):
    assert problems({}) == []


def test_public_uses_pass(problems):
    # public modules and names, an underscore name zmq.__all__ lists, a
    # dunder, a submodule taken with from-import, a relative import inside
    # a distribution, the C API of zmq/__init__.pxd, a private attribute of
    # a public class (a documented hook, not the module's to hide)
    assert problems({
        "zmq-eventloop/src/zmq/eventloop/stream.py": """
            import zmq
            import zmq.utils.z85
            from zmq import _FINISHED_TRACKER, __all__ as names
            from zmq.utils import z85
            from . import _futures
            cls = zmq.Socket._socket_class
        """,
        "zmq-eventloop/src/zmq/eventloop/fast.pyx": """
            from zmq cimport Socket, libzmq, raise_errno
            from zmq.core.libzmq cimport ZMQ_PUSH
            from zmq.core.errors cimport raise_errno
            cimport zmq
        """,
    }) == []


def test_private_module_of_another_distribution(problems):
    only(problems({"zmq-eventloop/src/zmq/eventloop/x.py": "from zmq.core._helpers import now\n"}),
         "x.py:1", "zmq-eventloop uses zmq-core's private zmq.core._helpers")


def test_private_name_of_another_distribution(problems):
    only(problems({"zmq-serial/src/zmq/serial/fast.py":
                   "from zmq.core.socket import _split_server\n"}),
         "fast.py:1", "private zmq.core.socket._split_server")


def test_private_attribute_of_an_imported_module(problems):
    found = problems({"zmq-serial/src/zmq/serial/fast.py": """
        import zmq.core.socket

        def install(codecs):
            zmq.core.socket._split_server(codecs)
    """})
    only(found, "fast.py:5", "private zmq.core.socket._split_server")


def test_private_import_in_cython(problems):
    found = problems({"zmq-eventloop/src/zmq/eventloop/q.pyx": """
        # the loop's C part
        from zmq cimport Socket
        from zmq.core.checkrc cimport (
            _raise_errno,
        )
    """})
    assert len(found) == 2, found
    assert any("q.pyx:4" in p and "private zmq.core.checkrc._raise_errno" in p for p in found)
    assert any("q.pyx:4" in p and "does not expose" in p for p in found)


def test_python_import_in_cython_of_a_private_module(problems):
    only(problems({"zmq-eventloop/src/zmq/eventloop/q.pyx": "import zmq.core._helpers as h\n"}),
         "q.pyx:1", "private zmq.core._helpers")


def test_cimport_outside_the_c_api(problems):
    # public by its name, but not exposed by zmq/__init__.pxd
    only(problems({"zmq-eventloop/src/zmq/eventloop/q.pyx":
                   "from zmq.core.socket cimport Socket\ncimport zmq.core.checkrc\n"}),
         "q.pyx:2", "cimports zmq.core.checkrc, which zmq/__init__.pxd")
    only(problems({"zmq-eventloop/src/zmq/eventloop/q.pyx": "from zmq cimport Frame\n"}),
         "q.pyx:1", "cimports zmq: Frame")


def test_undeclared_distribution(problems):
    # zmq.utils is zmq-core's, zmq.utils.jsonapi zmq-serial's
    line = only(problems({"zmq-eventloop/src/zmq/eventloop/s.py":
                          "from zmq.utils import jsonapi, z85\n"}),
                "s.py:1", "zmq-eventloop uses zmq-serial (zmq.utils.jsonapi)", "without declaring")
    assert "z85" not in line
    only(problems({"zmq-eventloop/src/zmq/eventloop/s.py": "import zmq.utils.jsonapi\n"}),
         "s.py:1", "uses zmq-serial")


def test_pyproject_read_without_tomllib(tmp_path, monkeypatch):
    # Python 3.10 has no tomllib: the fallback reads the same names
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(textwrap.dedent("""
        [project]
        name = "zmq-green"
        dependencies = [
            "zmq-core>=1.0,<2",  # the bindings
            'gevent>=21.12',
        ]
        classifiers = ["Framework :: gevent"]

        [project.optional-dependencies]
        eventloop = ["zmq_eventloop[tornado]>=1.0,<2"]
        docs = [
            "sphinx",
        ]

        [tool.setuptools]
        packages = ["zmq.green"]
    """))
    with_tomllib = check_boundaries._declared_requirements(pyproject)
    monkeypatch.setattr(check_boundaries, "tomllib", None)
    without = check_boundaries._declared_requirements(pyproject)
    assert without == {"zmq-core", "gevent", "zmq-eventloop", "sphinx"}
    assert with_tomllib == without


def test_declared_dependency_or_extra_passes(problems):
    uses = {"zmq-eventloop/src/zmq/eventloop/s.py": "from zmq.utils import jsonapi\n"}
    assert problems(uses, eventloop_deps='["zmq-core>=1.0", "zmq_serial"]') == []
    extra = '\n[project.optional-dependencies]\nserial = ["Zmq.Serial>=1.0,<2"]\n'
    assert problems(uses, extras=extra) == []


def test_optional_import_needs_no_declaration_but_stays_public(problems):
    guarded = """
        def dumps(obj):
            try:
                from zmq.utils.jsonapi import dumps
            except ImportError as e:
                raise ImportError("pip install zmq-serial") from e
            return dumps(obj)
    """
    assert problems({"zmq-eventloop/src/zmq/eventloop/s.py": guarded}) == []
    assert problems({"zmq-eventloop/src/zmq/eventloop/s.pyx": guarded}) == []
    # not guarded against ImportError: must be declared
    unguarded = guarded.replace("except ImportError", "except ValueError")
    only(problems({"zmq-eventloop/src/zmq/eventloop/s.pyx": unguarded}), "without declaring")
    only(problems({"zmq-eventloop/src/zmq/eventloop/s.py": unguarded}), "without declaring")
    only(problems({"zmq-eventloop/src/zmq/eventloop/s.py":
                   guarded.replace("import dumps", "import _dumps")}),
         "private zmq.utils.jsonapi._dumps")


def test_private_names_within_a_distribution_pass(problems):
    assert problems({"zmq-core/src/zmq/core/poll.py":
                     "from zmq.core._helpers import now\nfrom zmq.core.socket import x\n"}) == []


def test_the_command_exits_non_zero_with_one_line_per_problem(tmp_path, capsys):
    root = make_tree(tmp_path, {"zmq-eventloop/src/zmq/eventloop/x.py":
                                "from zmq.core._helpers import now\n"})
    assert check_boundaries.main(["--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "packages/zmq-eventloop/src/zmq/eventloop/x.py:1: zmq-eventloop uses zmq-core's"
        " private zmq.core._helpers"]
    assert "1 problem" in err
    (root / "packages/zmq-eventloop/src/zmq/eventloop/x.py").write_text("import zmq\n")
    assert check_boundaries.main(["--root", str(root)]) == 0


def test_the_repository_passes():
    assert check_boundaries.problems_in(REPO) == []
