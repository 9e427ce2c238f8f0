# SPDX-License-Identifier: BSD-3-Clause
"""Finish a zmq-core wheel that auditwheel has repaired (libzmq and libsodium
copied into zmq_core.libs/):

- the licences of the bundled libraries go into the wheel's
  .dist-info/licenses/ and are named in METADATA (License-File, and the
  License-Expression covers them);
- zmq_core.libs/libzmq.so, a one-line GNU ld script naming the bundled
  libzmq, lets a package that cimports zmq-core link with -lzmq and
  -L zmq.get_library_dirs() (auditwheel renames the library with a hash);
- RECORD is written again.

usage: finish_wheel.py WHEEL LICENSE_EXPRESSION NAME=FILE [NAME=FILE ...]
"""

import base64
import hashlib
import os
import re
import shutil
import sys
import tempfile
import zipfile

LIBS = "zmq_core.libs"


def record_line(root, rel):
    data = open(os.path.join(root, rel), "rb").read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{rel},sha256={digest},{len(data)}"


def finish(wheel, expression, licences):
    tmp = tempfile.mkdtemp()
    try:
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(tmp)
            names = zf.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        libzmq = [n for n in os.listdir(os.path.join(tmp, LIBS)) if n.startswith("libzmq")]
        if len(libzmq) != 1:
            raise SystemExit(f"{wheel}: expected one bundled libzmq in {LIBS}, found {libzmq}")
        with open(os.path.join(tmp, LIBS, "libzmq.so"), "w") as f:
            f.write(f"/* GNU ld script: -lzmq links the libzmq this wheel carries */\n"
                    f"INPUT({libzmq[0]})\n")

        lic_dir = os.path.join(tmp, dist_info, "licenses", "bundled")
        os.makedirs(lic_dir, exist_ok=True)
        added = []
        for name, path in licences:
            shutil.copy(path, os.path.join(lic_dir, name))
            added.append(f"bundled/{name}")
        meta_path = os.path.join(tmp, dist_info, "METADATA")
        meta = open(meta_path, encoding="utf-8").read()
        head, sep, body = meta.partition("\n\n")
        head = re.sub(r"^License-Expression: .*$", f"License-Expression: {expression}", head,
                      flags=re.M)
        head += "".join(f"\nLicense-File: {a}" for a in added)
        open(meta_path, "w", encoding="utf-8").write(head + sep + body)

        files = []
        for dirpath, _dirs, filenames in os.walk(tmp):
            for fn in filenames:
                rel = os.path.relpath(os.path.join(dirpath, fn), tmp).replace(os.sep, "/")
                if rel != f"{dist_info}/RECORD":
                    files.append(rel)
        # dist-info last, as wheel tools write it
        files.sort(key=lambda r: (r.startswith(dist_info), r))
        lines = [record_line(tmp, r) for r in files] + [f"{dist_info}/RECORD,,"]
        with open(os.path.join(tmp, dist_info, "RECORD"), "w") as f:
            f.write("\n".join(lines) + "\n")
        out = wheel + ".tmp"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in files + [f"{dist_info}/RECORD"]:
                zf.write(os.path.join(tmp, rel), rel)
        os.replace(out, wheel)
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    licences = [tuple(a.split("=", 1)) for a in argv[2:]]
    finish(argv[0], argv[1], licences)


if __name__ == "__main__":
    main(sys.argv[1:])
