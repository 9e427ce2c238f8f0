# SPDX-License-Identifier: BSD-3-Clause
"""Side-by-side benchmarks: this project, PyZMQ 27 and libzmq's own C tools.

Each implementation runs bench/workloads.py in its own virtual environment,
all made from one interpreter (--python): this project, PyZMQ 27.2 and
pyomq 0.27.3 (``import pyomq as zmq``), all from PyPI but this project. The
anyio workloads also run on zmq-anyio 0.4.1 from PyPI (over PyZMQ), in a
venv of its own. Runs alternate between the implementations and repeat
under the same hash seed; the report gives medians and ratios measured in
the same run, and checks the performance targets of the project's issues.
Missed targets are reported, never fatal: only this project's errors make
this exit non-zero (a peer that fails or stalls on a workload is reported
with the reason).

    python bench/run.py [--python python3.12] [--wheelhouse .wheelhouse/draft-py312]
                        [--scale 1.0] [--repeat 5] [--out bench/results]

Needs this project's wheels for that interpreter, built on the draft libzmq
build in .libzmq/draft (bash ci/bench.sh provides both, then runs this).
This project is measured on that same libzmq build as libzmq's C tools.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKLOADS = Path(__file__).resolve().parent / "workloads.py"
# the CPython of every column: pyomq needs 3.12 or later
BENCH_PYTHON = "3.12"
PYZMQ_REQUIREMENT = "pyzmq==27.2.0"
PYOMQ_REQUIREMENT = "pyomq==0.27.3"
ZMQ_ANYIO_REQUIREMENT = "zmq-anyio==0.4.1"
# the Python implementations that take turns on every workload, and the
# module each imports as zmq (bench/workloads.py reads BENCH_ZMQ_MODULE)
IMPLEMENTATIONS = ("ours", "pyzmq", "pyomq")
ZMQ_MODULE = {"pyomq": "pyomq"}
# what each is called in the report
LABELS = {"ours": "this project", "pyzmq": "PyZMQ 27", "pyomq": "pyomq 0.27",
          "c": "libzmq C", "zmq-anyio": "zmq-anyio 0.4.1"}
# a workload's result must come within this many seconds (times the scale,
# at least a minute): past it, the implementation stalled
WORKLOAD_TIMEOUT = 600
# the workloads that the zmq-anyio venv runs too
ANYIO_WORKLOADS = re.compile(r"^anyio ")
# Free-threaded CPython (issue #22): these workloads run again on it, this
# project against PyZMQ's newest release with a free-threaded wheel (pyomq
# ships abi3 wheels, which a free-threaded CPython cannot load), as rows of
# their own ("<workload>, free-threaded 3.13t")
FT_WORKLOADS = re.compile(
    r"^(one DEALER shared by a sending and a receiving thread|send\+recv 64 B, copy$"
    r"|throughput inproc 64 B$)")
FT_PYTHONS = ("3.14t", "3.13t")
PYZMQ_FT_REQUIREMENT = "pyzmq>=27,<28"

# the issues' targets (bench/targets.txt)
TARGETS_FILE = Path(__file__).resolve().parent / "targets.txt"
# what a workload is compared with, besides another workload of ours;
# "fastest": the best of the Python peers measured on that workload. libzmq's
# C tools are the floor every binding pays on top of, not a peer: #23 bounds
# them where it names them (REQ/REP latency, inproc throughput)
AGAINST = ("pyzmq", "pyomq", "c", "zmq-anyio", "fastest")
PEERS = ("pyzmq", "pyomq", "zmq-anyio")


def load_targets(path=TARGETS_FILE):
    """[(workload, kind, target, description)]: kind "pyzmq": ours / PyZMQ of
    the metric; "pyomq": ours / pyomq; "c": ours / C; "zmq-anyio": ours /
    zmq-anyio 0.4.1; "fastest": ours / the best peer's; "self": the workload
    is a pair (ours, ours other workload). Workload "*" (with "fastest"):
    every workload, one target each."""
    targets = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) != 4:
            raise SystemExit(f"{path}:{number}: expected workload | against | target | what")
        workload, against, target, description = fields
        if against in AGAINST:
            targets.append((workload, against, float(target), description))
        else:
            targets.append(((workload, against), "self", float(target), description))
    return targets


TARGETS = load_targets()

SIZES = {"64 B": 64, "1 kB": 1024, "64 kB": 65536, "1 MiB": 1 << 20}
C_COUNTS = {64: 2_000_000, 1024: 1_000_000, 65536: 50_000, 1 << 20: 2_000}


def log(msg):
    print(f"[bench] {msg}", flush=True)


def python_version(python):
    return subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
        capture_output=True, text=True, check=True).stdout.strip()


def make_venv(path, base_python, install_args):
    """A venv at *path* made from *base_python* (made again when it was made
    from another version) with *install_args* pip-installed."""
    python = path / "bin" / "python"
    if python.exists() and python_version(python) != python_version(base_python):
        log(f"{path}: made from another Python, making it again")
        shutil.rmtree(path)
    if not python.exists():
        subprocess.run([str(base_python), "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *install_args], check=True)
    return python


def prepare(args):
    # the draft build's wheels: the same libzmq as the C tools and the C
    # proxy, so "ours ÷ C" compares the Python layer and nothing else
    wheels = sorted(Path(args.wheelhouse).glob("*.whl"))
    if not wheels:
        sys.exit(f"no wheels in {args.wheelhouse}: run bash ci/bench.sh")
    venvs = REPO / ".venv-bench"
    # the same third-party packages in every venv, for the workloads that
    # use them (numpy arrays, Tornado's IOLoop, gevent for zmq.green)
    extras = ["numpy", "tornado", "msgpack", "gevent", "anyio", "trio"]
    ours = make_venv(venvs / "ours", args.python,
                     ["--force-reinstall", "--no-deps", *map(str, wheels)])
    subprocess.run([str(ours), "-m", "pip", "install", "-q", "--find-links",
                    str(wheels[0].parent), *map(str, wheels), *extras], check=True)
    pyzmq = make_venv(venvs / "pyzmq", args.python, [PYZMQ_REQUIREMENT, *extras])
    pyomq = make_venv(venvs / "pyomq", args.python, [PYOMQ_REQUIREMENT, *extras])
    # zmq-anyio brings the PyZMQ it needs (it declares pyzmq)
    zmq_anyio = make_venv(venvs / "zmq-anyio", args.python,
                          [ZMQ_ANYIO_REQUIREMENT, "anyio", "trio"])
    return {"ours": ours, "pyzmq": pyzmq, "pyomq": pyomq, "zmq-anyio": zmq_anyio}


def prepare_ft(args):
    """The free-threaded venvs: {"ours": python, "pyzmq": python}, or None
    (with the reason logged) when there is no free-threaded CPython or no
    wheels of ours for it."""
    if not args.ft_python:
        log(f"no free-threaded CPython ({', '.join(FT_PYTHONS)}) on PATH: no free-threaded rows")
        return None
    wheels = sorted(Path(args.ft_wheelhouse).glob("*.whl"))
    if not wheels:
        log(f"no wheels in {args.ft_wheelhouse}: no free-threaded rows")
        return None
    venvs = REPO / ".venv-bench"
    ours = make_venv(venvs / "ours-ft", args.ft_python,
                     ["--force-reinstall", "--no-deps", *map(str, wheels)])
    # the newest PyZMQ 27 that has a wheel for this CPython (never built
    # from source: that would measure a build of our making)
    pyzmq = make_venv(venvs / "pyzmq-ft", args.ft_python,
                      ["--only-binary", "pyzmq", PYZMQ_FT_REQUIREMENT])
    return {"ours": ours, "pyzmq": pyzmq}


def ft_label(pythons):
    """The free-threaded rows' suffix: the CPython and the PyZMQ it ran."""
    version = subprocess.run(
        [str(pythons["ours"]), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True, text=True, check=True).stdout.strip()
    pyzmq = subprocess.run(
        [str(pythons["pyzmq"]), "-c", "import zmq; print(zmq.pyzmq_version())"],
        capture_output=True, text=True, check=True).stdout.strip()
    return f"free-threaded {version}t (PyZMQ {pyzmq})"


def run_workload(python, name, scale, hash_seed, impl="ours"):
    """The workload's result in *impl*'s venv: {"value": ...} or {"skipped":
    reason}; a peer that fails or stalls gets a reason too, this project's
    failure is an error (ci/release/compare_bench.py calls this too)."""
    # CPython's own speed depends on the string hash seed (pickle.dumps of a
    # small dict: 400 or 515 ns by seed on the same machine), so every
    # implementation runs a repeat under the same seed, and repeats differ
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed),
               BENCH_ZMQ_MODULE=ZMQ_MODULE.get(impl, "zmq"))
    timeout = max(60, WORKLOAD_TIMEOUT * scale)
    try:
        out = subprocess.run(
            [str(python), str(WORKLOADS), name, "--scale", str(scale)],
            capture_output=True, text=True, timeout=timeout, cwd=str(REPO / "bench"),
            env=env,
        )
    except subprocess.TimeoutExpired:
        if impl == "ours":
            raise
        return {"skipped": f"stalled: no result within {timeout:.0f} s"}
    if out.returncode != 0:
        if impl != "ours":
            lines = out.stderr.strip().splitlines() or [f"exit status {out.returncode}"]
            return {"skipped": f"failed: {lines[-1]}"}
        raise RuntimeError(f"{python} {name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def take_sample(samples, skipped, row, name, impl, python, scale, rep):
    """One run of workload *name* in *impl*'s venv: its value goes to
    samples[row][impl], or its reason to skip to skipped[(row, impl)], which
    is asked once (it said why: not again each repeat)."""
    if (row, impl) in skipped:
        return
    result = run_workload(python, name, scale, hash_seed=rep + 1, impl=impl)
    if "skipped" in result:
        skipped[(row, impl)] = result["skipped"]
    else:
        samples[row][impl].append(result["value"])


def take_c_sample(samples, row, name, scale, tools):
    """One run of libzmq's C tool for workload *name*, if it has one (and
    the draft build's tools are there), into samples[row]["c"]."""
    if tools.exists():
        value = run_c(name, scale, tools)
        if value is not None:
            samples[row]["c"].append(value)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_c(name, scale, tools):
    """libzmq's perf tools for the workloads that have a C counterpart."""
    m = re.fullmatch(r"throughput (tcp|inproc) (.+)", name)
    if m:
        transport, size = m.group(1), SIZES[m.group(2)]
        count = str(max(1000, int(C_COUNTS[size] * scale)))
        if transport == "inproc":
            out = subprocess.run([str(tools / "inproc_thr"), str(size), count],
                                 capture_output=True, text=True, timeout=600).stdout
        else:
            url = f"tcp://127.0.0.1:{free_port()}"
            local = subprocess.Popen([str(tools / "local_thr"), url, str(size), count],
                                     stdout=subprocess.PIPE, text=True)
            time.sleep(0.2)
            remote = subprocess.run([str(tools / "remote_thr"), url, str(size), count],
                                    capture_output=True, timeout=600)
            out, _ = local.communicate(timeout=600)
            if remote.returncode:
                raise RuntimeError(remote.stderr)
        return float(re.search(r"mean throughput: ([\d.]+) \[msg/s\]", out).group(1))
    if name == "REQ/REP latency tcp 64 B":
        count = str(max(1000, int(20_000 * scale)))
        url = f"tcp://127.0.0.1:{free_port()}"
        local = subprocess.Popen([str(tools / "local_lat"), url, "64", count],
                                 stdout=subprocess.PIPE, text=True)
        time.sleep(0.2)
        remote = subprocess.run([str(tools / "remote_lat"), url, "64", count],
                                capture_output=True, text=True, timeout=600)
        local.communicate(timeout=600)
        return float(re.search(r"average latency: ([\d.]+) \[us\]", remote.stdout).group(1))
    return None


def build_c_proxy(tools):
    """Compile bench/c/proxy.c against the draft libzmq (once)."""
    prefix = tools.parent
    out = REPO / ".venv-bench" / "c-proxy"
    source = Path(__file__).resolve().parent / "c" / "proxy.c"
    if not out.exists() or out.stat().st_mtime < source.stat().st_mtime:
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["gcc", "-O2", "-o", str(out), str(source), f"-I{prefix}/include",
             f"-L{prefix}/lib", f"-Wl,-rpath,{prefix}/lib", "-lzmq"],
            check=True,
        )
    return out


def broker_throughput(command, tools, scale):
    """msg/s of 64 B messages from remote_thr through a streamer *command*
    (given FRONTEND and BACKEND endpoints) to local_thr."""
    count = str(max(10_000, int(1_000_000 * scale)))
    front = f"tcp://127.0.0.1:{free_port()}"
    back = f"tcp://127.0.0.1:{free_port()}"
    local = subprocess.Popen([str(tools / "local_thr"), back, "64", count],
                             stdout=subprocess.PIPE, text=True)
    broker = subprocess.Popen(command(front, back), stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        subprocess.run([str(tools / "remote_thr"), front, "64", count],
                       capture_output=True, timeout=600, check=True)
        out, _ = local.communicate(timeout=600)
    finally:
        broker.terminate()
        broker.wait(10)
        if local.poll() is None:
            local.kill()
    return float(re.search(r"mean throughput: ([\d.]+) \[msg/s\]", out).group(1))


BROKER_WORKLOAD = "streamer broker throughput tcp 64 B"


def machine_description(pythons):
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for impl, python in pythons.items():
        out = subprocess.run(
            [str(python), str(WORKLOADS), "--describe"], capture_output=True, text=True,
            env=dict(os.environ, BENCH_ZMQ_MODULE=ZMQ_MODULE.get(impl, "zmq")),
        ).stdout.strip().splitlines()
        versions[impl] = json.loads(out[-1]) if out else {}
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": python_version(pythons["ours"]),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def fmt(value, unit):
    if value is None:
        return "–"
    if unit == "msg/s":
        return f"{value / 1e6:.2f} M" if value >= 1e6 else f"{value / 1e3:.1f} k"
    if unit in ("us", "ms/s"):
        return f"{value:.1f}"
    return f"{value:,.0f}"


def fastest_peer(row, better):
    """(peer, its value): the best of the peers measured in *row*."""
    measured = [(row[peer], peer) for peer in PEERS if row.get(peer)]
    if not measured:
        return None, None
    value, peer = (min if better == "lower" else max)(measured)
    return peer, value


def expand_targets(targets, names):
    """The targets with workload "*" made one per workload in *names*."""
    expanded = []
    for workload, kind, target, description in targets:
        if workload == "*":
            expanded += [(name, kind, target, f"{name}: {description}") for name in names]
        elif isinstance(workload, str) and workload.endswith("*"):
            # the rows whose name starts so (the free-threaded rows name
            # the CPython they ran on)
            expanded += [(name, kind, target, description) for name in names
                         if name.startswith(workload[:-1])]
        else:
            expanded.append((workload, kind, target, description))
    return expanded


def evaluate_targets(medians, units):
    rows = []
    for workload, kind, target, description in expand_targets(TARGETS, list(medians)):
        if kind == "self":
            a, b = workload
            ours_a, ours_b = medians.get(a, {}).get("ours"), medians.get(b, {}).get("ours")
            ratio = ours_a / ours_b if ours_a and ours_b else None
            better = units.get(a, ("", "lower"))[1]
        else:
            row = medians.get(workload, {})
            better = units.get(workload, ("", "lower"))[1]
            if kind == "fastest":
                peer, other = fastest_peer(row, better)
                if peer is None:
                    continue  # no peer runs this workload
                description = description.format(peer=LABELS[peer])
            else:
                other = row.get(kind)
            ours = row.get("ours")
            ratio = ours / other if ours and other else None
        if ratio is None:
            met = "not measured"
        elif better == "lower":
            met = "met" if ratio <= target else "missed"
        else:
            met = "met" if ratio >= target else "missed"
        sign = "≤" if better == "lower" else "≥"
        rows.append((description, ratio, f"{sign} {target}", met))
    return rows


def write_report(out_dir, medians, samples, units, machine, targets, skipped):
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Benchmark results",
        "",
        f"Produced {machine['date']} by `bash ci/bench.sh` on {machine['cores']} cores"
        f" ({machine['cpu'] or 'unknown CPU'}), Linux {machine['kernel']},"
        f" Python {machine['python']}.",
        f"This project: zmq API {machine['versions'].get('ours', {}).get('api', '?')} on"
        f" libzmq {machine['versions'].get('ours', {}).get('libzmq', '?')} (Debian's source,"
        " draft build, as for the C tools);"
        f" PyZMQ {machine['versions'].get('pyzmq', {}).get('api', '?')} from PyPI on its"
        f" bundled libzmq {machine['versions'].get('pyzmq', {}).get('libzmq', '?')};"
        f" pyomq {machine['versions'].get('pyomq', {}).get('api', '?')} from PyPI (Rust,"
        " no libzmq; `import pyomq as zmq`);"
        " C: libzmq's perf tools from the draft build. Every Python column runs on the"
        " same interpreter.",
        "",
        "Medians of alternating repeated runs. For costs (ns/op, us) lower is better and a"
        " ratio below 1 means this project is faster; for throughputs (msg/s) higher is"
        " better and a ratio above 1 means this project is faster. Shared 2-core machines"
        " are noisy: compare ratios, not absolute numbers.",
        "",
        "## Targets",
        "",
        "| target | measured | wanted | |",
        "|---|---|---|---|",
    ]
    for description, ratio, wanted, met in targets:
        shown = "–" if ratio is None else f"{ratio:.2f}"
        lines.append(f"| {description} | {shown} | {wanted} | {met} |")
    lines += [
        "",
        "## All workloads",
        "",
        "| workload | unit | this project | PyZMQ 27 | pyomq 0.27 | libzmq C"
        " | ours ÷ PyZMQ | ours ÷ pyomq | ours ÷ C |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in medians.items():
        unit = units[name][0]
        ours = row.get("ours")
        values = [fmt(row.get(impl), unit) for impl in ("ours", "pyzmq", "pyomq", "c")]
        ratios = [f"{ours / row[impl]:.2f}" if ours and row.get(impl) else "–"
                  for impl in ("pyzmq", "pyomq", "c")]
        lines.append(f"| {name} | {unit} | {' | '.join(values)} | {' | '.join(ratios)} |")
    anyio_rows = [name for name in medians if medians[name].get("zmq-anyio")]
    if anyio_rows:
        lines += [
            "",
            "## zmq.anyio against zmq-anyio 0.4.1",
            "",
            "zmq-anyio 0.4.1 from PyPI (over PyZMQ, in its own venv) runs the anyio"
            " workloads too.",
            "",
            "| workload | unit | this project | zmq-anyio 0.4.1 | ours ÷ zmq-anyio |",
            "|---|---|---|---|---|",
        ]
        for name in anyio_rows:
            unit = units[name][0]
            ours, other = medians[name].get("ours"), medians[name]["zmq-anyio"]
            ratio = f"{ours / other:.2f}" if ours else "–"
            lines.append(f"| {name} | {unit} | {fmt(ours, unit)} | {fmt(other, unit)}"
                         f" | {ratio} |")
    if skipped:
        lines += ["", "Not measured, and why (what the implementation said when it was tried):", ""]
        lines += [f"- {name} ({LABELS[impl]}): {why}"
                  for (name, impl), why in sorted(skipped.items())]
    lines.append("")
    (out_dir / "latest.md").write_text("\n".join(lines))
    (out_dir / "latest.json").write_text(json.dumps(
        {"machine": machine, "medians": medians, "samples": samples,
         "units": units, "targets": targets}, indent=1))
    chart(out_dir / "latest.png", medians, units)
    return "\n".join(lines)


def chart(path, medians, units):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no chart")
        return
    names, speedups = [], []
    for name, row in medians.items():
        ours, pyzmq = row.get("ours"), row.get("pyzmq")
        if not ours or not pyzmq:
            continue
        better = units[name][1]
        names.append(name)
        speedups.append(pyzmq / ours if better == "lower" else ours / pyzmq)
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(names) + 1.5))
    colors = ["#2a9d8f" if s >= 1 else "#e76f51" for s in speedups]
    ax.barh(names, speedups, color=colors)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel("speed-up over PyZMQ 27 (×, log scale; right of 1 = faster)")
    ax.invert_yaxis()
    for y, s in enumerate(speedups):
        ax.text(s, y, f" {s:.2f}×", va="center", fontsize=8)
    ax.set_title("zmq-stack vs PyZMQ 27, same machine, same run")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=shutil.which(f"python{BENCH_PYTHON}"),
                        help="the interpreter every implementation's venv is made from"
                        f" (python{BENCH_PYTHON} on PATH)")
    parser.add_argument("--wheelhouse", default=os.environ.get(
                            "ZMQ_WHEELHOUSE", str(REPO / ".wheelhouse" / "draft-py312")),
                        help="this project's wheels for that interpreter (draft libzmq)")
    parser.add_argument("--scale", type=float, default=1.0, help="work per sample")
    parser.add_argument("--repeat", type=int, default=5, help="samples per implementation")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--only", help="regular expression selecting workloads")
    parser.add_argument("--ft-python", default=next(
                            filter(None, (shutil.which(f"python{v}") for v in FT_PYTHONS)), None),
                        help="a free-threaded CPython for the free-threaded rows"
                        f" (python{' or python'.join(FT_PYTHONS)} on PATH)")
    parser.add_argument("--ft-wheelhouse", default=None,
                        help="this project's wheels for it (default: .wheelhouse/draft-py3XXt)")
    args = parser.parse_args()
    if args.ft_python and not args.ft_wheelhouse:
        tag = re.search(r"python(3\.\d+t)$", args.ft_python)
        args.ft_wheelhouse = str(REPO / ".wheelhouse" / (
            f"draft-py{tag.group(1).replace('.', '')}" if tag else "draft-ft"))

    if not args.python:
        sys.exit(f"no python{BENCH_PYTHON} on PATH: give --python")
    pythons = prepare(args)
    tools = REPO / ".libzmq" / "draft" / "bin"
    listing = json.loads(subprocess.run(
        [str(pythons["ours"]), str(WORKLOADS), "--list"],
        capture_output=True, text=True, check=True).stdout)
    units = {name: tuple(v) for name, v in listing.items()}
    names = [n for n in units if not args.only or re.search(args.only, n)]
    samples = {name: {impl: [] for impl in (*IMPLEMENTATIONS, "c", "zmq-anyio")}
               for name in names}
    skipped = {}
    for rep in range(args.repeat):
        # each implementation goes first in turn
        shift = rep % len(IMPLEMENTATIONS)
        order = [*IMPLEMENTATIONS[shift:], *IMPLEMENTATIONS[:shift]]
        for name in names:
            impls = order
            if ANYIO_WORKLOADS.search(name):
                # PyZMQ has no anyio layer: zmq-anyio takes its turn
                impls = [impl if impl != "pyzmq" else "zmq-anyio" for impl in order]
            for impl in impls:
                take_sample(samples, skipped, name, name, impl, pythons[impl], args.scale, rep)
            take_c_sample(samples, name, name, args.scale, tools)
        log(f"repeat {rep + 1}/{args.repeat} done")
    ft_names = [n for n in names if FT_WORKLOADS.search(n)]
    ft_pythons = prepare_ft(args) if ft_names else None
    if ft_pythons:
        label = ft_label(ft_pythons)
        for name in ft_names:
            row = f"{name}, {label}"
            units[row] = units[name]
            samples[row] = {impl: [] for impl in (*IMPLEMENTATIONS, "c", "zmq-anyio")}
            skipped[(row, "pyomq")] = (
                "pyomq ships abi3 wheels only: none loads on free-threaded CPython")
            for rep in range(args.repeat):
                order = ("ours", "pyzmq") if rep % 2 == 0 else ("pyzmq", "ours")
                for impl in order:
                    take_sample(samples, skipped, row, name, impl, ft_pythons[impl],
                                args.scale, rep)
                # C's threads never shared a GIL: its row is the same
                take_c_sample(samples, row, name, args.scale, tools)
        log(f"{label} rows done")
    if tools.exists() and (not args.only or re.search(args.only, BROKER_WORKLOAD)):
        # zmq-broker (this project) against libzmq's zmq_proxy in C
        units[BROKER_WORKLOAD] = ("msg/s", "higher")
        samples[BROKER_WORKLOAD] = {impl: [] for impl in (*IMPLEMENTATIONS, "c", "zmq-anyio")}
        c_proxy = build_c_proxy(tools)
        ours_broker = subprocess.run(
            [str(pythons["ours"]), "-c", "import zmq.devices"], capture_output=True
        ).returncode == 0
        for _ in range(args.repeat):
            if ours_broker:
                samples[BROKER_WORKLOAD]["ours"].append(broker_throughput(
                    lambda f, b: [str(pythons["ours"]), "-m", "zmq.devices", "streamer",
                                  "-f", f, "-b", ">" + b, "--linger", "0"],
                    tools, args.scale))
            samples[BROKER_WORKLOAD]["c"].append(
                broker_throughput(lambda f, b: [str(c_proxy), f, b], tools, args.scale))
        if not ours_broker:
            skipped[(BROKER_WORKLOAD, "ours")] = "zmq-devices is not installed"
        skipped[(BROKER_WORKLOAD, "pyzmq")] = "PyZMQ has no broker command"
        skipped[(BROKER_WORKLOAD, "pyomq")] = "pyomq has no broker command"
    medians = {
        name: {impl: statistics.median(v) for impl, v in row.items() if v}
        for name, row in samples.items()
    }
    machine = machine_description(pythons)
    targets = evaluate_targets(medians, units)
    report = write_report(Path(args.out), medians, samples, units, machine, targets, skipped)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
