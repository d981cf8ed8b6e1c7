"""A transaction PostgreSQL rolls back because another one won a race answers 503, not 500.

A real deadlock on a real PostgreSQL database: each of two transactions holds a row the other
wants (two writers that lock the same records in opposite order; the platform's own writers
take the change counter last, so it is never one of the two). PostgreSQL rolls one back; the
platform says 平台正忙 with ``Retry-After`` and that nothing was changed
(``platform_server.errors``).
"""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from starlette.requests import Request

from platform_server.errors import busy_response, is_lost_race
from tests.sync.conftest import fresh_postgres_database


def _deadlock() -> list[BaseException]:
    failures: list[BaseException] = []
    with fresh_postgres_database() as url:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE counter (v int); INSERT INTO counter VALUES (0)"))
                conn.execute(
                    text("CREATE TABLE rec (id int primary key); INSERT INTO rec VALUES (1)")
                )
            both_hold = threading.Barrier(2)

            def writer(first: str, second: str) -> None:
                try:
                    with engine.begin() as conn:
                        conn.execute(text(first))
                        both_hold.wait(timeout=30)
                        conn.execute(text(second))
                except OperationalError as exc:
                    failures.append(exc)

            one = "SELECT id FROM rec WHERE id = 1 FOR UPDATE"
            two = "UPDATE counter SET v = v + 1"  # any second row
            threads = [
                threading.Thread(target=writer, args=(two, one)),
                threading.Thread(target=writer, args=(one, two)),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
        finally:
            engine.dispose()
    return failures


def test_a_real_deadlock_is_a_lost_race_and_answers_busy() -> None:
    failures = _deadlock()
    assert len(failures) == 1, failures  # PostgreSQL rolled exactly one back
    exc = failures[0]
    assert isinstance(exc, OperationalError)
    assert is_lost_race(exc)
    request = Request({"type": "http", "method": "POST", "path": "/v1/draws", "headers": []})
    answer = busy_response(request)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    body = json.loads(bytes(answer.body))
    assert "平台正忙" in body["message"] and "未作任何修改" in body["message"]


def test_other_database_errors_are_not_taken_for_a_race() -> None:
    engine = create_engine("sqlite://")
    with pytest.raises(OperationalError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_lost_race(caught.value)
