"""Local client forms: the form row and its outbox entry always commit together."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, OutboxEntry


def _outbox(store: Store) -> list[tuple[str, str, str, dict]]:
    with store.read() as s:
        return [
            (e.collection, e.record_id, e.op, e.fields)
            for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def test_create_update_delete_queue_one_mutation_each(store: Store) -> None:
    with store.write() as s:
        rid = LocalForms(s).create("education_sessions", {"title": "诚信第一课"})
    with store.write() as s:
        data = LocalForms(s).update("education_sessions", rid, {"held_on": "2026-11-27"})
    assert data == {"title": "诚信第一课", "held_on": "2026-11-27"}
    with store.write() as s:
        assert LocalForms(s).get("education_sessions", rid) == data
        LocalForms(s).delete("education_sessions", rid)
    assert _outbox(store) == [
        ("education_sessions", rid, "create", {"title": "诚信第一课"}),
        ("education_sessions", rid, "update", {"held_on": "2026-11-27"}),
        ("education_sessions", rid, "delete", {}),
    ]
    with store.read() as s:
        row = s.get(FormRecord, ("education_sessions", rid))
        assert row is not None and row.deleted and row.dirty
        assert LocalForms(s).get("education_sessions", rid) is None
        assert list(LocalForms(s).iter("education_sessions")) == []


def test_a_failed_unit_of_work_leaves_neither_form_nor_outbox(store: Store) -> None:
    def crash_before_commit() -> None:
        with store.write() as s:
            LocalForms(s).create("commitments", {"uscc": "x"})
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        crash_before_commit()
    assert _outbox(store) == []
    with store.read() as s:
        assert s.scalars(select(FormRecord)).all() == []


def test_missing_forms_are_clear_errors(store: Store) -> None:
    with store.write() as s:
        forms = LocalForms(s)
        with pytest.raises(ServiceError, match="找不到"):
            forms.update("commitments", "nope", {"a": 1})
        with pytest.raises(ServiceError, match="找不到"):
            forms.delete("commitments", "nope")
        with pytest.raises(ServiceError, match="找不到该承诺"):
            forms.require("commitments", "nope", "承诺")
        rid = forms.create("commitments", {"uscc": "a"})
        with pytest.raises(ServiceError, match="已存在"):
            forms.create("commitments", {}, record_id=rid)


def test_attach_keeps_the_file_encrypted_and_cites_it_once(store: Store) -> None:
    with store.write() as s:
        forms = LocalForms(s)
        rid = forms.create("commitments", {"uscc": "a"})
        sha = forms.attach("commitments", rid, b"%PDF-scan", "letter.pdf", "application/pdf")
        again = forms.attach("commitments", rid, b"%PDF-scan", "letter.pdf", "application/pdf")
        assert sha == again
        assert forms.require("commitments", rid, "承诺")["attachments"] == [sha]
        assert [r for r, _f in forms.iter("commitments", lambda f: f.get("uscc") == "a")] == [rid]


def test_deleting_a_form_the_platform_refused_drops_it_without_a_push(store: Store) -> None:
    with store.write() as s:
        refused = LocalForms(s).create(
            "attendance", {"session_id": "gone", "attendee_name": "王五"}
        )
        waiting = LocalForms(s).create("attendance", {"session_id": "s-1", "attendee_name": "赵六"})
    with store.write() as s:  # what the push records when the platform refuses the create
        entry = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == refused)).one()
        entry.status = "rejected"
    with store.write() as s:
        LocalForms(s).delete("attendance", refused)
        LocalForms(s).delete("attendance", waiting)  # its create may still be accepted
    ops = [(rid, op) for _c, rid, op, _f in _outbox(store)]
    assert ops == [(refused, "create"), (waiting, "create"), (waiting, "delete")]
    with store.read() as s:
        row = s.get(FormRecord, ("attendance", refused))
        assert row is not None and row.deleted and not row.dirty
