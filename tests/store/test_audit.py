"""The hash-chained audit log finds edits, deletions and a cut-off tail."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desktop_app.store import audit
from desktop_app.store.database import Store


def fill(store: Store, n: int = 5) -> None:
    for i in range(n):
        with store.write() as s:
            audit.append(
                s, actor="张三", action="entity.viewed", subject_id=str(i), details={"i": i}
            )


def verdict(store: Store) -> audit.AuditVerdict:
    with store.read() as s:
        return audit.verify(s)


def drop_guards(store: Store) -> None:
    with store.write() as s:
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_untouched_chain_verifies(store: Store) -> None:
    fill(store)
    v = verdict(store)
    assert v.ok and v.rows == 5 and v.problems == ()


def test_sql_refuses_update_and_delete(store: Store) -> None:
    fill(store, 2)
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(text("UPDATE audit_log SET actor = 'x' WHERE id = 1"))
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 1"))


def test_edit_is_found(store: Store) -> None:
    fill(store)
    drop_guards(store)
    with store.write() as s:
        s.execute(text("UPDATE audit_log SET actor = '李四' WHERE id = 3"))
    v = verdict(store)
    assert not v.ok
    assert any("第 3 条" in p and "改动" in p for p in v.problems)


def test_deleted_middle_row_is_found(store: Store) -> None:
    fill(store)
    drop_guards(store)
    with store.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 2"))
    v = verdict(store)
    assert not v.ok
    assert any("第 3 条之前" in p for p in v.problems)


def test_cut_off_tail_is_found(store: Store) -> None:
    fill(store)
    drop_guards(store)
    with store.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE id >= 4"))
    v = verdict(store)
    assert not v.ok
    assert any("末尾" in p for p in v.problems)
