"""Entity cache: USCC lookup, FTS5 trigram name search and the short-query fallback."""

from __future__ import annotations

import pytest

from desktop_app.services.demo_data import generate_entities
from desktop_app.store.database import ROWS_PER_STATEMENT, Store, execute_rows
from desktop_app.store.entities import (
    ENTITY_FTS_TRIGGERS,
    EntityRepository,
    rebuild_search_index,
    search_index_stale,
    suspend_search_index,
)
from desktop_app.store.models import SyncState


def put(store: Store, names: list[str]) -> list[dict[str, object]]:
    rows = list(generate_entities(len(names), seed=11))
    for row, name in zip(rows, names, strict=True):
        row["name"] = name
    with store.write() as s:
        EntityRepository(s).upsert_many(rows)
    return rows


def names_for(store: Store, query: str) -> set[str]:
    with store.read() as s:
        repo = EntityRepository(s)
        hits = repo.search_name(query)
        return {e.name for e in repo.get_many(hits.ids)}


def test_three_or_more_characters_use_the_trigram_index(store: Store) -> None:
    put(store, ["长治市太行商贸有限公司", "长治市上党餐饮管理有限公司", "太行山农业合作社"])
    assert names_for(store, "太行商贸") == {"长治市太行商贸有限公司"}
    assert names_for(store, "有限公司") == {"长治市太行商贸有限公司", "长治市上党餐饮管理有限公司"}


def test_one_and_two_character_queries_fall_back(store: Store) -> None:
    put(store, ["长治市太行商贸有限公司", "潞州区喆诚食品店", "太行山农业合作社"])
    assert names_for(store, "太行") == {"长治市太行商贸有限公司", "太行山农业合作社"}
    assert names_for(store, "喆") == {"潞州区喆诚食品店"}
    assert names_for(store, "无") == set()


def test_fts_syntax_in_a_query_is_taken_literally(store: Store) -> None:
    put(store, ['长治市"星"OR商贸*有限公司', "长治市普通商贸有限公司"])
    assert names_for(store, '"星"OR') == {'长治市"星"OR商贸*有限公司'}
    assert names_for(store, "商贸*") == {'长治市"星"OR商贸*有限公司'}
    assert names_for(store, "   ") == set()


def test_limit_reports_truncation(store: Store) -> None:
    put(store, [f"长治市第{i}号商贸有限公司" for i in range(30)])
    with store.read() as s:
        hits = EntityRepository(s).search_name("商贸有限", limit=10)
        assert len(hits.ids) == 10 and hits.truncated
        hits = EntityRepository(s).search_name("商贸有限", limit=30)
        assert len(hits.ids) == 30 and not hits.truncated


def test_upsert_updates_by_uscc_and_keeps_search_in_step(store: Store) -> None:
    rows = put(store, ["长治市旧名称商贸有限公司"])
    renamed = dict(rows[0], name="长治市新名称商贸有限公司", version=2)
    with store.write() as s:
        EntityRepository(s).upsert_many([renamed])
    with store.read() as s:
        repo = EntityRepository(s)
        assert repo.count() == 1
        entity = repo.get_by_uscc(str(rows[0]["uscc"]))
        assert entity is not None and entity.version == 2
    assert names_for(store, "旧名称") == set()
    assert names_for(store, "新名称") == {"长治市新名称商贸有限公司"}


def test_suspended_index_is_rebuilt_once_and_search_works_meanwhile(store: Store) -> None:
    put(store, ["长治市太行商贸有限公司"])
    with store.write() as s:
        suspend_search_index(s)
        assert search_index_stale(s)
    # (put() reuses its generated codes: row 0 is the entity above, unchanged.)
    rows = put(store, ["长治市太行商贸有限公司", "潞州区喆诚食品店", "长治市上党餐饮管理有限公司"])
    renamed = dict(rows[2], name="长治市上党新名称有限公司", version=2)
    with store.write() as s:
        EntityRepository(s).upsert_many([renamed])
    # While suspended, both query lengths scan the table and still find every row.
    assert names_for(store, "有限公司") == {"长治市太行商贸有限公司", "长治市上党新名称有限公司"}
    assert names_for(store, "喆") == {"潞州区喆诚食品店"}
    assert names_for(store, "上党餐饮") == set()
    with store.write() as s:
        rebuild_search_index(s)
        assert not search_index_stale(s)
    assert names_for(store, "有限公司") == {"长治市太行商贸有限公司", "长治市上党新名称有限公司"}
    assert names_for(store, "喆诚") == {"潞州区喆诚食品店"}
    assert names_for(store, "上党餐饮") == set()
    # The triggers are back: later writes reach the FTS index again.
    put(store, ["长治市后来商贸有限公司"])
    assert names_for(store, "后来商贸") == {"长治市后来商贸有限公司"}
    with store.read() as s:
        sql = {
            r[0]
            for r in s.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'entities'"
            )
        }
    assert {"ix_entities_name", *ENTITY_FTS_TRIGGERS} <= sql


def test_upsert_stores_lists_and_timestamps_like_the_orm(store: Store) -> None:
    rows = put(store, ["长治市列表商贸有限公司"])
    with store.write() as s:
        EntityRepository(s).upsert_many([dict(rows[0], lists=["红名单", {"k": 1}], version=5)])
    with store.read() as s:
        entity = EntityRepository(s).get_by_uscc(str(rows[0]["uscc"]))
        assert entity is not None
        assert entity.lists == ["红名单", {"k": 1}] and entity.version == 5
        assert entity.updated_at.year >= 2024


def test_find_by_person_by_name_and_masked_number_with_the_role(store: Store) -> None:
    full = "11010519491231002X"
    masked = "110105********002X"
    rows = put(store, ["长治市丙商贸有限公司", "长治市甲商贸有限公司", "长治市乙商贸有限公司"])
    persons = [
        {"legal_representative": "郗昶", "legal_representative_id": masked},
        {"legal_representative": "郗昶", "legal_representative_id": "140403********1234"},
        {"legal_representative": "王堃", "principal": "郗昶", "principal_id": masked},
    ]
    with store.write() as s:
        EntityRepository(s).upsert_many([r | p for r, p in zip(rows, persons, strict=True)])
    with store.read() as s:
        repo = EntityRepository(s)
        by_name = [(e.name, role) for e, role in repo.find_by_person(" 郗昶 ")]
        by_id = [(e.name, role) for e, role in repo.find_by_person("郗昶", masked)]
        # A full (or lower-case) number is masked before the lookup.
        by_full = [(e.name, role) for e, role in repo.find_by_person("郗昶", full.lower())]
        assert repo.find_by_person("") == [] and repo.find_by_person("无此人") == []
        (first, _role), *_ = repo.find_by_person("郗昶", masked)
        assert first.legal_representative_id == masked
    # Ordered by entity name (code point order: 丙 < 乙 < 甲).
    assert by_name == [
        ("长治市丙商贸有限公司", "legal_representative"),
        ("长治市乙商贸有限公司", "principal"),
        ("长治市甲商贸有限公司", "legal_representative"),
    ]
    both = [("长治市丙商贸有限公司", "legal_representative"), ("长治市乙商贸有限公司", "principal")]
    assert by_id == by_full == both


def test_find_by_person_returns_the_first_two_hundred_by_name(store: Store) -> None:
    rows = list(generate_entities(230, seed=5))
    for i, row in enumerate(rows):
        row |= {"name": f"长治市第{229 - i:03d}号商贸有限公司", "legal_representative": "郗昶"}
    with store.write() as s:
        EntityRepository(s).upsert_many(rows)
    with store.read() as s:
        found = [e.name for e, _role in EntityRepository(s).find_by_person("郗昶")]
    assert found == sorted(r["name"] for r in rows)[:200]


def test_person_indexes_are_suspended_and_rebuilt_with_the_search_index(store: Store) -> None:
    from desktop_app.store.entities import PERSON_INDEXES

    def indexes() -> set[str]:
        with store.read() as s:
            return {
                r[0]
                for r in s.connection().exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index'"
                )
            }

    assert set(PERSON_INDEXES) <= indexes()
    with store.write() as s:
        suspend_search_index(s)
    assert not set(PERSON_INDEXES) & indexes()
    put(store, ["长治市暂停索引商贸有限公司"])
    with store.write() as s:
        rebuild_search_index(s)
    assert set(PERSON_INDEXES) <= indexes()


def test_an_update_keeping_the_indexed_columns_is_made_in_place(store: Store) -> None:
    rows = put(store, ["长治市太行商贸有限公司", "潞州区喆诚食品店"])
    with store.read() as s:
        before = {e.uscc: e.id for e in EntityRepository(s).get_many([1, 2])}
    moved = dict(rows[0], address="长治市新地址1号", version=7)  # name and persons unchanged
    renamed = dict(rows[1], name="潞州区喆诚超市", version=8)
    with store.write() as s:
        assert EntityRepository(s).upsert_many([moved, renamed]) == 2
    with store.read() as s:
        repo = EntityRepository(s)
        kept = repo.get_by_uscc(str(rows[0]["uscc"]))
        changed = repo.get_by_uscc(str(rows[1]["uscc"]))
        assert kept is not None and changed is not None
        assert (kept.id, kept.address, kept.version) == (before[kept.uscc], "长治市新地址1号", 7)
        assert (changed.name, changed.version) == ("潞州区喆诚超市", 8)
    assert names_for(store, "太行") == {"长治市太行商贸有限公司"}
    assert names_for(store, "超市") == names_for(store, "喆诚超市") == {"潞州区喆诚超市"}
    assert names_for(store, "食品") == set()


def _bigrams_from_scratch(store: Store) -> set[tuple[str, int]]:
    with store.read() as s:
        rows = s.connection().exec_driver_sql("SELECT id, name FROM entities").all()
    return {(n[i : i + 2].lower(), i_d) for i_d, n in rows for i in range(len(n) - 1)}


def _bigrams(store: Store) -> set[tuple[str, int]]:
    with store.read() as s:
        rows = s.connection().exec_driver_sql("SELECT gram, entity_id FROM entity_bigrams").all()
    return {(g, i) for g, i in rows}


def test_bulk_load_indexes_bigrams_at_checkpoints_and_keeps_renames_right(store: Store) -> None:
    from desktop_app.store.entities import catch_up_bigrams, forget_bigram_watermark

    names = [
        "长治市太行商贸有限公司",
        "潞州区喆诚食品店",
        "长治市上党餐饮管理有限公司",
        "壶关县农业合作社",
    ]
    rows = put(store, names[:1])
    with store.write() as s:
        suspend_search_index(s)
    rows = put(store, names[:3])  # a checkpoint's pages: two new entities
    with store.write() as s:
        catch_up_bigrams(s)
    assert _bigrams(store) == _bigrams_from_scratch(store)
    # Below the watermark a rename goes through the bigram update trigger; then more rows.
    with store.write() as s:
        EntityRepository(s).upsert_many([dict(rows[1], name="潞州区喆诚超市", version=2)])
    put(store, [names[0], "潞州区喆诚超市", names[2], names[3]])  # (same codes as above)
    with store.write() as s:
        rebuild_search_index(s)
    assert _bigrams(store) == _bigrams_from_scratch(store)
    assert names_for(store, "超市") == {"潞州区喆诚超市"} and names_for(store, "食品") == set()
    assert names_for(store, "合作") == {"壶关县农业合作社"}
    # A bulk load that deletes entities indexes every name again at its end.
    with store.write() as s:
        suspend_search_index(s)
        forget_bigram_watermark(s)
        s.connection().exec_driver_sql("DELETE FROM entities WHERE name = '壶关县农业合作社'")
    put(
        store,
        ["长治市太行商贸有限公司", "潞州区喆诚超市", "长治市上党餐饮管理有限公司", "沁县新店"],
    )
    with store.write() as s:
        rebuild_search_index(s)
    assert _bigrams(store) == _bigrams_from_scratch(store)
    assert names_for(store, "新店") == {"沁县新店"} and names_for(store, "合作") == set()


def test_a_bulk_load_catches_up_bigrams_in_whole_passes_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.store import entities
    from desktop_app.store.entities import BIGRAM_WATERMARK_KEY, catch_up_bigrams

    monkeypatch.setattr(entities, "BIGRAM_REBUILD_CHUNK", 2)
    with store.write() as s:
        suspend_search_index(s)
    names = ["长治市太行商贸有限公司", "潞州区喆诚食品店", "壶关县农业合作社"]
    put(store, names)  # three new ids: one whole pass of two, one id left over
    with store.write() as s:
        catch_up_bigrams(s, whole_passes=True)
        mark = s.get(SyncState, BIGRAM_WATERMARK_KEY)
        assert mark is not None and mark.value == "2"
    assert {i for _, i in _bigrams(store)} == {1, 2}
    with store.write() as s:
        rebuild_search_index(s)  # the leftover id at the end
    assert _bigrams(store) == _bigrams_from_scratch(store)
    assert names_for(store, "合作") == {"壶关县农业合作社"}


def test_execute_rows_writes_every_row_in_order_whatever_the_count(store: Store) -> None:
    # More than one whole statement of rows, a remainder, and a key repeated across them:
    # the later row wins, as with one statement a row.
    n = ROWS_PER_STATEMENT * 2 + 5
    rows = [("t", f"r{i % (n - 3)}", i, False, f'{{"i": {i}}}', None) for i in range(n)]
    with store.write() as s:
        execute_rows(
            s.connection(),
            "INSERT INTO reference_records (collection, record_id, version, deleted, data, "
            "entity_uscc)",
            rows,
            "ON CONFLICT(collection, record_id) DO UPDATE SET version = excluded.version, "
            "data = excluded.data",
        )
    with store.read() as s:
        found = s.connection().exec_driver_sql("SELECT record_id, version FROM reference_records")
        got = {str(r[0]): int(r[1]) for r in found}
    assert len(got) == n - 3
    assert got["r0"] == n - 3 and got["r2"] == n - 1 and got["r3"] == 3
