# SPDX-License-Identifier: BSD-3-Clause
"""A PyZMQ installed beside zmq-core is reported in one line, whichever of
the two pip installed last, and the repair that line names works.

PyZMQ itself is never installed: a stand-in wheel named ``pyzmq`` that ships
a ``zmq`` package, built here, collides with zmq-core exactly the way the
real one does (pip overwrites files another distribution owns, silently).
"""

import glob
import os
import subprocess
import sys
import textwrap
import zipfile

import pytest

import zmq
from zmq.core.install import _coinstall
from zmq.core.install.pip_without_pyzmq import pins_from_report

WHEELHOUSE = os.environ.get("ZMQ_WHEELHOUSE")
ZMQ_DIR = os.path.dirname(os.path.abspath(zmq.__file__))
STANDIN_MARK = "pyzmq stand-in"


def run_python(python, code, **kwargs):
    return subprocess.run(
        [python, "-c", code], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_dist_names_are_recognised():
    assert _coinstall._dist_name("pyzmq-27.2.0.dist-info") == "pyzmq"
    assert _coinstall._dist_name("PyZMQ-26.0.0.dist-info") == "pyzmq"
    assert _coinstall._dist_name("pyzmq.egg-info") == "pyzmq"
    assert _coinstall._dist_name("zmq_core-1.0.0.dist-info") == "zmq_core"
    assert _coinstall._dist_name("zmq") is None
    assert _coinstall._dist_name("pyzmq.libs") is None


def test_find_pyzmq_lists_pyzmq_and_our_distributions(tmp_path):
    assert _coinstall.find_pyzmq(tmp_path) == (None, [])
    (tmp_path / "zmq_core-1.0.0.dist-info").mkdir()
    (tmp_path / "zmq_eventloop-1.0.0.dist-info").mkdir()
    (tmp_path / "pyzmqx-1.0.dist-info").mkdir()
    assert _coinstall.find_pyzmq(tmp_path) == (None, ["zmq-core", "zmq-eventloop"])
    (tmp_path / "pyzmq-27.2.0.dist-info").mkdir()
    assert _coinstall.find_pyzmq(tmp_path) == (
        "pyzmq-27.2.0.dist-info",
        ["zmq-core", "zmq-eventloop"],
    )
    assert _coinstall.find_pyzmq(tmp_path / "missing") == (None, [])


@pytest.mark.timeout(60)
@pytest.mark.parametrize("with_pyzmq", [False, True])
def test_import_zmq_warns_in_one_line_only_beside_pyzmq(tmp_path, with_pyzmq):
    # a site folder holding this zmq (linked) and, or not, PyZMQ's metadata
    os.symlink(ZMQ_DIR, tmp_path / "zmq")
    (tmp_path / "zmq_core-1.0.0.dist-info").mkdir()
    if with_pyzmq:
        (tmp_path / "pyzmq-27.2.0.dist-info").mkdir()
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = run_python(
        sys.executable,
        f"import zmq; assert zmq.__file__.startswith({str(tmp_path)!r})",
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    if not with_pyzmq:
        assert proc.stderr == ""
        return
    warning = [line for line in proc.stderr.splitlines() if "PyZMQInstalledWarning" in line]
    assert len(warning) == 1, proc.stderr
    assert "pyzmq-27.2.0.dist-info" in warning[0]
    assert "pip uninstall -y pyzmq" in warning[0]
    assert "--force-reinstall --no-deps zmq-core" in warning[0]


def test_the_warning_can_be_made_an_error(tmp_path):
    os.symlink(ZMQ_DIR, tmp_path / "zmq")
    (tmp_path / "pyzmq-27.2.0.dist-info").mkdir()
    env = dict(
        os.environ,
        PYTHONPATH=str(tmp_path),
        PYTHONWARNINGS="error::UserWarning",
    )
    proc = run_python(sys.executable, "import zmq", env=env, cwd=tmp_path)
    assert proc.returncode != 0
    assert "PyZMQInstalledWarning" in proc.stderr


def test_pins_from_report_drop_pyzmq_and_keep_direct_urls():
    report = {
        "install": [
            {
                "metadata": {"name": "jupyter_client", "version": "8.10.0"},
                "is_direct": False,
                "download_info": {"url": "https://example.invalid/jc.whl"},
            },
            {
                "metadata": {"name": "PyZMQ", "version": "27.3.0"},
                "is_direct": False,
                "download_info": {"url": "https://example.invalid/pz.whl"},
            },
            {
                "metadata": {"name": "mypkg", "version": "0.1"},
                "is_direct": True,
                "download_info": {"url": "file:///src/mypkg"},
            },
        ]
    }
    pins, excluded = pins_from_report(report)
    assert pins == ["jupyter_client==8.10.0", "mypkg @ file:///src/mypkg"]
    assert excluded == ["PyZMQ==27.3.0"]


def make_standin_pyzmq_wheel(folder):
    """A wheel named pyzmq whose zmq/__init__.py says it is the stand-in."""
    path = os.path.join(folder, "pyzmq-27.2.0-py3-none-any.whl")
    info = "pyzmq-27.2.0.dist-info"
    files = {
        "zmq/__init__.py": f"MARK = {STANDIN_MARK!r}\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: pyzmq\nVersion: 27.2.0\n",
        f"{info}/WHEEL": textwrap.dedent(
            """\
            Wheel-Version: 1.0
            Generator: zmq-core-tests
            Root-Is-Purelib: true
            Tag: py3-none-any
            """
        ),
    }
    with zipfile.ZipFile(path, "w") as whl:
        for name, text in files.items():
            whl.writestr(name, text)
        record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
        whl.writestr(f"{info}/RECORD", record)
    return path


@pytest.fixture
def venv(tmp_path):
    """A bare venv; packages go in with this interpreter's pip (--python)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")],
        check=True,
        timeout=60,
    )
    return str(tmp_path / "venv" / "bin" / "python")


def pip(python, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.mark.timeout(240)
@pytest.mark.skipif(not WHEELHOUSE, reason="needs ZMQ_WHEELHOUSE (set by tox)")
@pytest.mark.parametrize("pyzmq_last", [False, True])
def test_both_install_orders_are_reported_and_repaired(tmp_path, venv, pyzmq_last):
    core_wheel = glob.glob(os.path.join(WHEELHOUSE, "zmq_core-*.whl"))
    assert core_wheel, WHEELHOUSE
    standin = make_standin_pyzmq_wheel(tmp_path)
    order = [core_wheel[0], standin] if pyzmq_last else [standin, core_wheel[0]]
    for wheel in order:
        pip(venv, "install", "-q", "--no-deps", "--no-index", wheel)

    probe = "import zmq; print(getattr(zmq, 'MARK', 'zmq-core'))"
    proc = run_python(venv, probe + "; import zmq.core", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    if pyzmq_last:
        # PyZMQ's __init__.py replaced ours: import zmq runs PyZMQ's code, and
        # the check runs once something imports zmq.core (our distributions do)
        assert proc.stdout.strip() == STANDIN_MARK
    else:
        assert proc.stdout.strip() == "zmq-core"
    assert proc.stderr.count("PyZMQInstalledWarning") == 1, proc.stderr

    # the repair the warning names
    pip(venv, "uninstall", "-y", "pyzmq")
    pip(venv, "install", "-q", "--force-reinstall", "--no-deps", "--no-index", core_wheel[0])
    proc = run_python(venv, probe + "; zmq.Context().term()", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "zmq-core"
    assert proc.stderr == ""
