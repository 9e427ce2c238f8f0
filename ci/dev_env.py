# SPDX-License-Identifier: BSD-3-Clause
"""The parts of ci/dev.sh that are easier said in Python.

  dev_env.py requirements TOX_INI
      the test dependencies of tox.ini's [testenv] (every factor's), one a
      line, for the dev venv: what the tox environments would install
  dev_env.py stage PACKAGE DEST
      a folder from which pip installs PACKAGE (zmq-core, zmq-devices)
      editable without compiling its extensions: its pyproject.toml, README
      and LICENSE, its src/ as a link to the real one, and a setup.py with
      no extensions (the extensions are built by ci/dev.sh per variant)
  dev_env.py link SITE_PACKAGES BUILD_FOLDER...
      point the staged editable installs at the real src/ folders, and make
      the venv import the compiled modules from BUILD_FOLDERs (ci/dev_builds.py)
"""

import configparser
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# read by setuptools from the project folder when it builds the metadata
METADATA_FILES = ("pyproject.toml", "README.md", "LICENSE")
NO_EXTENSIONS = (
    "# SPDX-License-Identifier: BSD-3-Clause\n"
    "# Written by ci/dev_env.py: the metadata and an editable install only;\n"
    "# ci/dev.sh builds the extensions into the variant's build folder.\n"
    "from setuptools import setup\n\nsetup()\n"
)


def requirements(tox_ini):
    """[testenv] deps without their factor conditions, in order, once each;
    ``-e`` lines (the test kit, installed editable by ci/dev.sh) left out."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(tox_ini)
    found = []
    for line in parser["testenv"]["deps"].splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        # "core: paramiko", "{core,eventloop}-!py313t-!py314t: mypy"
        line = re.sub(r"^[\w{},!-]+:\s*", "", line)
        if line not in found:
            found.append(line)
    return found


def stage(package, dest):
    package, dest = Path(package).resolve(), Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in METADATA_FILES:
        shutil.copy(package / name, dest / name)
    (dest / "src").symlink_to(package / "src")
    (dest / "setup.py").write_text(NO_EXTENSIONS)


def link(site, folders):
    site = Path(site)
    # setuptools' static .pth of a staged install names the stage's src link
    for pth in site.glob("__editable__.*.pth"):
        lines = pth.read_text().splitlines()
        real = [str(Path(line).resolve()) if Path(line).is_dir() else line for line in lines]
        if real != lines:
            pth.write_text("\n".join(real) + "\n")
    shutil.copy(HERE / "dev_builds.py", site / "_zmq_dev_builds.py")
    folders = [str(Path(f).resolve()) for f in folders]
    (site / "_zmq_dev_builds.pth").write_text(
        f"import _zmq_dev_builds; _zmq_dev_builds.install({folders!r})\n")


def main(argv):
    if argv[:1] == ["requirements"] and len(argv) == 2:
        print("\n".join(requirements(argv[1])))
    elif argv[:1] == ["stage"] and len(argv) == 3:
        stage(*argv[1:])
    elif argv[:1] == ["link"] and len(argv) >= 3:
        link(argv[1], argv[2:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
