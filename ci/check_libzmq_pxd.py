# SPDX-License-Identifier: BSD-3-Clause
"""Check that zmq-core's libzmq.pxd declares all of zmq.h.

Fails (exit status 1, one line per problem) when
- a constant, function, function-like macro or type of zmq.h is not declared
  in libzmq.pxd, or is declared on the wrong side of its DRAFT marker;
- a module-level constant of zmq/core/constants.py has no declaration
  (``zmq.PUSH`` -> ``ZMQ_PUSH``, ``zmq.ETERM`` -> ``ETERM``);
- zmq_compat.h lacks what a stable zmq.h lacks for the draft section (a
  constant, a type, a function stand-in), or defines a value that differs
  from constants.py's, the table of values.

The lint env runs it against the zmq.h pkg-config names; zmq-core's
tests/test_libzmq_pxd.py runs it against the zmq.h of the build under test.

usage: python ci/check_libzmq_pxd.py [--zmq-h PATH]
"""

import argparse
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

CORE = Path(__file__).resolve().parents[1] / "packages/zmq-core/src/zmq/core"

# the comment line in libzmq.pxd after which the DRAFT declarations start
DRAFT_MARKER = "# DRAFT:"

# zmq.h macros that are not part of the API: symbol visibility, include
# guards, feature flags without a value
NOT_API = {"ZMQ_EXPORT", "ZMQ_DEFINED_STDINT", "ZMQ_HAVE_POLLER", "ZMQ_HAVE_TIMERS"}


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_header(path):
    """{name: is_draft} for every constant, function, function-like macro
    and type zmq.h declares (draft: under #ifdef ZMQ_BUILD_DRAFT_API)."""
    names = {}
    depth = 0
    draft_depth = None
    statement = []
    for line in _strip_comments(Path(path).read_text()).splitlines():
        stripped = line.strip()
        if stripped.startswith("#if"):
            depth += 1
            if "ZMQ_BUILD_DRAFT_API" in stripped and draft_depth is None:
                draft_depth = depth
            continue
        if stripped.startswith("#endif"):
            if draft_depth == depth:
                draft_depth = None
            depth -= 1
            continue
        draft = draft_depth is not None
        m = re.match(r"#\s*define\s+((?:ZMQ_|E)\w+)(\(?)\s*(.*)$", stripped)
        if m:
            name, function_like, value = m.groups()
            if name not in NOT_API and (value or function_like):
                names[name] = draft
            continue
        if stripped.startswith("#"):
            continue
        # C declarations: gather statements up to their ';'
        statement.append(stripped)
        if ";" not in stripped:
            continue
        text = " ".join(statement)
        statement = []
        if "typedef" in text:
            for name in re.findall(r"\b(zmq_\w+_(?:t|fn))\b", text):
                names[name] = draft
        for name in re.findall(r"\bZMQ_EXPORT\b[^;(]*?\b(zmq_\w+)\s*\(", text):
            names[name] = draft
    return names


class Declaration(NamedTuple):
    draft: bool  # after DRAFT_MARKER
    kind: str  # constant, function, type, function type or variable


def parse_pxd(path):
    """{name: Declaration} for every name libzmq.pxd declares in its extern
    blocks. A name given a C name in quotes (``fd_t "zmq_fd_t"``) counts
    under its Cython name."""
    names = {}
    draft = False
    in_enum = False
    for line in Path(path).read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith(DRAFT_MARKER):
            draft = True
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 8 and in_enum:
            m = re.fullmatch(r'(\w+)(?:\s+"\w+")?', stripped)
            kind = "constant"
        elif indent == 4:
            in_enum = stripped == "enum:"
            m = re.match(r"ctypedef\s+struct\s+(\w+)\s*:", stripped)
            kind = "type"
            if not m:
                m = re.match(
                    r'(ctypedef\s+)?(?:const\s+)?[\w\s]*?[\s*](\w+)\s*(?:"\w+"\s*)?(\(|$)', stripped
                )
                if m:
                    typedef, call = bool(m.group(1)), m.group(3) == "("
                    kind = {(True, True): "function type", (True, False): "type",
                            (False, True): "function", (False, False): "variable"}[typedef, call]
                    m = re.match(r"(\w+)", m.group(2))
        else:
            # top level, struct fields, continued argument lists
            continue
        if m:
            names.setdefault(m.group(1), Declaration(draft, kind))
    return names


def parse_compat(path):
    """(defined macros {name: value text}, typedefs, function stand-ins)
    of zmq_compat.h's no-draft branch and its always-on part."""
    text = _strip_comments(Path(path).read_text())
    defines = dict(re.findall(r"#\s*define\s+(ZMQ_\w+)[ \t]+([^\n]+)", text))
    typedefs = set(re.findall(r"}\s*(zmq_\w+_t)\s*;", text))
    functions = set(re.findall(r"static\s+inline\s+[\w\s\*]*?\b(zmq_\w+)\s*\(", text))
    return defines, typedefs, functions


def load_constants(path=CORE / "constants.py"):
    # loaded by path: importing zmq would need the compiled extensions
    spec = importlib.util.spec_from_file_location("_zmq_constants_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_names(constants):
    """{C name: value} of every int constant of the table."""
    out = {"ZMQ_HAUSNUMERO": constants.HAUSNUMERO}
    for name in constants.__all__:
        value = getattr(constants, name)
        if isinstance(value, int) and not isinstance(value, bool) and name != "HAUSNUMERO":
            # zmq.h spells error numbers without the ZMQ_ prefix
            is_errno = name in constants.Errno.__members__
            out[name if is_errno else f"ZMQ_{name}"] = int(value)
    return out


def check(zmq_h, pxd=CORE / "cdecl/libzmq.pxd", compat=CORE / "cdecl/zmq_compat.h",
          constants=None):
    """The list of problems found (empty when all is well)."""
    constants = constants or load_constants()
    header = parse_header(zmq_h)
    declared = parse_pxd(pxd)
    defines, typedefs, stand_ins = parse_compat(compat)
    table = table_names(constants)
    problems = []
    for name, draft in header.items():
        where = "DRAFT section" if draft else "stable part (before the DRAFT marker)"
        if name not in declared:
            problems.append(f"{name}: in {zmq_h} but not declared in {pxd.name}")
        elif declared[name].draft != draft:
            problems.append(f"{name}: declared in {pxd.name} outside its {where}")
        if not draft:
            continue
        # what a stable zmq.h lacks, zmq_compat.h must supply
        if name.endswith("_t") and name not in typedefs:
            problems.append(f"{name}: draft type without a typedef in {compat.name}")
        elif name.startswith("zmq_") and not name.endswith(("_t", "_fn")) and name not in stand_ins:
            problems.append(f"{name}: draft function without a stand-in in {compat.name}")
        elif name.startswith("ZMQ_") and name not in defines:
            problems.append(f"{name}: draft constant not defined in {compat.name}")
    for name in table:
        if name not in declared:
            problems.append(f"{name}: in the constants table but not declared in {pxd.name}")
    for name, text in defines.items():
        text = text.strip()
        if name in table and re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", text):
            if int(text, 0) != table[name]:
                problems.append(
                    f"{name}: {compat.name} defines {text}, the constants table says {table[name]}"
                )
    return problems


def default_zmq_h():
    try:
        include = subprocess.run(
            ["pkg-config", "--variable=includedir", "libzmq"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        include = "/usr/include"
    return Path(include) / "zmq.h"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zmq-h", type=Path, default=None, help="zmq.h to check against")
    args = parser.parse_args(argv)
    zmq_h = args.zmq_h or default_zmq_h()
    problems = check(zmq_h)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
