# SPDX-License-Identifier: BSD-3-Clause
"""Every distribution's sdist, as a user of an index gets it (tox -e sdist):

- it holds the sources a build needs (.py, .pyx, .pxd, .pyi, .h), the tests
  and the LICENSE, and nothing generated or machine-specific (no Cython .c,
  no compiled objects, no _build_info.py);
- its metadata carries the licence (PEP 639), authors and Project-URLs, and
  packages that need zmq-core accept only its current major version;
- built in a fresh venv that has only pip, it gives wheels that install and
  work (a tcp round trip, zmq-devices' Cython queue, every distribution's
  modules, every README's example), and zmq-core's own shipped tests pass
  against them;
- a ZMQ_PREFIX without libzmq, or missing libzmq headers, stops zmq-core's
  build at once with one line that says what to do.
"""

import os
import re
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from build_tools import download as download_build_tools  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# packages/_* folders are private (the test kit): never built nor shipped
PACKAGES = sorted(p.name for p in (REPO / "packages").iterdir()
                  if (p / "pyproject.toml").exists() and not p.name.startswith("_"))
SOURCE_SUFFIXES = {".py", ".pyx", ".pxd", ".pyi", ".h", ".typed"}
TIMEOUT = 900


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def sdists(tmp_path_factory):
    out = tmp_path_factory.mktemp("sdist")
    for name in PACKAGES:
        # no isolation: zmq-devices build-requires zmq-core, which making
        # an sdist does not need
        run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--skip-dependency-check",
             "-o", str(out), str(REPO / "packages" / name)])
    found = {}
    for name in PACKAGES:
        matches = list(out.glob(name.replace("-", "_") + "-*.tar.gz"))
        assert len(matches) == 1, matches
        found[name] = matches[0]
    return found


@pytest.mark.parametrize("name", PACKAGES)
def test_sdist_ships_sources_tests_and_licence_only(sdists, name):
    pkg = REPO / "packages" / name
    with tarfile.open(sdists[name]) as tf:
        top = tf.getnames()[0].split("/")[0]
        names = {n[len(top) + 1:] for n in tf.getnames() if n.startswith(top + "/")}
        licence = tf.extractfile(f"{top}/LICENSE").read().decode()
        pkg_info = tf.extractfile(f"{top}/PKG-INFO").read().decode()
    expected = {
        str(f.relative_to(pkg))
        for d in ("src", "tests") if (pkg / d).is_dir()
        for f in (pkg / d).rglob("*")
        if f.is_file() and f.suffix in SOURCE_SUFFIXES and "__pycache__" not in f.parts
        and f.name != "_build_info.py"
    }
    assert expected, name
    missing = expected - names
    assert not missing, f"{name}'s sdist lacks {sorted(missing)}"
    assert {"LICENSE", "README.md", "pyproject.toml"} <= names
    generated = [n for n in names
                 if n.endswith((".c", ".so", ".o", ".pyc", "_build_info.py"))]
    assert not generated, f"{name}'s sdist ships generated files: {generated}"
    assert licence == (REPO / "LICENSE").read_text()
    assert "BSD 3-Clause" in licence and "the zmq-stack developers" in licence

    assert "\nLicense-Expression: BSD-3-Clause\n" in pkg_info
    assert "\nLicense-File: LICENSE\n" in pkg_info
    assert "\nAuthor: the zmq-stack developers\n" in pkg_info
    assert "\nProject-URL: Source, " in pkg_info and "\nProject-URL: Issues, " in pkg_info
    if name != "zmq-core":
        assert "\nRequires-Dist: zmq-core<2,>=1.0\n" in pkg_info, pkg_info


def test_every_licence_copy_is_the_repository_licence():
    text = (REPO / "LICENSE").read_text()
    for d in [*(REPO / "packages" / name for name in PACKAGES), REPO / "examples" / "cython"]:
        if (d / "pyproject.toml").exists():
            assert (d / "LICENSE").read_text() == text, d


SMOKE = textwrap.dedent(
    """
    import glob, os, sys, zipfile
    import zmq, zmq.devices.monitoredqueue, zmq.eventloop.zmqstream, zmq.asyncio
    import zmq.log.handlers, zmq.serial, zmq.green, zmq.auth

    assert zmq.get_includes()[1].endswith("utils")
    assert any(os.path.isfile(os.path.join(d, "zmq.h")) for d in zmq.get_includes())
    with zmq.Context() as ctx:
        # the sockets' defaults, set once on the context
        ctx.linger = 0
        ctx.rcvtimeo = ctx.sndtimeo = 5000
        with ctx.socket(zmq.REP) as rep, ctx.socket(zmq.REQ) as req:
            rep.bind("tcp://127.0.0.1:*")
            req.connect(rep.last_endpoint)
            req.send(b"ping")
            assert rep.recv() == b"ping"
            rep.send(b"pong")
            assert req.recv() == b"pong"
    for wheel in sys.argv[1:]:
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), wheel
        bad = [n for n in names if n.endswith((".c", ".pyx"))]
        assert not bad, (wheel, bad)
    print("ok")
    """
)


def test_sdists_build_working_wheels_in_a_venv_with_only_pip(sdists, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py = str(venv / "bin" / "python")
    # (ensurepip of CPython < 3.12 adds setuptools: not wanted here)
    run([py, "-m", "pip", "uninstall", "-q", "-y", "setuptools"])
    listed = run([py, "-m", "pip", "list", "--format=freeze"]).stdout.split()
    assert [p.split("==")[0] for p in listed] == ["pip"], listed
    wheels = tmp_path / "wheels"
    # no build asks an index: pip's isolated build environments get the build
    # tools from their own folder, and zmq-core (which zmq-devices
    # build-requires) from the wheels just built
    tools = tmp_path / "build-tools"
    download_build_tools(tools, py)
    pip_wheel = [py, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index",
                 "--find-links", str(tools), "--find-links", str(wheels), "-w", str(wheels)]
    # zmq-core first: the others (zmq-devices cimports it) build against it
    run([*pip_wheel, str(sdists["zmq-core"])])
    run([*pip_wheel, *[str(sdists[n]) for n in PACKAGES if n != "zmq-core"]])
    built = {w.name.split("-")[0].replace("_", "-"): str(w) for w in wheels.glob("*.whl")}
    assert sorted(built) == PACKAGES, built
    # the wheel files just built, named: the index only for third-party
    # dependencies (zmq-eventloop with its tornado extra: the smoke test
    # imports ZMQStream)
    run([py, "-m", "pip", "install", "-q",
         *[w + "[tornado]" if n == "zmq-eventloop" else w for n, w in built.items()]])
    smoke = run([py, "-c", SMOKE, *built.values()], cwd=tmp_path)
    assert smoke.stdout.strip() == "ok"
    # every README's example runs against them
    for name in PACKAGES:
        readme = (REPO / "packages" / name / "README.md").read_text()
        for example in re.findall(r"^```python\n(.*?)^```$", readme, flags=re.M | re.S):
            run([py, "-c", example], cwd=tmp_path)
    # the tests the zmq-core sdist ships pass against the wheel built from it
    with tarfile.open(sdists["zmq-core"]) as tf:
        tf.extractall(tmp_path / "unpacked", filter="data")
    tests = next((tmp_path / "unpacked").glob("zmq_core-*/tests"))
    # with the repository's private test kit, which every conftest.py loads
    run([py, "-m", "pip", "install", "-q", "pytest", "pytest-timeout",
         str(REPO / "packages" / "_testing")])
    shipped = run([py, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--timeout=120",
                   "test_version.py", "test_security.py", "test_error.py"], cwd=tests)
    assert " passed" in shipped.stdout


def build_core_from_sdist(sdist, tmp_path, env, prefix=()):
    """pip wheel of zmq-core's sdist with the test env's setuptools and
    Cython (no isolation: only the libzmq search is under test)."""
    cmd = [*prefix, sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
           "--no-index", "-w", str(tmp_path / "w"), str(sdist)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **env})


def test_zmq_prefix_without_libzmq_stops_the_build(sdists, tmp_path):
    result = build_core_from_sdist(sdists["zmq-core"], tmp_path, {"ZMQ_PREFIX": "/nonexistent"})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    line = "error: ZMQ_PREFIX=/nonexistent holds no libzmq (needs include/zmq.h and lib/libzmq.so)"
    assert line in out, out
    assert "gcc" not in out and "Cythonizing" not in out, "the build went on"
    assert not list(tmp_path.glob("w/*.whl"))


def test_missing_headers_name_the_package_and_zmq_prefix(sdists, tmp_path):
    # the system's zmq.h replaced by an empty device, pkg-config knowing no
    # libzmq: a machine without libzmq3-dev
    if subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare --mount (root) to hide /usr/include/zmq.h")
    headers = [p for p in ("/usr/include/zmq.h", "/usr/local/include/zmq.h") if os.path.exists(p)]
    hide = "; ".join(f"mount --bind /dev/null {p}" for p in headers) or "true"
    env = {"PKG_CONFIG_LIBDIR": str(tmp_path / "no-pc"), "PKG_CONFIG_PATH": ""}
    env_unset = {k: v for k, v in os.environ.items() if k != "ZMQ_PREFIX"}
    cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-ec",
           f'{hide}; exec "$@"', "sh", sys.executable, "-m", "pip", "wheel", "--no-build-isolation",
           "--no-deps", "--no-index", "-w", str(tmp_path / "w"), str(sdists["zmq-core"])]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                            env={**env_unset, **env})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    lines = [line for line in out.splitlines() if "apt-get install libzmq3-dev" in line]
    assert len(lines) == 1 and "ZMQ_PREFIX" in lines[0], out
    assert "fatal error" not in out, "the compiler ran"
