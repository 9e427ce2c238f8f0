# SPDX-License-Identifier: BSD-3-Clause
"""tools/gen_constants_stub.py on a copy of zmq-core's constants table and
its three generated stubs: a table that changed makes --check fail until the stubs are
generated again; and the repository's stubs are up to date."""

import shutil

import gen_constants_stub as gen
import pytest


@pytest.fixture
def core(tmp_path):
    for name in ("constants.py", "constants.pyi", "int_constants.pyi", "socket.pyi"):
        shutil.copy(gen.CORE / name, tmp_path / name)
    return tmp_path


def test_the_repository_is_up_to_date():
    assert gen.main(["--check"]) == 0


def test_a_copy_is_up_to_date(core):
    assert gen.main(["--check", "--core", str(core)]) == 0


def test_a_new_socket_option_makes_every_stub_stale(core, capsys):
    table = core / "constants.py"
    text = table.read_text()
    # a member of SocketOption (an int option, as the one before it)
    old = "    LINGER = 17\n"
    assert old in text
    table.write_text(text.replace(old, old + "    LINGER_TOO = 9999\n", 1))
    assert gen.main(["--check", "--core", str(core)]) == 1
    assert "is stale: run python tools/gen_constants_stub.py" in capsys.readouterr().err
    assert gen.main(["--core", str(core)]) == 0
    assert gen.main(["--check", "--core", str(core)]) == 0
    assert "    LINGER_TOO = 9999\n" in (core / "constants.pyi").read_text()
    assert "    linger_too: int\n" in (core / "socket.pyi").read_text()
    assert "\nLINGER_TOO: int\n" in (core / "int_constants.pyi").read_text()


def test_a_hand_edit_of_the_generated_section_is_stale(core):
    stub = core / "socket.pyi"
    stub.write_text(stub.read_text().replace("    linger: int\n", "    linger: str\n", 1))
    assert gen.main(["--check", "--core", str(core)]) == 1


def test_socket_stub_without_the_markers(core):
    stub = core / "socket.pyi"
    stub.write_text(stub.read_text().replace(gen.BEGIN, "    # options", 1))
    with pytest.raises(SystemExit, match="socket.pyi has no line"):
        gen.main(["--check", "--core", str(core)])
