# SPDX-License-Identifier: BSD-3-Clause
"""The awaitable sockets' types: mypy accepts correct programs (default and
--strict) and rejects wrong ones (a forgotten await), against the installed
wheels. The programs are typing/good/*.py and typing/bad/*.py (lines ending
"# wrong" must be reported); the runner is the test kit's."""

from pathlib import Path

import pytest
from zmq_testkit.typing_programs import program_tests

pytest.importorskip("mypy")

test_correct_programs_type_check, test_wrong_programs_are_rejected = program_tests(
    Path(__file__).parent / "typing"
)
