"""Photos: image type by content, EXIF capture time from real JPEG bytes, garbage never raises."""

from __future__ import annotations

import struct
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.photos import MAX_PHOTO_BYTES, exif_capture_time, sniff_image_type

ORIGINAL = "2025:09:26 10:31:07"
MODIFIED = "2025:10:02 18:00:00"


def _qt_image(fmt: str) -> bytes:
    """A real 8×8 image encoded by Qt (no imaging library needed)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)  # type: ignore[call-overload]  # runtime takes str
    buffer.close()
    return bytes(data.data())


def _ifd(endian: str, entries: list[tuple[int, int, int, bytes]], start: int) -> bytes:
    """One IFD at offset ``start``: entries ``(tag, type, count, value)``; long values after it."""
    table = struct.pack(endian + "H", len(entries))
    extra = b""
    data_at = start + 2 + 12 * len(entries) + 4
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            field = value.ljust(4, b"\x00")
        else:
            field = struct.pack(endian + "I", data_at + len(extra))
            extra += value
        table += struct.pack(endian + "HHI", tag, kind, count) + field
    return table + b"\x00\x00\x00\x00" + extra


def exif_segment(
    original: str | None = ORIGINAL, modified: str | None = MODIFIED, big_endian: bool = False
) -> bytes:
    """An APP1 ``Exif`` segment with IFD0 ``DateTime`` and an Exif IFD ``DateTimeOriginal``."""
    endian = ">" if big_endian else "<"
    header = (b"MM\x00*" if big_endian else b"II*\x00") + struct.pack(endian + "I", 8)
    ifd0_entries = []
    if modified is not None:
        ifd0_entries.append((0x0132, 2, 20, modified.encode() + b"\x00"))
    exif_entries = []
    if original is not None:
        exif_entries.append((0x9003, 2, 20, original.encode() + b"\x00"))
    # IFD0 size is known before the Exif IFD pointer is filled in: compute it with a dummy.
    pointer = (0x8769, 4, 1, b"\x00\x00\x00\x00")
    probe = _ifd(endian, [*ifd0_entries, pointer], 8)
    exif_at = 8 + len(probe)
    ifd0 = _ifd(endian, [*ifd0_entries, (0x8769, 4, 1, struct.pack(endian + "I", exif_at))], 8)
    exif = _ifd(endian, exif_entries, exif_at)
    body = b"Exif\x00\x00" + header + ifd0 + exif
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def with_exif(jpeg: bytes, segment: bytes) -> bytes:
    """The JPEG with ``segment`` spliced in after its APP0 (JFIF) segment."""
    assert jpeg[:4] == b"\xff\xd8\xff\xe0"
    app0_end = 4 + int.from_bytes(jpeg[4:6], "big")
    return jpeg[:app0_end] + segment + jpeg[app0_end:]


@pytest.fixture(scope="module")
def jpeg() -> bytes:
    return _qt_image("JPG")


def test_a_real_jpeg_with_exif_still_decodes_and_gives_date_time_original(jpeg: bytes) -> None:
    from PySide6.QtGui import QImage

    photo = with_exif(jpeg, exif_segment())
    assert not QImage.fromData(photo).isNull()  # a real, decodable JPEG
    assert sniff_image_type(photo) == "image/jpeg"
    assert exif_capture_time(photo) == datetime(2025, 9, 26, 10, 31, 7)


def test_big_endian_exif_is_read_too(jpeg: bytes) -> None:
    photo = with_exif(jpeg, exif_segment(big_endian=True))
    assert exif_capture_time(photo) == datetime(2025, 9, 26, 10, 31, 7)


def test_without_date_time_original_the_ifd0_date_time_is_used(jpeg: bytes) -> None:
    photo = with_exif(jpeg, exif_segment(original=None))
    assert exif_capture_time(photo) == datetime(2025, 10, 2, 18, 0, 0)


def test_a_blank_or_bad_date_gives_none(jpeg: bytes) -> None:
    # Cameras without a set clock write blanks or zeros.
    assert exif_capture_time(with_exif(jpeg, exif_segment("    :  :     :  :  ", None))) is None
    assert exif_capture_time(with_exif(jpeg, exif_segment("0000:00:00 00:00:00", None))) is None


def test_a_jpeg_without_exif_has_no_capture_time(jpeg: bytes) -> None:
    assert sniff_image_type(jpeg) == "image/jpeg"
    assert exif_capture_time(jpeg) is None


def test_png_is_an_image_without_exif_time() -> None:
    png = _qt_image("PNG")
    assert sniff_image_type(png) == "image/png"
    assert exif_capture_time(png) is None


def test_other_camera_formats_are_recognised_by_their_magic() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
    assert sniff_image_type(heic) == "image/heic"
    heif = b"\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1" + b"\x00" * 32
    assert sniff_image_type(heif) == "image/heif"
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
    assert sniff_image_type(webp) == "image/webp"
    assert sniff_image_type(b"GIF89a" + b"\x00" * 10) == "image/gif"
    mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomavc1" + b"\x00" * 16
    assert sniff_image_type(mp4) is None  # a video is not a photo


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.7\n",
        "现场检查记录".encode(),
        b"PK\x03\x04 a zip file",
        b"\xff\xd8",  # a JPEG start and nothing else
    ],
)
def test_non_images_are_not_sniffed_as_images(content: bytes) -> None:
    if content != b"\xff\xd8":
        assert sniff_image_type(content) is None
    assert exif_capture_time(content) is None


def test_truncated_and_corrupt_exif_never_raises(jpeg: bytes) -> None:
    photo = with_exif(jpeg, exif_segment())
    start = photo.index(b"Exif")
    end = photo.index(b"\xff\xdb")  # the segment after the EXIF one
    for cut in range(start - 6, end, 3):
        assert exif_capture_time(photo[:cut]) is None  # a cut-off segment is not trusted
    assert exif_capture_time(photo[:end]) == datetime(2025, 9, 26, 10, 31, 7)
    broken = bytearray(photo)
    broken[start + 6 : start + 8] = b"XX"  # not a TIFF byte order
    assert exif_capture_time(bytes(broken)) is None
    huge = bytearray(photo)
    huge[start + 14 : start + 16] = b"\xff\xff"  # 65535 IFD entries claimed
    assert exif_capture_time(bytes(huge)) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    sniff_image_type(data)
    exif_capture_time(data)
    exif_capture_time(b"\xff\xd8\xff\xe1" + data)


def test_the_photo_limit_is_twenty_megabytes() -> None:
    assert MAX_PHOTO_BYTES == 20 * 1024 * 1024
