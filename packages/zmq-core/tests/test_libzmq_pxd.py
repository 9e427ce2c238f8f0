# SPDX-License-Identifier: BSD-3-Clause
"""libzmq.pxd, the cimport API's C half, against the zmq.h of the build
under test: every constant, type and function of zmq.h is declared (checked
by tools/check_libzmq_pxd.py, the lint env's check, here run on the installed
files), and every declaration compiles and holds the constants table's value
(a module naming each one is built against the installed zmq-core and run)."""

import ast
import errno
import importlib.util
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, active_zmq_h, build_against_zmq_core, cimporting_project, run_with

import zmq
import zmq.core
from zmq.core import constants

INSTALLED = Path(zmq.core.__file__).resolve().parent
PXD = INSTALLED / "cdecl" / "libzmq.pxd"
COMPAT = INSTALLED / "cdecl" / "zmq_compat.h"

# zmq.h names whose value is not in the constants table
HEADER_ONLY = {"ZMQ_HAS_CAPABILITIES": 1}


def _load_checker():
    spec = importlib.util.spec_from_file_location(
        "check_libzmq_pxd", REPO / "tools" / "check_libzmq_pxd.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def test_installed_pxd_declares_all_of_zmq_h():
    assert PXD.exists() and COMPAT.exists(), "the wheel must ship libzmq.pxd and zmq_compat.h"
    assert checker.check(active_zmq_h(), PXD, COMPAT, constants) == []


def test_header_parse_finds_the_whole_api():
    # a parse that found little would make the check above vacuous
    header = checker.parse_header(active_zmq_h())
    assert header["ZMQ_PUSH"] is False and header["ZMQ_SERVER"] is True
    assert header["zmq_msg_send"] is False and header["zmq_poller_wait_all"] is True
    assert header["zmq_msg_t"] is False and header["zmq_poller_event_t"] is True
    assert header["zmq_timer_fn"] is False and header["ZMQ_MAKE_VERSION"] is False
    assert header["ETERM"] is False
    assert len(header) > 300 and sum(header.values()) > 60


def problems_after_edit(tmp_path, edited, edit):
    """What the checker reports when `edited` (PXD or COMPAT) has one
    (old, new) replacement made, in a copy; the other file is the real one."""
    old, new = edit
    text = edited.read_text()
    assert old in text
    copy = tmp_path / edited.name
    copy.write_text(text.replace(old, new, 1))
    files = {PXD: PXD, COMPAT: COMPAT, edited: copy}
    return checker.check(active_zmq_h(), files[PXD], files[COMPAT], constants)


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("        ZMQ_TCP_MAXRT\n", ""), "ZMQ_TCP_MAXRT: in "),
        (("    int zmq_timers_reset(void *timers, int timer_id)\n", ""), "zmq_timers_reset: in "),
        (("    ctypedef void zmq_free_fn(void *data, void *hint)\n", ""), "zmq_free_fn: in "),
        (("        ZMQ_HWM\n", ""), "ZMQ_HWM: in the constants table"),
        (("        ZMQ_SERVER\n", ""), "ZMQ_SERVER: in "),
        # a draft name moved before the DRAFT marker
        (("        ZMQ_PAIR\n", "        ZMQ_PAIR\n        ZMQ_PRIORITY\n"),
         "ZMQ_PRIORITY: declared in libzmq.pxd outside its DRAFT section"),
    ],
)
def test_check_fails_on_a_missing_or_misplaced_declaration(tmp_path, edit, expected):
    problems = problems_after_edit(tmp_path, PXD, edit)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("#define ZMQ_PEER 19\n", "#define ZMQ_PEER 21\n"), "ZMQ_PEER: zmq_compat.h defines 21"),
        (("#define ZMQ_GATHER 16\n", ""), "ZMQ_GATHER: draft constant not defined"),
        (("static inline int zmq_poller_size(", "static inline int zmq_poller_count("),
         "zmq_poller_size: draft function without a stand-in"),
        (("} zmq_poller_event_t;", "} zmq_poller_item_t;"),
         "zmq_poller_event_t: draft type without a typedef"),
    ],
)
def test_check_fails_on_a_missing_or_wrong_draft_fallback(tmp_path, edit, expected):
    problems = problems_after_edit(tmp_path, COMPAT, edit)
    assert any(p.startswith(expected) for p in problems), problems


def render_probe(declarations):
    """A Cython module naming every declaration of libzmq.pxd: constants and
    variables by value, functions by address, types by size."""
    consts, variables, functions, types, fn_types = [], [], [], [], []
    for name, decl in declarations.items():
        if decl.kind == "constant":
            consts.append(f"        {name!r}: libzmq.{name},")
        elif decl.kind == "variable":
            variables.append(f"        {name!r}: libzmq.{name},")
        elif decl.kind == "function" and name.startswith("ZMQ_"):
            # a function-like macro has no address: call it
            functions.append(f"        {name!r}: libzmq.{name}(1, 2, 3),")
        elif decl.kind == "function":
            functions.append(f"        {name!r}: <size_t><void *>libzmq.{name},")
        elif decl.kind == "type":
            types.append(f"        {name!r}: sizeof(libzmq.{name}),")
        else:
            fn_types.append(f"    cdef libzmq.{name} *{name}_p = NULL")
            types.append(f"        {name!r}: <size_t>{name}_p,")
    return "\n".join(
        [
            "# cython: language_level=3",
            "from zmq cimport libzmq",
            "from libc.errno cimport errno",
            "",
            "def constants():",
            "    return {", *consts, "    }",
            "",
            "def variables():",
            "    return {", *variables, "    }",
            "",
            "def functions():",
            "    return {", *functions, "    }",
            "",
            "def types():",
            *fn_types,
            "    return {", *types, "    }",
            "",
            "def new_poller():",
            "    # a draft function: (created, errno)",
            "    cdef void *poller = libzmq.zmq_poller_new()",
            "    if poller == NULL:",
            "        return (False, errno)",
            "    libzmq.zmq_poller_destroy(&poller)",
            "    return (True, 0)",
            "",
        ]
    )


@pytest.fixture(scope="module")
def probe_site(tmp_path_factory):
    # with zmq-core's draft build, the probe compiles against zmq.h's draft
    # declarations; otherwise against zmq_compat.h's
    setup = textwrap.dedent("""
        from Cython.Build import cythonize
        from setuptools import Extension, setup

        import zmq

        draft = [("ZMQ_BUILD_DRAFT_API", "1")] if zmq.DRAFT_API else []
        setup(py_modules=[], ext_modules=cythonize([Extension(
            "libzmq_probe", ["libzmq_probe.pyx"], include_dirs=zmq.get_includes(),
            library_dirs=zmq.get_library_dirs(),
            runtime_library_dirs=zmq.get_library_dirs(),
            libraries=["zmq"], define_macros=draft)]))
        """)
    project = cimporting_project(
        tmp_path_factory.mktemp("probe-src"), "libzmq-probe",
        {"libzmq_probe.pyx": render_probe(checker.parse_pxd(PXD)), "setup.py": setup})
    return build_against_zmq_core(project, tmp_path_factory.mktemp("probe"))


def probe(site, call):
    run = run_with(site, f"import libzmq_probe; print(repr(libzmq_probe.{call}()))")
    assert run.returncode == 0, run.stderr
    return ast.literal_eval(run.stdout)


# the probe package's build (up to 600 s) counts in the first of these tests
@pytest.mark.timeout(900)
def test_every_constant_compiles_with_the_table_value(probe_site):
    values = probe(probe_site, "constants")
    table = checker.table_names(constants)
    assert not set(table) - set(values), "table constants the pxd does not declare"
    major, minor, patch = zmq.zmq_version_info()
    expected = dict(HEADER_ONLY)
    expected.update(
        ZMQ_VERSION_MAJOR=major, ZMQ_VERSION_MINOR=minor, ZMQ_VERSION_PATCH=patch,
        ZMQ_VERSION=major * 10000 + minor * 100 + patch,
        PYZMQ_DRAFT_API=int(zmq.DRAFT_API),
    )
    for name in values:
        if name in table:
            expected[name] = table[name]
        elif name.startswith("ZMQ_E") and name[4:] in table:
            # PyZMQ's spelling of the error numbers
            expected[name] = table[name[4:]]
        elif name.startswith("E"):
            expected[name] = getattr(errno, name)
    assert set(expected) == set(values), "a constant without an expected value"
    differ = {n: (values[n], expected[n]) for n in values if values[n] != expected[n]}
    assert not differ, f"compiled value, expected value: {differ}"


@pytest.mark.timeout(900)
def test_every_function_and_type_compiles_and_links(probe_site):
    functions = probe(probe_site, "functions")
    assert functions.pop("ZMQ_MAKE_VERSION") == 10203
    assert all(functions.values()), [n for n, a in functions.items() if not a]
    assert "zmq_poller_wait_all" in functions and "zmq_timers_add" in functions
    types = probe(probe_site, "types")
    # the opaque message: zmq.h's own size, whatever Cython was told
    assert types["zmq_msg_t"] == 64
    assert types["zmq_pollitem_t"] >= 16 and types["zmq_poller_event_t"] >= 24
    assert types["zmq_free_fn"] == types["zmq_timer_fn"] == types["zmq_thread_fn"] == 0
    variables = probe(probe_site, "variables")
    assert variables["ZMQ_MSG_PROPERTY_ROUTING_ID"] == b"Routing-Id"
    assert variables["ZMQ_STACK_DRAFT_API"] == int(zmq.DRAFT_API)


@pytest.mark.timeout(900)
def test_draft_functions_run_or_fail_with_enotsup(probe_site):
    created, err = probe(probe_site, "new_poller")
    if zmq.DRAFT_API:
        assert (created, err) == (True, 0)
    else:
        assert (created, err) == (False, errno.ENOTSUP)
