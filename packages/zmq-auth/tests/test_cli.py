# SPDX-License-Identifier: BSD-3-Clause
"""``python -m zmq.auth`` and the ``zmq-auth`` console script."""

import os
import shutil
import stat
import subprocess
import sys

import pytest

import zmq.auth


def run(*args, script=False):
    if script:
        exe = shutil.which("zmq-auth", path=os.path.dirname(sys.executable))
        assert exe, "the zmq-auth console script is not installed next to python"
        command = [exe, *args]
    else:
        command = [sys.executable, "-m", "zmq.auth", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.fixture
def installed_script():
    if not shutil.which("zmq-auth", path=os.path.dirname(sys.executable)):
        pytest.skip("zmq-auth is tested from an installed wheel (tox)")


def test_create_list_show(tmp_path):
    key_dir = tmp_path / "keys"
    done = run("create", "server", "--dir", str(key_dir), "--meta", "role=broker")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"public: {key_dir}/server.key",
        f"secret: {key_dir}/server.key_secret",
    ]
    assert stat.S_IMODE(os.stat(key_dir / "server.key_secret").st_mode) == 0o600
    public, secret = zmq.auth.load_certificate(key_dir / "server.key_secret")

    listed = run("list", str(key_dir))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        f"{key_dir}/server.key\tpublic\t{public.decode()}",
        f"{key_dir}/server.key_secret\tsecret\t{public.decode()}",
    ]

    shown = run("show", str(key_dir / "server.key_secret"))
    assert shown.returncode == 0, shown.stderr
    assert f"public-key: {public.decode()}" in shown.stdout
    assert "secret-key: present (not shown)" in shown.stdout
    assert "metadata: role = broker" in shown.stdout
    # the secret never goes to the terminal
    for result in (done, listed, shown):
        assert secret.decode() not in result.stdout + result.stderr


def test_console_script(tmp_path, installed_script):
    done = run("create", "c", "--dir", str(tmp_path), script=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c.key").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("show", "/nonexistent/x.key"), "Invalid certificate file: /nonexistent/x.key"),
        (("list", "/nonexistent"), "no such folder: /nonexistent"),
        (("create", "../x"), "a certificate name is a file name"),
        (("create", "x", "--meta", "novalue"), "--meta takes NAME=VALUE"),
    ],
)
def test_errors_are_one_line(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "zmq.auth", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("zmq-auth: error: ") and message in lines[0], (
        result.stderr
    )


def test_insecure_secret_is_shown_with_a_one_line_warning(tmp_path):
    _, secret_file = zmq.auth.create_certificates(tmp_path, "loose")
    os.chmod(secret_file, 0o644)
    result = run("show", secret_file)
    assert result.returncode == 0
    assert "public-key:" in result.stdout
    lines = result.stderr.splitlines()
    assert (
        len(lines) == 1 and lines[0].startswith("zmq-auth: warning: ") and "chmod 600" in lines[0]
    )


def test_garbage_file_is_an_error(tmp_path):
    bogus = tmp_path / "bogus.key"
    bogus.write_text("nothing here\n")
    result = run("show", str(bogus))
    assert result.returncode == 1
    assert result.stderr.strip() == f"zmq-auth: error: No public key found in {bogus}"
