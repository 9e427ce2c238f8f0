# SPDX-License-Identifier: BSD-3-Clause
"""Check a commit message: a subject of at most 72 characters, then (if
there is more) a blank line and the body, where the detail goes.

The commit-msg hook (tools/git-hooks/commit-msg, installed by
``git config core.hooksPath tools/git-hooks``, which ci/dev.sh does in a
fresh clone) runs it on every message; ``git commit --no-verify`` skips it.
Lines git drops itself are ignored: ``#`` comments and everything below
``git commit --verbose``'s scissors line.

usage: python tools/check_commit_msg.py MESSAGE_FILE
"""

import sys
from pathlib import Path

MAX_SUBJECT = 72
SCISSORS = "# ------------------------ >8 ------------------------"


def problems(message):
    """What is wrong with *message* (the text git would record), or []."""
    lines = []
    for line in message.splitlines():
        if line.startswith(SCISSORS):
            break
        if not line.startswith("#"):
            lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return []  # git refuses an empty message itself
    found = []
    subject = lines[0]
    if len(subject) > MAX_SUBJECT:
        found.append(f"the subject is {len(subject)} characters, at most {MAX_SUBJECT}: "
                     "say what changed in one short line and put the detail in the body")
    if len(lines) > 1 and lines[1]:
        found.append("the second line must be blank: the subject is one line, "
                     "the body starts after a blank line")
    return found


def main(argv):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    found = problems(Path(argv[0]).read_text())
    for p in found:
        print(f"commit-msg: {p}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
