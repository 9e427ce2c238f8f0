# SPDX-License-Identifier: BSD-3-Clause
"""The constants table against the zmq.h of the libzmq build under test."""

import enum
import errno
import importlib.util
import re

import pytest
from conftest import active_zmq_h
from zmq_testkit import run_python

import zmq
from zmq import constants

# zmq.h macros that are not constants of the API
NOT_CONSTANTS = {
    "EXPORT", "DEFINED_STDINT", "HAVE_POLLER", "HAVE_TIMERS", "HAS_CAPABILITIES",
    "VERSION", "VERSION_MAJOR", "VERSION_MINOR", "VERSION_PATCH", "MAKE_VERSION",
    # strings, not numbers: the Frame.get() property names
    "MSG_PROPERTY_ROUTING_ID", "MSG_PROPERTY_SOCKET_TYPE", "MSG_PROPERTY_USER_ID",
    "MSG_PROPERTY_PEER_ADDRESS",
}


def parse_zmq_h(path):
    """{NAME: (value, is_draft)} for every numeric ZMQ_* define, and errno
    defines libzmq makes itself (E* as HAUSNUMERO + n)."""
    defines = {}
    draft = False
    depth_at_draft = None
    depth = 0
    raw = {}
    system_errno_guard = None
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#if"):
            depth += 1
            if "ZMQ_BUILD_DRAFT_API" in stripped:
                draft, depth_at_draft = True, depth
            guard = re.match(r"#ifndef\s+(E\w+)", stripped)
            # zmq.h defines an errno only where the system lacks it; where the
            # system has it, the system's value is the one libzmq reports
            if guard and hasattr(errno, guard.group(1)):
                system_errno_guard = depth
        elif stripped.startswith("#endif"):
            if draft and depth == depth_at_draft:
                draft = False
            if system_errno_guard == depth:
                system_errno_guard = None
            depth -= 1
        if system_errno_guard is not None:
            continue
        m = re.match(r"#define\s+(ZMQ_\w+|E\w+)\s+(.+?)\s*(/\*.*)?$", stripped)
        if m:
            raw[m.group(1)] = (m.group(2), draft)
    hausnumero = int(raw["ZMQ_HAUSNUMERO"][0])

    def evaluate(expr):
        expr = expr.strip()
        if expr.startswith("(") and expr.endswith(")"):
            expr = expr[1:-1]
        parts = [p.strip() for p in re.split(r"\|", expr)]
        total = 0
        for part in parts:
            if "+" in part:
                left, right = (x.strip() for x in part.split("+"))
                total |= evaluate(left) + evaluate(right)
            elif re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", part):
                total |= int(part, 0)
            elif part == "ZMQ_HAUSNUMERO":
                total |= hausnumero
            elif part in raw:
                total |= evaluate(raw[part][0])
            else:
                raise ValueError(part)
        return total

    for name, (expr, is_draft) in raw.items():
        short = name[4:] if name.startswith("ZMQ_") else name
        if short in NOT_CONSTANTS or expr.startswith('"'):
            continue
        try:
            defines[short] = (evaluate(expr), is_draft)
        except ValueError:
            continue
    return defines


@pytest.fixture(scope="module")
def header():
    return parse_zmq_h(active_zmq_h())


def test_header_was_parsed(header):
    # sanity: a parse that found nothing would make the checks below vacuous
    assert header["PUSH"] == (8, False)
    assert header["ETERM"] == (constants.HAUSNUMERO + 53, False)
    assert header["SERVER"][1] is True
    assert len(header) > 200


def test_every_header_constant_matches_the_table(header):
    missing, differ = [], []
    for name, (value, _) in sorted(header.items()):
        if name == "HAUSNUMERO":
            assert constants.HAUSNUMERO == value
            continue
        if not hasattr(zmq, name):
            missing.append(name)
        elif int(getattr(zmq, name)) != value:
            differ.append(f"{name}: table {int(getattr(zmq, name))}, zmq.h {value}")
    assert not missing, f"in zmq.h but not in zmq: {missing}"
    assert not differ, f"values differ from zmq.h: {differ}"


def test_draft_names_match_the_header(header):
    draft_in_header = {n for n, (_, d) in header.items() if d}
    assert draft_in_header <= set(constants.DRAFT_NAMES) | {"EVENT_ALL_V1"}
    stable_in_header = {n for n, (_, d) in header.items() if not d}
    assert not (stable_in_header & set(constants.DRAFT_NAMES) - {"EVENT_ALL_V1"})


def test_enum_families():
    assert zmq.SocketType.PUSH == 8 and isinstance(zmq.PUSH, zmq.SocketType)
    assert zmq.XREQ is zmq.DEALER and zmq.XREP is zmq.ROUTER
    assert zmq.NOBLOCK is zmq.DONTWAIT
    assert zmq.IDENTITY is zmq.ROUTING_ID
    assert zmq.EVENT_ALL is zmq.Event.ALL_V1
    assert zmq.POLLIN | zmq.POLLOUT == 3
    assert isinstance(zmq.POLLIN | zmq.POLLOUT, zmq.PollEvent)
    assert zmq.ETERM == zmq.Errno.ETERM == constants.HAUSNUMERO + 53
    assert zmq.NOTIFY_CONNECT is zmq.RouterNotify.CONNECT
    assert zmq.RECONNECT_STOP_CONN_REFUSED is zmq.ReconnectStop.CONN_REFUSED
    assert zmq.NORM_CC is zmq.NormMode.CC
    assert zmq.PROTOCOL_ERROR_ZMTP_UNSPECIFIED is zmq.Event.PROTOCOL_ERROR_ZMTP_UNSPECIFIED
    assert zmq.QUEUE is zmq.DeviceType.QUEUE
    assert zmq.CURVE is zmq.SecurityMechanism.CURVE
    assert zmq.MORE is zmq.MessageOption.MORE


@pytest.mark.skipif(not hasattr(enum, "_test_simple_enum"),
                    reason="CPython 3.10 builds the families with class statements")
def test_families_are_the_classes_a_class_statement_makes(monkeypatch):
    # constants.py builds its enums with enum._simple_enum, which skips the
    # class statement's checks: run the table again the slow way (as on
    # CPython 3.10) and compare every family with enum's own checker
    from zmq.core import constants as table

    monkeypatch.delattr(enum, "_simple_enum")
    spec = importlib.util.spec_from_file_location(table.__name__, table.__file__)
    slow = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(slow)
    assert slow._simple_enum is None and table._simple_enum is not None
    for option in slow.SocketOption:
        # the same types, as members of this module's _OptType
        option._opt_type = table._OptType[option._opt_type.name]
    for family in (*table._FAMILIES, table._OptType):
        checked = getattr(slow, family.__name__)
        assert checked is not family
        enum._test_simple_enum(checked, family)  # raises TypeError on any difference
        assert checked.__doc__ == family.__doc__


def test_option_types():
    types = constants._OptType
    assert zmq.LINGER._opt_type is types.int
    assert zmq.AFFINITY._opt_type is types.int64
    assert zmq.MAXMSGSIZE._opt_type is types.int64
    assert zmq.ROUTING_ID._opt_type is types.bytes
    assert zmq.IDENTITY._opt_type is types.bytes
    assert zmq.CURVE_SERVERKEY._opt_type is types.bytes
    assert zmq.LAST_ENDPOINT._opt_type is types.bytes
    assert zmq.FD._opt_type is types.fd
    assert all(isinstance(o._opt_type, types) for o in zmq.SocketOption)


@pytest.mark.parametrize("option", [o for o in zmq.SocketOption if o < 93])
def test_option_types_agree_with_libzmq(ctx, option):
    """Reading each stable option with the table's type either works or is
    refused by libzmq for a reason other than the size we passed."""
    s = ctx.socket(zmq.DEALER)
    try:
        s.getsockopt(option)
    except zmq.ZMQError as e:
        # write-only or transport-specific options; EINVAL from a wrong size
        # would also land here, so check the size-sensitive ones below
        assert e.errno == zmq.EINVAL
    finally:
        s.close(linger=0)


def test_int64_options_need_int64(ctx):
    s = ctx.socket(zmq.DEALER)
    try:
        s.setsockopt(zmq.MAXMSGSIZE, 2**33)
        assert s.getsockopt(zmq.MAXMSGSIZE) == 2**33
        s.setsockopt(zmq.AFFINITY, 2**40)
        assert s.getsockopt(zmq.AFFINITY) == 2**40
    finally:
        s.close(linger=0)


def test_all_lists_every_member():
    for family in (zmq.SocketType, zmq.SocketOption, zmq.Errno, zmq.Event):
        assert family.__name__ in constants.__all__
    assert "PUSH" in constants.__all__
    assert "EVENT_CONNECTED" in constants.__all__
    assert "NOTIFY_CONNECT" in constants.__all__
    assert all(hasattr(constants, n) for n in constants.__all__)


def test_int_constants_are_plain_ints_of_every_integer_name():
    from zmq.core import int_constants

    integer_names = {n for n in constants.__all__ if isinstance(getattr(constants, n), int)}
    public = {n for n in vars(int_constants) if not n.startswith("_")}
    assert public == integer_names
    for name in integer_names:
        value = getattr(int_constants, name)
        assert type(value) is int, name
        assert value == getattr(zmq, name), name
    # the module-level spellings, an Errno and the extras outside the families
    assert int_constants.POLLIN == 1 and int_constants.EVENT_CONNECTED == 1
    assert int_constants.ETERM == zmq.ETERM and int_constants.POLLITEMS_DFLT == 16


def test_import_zmq_does_not_import_int_constants():
    out = run_python("import sys, zmq; print('zmq.core.int_constants' in sys.modules)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
