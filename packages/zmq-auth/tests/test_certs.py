# SPDX-License-Identifier: BSD-3-Clause
"""CURVE certificate files: format, permissions, loading."""

import os
import stat
import warnings

import pytest

import zmq
import zmq.auth
from zmq.auth.certs import InsecureKeyFileWarning, read_certificate


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_create_and_load_round_trip(tmp_path):
    public_file, secret_file = zmq.auth.create_certificates(
        tmp_path, "alice", metadata={"role": "admin"}
    )
    assert public_file == str(tmp_path / "alice.key")
    assert secret_file == str(tmp_path / "alice.key_secret")
    public, no_secret = zmq.auth.load_certificate(public_file)
    public_again, secret = zmq.auth.load_certificate(secret_file)
    assert no_secret is None
    assert public == public_again and len(public) == 40 and len(secret) == 40
    # the pair is a real key pair
    assert zmq.curve_public(secret) == public
    assert read_certificate(secret_file).metadata == {"role": "admin"}
    assert "role" not in read_certificate(public_file).metadata


def test_secret_file_is_owner_only_and_new_folder_is_0700(tmp_path):
    old_umask = os.umask(0o022)
    try:
        key_dir = tmp_path / "new" / "keys"
        public_file, secret_file = zmq.auth.create_certificates(key_dir, "bob")
    finally:
        os.umask(old_umask)
    assert mode(secret_file) == 0o600
    assert mode(key_dir) == 0o700
    assert mode(public_file) == 0o644


def test_overwritten_secret_file_gets_owner_only_again(tmp_path):
    target = tmp_path / "carol.key_secret"
    target.write_text("old")
    target.chmod(0o666)
    _, secret_file = zmq.auth.create_certificates(tmp_path, "carol")
    assert mode(secret_file) == 0o600
    assert zmq.auth.load_certificate(secret_file)[1] is not None


def test_existing_folder_mode_is_left_alone(tmp_path):
    tmp_path.chmod(0o755)
    zmq.auth.create_certificates(tmp_path, "dave")
    assert mode(tmp_path) == 0o755


def test_loading_a_readable_secret_warns(tmp_path):
    _, secret_file = zmq.auth.create_certificates(tmp_path, "erin")
    os.chmod(secret_file, 0o644)
    with pytest.warns(InsecureKeyFileWarning, match="chmod 600"):
        zmq.auth.load_certificate(secret_file)


def test_loading_a_readable_secret_strictly_refuses(tmp_path):
    _, secret_file = zmq.auth.create_certificates(tmp_path, "frank")
    os.chmod(secret_file, 0o640)
    with pytest.raises(PermissionError, match="0640"):
        zmq.auth.load_certificate(secret_file, strict=True)


def test_owner_only_secret_and_readable_public_load_quietly(tmp_path):
    public_file, secret_file = zmq.auth.create_certificates(tmp_path, "grace")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zmq.auth.load_certificate(secret_file, strict=True)
        zmq.auth.load_certificate(public_file, strict=True)


def test_missing_file_and_missing_key(tmp_path):
    with pytest.raises(OSError, match="Invalid certificate file"):
        zmq.auth.load_certificate(tmp_path / "nope.key")
    empty = tmp_path / "empty.key"
    empty.write_text("metadata\ncurve\n")
    with pytest.raises(ValueError, match="No public key"):
        zmq.auth.load_certificate(empty)


def test_load_certificates_reads_public_ones(tmp_path):
    keys = []
    for name in ("a", "b"):
        public_file, _ = zmq.auth.create_certificates(tmp_path, name)
        keys.append(zmq.auth.load_certificate(public_file)[0])
    assert zmq.auth.load_certificates(tmp_path) == {key: True for key in keys}
    with pytest.raises(OSError, match="Invalid certificate directory"):
        zmq.auth.load_certificates(tmp_path / "missing")


def test_reads_czmq_style_files(tmp_path):
    public, secret = zmq.curve_keypair()
    path = tmp_path / "czmq.key_secret"
    path.write_text(
        "#   a comment\nmetadata\n    name = 'x'\ncurve\n"
        f'    public-key = "{public.decode()}"\n    secret-key = "{secret.decode()}"\n'
    )
    path.chmod(0o600)
    assert zmq.auth.load_certificate(path) == (public, secret)


@pytest.mark.parametrize("name", ["", "../escape", "a/b", ".."])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="certificate name"):
        zmq.auth.create_certificates(tmp_path, name)


def test_metadata_cannot_break_the_file(tmp_path):
    with pytest.raises(ValueError, match="newlines"):
        zmq.auth.create_certificates(tmp_path, "h", metadata={"x": 'a"\nsecret-key = "oops'})
    assert list(tmp_path.iterdir()) == []
