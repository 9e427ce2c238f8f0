# SPDX-License-Identifier: BSD-3-Clause
"""send_array/recv_array: numpy arrays, zero-copy on both ends."""

import pytest

import zmq
from zmq.serial import ArrayHeaderError

np = pytest.importorskip("numpy")


@pytest.mark.parametrize(
    "array",
    [
        np.arange(1_000_000, dtype="f8"),
        np.arange(12, dtype="i2").reshape(3, 4),
        np.asfortranarray(np.arange(200_000, dtype="f4").reshape(400, 500)),
        np.array(3.5),  # 0-d
        np.zeros((0, 7), dtype="u1"),  # empty
        np.array([(1, 2.5), (3, 4.5)], dtype=[("id", "i4"), ("v", "f8")]),  # structured
        np.array(["ab", "cde"], dtype="U3"),
        np.arange(10, dtype=">u4"),  # big-endian
        np.arange(100_000, dtype="c16").reshape(100, 1000)[:, ::2],  # non-contiguous
    ],
    ids=["1d-f8", "2d-i2", "fortran", "0d", "empty", "structured", "unicode", "big-endian",
         "strided"],
)
def test_round_trip(pair_sockets, array):
    a, b = pair_sockets
    b.send_array(array)
    got = a.recv_array()
    assert got.dtype == array.dtype
    assert got.shape == array.shape
    assert np.array_equal(got, array)


def test_receive_is_zero_copy(pair_sockets):
    a, b = pair_sockets
    arr = np.arange(200_000, dtype="f8")
    tracker = b.send_array(arr, track=True)
    got = a.recv_array()
    # the array's memory is the received Frame's, not a copy of it
    owner = got
    while isinstance(owner, np.ndarray):
        owner = owner.base
    if isinstance(owner, memoryview):
        owner = owner.obj
    assert isinstance(owner, zmq.Frame)
    got[0] = -1.0  # a received message's memory is writable
    assert got[0] == -1.0
    del got, owner  # over inproc they share the sent message's memory
    tracker.wait(5)
    b.send_array(arr)
    a_copy = a.recv_array(copy=True)
    assert np.array_equal(a_copy, arr)


def test_object_arrays_are_refused(pair_sockets):
    a, b = pair_sockets
    with pytest.raises(TypeError, match="object"):
        b.send_array(np.array([object()]))
    assert a.poll(50) == 0


@pytest.mark.parametrize(
    "frames",
    [
        [b"not json", b"\0" * 8],
        [b'{"dtype": "<f8", "shape": [2]}', b"\0" * 8],  # 8 bytes, not 16
        [b'{"dtype": "no-such-dtype", "shape": [1]}', b"\0"],
        [b'{"dtype": "<f8", "shape": [-1]}', b""],
        [b'{"shape": [1]}', b"\0" * 8],
        [b'{"dtype": "|O", "shape": [1]}', b"\0" * 8],
        [b"only one frame"],
        [b'{"dtype": "<f8", "shape": [1]}', b"\0" * 8, b"extra"],
        [b'{"dtype": "|V0", "shape": [2]}', b"\0"],
    ],
)
def test_bad_messages_raise_and_leave_nothing_behind(pair_sockets, frames):
    a, b = pair_sockets
    b.send_multipart(frames)
    with pytest.raises(ArrayHeaderError, match="recv_array"):
        a.recv_array()
    b.send_array(np.arange(3))
    assert list(a.recv_array()) == [0, 1, 2]


def test_zero_size_items_round_trip(pair_sockets):
    a, b = pair_sockets
    b.send_multipart([b'{"dtype": "|V0", "shape": [3]}', b""])
    got = a.recv_array()
    assert got.shape == (3,) and got.dtype.itemsize == 0
