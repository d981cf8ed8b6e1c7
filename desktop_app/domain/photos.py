"""Photos taken on site: what kind of image a file is, and when the camera took it.

Pure functions over bytes (no Qt, no imaging library): :func:`sniff_image_type` reads the
magic numbers of the formats cameras and phones write, and :func:`exif_capture_time` is a small
reader of a JPEG's EXIF block (APP1) that returns ``DateTimeOriginal`` (else ``DateTime``).
Both accept anything — a truncated or hostile file gives ``None``, never an exception.
"""

from __future__ import annotations

import struct
from datetime import datetime

__all__ = ["MAX_PHOTO_BYTES", "exif_capture_time", "sniff_image_type"]

MAX_PHOTO_BYTES = 20 * 1024 * 1024
"""The largest photo accepted (a phone's full-resolution JPEG or HEIC is well under this)."""

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})

_TAG_DATETIME = 0x0132
_TAG_EXIF_IFD = 0x8769
_TAG_DATETIME_ORIGINAL = 0x9003
_TYPE_ASCII = 2
_TYPE_LONG = 4
_MAX_IFD_ENTRIES = 1000
_MAX_SEGMENTS = 1000


def sniff_image_type(content: bytes) -> str | None:
    """The MIME type of an image from its first bytes, or None when it is not an image.

    Recognised: JPEG, PNG, GIF, WebP, HEIC/HEIF/AVIF (ISO base media ``ftyp`` brands), BMP and
    TIFF. The extension of a file name is never trusted.

    Args:
        content: The file's bytes (only the first few dozen are read).
    """
    head = bytes(content[:64])
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        brands = {head[8:12]}
        size = int.from_bytes(head[:4], "big")
        end = min(max(size, 16), len(head))
        brands |= {head[i : i + 4] for i in range(16, end - 3, 4)}  # compatible brands
        if brands & _HEIC_BRANDS:
            return "image/heic"
        if brands & _AVIF_BRANDS:
            return "image/avif"
        if brands & _HEIF_BRANDS:
            return "image/heif"
        return None
    if head.startswith(b"BM") and len(head) >= 26:
        return "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    return None


def _parse_exif_datetime(raw: bytes) -> datetime | None:
    text = raw.split(b"\x00", 1)[0].decode("ascii", "replace").strip()
    if len(text) < 19:
        return None
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


class _Tiff:
    """The TIFF structure inside an EXIF block (offsets are relative to its start)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        order = data[:2]
        if order == b"II":
            self.endian = "<"
        elif order == b"MM":
            self.endian = ">"
        else:
            raise ValueError("not a TIFF header")
        if self._u16(2) != 42:
            raise ValueError("bad TIFF magic")

    def _u16(self, offset: int) -> int:
        return int(struct.unpack_from(self.endian + "H", self.data, offset)[0])

    def _u32(self, offset: int) -> int:
        return int(struct.unpack_from(self.endian + "I", self.data, offset)[0])

    def first_ifd(self) -> int:
        return self._u32(4)

    def entries(self, offset: int) -> dict[int, tuple[int, int, int]]:
        """``tag → (type, count, value-or-offset field position)`` of one IFD."""
        count = self._u16(offset)
        if count > _MAX_IFD_ENTRIES:
            raise ValueError("implausible IFD")
        found = {}
        for i in range(count):
            at = offset + 2 + 12 * i
            tag, kind, n = struct.unpack_from(self.endian + "HHI", self.data, at)
            found[int(tag)] = (int(kind), int(n), at + 8)
        return found

    def ascii(self, entry: tuple[int, int, int]) -> bytes | None:
        kind, n, field = entry
        if kind != _TYPE_ASCII or n == 0:
            return None
        start = field if n <= 4 else self._u32(field)
        if start + n > len(self.data):
            return None
        return self.data[start : start + n]

    def long(self, entry: tuple[int, int, int]) -> int | None:
        kind, n, field = entry
        if kind != _TYPE_LONG or n != 1:
            return None
        return self._u32(field)


def _exif_block(content: bytes) -> bytes | None:
    """The TIFF data of the JPEG's ``Exif`` APP1 segment, or None."""
    if not content.startswith(b"\xff\xd8"):
        return None
    pos = 2
    for _ in range(_MAX_SEGMENTS):
        if pos + 4 > len(content):
            return None
        if content[pos] != 0xFF:
            return None
        marker = content[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata beyond
            return None
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        length = int.from_bytes(content[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > len(content):
            return None  # a truncated file: its metadata cannot be trusted
        body = content[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            return bytes(body[6:])
        pos += 2 + length
    return None


def exif_capture_time(content: bytes) -> datetime | None:
    """When a JPEG photo was taken, from its EXIF ``DateTimeOriginal`` (else ``DateTime``).

    The time is the camera's local clock, without a time zone, as EXIF writes it.

    Args:
        content: The file's bytes; anything else than a JPEG with EXIF gives None.

    Returns:
        The capture time, or None when the file has none (or is not a readable JPEG).
    """
    try:
        block = _exif_block(bytes(content))
        if block is None:
            return None
        tiff = _Tiff(block)
        ifd0 = tiff.entries(tiff.first_ifd())
        original = None
        pointer = ifd0.get(_TAG_EXIF_IFD)
        exif_offset = tiff.long(pointer) if pointer else None
        if exif_offset is not None:
            exif = tiff.entries(exif_offset)
            entry = exif.get(_TAG_DATETIME_ORIGINAL)
            raw = tiff.ascii(entry) if entry else None
            original = _parse_exif_datetime(raw) if raw else None
        if original is not None:
            return original
        entry = ifd0.get(_TAG_DATETIME)
        raw = tiff.ascii(entry) if entry else None
        return _parse_exif_datetime(raw) if raw else None
    except (ValueError, struct.error, IndexError, OverflowError):
        return None
