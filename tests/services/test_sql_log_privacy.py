"""SQL logging on, and still no USCC or ID number in the log files.

Someone chasing a problem switches SQLAlchemy's logging on (``sqlalchemy.engine`` at DEBUG:
statements, parameters and result rows). The log is a plaintext file beside the encrypted
store, so the engines hide statement parameters and the log drops result rows. A lookup, a
person lookup with a full ID number, a commitment and an education check-in run through the
real services; then every log file is searched for the codes and numbers they used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.domain.commitments import CommitmentKind
from desktop_app.domain.person_id import mask_id_number
from desktop_app.logs import setup_logging, stop_file_logging
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput
from desktop_app.services.education import SessionDraft
from desktop_app.services.registry import seed_demo_catalog
from desktop_app.store.database import Store

ID_NUMBER = "140402199001011235"


@pytest.fixture
def sql_log(tmp_path: Path) -> Iterator[Path]:
    """The app's log file set up in ``tmp_path/logs``, with SQL logging at its most verbose."""
    folder = tmp_path / "logs"
    setup_logging(folder)
    engine_log = logging.getLogger("sqlalchemy.engine")
    level = engine_log.level
    engine_log.setLevel(logging.DEBUG)
    yield folder
    engine_log.setLevel(level)
    stop_file_logging()


def _log_text(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(folder.glob("credit-desk.log*")))


def test_no_uscc_or_id_number_reaches_the_log(
    sql_log: Path, seeded_services: AppServices, store: Store
) -> None:
    services = seeded_services
    seed_demo_catalog(store)
    with store.read() as session:
        uscc, representative = session.execute(
            text("SELECT uscc, legal_representative FROM entities ORDER BY id LIMIT 1")
        ).one()

    # 主体查询: by code, the card, and by a person with a full ID number.
    found = services.lookup.lookup(uscc)
    assert found.kind == "uscc" and found.ids
    card = services.lookup.card(found.ids[0], purpose="窗口受理")
    assert card.uscc == uscc
    services.lookup.lookup_person(f"{representative} {ID_NUMBER}")

    # 信用承诺: a notify-and-commit letter, signed at once.
    view = services.commitments.create(
        CommitmentInput(
            uscc=uscc,
            matter_id="cc-tax-01",
            kind=CommitmentKind.NOTIFY,
            applicant_name="王五",
            applicant_phone="13912345678",
        )
    )
    assert view.uscc == uscc

    # 诚信教育: a check-in that keeps the full ID number (the unit's rule allows it).
    services.education.keep_full_id = True
    held = services.education.create_session(
        SessionDraft(
            title="市场主体诚信经营第一课",
            held_on=date.today().isoformat(),
            start_time="9:00",
            end_time="11:30",
            place="潞州区政务服务中心三楼培训室",
            facilitator="李堃",
            materials=["信用承诺告知书样本"],
            capacity=30,
        )
    )
    services.education.check_in(held.id, uscc, "王五", id_number=ID_NUMBER, phone="13912345678")

    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = _log_text(sql_log)
    # SQL logging really was on: statements are there, their parameters are not.
    assert "INSERT INTO form_records" in logged and "SELECT" in logged
    for secret in (uscc, uscc.lower(), ID_NUMBER, mask_id_number(ID_NUMBER), "13912345678"):
        assert secret not in logged, f"{secret!r} found in the log"
    assert "[SQL parameters hidden due to hide_parameters=True]" in logged
