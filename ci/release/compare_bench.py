# SPDX-License-Identifier: BSD-3-Clause
"""Compare two sets of release wheels with bench/'s workloads, in the same
run: a change of toolchain or optimisation flags shows as a ratio.

Each set (a dist/ folder that ci/release.sh made) is installed into a venv of
the given CPython (zmq-core and zmq-devices for this machine, the pure-Python
distributions, and what the workloads use); then every workload runs in the
two venvs alternately, repeat after repeat, each pair under the same hash
seed (bench/run.py's run_workload), and the medians are compared.

    python compare_bench.py --python python3.12 OLD_DIST NEW_DIST
        [--scale 0.3] [--repeat 3] [--only REGEX] [--platform manylinux_2_17_x86_64]

prints one row per workload: its unit, the two medians and NEW / OLD (for
costs below 1 means NEW is faster, for throughputs above 1).
"""

import argparse
import glob
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTRAS = ["numpy", "tornado", "msgpack", "gevent"]


def load_bench():
    path = os.path.join(REPO, "bench", "run.py")
    spec = importlib.util.spec_from_file_location("bench_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wheels_of(dist, tag, platform):
    found = []
    for name in ("zmq_core", "zmq_devices"):
        match = [w for w in glob.glob(os.path.join(dist, f"{name}-*-{tag}-{tag}-*.whl"))
                 if platform is None or platform in os.path.basename(w)]
        if len(match) != 1:
            raise SystemExit(f"{dist}: expected one {name} wheel for {tag} {platform or ''}, "
                             f"found {[os.path.basename(w) for w in match]}")
        found += match
    return found + glob.glob(os.path.join(dist, "*-py3-none-any.whl"))


def make_venv(python, path, wheels):
    subprocess.run([python, "-m", "venv", path], check=True)
    vpy = os.path.join(path, "bin", "python")
    subprocess.run([vpy, "-m", "pip", "install", "-q", "--no-deps", *wheels], check=True)
    subprocess.run([vpy, "-m", "pip", "install", "-q", *EXTRAS], check=True)
    return vpy


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--python", required=True, help="the CPython of both venvs")
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="regular expression selecting workloads")
    parser.add_argument("--platform", help="part of the wheels' platform tag, for a dist "
                        "holding several (e.g. manylinux_2_17_x86_64)")
    parser.add_argument("--old-platform", help="the same for OLD, when it differs")
    args = parser.parse_args(argv)
    bench = load_bench()
    tag = subprocess.run([args.python, "-c", "import sys; print('cp%d%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        pythons = {
            "old": make_venv(args.python, os.path.join(tmp, "old"),
                             wheels_of(args.old, tag, args.old_platform or args.platform)),
            "new": make_venv(args.python, os.path.join(tmp, "new"),
                             wheels_of(args.new, tag, args.platform)),
        }
        for impl, vpy in pythons.items():
            where = subprocess.run([vpy, "-c", "import zmq, os; print(zmq.zmq_version(), "
                                    "sorted(os.listdir(zmq.get_library_dirs()[0])))"],
                                   capture_output=True, text=True, check=True).stdout.strip()
            print(f"{impl}: libzmq {where}", flush=True)
        listing = subprocess.run([pythons["new"], bench.WORKLOADS, "--list"],
                                 capture_output=True, text=True, check=True).stdout
        units = {name: tuple(v) for name, v in json.loads(listing).items()}
        names = [n for n in units if not args.only or re.search(args.only, n)]
        samples = {name: {"old": [], "new": []} for name in names}
        for rep in range(args.repeat):
            order = ["old", "new"] if rep % 2 == 0 else ["new", "old"]
            for name in names:
                for impl in order:
                    result = bench.run_workload(pythons[impl], name, args.scale, hash_seed=rep + 1)
                    if "value" in result:
                        samples[name][impl].append(result["value"])
            print(f"repeat {rep + 1}/{args.repeat} done", flush=True)
    print()
    print("| workload | unit | old | new | new ÷ old |")
    print("|---|---|---|---|---|")
    for name in names:
        old, new = samples[name]["old"], samples[name]["new"]
        if not old or not new:
            continue
        mo, mn = statistics.median(old), statistics.median(new)
        unit, better = units[name]
        print(f"| {name} | {unit} ({better} is better) | {bench.fmt(mo, unit)} "
              f"| {bench.fmt(mn, unit)} | {mn / mo:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
