"""Alembic: a database made by the first released schema upgrades with every row kept."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from desktop_app.store.database import Store, head_revision, upgrade
from desktop_app.store.entities import EntityRepository
from desktop_app.store.keys import new_random_key
from desktop_app.store.models import Base

FIRST_RELEASE = "0001"


def test_first_release_database_upgrades_with_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    key = new_random_key()
    old = Store.open(db, key, migrate=False)
    with old.engine.connect() as conn:
        upgrade(conn, FIRST_RELEASE)
    assert old.revision() == FIRST_RELEASE
    with old.engine.begin() as conn:
        for i in range(50):
            conn.execute(
                text(
                    "INSERT INTO entities (uscc, name, legal_representative, address, "
                    "region_code, industry, status, credit_grade, lists, version, updated_at) "
                    "VALUES (:u, :n, '王堃', '长治市', '140403', '零售', '存续', 'B', '[]', 1, "
                    "'2026-01-01 00:00:00')"
                ),
                {"u": f"9114040000000{i:04d}X", "n": f"长治市第{i}号老字号商贸有限公司"},
            )
        conn.execute(
            text(
                "INSERT INTO outbox (created_at, collection, record_id, op, base_version, "
                "fields, status, attempts) VALUES ('2026-01-01', 'c', '1', 'create', NULL, "
                "'{}', 'pending', 0)"
            )
        )
        conn.execute(text("INSERT INTO sync_state VALUES ('cursor', '99', '2026-01-01')"))
        conn.execute(text("INSERT INTO attachment_blobs VALUES ('ab', 3, x'010203')"))
        conn.execute(
            text(
                "INSERT INTO attachments VALUES ('a1', 'ab', 'scan.jpg', 'image/jpeg', 'x', '1', "
                "'2026-01-01')"
            )
        )
    old.close()

    new = Store.open(db, key)
    try:
        assert new.revision() == head_revision() != FIRST_RELEASE
        with new.engine.connect() as conn:
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in (
                    "entities",
                    "outbox",
                    "sync_state",
                    "attachments",
                    "attachment_blobs",
                    "drafts",
                )
            }
        assert counts == {
            "entities": 50,
            "outbox": 1,
            "sync_state": 1,
            "attachments": 1,
            "attachment_blobs": 1,
            "drafts": 0,  # 0006: the table exists, empty
        }
        # Rows from before the search index existed are found by it after the upgrade.
        with new.read() as s:
            hits = EntityRepository(s).search_name("老字号商贸")
            # 0007: persons columns exist (empty for old rows) and the lookup by name works.
            found = EntityRepository(s).find_by_person("王堃")
        assert len(hits.ids) == 50
        assert len(found) == 50 and {role for _e, role in found} == {"legal_representative"}
        assert {e.legal_representative_id for e, _r in found} == {""}
    finally:
        new.close()


def test_migrated_schema_matches_the_orm_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # The FTS5 shadow tables are created by SQLite, not declared as models.
    diffs = [
        d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("entity_fts"))
    ]
    assert diffs == []


def test_search_index_ddl_in_the_repository_matches_the_migrated_schema(store: Store) -> None:
    # Migrations are frozen history; the repository keeps the current DDL for suspending and
    # rebuilding the search index. The two must describe the same objects.
    from desktop_app.store.entities import ENTITY_FTS_TRIGGERS, ENTITY_NAME_INDEX

    with store.engine.connect() as conn:
        stored = dict(
            conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')")
            ).all()
        )
    for name, sql in ENTITY_FTS_TRIGGERS.items():
        assert " ".join(stored[name].split()) == " ".join(sql.split())
    assert " ".join(stored["ix_entities_name"].split()) == " ".join(ENTITY_NAME_INDEX.split())
    from desktop_app.store.entities import (
        ENTITY_BIGRAM_TABLE,
        ENTITY_BIGRAM_TRIGGERS,
        PERSON_INDEXES,
        REFERENCE_INDEXES,
    )

    for name, sql in (PERSON_INDEXES | REFERENCE_INDEXES | ENTITY_BIGRAM_TRIGGERS).items():
        assert " ".join(stored[name].split()) == " ".join(sql.split())
    with store.engine.connect() as conn:
        table = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'entity_bigrams'")
        ).scalar()
    assert " ".join(str(table).split()) == " ".join(ENTITY_BIGRAM_TABLE.split())


def test_0008_indexes_the_existing_names_for_two_character_search(tmp_path: Path) -> None:
    db = tmp_path / "0007.db"
    key = new_random_key()
    old = Store.open(db, key, migrate=False)
    with old.engine.connect() as conn:
        upgrade(conn, "0007")
    names = ["长治市潞州区ABC商贸有限公司", "壶关县农业合作社", "沁县长治路药房"]
    with old.engine.begin() as conn:
        for i, name in enumerate(names):
            conn.execute(
                text(
                    "INSERT INTO entities (uscc, name, legal_representative, address, "
                    "region_code, industry, status, credit_grade, lists, version, updated_at) "
                    "VALUES (:u, :n, '', '', '', '', '', NULL, '[]', 1, '2026-01-01 00:00:00')"
                ),
                {"u": f"9114040000001{i:04d}X", "n": name},
            )
    old.close()

    new = Store.open(db, key)
    try:
        assert new.revision() == head_revision()
        with new.read() as s:
            repo = EntityRepository(s)
            by_name = {e.name: e.id for e in repo.get_many([1, 2, 3])}
            assert set(repo.search_name("长治").ids) == {by_name[names[0]], by_name[names[2]]}
            assert repo.search_name("bc").ids == (by_name[names[0]],)  # ASCII folded
            assert repo.search_name("合作").ids == (by_name[names[1]],)
            assert repo.search_name("作合").ids == ()
        with new.write() as s:
            # Renames names[1] (same USCC) and deletes names[2]: the triggers follow both.
            EntityRepository(s).upsert_many([{"uscc": "91140400000010001X", "name": "壶关县新店"}])
            s.execute(text("DELETE FROM entities WHERE id = :i"), {"i": by_name[names[2]]})
        with new.read() as s:
            repo = EntityRepository(s)
            assert repo.search_name("壶关").ids == (by_name[names[1]],)
            assert repo.search_name("新店").ids == (by_name[names[1]],)
            assert repo.search_name("药房").ids == ()
            assert repo.search_name("合作").ids == ()
            left = s.execute(text("SELECT count(*) FROM entity_bigrams")).scalar()
        kept = [names[0], "壶关县新店"]
        assert left == sum(len({n[i : i + 2].lower() for i in range(len(n) - 1)}) for n in kept)
    finally:
        new.close()


def test_0007_adds_the_entity_persons_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "0006.db"
    key = new_random_key()
    old = Store.open(db, key, migrate=False)
    with old.engine.connect() as conn:
        upgrade(conn, "0006")
    with old.engine.begin() as conn:
        for i in range(20):
            conn.execute(
                text(
                    "INSERT INTO entities (uscc, name, legal_representative, address, "
                    "region_code, industry, status, credit_grade, lists, version, updated_at) "
                    "VALUES (:u, :n, :p, '长治市', '140403', '零售', '存续', NULL, '[]', 1, "
                    "'2026-01-01 00:00:00')"
                ),
                {
                    "u": f"9114040000001{i:04d}X",
                    "n": f"长治市第{i}号商贸有限公司",
                    "p": f"人{i % 3}",
                },
            )
    old.close()

    new = Store.open(db, key)
    try:
        assert new.revision() == head_revision()
        with new.engine.connect() as conn:
            columns = {r[1]: r for r in conn.execute(text("PRAGMA table_info(entities)"))}
            indexes = {r[1] for r in conn.execute(text("PRAGMA index_list(entities)"))}
            assert conn.execute(text("SELECT count(*) FROM entities")).scalar() == 20
        for name in ("legal_representative_id", "principal", "principal_id"):
            assert columns[name][2].upper() == "TEXT" and columns[name][4] == "''"
        assert {"ix_entities_legal_representative", "ix_entities_principal"} <= indexes
        with new.read() as s:
            found = EntityRepository(s).find_by_person("人1")
        assert len(found) == 7 and all(e.principal == e.principal_id == "" for e, _ in found)
    finally:
        new.close()
