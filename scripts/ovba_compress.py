"""MS-OVBA 2.4.1 compression (the LZ77 variant of VBA module streams and the dir stream).

ms-ovba-compression 1.0.1 writes streams that neither it nor oletools can decompress (copy tokens
with wrong offsets past the first few hundred bytes; tests/test_addin_xlam.py reads the add-in back with
oletools), so scripts/make_addin.py uses this encoder, written from the specification:
2.4.1.3.6 Compressing a DecompressedChunk, 2.4.1.3.19.1 CopyToken Help.
"""

from __future__ import annotations

CHUNK = 4096


def _copy_token_help(difference: int) -> tuple[int, int]:
    """(bit count of the offset, maximum length) for a token `difference` bytes into the chunk."""
    bit_count = max((difference - 1).bit_length(), 4)  # ceiling(log2(difference)), at least 4
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    positions: dict[bytes, list[int]] = {}
    current, end = 0, len(data)
    while current < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            best_length = best_offset = 0
            if current > 0:
                bit_count, maximum = _copy_token_help(current)
                key = data[current:current + 3]
                for candidate in reversed(positions.get(key, ())):
                    length = 0
                    limit = min(maximum, end - current)
                    while length < limit and data[candidate + length] == data[current + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, current - candidate
                        if length == limit:
                            break
            if best_length >= 3:
                token = ((best_offset - 1) << (16 - bit_count)) | (best_length - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                step = best_length
            else:
                out.append(data[current])
                step = 1
            for p in range(current, current + step):
                positions.setdefault(data[p:p + 3], []).append(p)
            current += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature byte 0x01, then one chunk per 4096 bytes of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        packed = _compress_chunk(chunk)
        if len(packed) > CHUNK - 2 and len(chunk) == CHUNK:  # incompressible: a raw chunk is smaller
            out += (0x3000 | 0x0FFF).to_bytes(2, "little") + chunk
        else:
            out += (0xB000 | (len(packed) + 2 - 3)).to_bytes(2, "little") + packed
    return bytes(out)
