"""Blobs: resumable upload, digest check, size limit, Range download, who may download."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_server.blobstore import final_path, part_path
from platform_server.models import Blob
from sync.protocol import MAX_BLOB_BYTES, BlobStatus
from tests.platform.helpers import Caller, count, make_caller, mutation, push

DATA = os.urandom(300_000)
SHA = hashlib.sha256(DATA).hexdigest()


def start(client: TestClient, who: Caller, data: bytes = DATA, sha: str = SHA) -> dict[str, Any]:
    resp = client.post(
        "/v1/blobs",
        json={"sha256": sha, "size": len(data), "content_type": "image/jpeg"},
        headers=who.headers,
    )
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def put(client: TestClient, who: Caller, offset: int, chunk: bytes, sha: str = SHA) -> Any:
    return client.put(
        f"/v1/blobs/{sha}",
        params={"offset": offset},
        content=chunk,
        headers={**who.headers, "Content-Type": "application/octet-stream"},
    )


def upload(client: TestClient, who: Caller, data: bytes = DATA) -> None:
    sha = hashlib.sha256(data).hexdigest()
    start(client, who, data, sha)
    assert put(client, who, 0, data, sha).json()["complete"] is True


def test_resumable_upload(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    blob_dir = app.state.settings.blob_dir
    assert start(client, w) == {"sha256": SHA, "size": len(DATA), "received": 0, "complete": False}
    first = put(client, w, 0, DATA[:100_000])
    assert first.status_code == 200 and first.json()["received"] == 100_000
    # The connection dropped; the client asks where to resume.
    status = client.get(f"/v1/blobs/{SHA}/status", headers=w.headers)
    assert BlobStatus.model_validate(status.json()).received == 100_000
    head = client.head(f"/v1/blobs/{SHA}/status", headers=w.headers)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "100000"
    assert head.headers["Upload-Length"] == str(len(DATA))
    # A chunk at the wrong offset is refused with the current status.
    wrong = put(client, w, 50_000, DATA[50_000:150_000])
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "blob_offset_mismatch"
    assert wrong.json()["detail"]["received"] == 100_000
    assert "100000" in wrong.json()["message"]
    # Announcing again does not lose progress.
    assert start(client, w)["received"] == 100_000
    assert put(client, w, 100_000, DATA[100_000:200_000]).json()["received"] == 200_000
    done = put(client, w, 200_000, DATA[200_000:])
    assert done.json() == {
        "sha256": SHA,
        "size": len(DATA),
        "received": len(DATA),
        "complete": True,
    }
    assert final_path(blob_dir, SHA).read_bytes() == DATA
    assert final_path(blob_dir, SHA).parent.name == SHA[:2]
    assert not part_path(blob_dir, SHA, w.device_id).exists()
    # A resent last chunk (its answer was lost) is harmless.
    assert put(client, w, 200_000, DATA[200_000:]).json()["complete"] is True


def test_digest_mismatch_discards_the_bytes(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    blob_dir = app.state.settings.blob_dir
    start(client, w)
    put(client, w, 0, DATA[:1000])
    corrupted = put(client, w, 1000, b"\0" * (len(DATA) - 1000))
    assert corrupted.status_code == 422
    body = corrupted.json()
    assert body["code"] == "blob_digest_mismatch" and "重新上传" in body["message"]
    assert body["detail"] == {"sha256": SHA, "size": len(DATA), "received": 0, "complete": False}
    assert not part_path(blob_dir, SHA, w.device_id).exists()
    assert not final_path(blob_dir, SHA).exists()
    status = client.get(f"/v1/blobs/{SHA}/status", headers=w.headers).json()
    assert status["received"] == 0 and status["complete"] is False
    # Starting over with the right bytes works.
    assert put(client, w, 0, DATA).json()["complete"] is True


def test_limits_and_bad_input_store_nothing(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    big = client.post(
        "/v1/blobs",
        json={"sha256": SHA, "size": MAX_BLOB_BYTES + 1, "content_type": "image/jpeg"},
        headers=w.headers,
    )
    assert big.status_code == 413
    assert big.json()["code"] == "blob_too_large" and "MB" in big.json()["message"]
    for body in (
        {"sha256": SHA.upper(), "size": 1},
        {"sha256": "abc", "size": 1},
        {"sha256": SHA, "size": -1},
        {"sha256": SHA, "size": "big"},
        {"sha256": SHA, "size": 1, "content_type": "image/jpeg\u0000"},
        {"sha256": SHA, "size": 1, "content_type": "<script>"},
    ):
        assert client.post("/v1/blobs", json=body, headers=w.headers).status_code == 422
    empty = client.post(
        "/v1/blobs", json={"sha256": SHA, "size": 0}, headers=w.headers
    )  # empty bytes never hash to SHA
    assert empty.status_code == 422 and empty.json()["code"] == "blob_digest_mismatch"
    assert count(app, Blob) == 0
    assert put(client, w, 0, b"x").status_code == 404  # not announced
    assert client.get("/v1/blobs/not-a-digest/status", headers=w.headers).status_code == 422
    assert client.head(f"/v1/blobs/{SHA}/status", headers=w.headers).status_code == 404
    assert client.post("/v1/blobs", json={"sha256": SHA, "size": 1}).status_code == 401
    # Chunks past the announced size are refused; oversized chunks stop at the middleware.
    small = b"tiny"
    small_sha = hashlib.sha256(small).hexdigest()
    start(client, w, small, small_sha)
    over = put(client, w, 0, small + b"!", small_sha)
    assert over.status_code == 413 and over.json()["code"] == "blob_too_large"
    huge = put(client, w, 0, b"x" * (3 * 1024 * 1024), small_sha)
    assert huge.status_code == 413 and huge.json()["code"] == "body_too_large"
    empty_sha = hashlib.sha256(b"").hexdigest()
    assert start(client, w, b"", empty_sha)["complete"] is True


def test_download_with_ranges_and_permissions(app: FastAPI, client: TestClient) -> None:
    owner = make_caller(app, "w", "window", hall="hall-a")
    colleague = make_caller(app, "w2", "window", hall="hall-a")
    stranger = make_caller(app, "w3", "window", hall="hall-b")
    upload(client, owner)
    full = client.get(f"/v1/blobs/{SHA}", headers=owner.headers)
    assert full.status_code == 200 and full.content == DATA
    assert full.headers["content-type"] == "image/jpeg"
    assert full.headers["accept-ranges"] == "bytes"
    part = client.get(f"/v1/blobs/{SHA}", headers={**owner.headers, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == DATA[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(DATA)}"
    tail = client.get(f"/v1/blobs/{SHA}", headers={**owner.headers, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == DATA[-10:]
    rest = client.get(f"/v1/blobs/{SHA}", headers={**owner.headers, "Range": "bytes=299990-"})
    assert rest.content == DATA[299_990:]
    beyond = client.get(f"/v1/blobs/{SHA}", headers={**owner.headers, "Range": "bytes=400000-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(DATA)}"
    several = client.get(f"/v1/blobs/{SHA}", headers={**owner.headers, "Range": "bytes=0-1,5-9"})
    assert several.status_code == 200 and several.content == DATA  # served whole
    # Nobody else may read it until a form they can see cites it; "not yours" and "no such
    # blob" are one answer (existence is not revealed).
    assert client.get(f"/v1/blobs/{SHA}").status_code == 401
    assert client.get(f"/v1/blobs/{SHA}", headers=colleague.headers).status_code == 404
    result = push(
        client,
        owner,
        mutation(
            1, "education_sessions", "s-1", title="培训", held_on="2025-04-01", attachments=[SHA]
        ),
    )[0]
    assert result["status"] == "applied"
    assert client.get(f"/v1/blobs/{SHA}", headers=colleague.headers).content == DATA
    assert client.get(f"/v1/blobs/{SHA}", headers=stranger.headers).status_code == 404
    unknown = hashlib.sha256(b"unknown").hexdigest()
    assert client.get(f"/v1/blobs/{unknown}", headers=owner.headers).status_code == 404


def test_forms_cite_only_complete_blobs(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    start(client, w)
    put(client, w, 0, DATA[:10])
    session: dict[str, Any] = {"title": "培训", "held_on": "2025-04-01"}
    results = push(
        client,
        w,
        mutation(1, "education_sessions", "s-1", **session, attachments=[SHA]),
        mutation(2, "education_sessions", "s-2", **session, attachments=["not-a-digest"]),
        mutation(3, "education_sessions", "s-3", **session, attachments=SHA),
    )
    assert [r["reason"] for r in results] == ["blob_missing", "invalid_field", "invalid_field"]
    assert "上传" in results[0]["message"]
    assert count(app) == 0
    put(client, w, 10, DATA[10:])
    ok = push(client, w, mutation(4, "education_sessions", "s-1", **session, attachments=[SHA]))
    assert ok[0]["status"] == "applied"


def test_citing_a_digest_grants_nothing_and_uploads_are_per_device(
    app: FastAPI, client: TestClient
) -> None:
    owner = make_caller(app, "w", "window", hall="hall-a")
    thief = make_caller(app, "w3", "window", hall="hall-b")
    upload(client, owner)
    session: dict[str, Any] = {"title": "培训", "held_on": "2025-04-01"}
    # Another hall learns the digest (e.g. from a printed page) and cites it in its own form.
    (cited,) = push(
        client, thief, mutation(1, "education_sessions", "s-x", **session, attachments=[SHA])
    )
    assert cited["status"] == "rejected" and cited["reason"] == "forbidden"
    assert "不是本设备上传的" in cited["message"]
    assert client.get(f"/v1/blobs/{SHA}", headers=thief.headers).status_code == 404
    # The status of someone else's blob is not revealed, and nobody can reset it.
    assert client.get(f"/v1/blobs/{SHA}/status", headers=thief.headers).status_code == 404
    mine = start(client, thief)  # the thief's own upload session: nothing held yet
    assert mine["received"] == 0 and mine["complete"] is False
    assert put(client, thief, 0, b"\0" * len(DATA)).status_code == 422  # wrong bytes: its own
    owner_view = client.get(f"/v1/blobs/{SHA}/status", headers=owner.headers).json()
    assert owner_view["complete"] is True  # untouched
    # Someone who really has the same bytes proves it by sending them, and may then cite them.
    assert put(client, thief, 0, DATA).json()["complete"] is True
    (ok,) = push(
        client, thief, mutation(2, "education_sessions", "s-y", **session, attachments=[SHA])
    )
    assert ok["status"] == "applied", ok
    assert client.get(f"/v1/blobs/{SHA}", headers=thief.headers).content == DATA


def test_no_api_pages_that_load_scripts_from_elsewhere(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "cdn" not in page.text.lower()
    assert client.get("/openapi.json").json()["info"]["title"].startswith("Credit Desk")
