# SPDX-License-Identifier: BSD-3-Clause
"""tools/check_libzmq_pxd.py on the source tree's libzmq.pxd, zmq_compat.h
and constants table against the machine's zmq.h (pkg-config's, as in the
lint env), and on copies with one thing wrong. zmq-core's
tests/test_libzmq_pxd.py runs the same check on the installed files of each
build, with more edits of the .pxd and the compat header."""

import shutil

import check_libzmq_pxd as checker
import pytest

ZMQ_H = checker.default_zmq_h()
pytestmark = pytest.mark.skipif(not ZMQ_H.exists(), reason=f"no libzmq headers ({ZMQ_H})")


def test_the_repository_passes(capsys):
    assert checker.main([]) == 0
    assert capsys.readouterr().err == ""


def test_a_name_zmq_h_gains_must_be_declared(tmp_path, capsys):
    header = tmp_path / "zmq.h"
    text = ZMQ_H.read_text()
    # after the include guard's #define, outside every #if
    header.write_text(
        text + "\n#define ZMQ_NEW_OPTION 999\nZMQ_EXPORT int zmq_new_call (void *s);\n")
    assert checker.main(["--zmq-h", str(header)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("ZMQ_NEW_OPTION: in ") for line in err), err
    assert any(line.startswith("zmq_new_call: in ") for line in err), err


def test_a_constant_of_the_table_must_be_declared(tmp_path):
    pxd = tmp_path / "libzmq.pxd"
    text = checker.core_file("libzmq.pxd").read_text()
    assert "        ZMQ_LINGER\n" in text
    pxd.write_text(text.replace("        ZMQ_LINGER\n", "", 1))
    problems = checker.check(ZMQ_H, pxd=pxd)
    assert any(p.startswith("ZMQ_LINGER: in the constants table") for p in problems), problems


def test_the_files_are_found_in_a_subfolder_of_zmq_core(tmp_path):
    # zmq/core/<folder>/libzmq.pxd: found where it is, once
    (tmp_path / "includes").mkdir()
    shutil.copy(checker.core_file("libzmq.pxd"), tmp_path / "includes" / "libzmq.pxd")
    assert checker.core_file("libzmq.pxd", core=tmp_path) == tmp_path / "includes" / "libzmq.pxd"
    shutil.copy(checker.core_file("libzmq.pxd"), tmp_path / "libzmq.pxd")
    with pytest.raises(SystemExit, match="expected one libzmq.pxd"):
        checker.core_file("libzmq.pxd", core=tmp_path)
