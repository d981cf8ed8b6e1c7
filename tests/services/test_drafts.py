"""Form drafts in the encrypted store: saved, replaced, loaded, deleted, never plaintext."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.drafts import DraftService
from desktop_app.services.self_test import files_containing, marker_encodings
from desktop_app.store.database import Store


def test_a_draft_round_trips_every_field_and_the_newest_replaces_the_older(
    services: AppServices,
) -> None:
    drafts = services.drafts
    fields = {
        "applicant": "张三",
        "phone": "0355-2021234",
        "deadline": 7,
        "publish": False,
        "materials": [{"name": "食品经营许可申请书", "form": "复印件", "checked": True}],
        "note": None,
    }
    drafts.save("commitment.new", fields, "新建承诺：长治市某商贸有限公司")
    drafts.save("inspection.result", {"location": "经营场所"}, "检查记录")
    loaded = drafts.load("commitment.new")
    assert loaded is not None
    assert loaded.fields == fields and loaded.label == "新建承诺：长治市某商贸有限公司"

    drafts.save("commitment.new", {**fields, "applicant": "张三丰"}, "新建承诺")
    again = drafts.load("commitment.new")
    assert again is not None and again.fields["applicant"] == "张三丰"
    assert sorted(d.key for d in drafts.pending()) == ["commitment.new", "inspection.result"]

    assert drafts.delete("commitment.new") is True
    assert drafts.load("commitment.new") is None
    assert drafts.delete("commitment.new") is False
    assert [d.key for d in drafts.pending()] == ["inspection.result"]


def test_pending_lists_the_newest_first(store: Store) -> None:
    times = iter([datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10)])
    drafts = DraftService(store, clock=lambda: next(times))
    drafts.save("education.session", {"title": "旧"}, "")
    drafts.save("education.checkin", {"name": "新"}, "")
    assert [d.key for d in drafts.pending()] == ["education.checkin", "education.session"]


@pytest.mark.parametrize(
    "bad", [{"when": datetime(2026, 1, 1)}, {"pair": ("a", "b")}, {"x": float("nan")}, {1: "a"}]
)
def test_values_that_would_not_come_back_as_given_are_refused(
    services: AppServices, bad: dict
) -> None:
    with pytest.raises(ValueError, match="draft"):
        services.drafts.save("commitment.new", bad)
    assert services.drafts.load("commitment.new") is None


def test_a_draft_is_encrypted_on_disk(services: AppServices, profile: ProfilePaths) -> None:
    marker = f"DRAFT{uuid.uuid4().hex[:10]}未保存的承诺人"
    services.drafts.save("commitment.new", {"applicant": marker}, f"新建承诺 {marker}")
    wal = profile.database.with_name(profile.database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert files_containing(profile.data_dir, marker_encodings(marker)) == []
    services.close()
    assert files_containing(profile.data_dir, marker_encodings(marker)) == []


def test_a_draft_reads_text_fields_typed_and_anything_else_as_none(
    services: AppServices,
) -> None:
    services.drafts.save(
        "inspection.result", {"task_id": "t-1", "record_id": 7, "note": None}, "检查记录"
    )
    draft = services.drafts.load("inspection.result")
    assert draft is not None
    assert draft.text("task_id") == "t-1"
    assert draft.text("record_id") is None  # a number is not a record id
    assert draft.text("note") is None and draft.text("missing") is None
