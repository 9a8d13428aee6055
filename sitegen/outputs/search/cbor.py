"""The CBOR that Pagefind writes into its data files, read and written back byte for byte.

Only the kinds Pagefind uses: unsigned and negative integers, byte and text strings, arrays
(as lists) and maps (as ("map", [(key, value), ...]), keeping their order).
"""

from __future__ import annotations

from types import MappingProxyType

_WIDTHS = ((24, 1), (25, 2), (26, 4), (27, 8))  # additional info -> bytes of the argument that follow
_WIDTH = MappingProxyType(dict(_WIDTHS))


def decode(data: bytes, i: int = 0):
    """One item at i and where it ends; ValueError or KeyError on a kind it does not know."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        arg = info
    else:
        n = _WIDTH[info]
        arg, i = int.from_bytes(data[i:i + n], "big"), i + n
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = bytes(data[i:i + arg])
        return (raw if major == 2 else raw.decode("utf-8")), i + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, i = decode(data, i)
            items.append(item)
        return (items if major == 4 else ("map", list(zip(items[::2], items[1::2])))), i
    raise ValueError(f"CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    info, n = next((info, n) for info, n in _WIDTHS if arg < 1 << (8 * n))
    return bytes([major << 5 | info]) + arg.to_bytes(n, "big")


def encode(value) -> bytes:
    """The shortest encoding of value (what Pagefind writes), maps in the order given."""
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, tuple):  # ("map", [(key, value), ...])
        return _head(5, len(value[1])) + b"".join(encode(k) + encode(v) for k, v in value[1])
    return _head(4, len(value)) + b"".join(encode(v) for v in value)
