"""Pull: keyset pages, opaque cursor, tombstones, reset answers, the raw-JSON fast path."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from platform_server.models import Meta
from platform_server.records import Scope
from sync.protocol import MAX_PULL_LIMIT, PullResponse
from tests.platform.helpers import (
    commitment,
    cursor_seq,
    make_caller,
    mutation,
    pull,
    pull_all,
    push,
    seed,
    uscc,
)


def seed_entities(app: FastAPI, n: int, start: int = 0) -> list[str]:
    codes = [uscc(i) for i in range(start, start + n)]
    seed(
        app,
        "entities",
        [
            (c, {"uscc": c, "name": f"企业{i}", "备注": '含"引号"与\\反斜杠'}, Scope(entity_uscc=c))
            for i, c in enumerate(codes)
        ],
    )
    return codes


def test_pages_walk_the_sequence_once_in_order(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    codes = seed_entities(app, 25)
    pages = []
    cursor = None
    while True:
        page = pull(client, w, cursor, limit=10)
        PullResponse.model_validate(page)  # the hand-built JSON is a valid PullResponse
        pages.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert [len(p["changes"]) for p in pages] == [10, 10, 5]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert not any(p["reset"] for p in pages)
    got = [c["record_id"] for p in pages for c in p["changes"]]
    assert got == codes  # sequence order = insertion order here
    first = pages[0]["changes"][0]
    assert first == {
        "collection": "entities",
        "record_id": codes[0],
        "version": 1,
        "deleted": False,
        "fields": {"uscc": codes[0], "name": "企业0", "备注": '含"引号"与\\反斜杠'},
    }
    seqs = [cursor_seq(p["cursor"]) for p in pages]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    # An empty cursor is a first pull, not a reset.
    again = pull(client, w, "", limit=10)
    assert again["reset"] is False and again["changes"] == pages[0]["changes"]
    # Nothing new: same cursor, no changes.
    idle = pull(client, w, cursor)
    assert idle["changes"] == [] and idle["cursor"] == cursor and not idle["has_more"]


def test_updates_move_a_record_and_deletes_send_tombstones(
    app: FastAPI, client: TestClient
) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    code = uscc(1)
    push(
        client,
        w,
        mutation(1, "education_sessions", "s-1", title="培训", held_on="2025-04-01"),
        mutation(2, "commitments", "c-1", **commitment(code)),
    )
    _, cursor = pull_all(client, w)
    push(
        client,
        w,
        mutation(3, "education_sessions", "s-1", "update", 1, title="培训（改）"),
        mutation(4, "commitments", "c-1", "delete", 1),
    )
    changes, cursor2 = pull_all(client, w, cursor)
    # A signed commitment cannot be deleted (it is withdrawn instead): only the session moved.
    assert changes == [
        {
            "collection": "education_sessions",
            "record_id": "s-1",
            "version": 2,
            "deleted": False,
            "fields": {"title": "培训（改）", "held_on": "2025-04-01", "hall_id": "hall-a"},
        }
    ]
    push(
        client,
        w,
        mutation(5, "commitments", "c-2", **commitment(code, status="draft", signed_on=None)),
        mutation(6, "commitments", "c-2", "delete", 1),
    )
    changes, _ = pull_all(client, w, cursor2)
    assert changes == [
        {
            "collection": "commitments",
            "record_id": "c-2",
            "version": 2,
            "deleted": True,
            "fields": None,
        }
    ]
    # A fresh pull shows each record once, at its latest version.
    full, _ = pull_all(client, w)
    assert [(c["record_id"], c["version"], c["deleted"]) for c in full] == [
        ("c-1", 1, False),
        ("s-1", 2, False),
        ("c-2", 2, True),
    ]


@pytest.fixture
def restore_meta(app: FastAPI) -> Iterator[None]:
    """Put ``meta`` back afterwards: tables are emptied between tests, ``meta`` is not."""
    with app.state.sessions() as session:
        saved = dict(session.execute(select(Meta.key, Meta.value)).all())
    yield
    with app.state.write_sessions() as session, session.begin():
        for key, value in saved.items():
            session.execute(update(Meta).where(Meta.key == key).values(value=value))


@pytest.mark.usefixtures("restore_meta")
def test_cursors_the_server_cannot_serve_answer_reset(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    seed_entities(app, 3)
    _, good = pull_all(client, w)

    def forged(payload: bytes) -> str:
        return base64.urlsafe_b64encode(payload).rstrip(b"=").decode()

    epoch = base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)).decode()
    for bad in (
        "not-a-cursor!",
        "%%%",
        forged(b"[1, 2]"),
        forged(b'{"e": 1, "s": 2}'),
        forged(b'{"e": "x", "s": true}'),
        forged(epoch.replace('"s":', '"s":-5,"x":').encode()),
        forged(b'{"e": "other-epoch", "s": 1}'),
        forged(epoch.replace('"s":', '"s":999').encode()),  # ahead of the server
        "é" * 10,
    ):
        page = pull(client, w, bad)
        assert page["reset"] is True, bad
        assert len(page["changes"]) == 3 and page["changes"][0]["record_id"] == uscc(0)
    # The epoch changes when the database is rebuilt: every old cursor resets.
    with app.state.write_sessions() as session, session.begin():
        session.execute(update(Meta).where(Meta.key == "epoch").values(value="new-epoch"))
    assert pull(client, w, good)["reset"] is True
    fresh = pull(client, w)
    assert fresh["reset"] is False
    # Compaction raised min_seq above the cursor.
    with app.state.write_sessions() as session, session.begin():
        session.execute(update(Meta).where(Meta.key == "min_seq").values(value="2"))
    assert pull(client, w, fresh["cursor"])["reset"] is False  # at the head, above min_seq
    stale = pull(client, w, pull(client, w, limit=1)["cursor"])  # cursor at seq 1 < 2
    assert stale["reset"] is True and len(stale["changes"]) == 3


def test_a_narrow_scope_skips_what_it_cannot_see(app: FastAPI, client: TestClient) -> None:
    inspector = make_caller(app, "i", "inspector")
    seed_entities(app, 30)
    page = pull(client, inspector, limit=5)
    assert page["changes"] == [] and page["has_more"] is False
    # The cursor jumped to the head, so the next pull does not rescan the registry.
    assert cursor_seq(page["cursor"]) == 30


def test_bad_parameters_and_authentication(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    assert client.get("/v1/sync/pull").status_code == 401
    for params in (
        {"limit": 0},
        {"limit": MAX_PULL_LIMIT + 1},
        {"limit": "many"},
        {"cursor": "x" * 600},
    ):
        resp = client.get("/v1/sync/pull", params=params, headers=w.headers)
        assert resp.status_code == 422, params
        assert resp.json()["code"] == "validation_error"
    resp = client.get("/v1/sync/pull", params={"limit": MAX_PULL_LIMIT}, headers=w.headers)
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"


def test_openapi_documents_pull_as_pull_response(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    ok = doc["paths"]["/v1/sync/pull"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"].endswith("/PullResponse")
    push_ok = doc["paths"]["/v1/sync/push"]["post"]["responses"]["200"]["content"]
    assert push_ok["application/json"]["schema"]["$ref"].endswith("/PushResponse")
    assert {"cursor", "limit"} <= {
        p["name"] for p in doc["paths"]["/v1/sync/pull"]["get"]["parameters"]
    }
