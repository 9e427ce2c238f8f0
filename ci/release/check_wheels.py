# SPDX-License-Identifier: BSD-3-Clause
"""Test the release wheels of one CPython (ci/release.sh runs it per version).

In a fresh venv of that CPython: zmq-core's wheel for its platform (which
carries libzmq and libsodium), zmq-devices, zmq-eventloop and zmq-serial from
dist/, and the cimport example (examples/cython) built against that zmq-core. Then, in a
mount namespace where the system's libzmq (and this repository's libzmq
builds) are replaced by an empty file, a script checks that libzmq and
libsodium are mapped from the wheel, CURVE is available, and runs a tcp
round trip, a CURVE round trip, a zmq-devices monitored queue, a zmq.asyncio
round trip (zmq-eventloop's compiled fast path) and the cimport example.
The wheels' contents are checked too: licences, no sources or generated C,
stripped shared objects, and the platform tag
auditwheel shows (manylinux_2_17 or musllinux_1_2, for the right machine).

The CPython may be an arm64 one run under qemu (ci/release/emulate-aarch64.sh)
or a musl one: its machine and libc choose the wheels. --contents-only
checks the contents and tags of every wheel whose platform tag contains
PLATFORM_PART, for the CPythons that cannot run here (only 3.11 exists for
arm64 and musl).

usage: check_wheels.py PYTHON DIST_DIR
       check_wheels.py --contents-only PLATFORM_PART DIST_DIR
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 600
CHECK_TIMEOUT = 120

CHECK = textwrap.dedent(
    r"""
    import os, threading
    import zmq

    site = os.path.dirname(os.path.dirname(zmq.__file__))
    libs = os.path.join(site, "zmq_core.libs")
    maps = open("/proc/self/maps").read().split("\n")
    mapped = {line.split()[-1] for line in maps if ".so" in line}
    for name in ("libzmq", "libsodium"):
        paths = [p for p in mapped if os.path.basename(p).startswith(name)]
        assert paths and all(p.startswith(libs) for p in paths), (name, paths)
    assert zmq.has("curve"), "no CURVE in the wheel's libzmq"
    assert not zmq.has("draft")
    includes = zmq.get_includes()
    assert includes[1].endswith("utils")
    assert os.path.isfile(os.path.join(includes[-1], "zmq.h")), includes
    assert zmq.get_library_dirs() == [libs], zmq.get_library_dirs()
    print("libzmq", zmq.zmq_version(), "from", libs)

    def configure(s):
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = 5000
        return s

    def round_trip(client, server, ask, answer):
        client.send(ask)
        assert server.recv() == ask
        server.send(answer)
        assert client.recv() == answer

    ctx = zmq.Context()
    # tcp round trip
    rep = configure(ctx.socket(zmq.REP))
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    req = configure(ctx.socket(zmq.REQ))
    req.connect(f"tcp://127.0.0.1:{port}")
    round_trip(req, rep, b"ping", b"pong")
    print("tcp round trip ok")

    # CURVE round trip
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = configure(ctx.socket(zmq.REP))
    server.curve_server = True
    server.curve_secretkey = server_secret
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = configure(ctx.socket(zmq.REQ))
    client.curve_serverkey = server_public
    client.curve_publickey = client_public
    client.curve_secretkey = client_secret
    client.connect(f"tcp://127.0.0.1:{port}")
    round_trip(client, server, b"secret", b"reply")
    assert server.get(zmq.MECHANISM) == zmq.CURVE
    print("CURVE round trip ok")

    # zmq-devices' Cython monitored queue, linked against the wheel's libzmq
    from zmq.devices import monitored_queue
    front = configure(ctx.socket(zmq.ROUTER))
    fport = front.bind_to_random_port("tcp://127.0.0.1")
    back = configure(ctx.socket(zmq.DEALER))
    bport = back.bind_to_random_port("tcp://127.0.0.1")
    mon = configure(ctx.socket(zmq.PUB))
    def run_queue():
        try:
            monitored_queue(front, back, mon)
        except zmq.ContextTerminated:
            for s in (front, back, mon):
                s.close()
    t = threading.Thread(target=run_queue, daemon=True)
    t.start()
    c = configure(ctx.socket(zmq.REQ))
    c.connect(f"tcp://127.0.0.1:{fport}")
    w = configure(ctx.socket(zmq.REP))
    w.connect(f"tcp://127.0.0.1:{bport}")
    round_trip(c, w, b"via queue", b"back")
    print("monitored queue ok")
    # zmq-eventloop's compiled fast path (zmq.eventloop._fastpath)
    import asyncio, zmq.asyncio
    async def async_round_trip():
        actx = zmq.asyncio.Context()
        a_pull = configure(actx.socket(zmq.PULL))
        a_port = a_pull.bind_to_random_port("tcp://127.0.0.1")
        a_push = configure(actx.socket(zmq.PUSH))
        a_push.connect(f"tcp://127.0.0.1:{a_port}")
        await a_push.send(b"async")
        assert await asyncio.wait_for(a_pull.recv(), 5) == b"async"
        a_pull.close()
        a_push.close()
        actx.term()
    asyncio.run(async_round_trip())
    print("asyncio round trip ok")

    # free-threaded CPython: the extensions of zmq-core, zmq-devices and
    # zmq-eventloop keep the GIL off (before the cimport example, which does not say it can)
    import sys, sysconfig
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        assert not sys._is_gil_enabled(), "importing zmq turned the GIL back on"
        print("the GIL is still off")

    # the cimport example, built against this wheel
    import zmq_cython_example as ex
    assert ex.libzmq_version() == zmq.zmq_version_info()
    pull = configure(ctx.socket(zmq.PULL))
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push = configure(ctx.socket(zmq.PUSH))
    push.connect(f"tcp://127.0.0.1:{port}")
    assert ex.send_copies(push, b"abc", 100) == 100
    assert ex.recv_total(pull, 100) == 300
    print("cimport example ok")

    for s in (rep, req, server, client, c, w, pull, push):
        s.close()
    ctx.term()  # ends the queue thread with ContextTerminated; it closes its sockets
    t.join(10)
    assert not t.is_alive()
    print("all ok")
    """
)


def run(cmd, timeout=TIMEOUT, **kw):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, timeout=timeout, **kw)


# the platform tag auditwheel must find consistent with each kind of wheel
EXPECTED_TAGS = {
    ("x86_64", "glibc"): "manylinux_2_17_x86_64",
    ("aarch64", "glibc"): "manylinux_2_17_aarch64",
    ("x86_64", "musl"): "musllinux_1_2_x86_64",
}


def check_platform_tag(wheel, core=None):
    """auditwheel show: the wheel's tag is the one expected for its machine
    and libc, and it needs no library outside that policy. A zmq-devices
    wheel needs one: the libzmq carried by zmq-core's wheel *core* (with the
    same tags), which auditwheel cannot know about; its symbols alone must
    allow the tag. (zmq-eventloop's wheel calls no libzmq function: it may
    need none.)"""
    name = os.path.basename(wheel)
    expected = [tag for tag in EXPECTED_TAGS.values() if tag in name]
    assert len(expected) == 1, (name, "names no expected platform tag")
    auditwheel = os.path.join(os.path.dirname(sys.executable), "auditwheel")
    shown = json.loads(subprocess.run([auditwheel, "show", "--json", wheel], capture_output=True,
                                      text=True, check=True, timeout=CHECK_TIMEOUT).stdout)
    if core is None:
        assert shown["overall_tag"] == expected[0], shown
        assert not shown["external_libs"], shown
    else:
        with zipfile.ZipFile(core) as zf:
            carried = {os.path.basename(n) for n in zf.namelist()
                       if n.startswith("zmq_core.libs/libzmq-")}
        assert shown["sym_tag"] == expected[0], shown
        needed = set(shown["external_libs"])
        assert needed == carried or ("zmq_eventloop" in name and not needed), (shown, carried)
    print("auditwheel:", name, "is", expected[0])


def core_wheel_for(devices):
    """zmq-core's wheel with the same tags as the zmq-devices wheel *devices*."""
    tags = os.path.basename(devices).split("-", 2)[2]
    found = glob.glob(os.path.join(os.path.dirname(devices), f"zmq_core-*-{tags}"))
    assert len(found) == 1, (devices, found)
    return found[0]


def check_wheel_contents(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        dist_info = next(n.split("/")[0] for n in names if ".dist-info/" in n)
        meta = zf.read(f"{dist_info}/METADATA").decode()
        assert f"{dist_info}/licenses/LICENSE" in names, names
        assert "License-File: LICENSE" in meta
        assert "Project-URL: " in meta and "Author: " in meta, meta
        bad = [n for n in names if n.endswith((".c", ".pyx")) or n.endswith("_build_info.py.orig")]
        assert not bad, bad
        if "zmq_core" in wheel:
            assert "License-Expression: BSD-3-Clause AND LGPL-3.0-or-later AND ISC" in meta
            for lic in ("libzmq.copyright", "libsodium.copyright", "LGPL-3"):
                assert f"{dist_info}/licenses/bundled/{lic}" in names
                assert f"License-File: bundled/{lic}" in meta
            libs = [n for n in names if n.startswith("zmq_core.libs/")]
            assert any("libzmq" in n for n in libs) and any("libsodium" in n for n in libs), libs
            assert "zmq/core/include/zmq.h" in names
        sos = [n for n in names if n.endswith(".so") or ".so." in n]
        with tempfile.TemporaryDirectory() as tmp:
            for n in sos:
                path = zf.extract(n, tmp)
                if open(path, "rb").read(4) != b"\x7fELF":
                    continue  # the ld script
                sections = subprocess.run(["readelf", "-S", "-W", path], capture_output=True,
                                          text=True, check=True).stdout
                assert ".debug_info" not in sections and ".symtab" not in sections, n
    cimporting = "zmq_devices" in wheel or "zmq_eventloop" in wheel
    check_platform_tag(wheel, core_wheel_for(wheel) if cimporting else None)
    print("contents ok:", os.path.basename(wheel), os.path.getsize(wheel) // 1024, "kB")


def system_libraries_to_hide():
    """The system's libzmq and this repository's builds: replaced by an
    empty file in the test's mount namespace, so nothing can load them."""
    found = set()
    patterns = ["/usr/lib/*/libzmq.so*", "/usr/lib/libzmq.so*", "/usr/local/lib/libzmq.so*",
                os.path.join(REPO, ".libzmq", "*", "lib", "libzmq.so*"),
                os.path.join(REPO, ".libzmq", "release", "*", "lib", "libzmq.so*")]
    for pattern in patterns:
        for p in glob.glob(pattern):
            found.add(os.path.realpath(p))
    return sorted(found)


def release_wheels(dist, pattern):
    """The wheels of zmq-core and of the distributions that cimport it
    (zmq-devices, zmq-eventloop) in *dist* whose names match *pattern*
    (after the distribution's name)."""
    return tuple(glob.glob(os.path.join(dist, f"{name}-*-{pattern}.whl"))
                 for name in ("zmq_core", "zmq_devices", "zmq_eventloop"))


def check_contents_only(platform_part, dist):
    core, devices, eventloop = release_wheels(dist, f"*{platform_part}*")
    assert core and len(core) == len(devices) == len(eventloop), (core, devices, eventloop)
    for w in sorted(core + devices + eventloop):
        check_wheel_contents(w)
    print(f"release wheels for {platform_part}: contents and tags ok")


def main(python, dist):
    about = subprocess.run(
        [python, "-c", "import platform, sys, sysconfig; print('cp%d%d' % sys.version_info[:2],"
         " platform.machine(), platform.libc_ver()[0] or 'musl',"
         " 't' if sysconfig.get_config_var('Py_GIL_DISABLED') else '')"],
        capture_output=True, text=True, check=True, timeout=CHECK_TIMEOUT).stdout.split()
    tag, machine = about[0], about[1]
    # a free-threaded CPython takes cp313-cp313t wheels
    abi = tag + (about[3] if len(about) > 3 else "")
    libc = "glibc" if about[2] == "glibc" else "musl"
    platform_tag = EXPECTED_TAGS[(machine, libc)]
    core, devices, eventloop = release_wheels(dist, f"{tag}-{abi}-*{platform_tag}*")
    serial = glob.glob(os.path.join(dist, "zmq_serial-*-py3-none-any.whl"))
    assert len(core) == len(devices) == len(eventloop) == len(serial) == 1, \
        (core, devices, eventloop, serial)
    for w in core + devices + eventloop:
        check_wheel_contents(w)
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        run([python, "-m", "venv", venv])
        vpy = os.path.join(venv, "bin", "python")
        pip = [vpy, "-m", "pip", "install", "-q"]
        run(pip + ["--no-index", core[0], devices[0], eventloop[0], serial[0]])
        # the example builds against the installed zmq-core, as from an index
        run(pip + ["setuptools>=77", "Cython>=3.1"])
        # (from a copy: pip builds in the source folder and leaves build/ there)
        example = os.path.join(tmp, "example")
        shutil.copytree(os.path.join(REPO, "examples", "cython"), example,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "*.c", "*.so"))
        run(pip + ["--no-build-isolation", "--no-deps", "--no-index", example])
        script = os.path.join(tmp, "check.py")
        with open(script, "w") as f:
            f.write(CHECK)
        hide = system_libraries_to_hide()
        assert hide, "no system libzmq to hide: the test would prove nothing"
        mounts = "; ".join(f"mount --bind /dev/null '{p}'" for p in hide)
        print("hiding", ", ".join(hide), flush=True)
        # cwd: a folder without zmq/ or the example's sources in it
        run(["unshare", "--mount", "--propagation", "private", "sh", "-ec",
             f"{mounts}; exec '{vpy}' '{script}'"], cwd=tmp, timeout=CHECK_TIMEOUT)
    print(f"release wheels for {tag} {platform_tag}: ok", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--contents-only":
        check_contents_only(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3:
        main(sys.argv[1], sys.argv[2])
    else:
        raise SystemExit(__doc__)
