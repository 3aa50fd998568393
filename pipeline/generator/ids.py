"""Identifiers that look random but are unique by construction.

Every id is a bijective 64-bit mix of a serial number that is unique within its family (a
global person index, or chunk and row number), salted by the seed and the family. Bijective
means no collision is possible, so the truth counts never depend on luck. Strings are built as
fixed-width byte matrices and handed to Arrow without a Python loop.
"""

from __future__ import annotations

import base64

import numpy as np
import pyarrow as pa

_U64 = np.uint64
_MASK = (1 << 64) - 1

# Families (the salt keeps equal serials in different families apart). The values are part of
# the output: append new families, never reorder.
(PERSON, ANON_A, ANON_B, USER, MESSAGE, SG_EVENT, SG_MESSAGE, KIOSK, RESPONSE, PHONE, ORDER,
 POS_EVENT, IP, SG_EVENT_B, MESSAGE_B, ANON_A2, ANON_B2, SG_MESSAGE_B, RESPONSE_B) = range(1, 20)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection on 64-bit integers."""
    x = np.array(x, dtype=_U64, copy=True)
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def keyed(seed: int, family: int, serial: np.ndarray) -> np.ndarray:
    salt = mix64(np.array([(seed * 0x9E3779B97F4A7C15 + family) & _MASK], dtype=_U64))[0]
    return mix64(np.asarray(serial, dtype=np.int64).astype(_U64) ^ salt)


def chunk_serial(chunk: int, local: np.ndarray) -> np.ndarray:
    """A serial unique across the whole run for row `local` of chunk `chunk`."""
    return (np.int64(chunk) << np.int64(36)) | np.asarray(local, dtype=np.int64)


# --- fixed-width strings -----------------------------------------------------------------------

_B62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def _bytes_be(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=_U64).astype(">u8").view(np.uint8).reshape(-1, 8)


def hex_matrix(x: np.ndarray, upper: bool = False) -> np.ndarray:
    # bytes.hex() runs in C over the whole buffer, then each row is 16 characters.
    text = _bytes_be(x).tobytes().hex()
    if upper:
        text = text.upper()
    return np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(-1, 16)


def decimal_matrix(x: np.ndarray, width: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((x[:, None] // powers) % 10 + 48).astype(np.uint8)


def base62_matrix(x: np.ndarray, width: int) -> np.ndarray:
    x = np.asarray(x, dtype=_U64)
    out = np.empty((len(x), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):  # loops over character positions, not rows
        out[:, i] = _B62[(x % _U64(62)).astype(np.int64)]
        x = x // _U64(62)
    return out


def literal(text: str, n: int) -> np.ndarray:
    return np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (n, 1))


def strings(*parts: np.ndarray | str) -> pa.Array:
    """Concatenate byte matrices (and literal text) row-wise into an Arrow string array."""
    n = next(p.shape[0] for p in parts if not isinstance(p, str))
    mat = np.hstack([literal(p, n) if isinstance(p, str) else p for p in parts])
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    width = mat.shape[1]
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(mat.tobytes())).cast(pa.string())


def uuid4(a: np.ndarray, b: np.ndarray) -> pa.Array:
    """RFC 4122 version-4 layout from two 64-bit halves."""
    h = np.hstack([hex_matrix(a), hex_matrix(b)])
    h[:, 12] = ord("4")
    h[:, 16] = np.frombuffer(b"89ab", dtype=np.uint8)[(np.asarray(b, _U64) >> _U64(62)).astype(int)]
    return strings(h[:, 0:8], "-", h[:, 8:12], "-", h[:, 12:16], "-", h[:, 16:20], "-", h[:, 20:32])


def b64url_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """22 base64url characters for 128 bits (no padding), like SendGrid's sg_event_id."""
    # Rows padded to 18 bytes encode to exactly 24 characters each, so one C-level encode of
    # the whole buffer stays aligned per row; the last two characters are the padding.
    raw = np.zeros((len(a), 18), dtype=np.uint8)
    raw[:, 0:8] = _bytes_be(a)
    raw[:, 8:16] = _bytes_be(b)
    text = base64.urlsafe_b64encode(raw.tobytes())
    return np.frombuffer(text, dtype=np.uint8).reshape(-1, 24)[:, :22]


def take(values: list[str] | pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx] as an Arrow string array (idx < 0 gives null)."""
    arr = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    idx = np.asarray(idx, dtype=np.int64)
    return arr.take(pa.array(idx, mask=idx < 0))
