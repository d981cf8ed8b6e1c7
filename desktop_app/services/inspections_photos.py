"""Photos and signed scans of an inspection result, kept as encrypted attachments.

Each file is checked by its content (image type, size, duplicates); the result's ``photos``,
``signed_scans`` and ``attachments`` cite what was kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from desktop_app.domain.photos import MAX_PHOTO_BYTES, exif_capture_time, sniff_image_type
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import RESULTS, _dicts, _photo_of, _text
from desktop_app.services.inspections_views import InspectionView, PhotoImport, PhotoView
from desktop_app.store.attachments import Attachments, AttachmentTooLargeError
from desktop_app.store.models import AttachmentBlob


class PhotoUseCases(InspectionServiceBase):
    """现场照片 and the signed scans kept with a result as encrypted attachments."""

    def add_photos(self, record_id: str, files: Sequence[tuple[str, bytes]]) -> PhotoImport:
        """Keep photos with a result: each checked, good ones kept, bad ones reported.

        A photo must be an image (by its content, not its name), at most
        :data:`~desktop_app.domain.photos.MAX_PHOTO_BYTES`, and not already on the result.
        Kept photos are encrypted attachments cited in the result's ``photos`` and
        ``attachments``; their capture time comes from EXIF when the file has one.

        Raises:
            ServiceError: No such result.
        """
        now = self._now()
        added: list[PhotoView] = []
        errors: list[str] = []
        with self._store.write() as s:
            form = self._result(s, record_id)
            photos = _dicts(form.record.photos)
            cited = list(form.record.attachments)
            by_sha = {_text(p.get("sha256")): _text(p.get("filename")) for p in photos}
            attachments = Attachments(s)
            for filename, content in files:
                name = Path(filename).name.strip() or "照片"
                if not content:
                    errors.append(f"“{name}”是空文件，未添加。")
                    continue
                if len(content) > MAX_PHOTO_BYTES:
                    errors.append(
                        f"“{name}”大小为 {len(content) / 1048576:.1f} MB，超过 "
                        f"{MAX_PHOTO_BYTES // 1048576} MB 的上限，未添加。请压缩后再添加。"
                    )
                    continue
                mime = sniff_image_type(content)
                if mime is None:
                    errors.append(
                        f"“{name}”不是可识别的图片文件（支持 JPEG、PNG、HEIC、WebP 等），未添加。"
                    )
                    continue
                digest = hashlib.sha256(content).hexdigest()
                if digest in by_sha:
                    errors.append(f"“{name}”与已添加的照片“{by_sha[digest]}”内容相同，未重复添加。")
                    continue
                try:
                    stored = attachments.add(content, name, mime, RESULTS, record_id)
                except AttachmentTooLargeError as exc:
                    errors.append(str(exc))
                    continue
                taken = exif_capture_time(content)
                entry = {
                    "sha256": stored.sha256,
                    "filename": name,
                    "size": len(content),
                    "captured_at": taken.isoformat() if taken else None,
                    "mime_type": mime,
                }
                photos.append(entry)
                by_sha[stored.sha256] = name
                if stored.sha256 not in cited:
                    cited.append(stored.sha256)
                added.append(_photo_of(entry))
                self._audit(
                    s,
                    "inspection.photo_added",
                    record_id,
                    sha256=stored.sha256,
                    filename=name,
                    size=len(content),
                    at=now.isoformat(),
                )
            if added:
                LocalForms(s).update(RESULTS, record_id, {"photos": photos, "attachments": cited})
        return PhotoImport(tuple(added), tuple(errors))

    def import_photo_files(self, record_id: str, paths: Sequence[Path]) -> PhotoImport:
        """Read image files (e.g. a folder's photos, listed by the caller) and add them.

        Files over the size limit are refused without being read.

        Raises:
            ServiceError: No such result.
        """
        files: list[tuple[str, bytes]] = []
        errors: list[str] = []
        for path in paths:
            try:
                if path.stat().st_size > MAX_PHOTO_BYTES:
                    errors.append(
                        f"“{path.name}”大小为 {path.stat().st_size / 1048576:.1f} MB，超过 "
                        f"{MAX_PHOTO_BYTES // 1048576} MB 的上限，未添加。请压缩后再添加。"
                    )
                    continue
                files.append((path.name, path.read_bytes()))
            except OSError as exc:
                errors.append(f"无法读取“{path.name}”（{exc.strerror or exc}），未添加。")
        result = self.add_photos(record_id, files)
        return PhotoImport(result.added, (*errors, *result.errors))

    def photo_content(self, sha256: str) -> bytes:
        """The bytes of a photo (or scan) held in the encrypted store.

        Raises:
            ServiceError: Not held on this device.
        """
        with self._store.read() as s:
            blob = s.get(AttachmentBlob, sha256)
            if blob is None:
                raise ServiceError.of("inspection.photo_not_held")
            return bytes(blob.content)

    def remove_photo(self, record_id: str, sha256: str) -> InspectionView:
        """Take a photo off a result the platform has not confirmed yet.

        Raises:
            ServiceError: No such result or photo, or the result is already submitted (its
                photos are evidence then).
        """
        with self._store.write() as s:
            form = self._result(s, record_id)
            photos = _dicts(form.record.photos)
            if not any(p.get("sha256") == sha256 for p in photos):
                raise ServiceError.of("inspection.photo_missing")
            if form.confirmed:
                raise ServiceError.of("inspection.photo_is_evidence")
            scans = {_text(x.get("sha256")) for x in _dicts(form.record.signed_scans)}
            cited = list(form.record.attachments)
            LocalForms(s).update(
                RESULTS,
                record_id,
                {
                    "photos": [p for p in photos if p.get("sha256") != sha256],
                    "attachments": [x for x in cited if x != sha256 or x in scans],
                },
            )
            self._audit(s, "inspection.photo_removed", record_id, sha256=sha256)
            return self._view(s, self._result(s, record_id))

    def attach_signed_scan(
        self, record_id: str, content: bytes, filename: str, mime_type: str
    ) -> str:
        """Keep a scan of the signed on-site record (or notice) with the result.

        Returns:
            The scan's SHA-256.

        Raises:
            ServiceError: No such result, an empty file, or one over the attachment limit.
        """
        if not content:
            raise ServiceError.of("inspection.scan_empty", filename=filename)
        now = self._now()
        with self._store.write() as s:
            form = self._result(s, record_id)
            scans = _dicts(form.record.signed_scans)
            digest = hashlib.sha256(content).hexdigest()
            if any(x.get("sha256") == digest for x in scans):
                return digest  # the same scan again: already kept
            try:
                stored = Attachments(s).add(content, filename, mime_type, RESULTS, record_id)
            except AttachmentTooLargeError as exc:
                raise ServiceError(str(exc)) from None
            scans.append(
                {
                    "sha256": stored.sha256,
                    "filename": filename,
                    "size": len(content),
                    "mime_type": mime_type,
                    "attached_at": now.isoformat(),
                }
            )
            cited = list(form.record.attachments)
            if stored.sha256 not in cited:
                cited.append(stored.sha256)
            LocalForms(s).update(RESULTS, record_id, {"signed_scans": scans, "attachments": cited})
            self._audit(
                s, "inspection.scan_attached", record_id, sha256=stored.sha256, filename=filename
            )
            return stored.sha256
