# SPDX-License-Identifier: BSD-3-Clause
"""The Python helpers of ci/: which wheels tox environments install
(wheels_needed.py), and the dev loop's venv setup (dev_env.py) and import
of one variant's compiled modules (dev_builds.py)."""

import importlib.machinery
import io
import subprocess
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "ci"))

import dev_builds  # noqa: E402
import dev_env  # noqa: E402
import wheels_needed  # noqa: E402

TOX_CONFIG = """\
[testenv:core-system]
set_env =
  ZMQ_DIST=zmq-core
  ZMQ_TEST_VARIANT=system
  ZMQ_WHEELHOUSE={repo}/.wheelhouse/system

[testenv:green-py312-draft]
set_env =
  ZMQ_DIST=zmq-green
  ZMQ_DIST_ALSO=zmq-eventloop
  ZMQ_WHEELHOUSE={repo}/.wheelhouse/draft-py312

[testenv:lint]
set_env =
  PYTHONHASHSEED=1

[testenv:cython-oldest]
set_env =
  ZMQ_WHEELHOUSE={repo}/.tox/cython-oldest/tmp/wheels
"""


def needed(text, repo):
    return wheels_needed.render(wheels_needed.needed(
        wheels_needed.environments(text.format(repo=repo)), repo / ".wheelhouse"))


def test_a_distributions_environments_need_its_wheels_and_zmq_core(tmp_path):
    assert needed(TOX_CONFIG, tmp_path) == (
        "system zmq-core\ndraft zmq-core zmq-eventloop zmq-green")


def test_an_environment_without_zmq_dist_needs_every_wheel(tmp_path):
    conformance = ("[testenv:conformance-draft]\n"
                   "set_env =\n  ZMQ_WHEELHOUSE={repo}/.wheelhouse/draft\n")
    assert needed(TOX_CONFIG + "\n" + conformance, tmp_path) == "system zmq-core\ndraft all"


def test_zmq_wheels_names_what_an_environment_installs(tmp_path):
    lint = ("[testenv:lint]\nset_env =\n  ZMQ_WHEELHOUSE={repo}/.wheelhouse/system\n"
            "  ZMQ_WHEELS=zmq-devices zmq-core\n")
    assert needed(lint, tmp_path) == "system zmq-core zmq-devices"


def test_lint_and_an_own_wheelhouse_need_no_wheel(tmp_path, capsys):
    lint_only = TOX_CONFIG.split("[testenv:lint]")[1]
    assert needed("[testenv:lint]" + lint_only, tmp_path) == ""
    wheels_needed.main([str(tmp_path)], io.StringIO(""))
    assert capsys.readouterr().out == ""


def test_dev_requirements_are_tox_deps_without_factors():
    reqs = dev_env.requirements(REPO / "tox.ini")
    assert "pytest>=8" in reqs and "numpy" in reqs
    assert not any(":" in r or r.startswith("-") for r in reqs), reqs
    assert len(reqs) == len(set(reqs))


def test_stage_links_src_and_builds_no_extension(tmp_path):
    dest = tmp_path / "zmq-core"
    dev_env.stage(REPO / "packages" / "zmq-core", dest)
    assert (dest / "src").resolve() == (REPO / "packages" / "zmq-core" / "src").resolve()
    assert (dest / "pyproject.toml").read_text() == (
        REPO / "packages" / "zmq-core" / "pyproject.toml").read_text()
    assert "Extension" not in (dest / "setup.py").read_text()


@pytest.fixture
def builds(tmp_path):
    """Two build folders as ci/dev.sh leaves them (empty stand-in files)."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    core, devices = tmp_path / "core" / "zmq", tmp_path / "devices" / "zmq"
    for path in [core / "core" / f"socket{suffix}", core / "core" / "_build_info.py",
                 core / "core" / "constants.py",
                 devices / "devices" / f"monitoredqueue{suffix}",
                 devices / "core" / f"socket{suffix}"]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return [tmp_path / "core", tmp_path / "devices"]


def test_the_finder_answers_for_extensions_and_the_build_info_only(builds):
    found = dev_builds.scan(builds)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    assert found == {
        "zmq.core.socket": str(builds[0] / "zmq" / "core" / f"socket{suffix}"),
        "zmq.core._build_info": str(builds[0] / "zmq" / "core" / "_build_info.py"),
        "zmq.devices.monitoredqueue":
            str(builds[1] / "zmq" / "devices" / f"monitoredqueue{suffix}"),
    }
    finder = dev_builds.VariantBuilds(found)
    assert isinstance(finder.find_spec("zmq.core.socket").loader,
                      importlib.machinery.ExtensionFileLoader)
    assert isinstance(finder.find_spec("zmq.core._build_info").loader,
                      importlib.machinery.SourceFileLoader)
    # the pure-Python modules come from src/
    assert finder.find_spec("zmq.core.constants") is None
    assert finder.find_spec("zmq") is None


def test_link_points_the_venv_at_src_and_the_builds(tmp_path, builds):
    site = tmp_path / "site"
    site.mkdir()
    stage = tmp_path / "stage"
    dev_env.stage(REPO / "packages" / "zmq-core", stage)
    (site / "__editable__.zmq_core-1.0.0.pth").write_text(f"{stage / 'src'}\n")
    dev_env.link(site, builds)
    assert (site / "__editable__.zmq_core-1.0.0.pth").read_text() == (
        f"{(REPO / 'packages' / 'zmq-core' / 'src').resolve()}\n")
    pth = (site / "_zmq_dev_builds.pth").read_text()
    assert pth.startswith("import _zmq_dev_builds; _zmq_dev_builds.install(")
    assert str(builds[0]) in pth and str(builds[1]) in pth
    assert (site / "_zmq_dev_builds.py").read_text() == (REPO / "ci" / "dev_builds.py").read_text()


def test_split_packages_join_every_src_folder(tmp_path):
    # zmq-core's src holds zmq/ and zmq/utils/ with their __init__.py; another
    # distribution's src adds zmq/serial/ and zmq/utils/jsonapi.py
    core, serial = tmp_path / "core" / "src", tmp_path / "serial" / "src"
    for path, text in [
        (core / "zmq" / "__init__.py", "FROM = 'core'\n"),
        (core / "zmq" / "utils" / "__init__.py", ""),
        (core / "zmq" / "utils" / "z85.py", ""),
        (serial / "zmq" / "serial" / "__init__.py", ""),
        (serial / "zmq" / "utils" / "jsonapi.py", "NAME = 'jsonapi'\n"),
    ]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    code = (
        f"import sys; sys.path[:0] = [{str(core)!r}, {str(serial)!r}]; "
        f"sys.path.insert(0, {str(REPO / 'ci')!r}); import dev_builds; "
        "dev_builds.install([]); "
        "import zmq, zmq.serial, zmq.utils.z85, zmq.utils.jsonapi; "
        "print(zmq.FROM, zmq.utils.jsonapi.NAME, len(zmq.__path__), len(zmq.utils.__path__))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["core", "jsonapi", "2", "2"]
    finder = dev_builds.SplitPackages()
    # one folder only (zmq.serial), or outside zmq: left to the usual finders
    assert finder.find_spec("zmq.serial", [str(core / "zmq"), str(serial / "zmq")]) is None
    assert finder.find_spec("json") is None
