"""Screenshots of the service-window workflows: credit check, commitment form, education.

Run under a real (virtual) X server so fonts and styles render as on a desk::

    PYTHONPATH=. xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot_window.py

It makes a throw-away passphrase-protected profile with the client's demo data (entities,
their licences, penalties and lists, the commitment catalog), takes two commitments and runs
one integrity-education session through the real services, then saves:

* docs/screenshot-credit-check.png — 主体查询 with the credit check of the first demo entity;
* docs/screenshot-commitment-form.png — the 新建承诺 form for a 容缺受理 with two materials;
* docs/screenshot-education.png — 诚信教育 with a session and its check-ins;
* docs/screenshot-repair-queue.png — 修复与异议: a repair application taken offline in the queue;
* docs/screenshot-objection-intake.png — the objection intake against the city-wide record.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import keyring
import keyring.backends.fail

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitments import CommitmentKind
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.education import SessionDraft
from desktop_app.services.registry import seed_demo_if_empty
from desktop_app.services.unlock import StoreUnlocker
from sync.report_signing import DeviceReportSigner
from ui.app import create_application
from ui.main_window import PAGE_COMMITMENTS, PAGE_LOOKUP, PAGE_REPAIRS, MainWindow
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ENTITIES = 2000
PASSPHRASE = "screenshot-passphrase-1"


def prepare(services: AppServices) -> tuple[str, str]:
    """Demo data plus two commitments and a session; returns (first code, second code)."""
    seed_demo_if_empty(services.store, ENTITIES)
    codes = [e["uscc"] for e in generate_entities(3)]
    commitments = services.commitments
    commitments.create(
        CommitmentInput(
            uscc=codes[0],
            matter_id="cc-tax-01",
            kind=CommitmentKind.NOTIFY,
            applicant_name="吕丽",
            applicant_phone="13835512345",
        )
    )
    education = services.education
    session = education.create_session(
        SessionDraft(
            title="新开办市场主体诚信经营第一课",
            held_on=date.today() - timedelta(days=1),
            start_time="09:30",
            end_time="11:00",
            place="潞州区政务服务中心三楼培训室",
            facilitator="王堃",
            materials=("《长治市社会信用体系建设实施意见》解读", "信用承诺与信用修复指南"),
            capacity=40,
        )
    )
    people = (("赵喆", "法定代表人", "13912345678"), ("钱昇", "财务负责人", ""))
    for code, (name, role, phone) in zip(codes[1:], people, strict=True):
        education.check_in(session.id, code, name, role=role, phone=phone)
    education.check_in(session.id, codes[0], "孙玥", role="经办人", phone="13600001111")
    city_wide(services, codes[0])
    return codes[0], codes[1]


def city_wide(services: AppServices, code: str) -> None:
    """What the platform's city-wide record brings for the entity: another hall's breach."""
    from desktop_app.domain import credit_record
    from desktop_app.domain.person_id import check_character, mask_id_number
    from desktop_app.store.models import Entity
    from sync.events import SyncReport
    from sync.pull import apply_page
    from sync.transport import PulledChange

    decided = (date.today() - timedelta(days=40)).isoformat()
    letter = {
        "uscc": code,
        "kind": "notify",
        "status": "verified_false",
        "matter": "纳税信用补评",
        "authority": "国家税务总局长治市上党区税务局",
        "signed_on": (date.today() - timedelta(days=90)).isoformat(),
        "breach": {"severity": "general", "recorded_at": decided},
    }
    breach = {
        "uscc": code,
        "source_collection": "commitments",
        "source_id": "shangdang-c1",
        "kind": "false_commitment",
        "severity": "general",
        "matter": "纳税信用补评",
        "decided_on": decided,
        "objection_status": "pending",
    }
    older = {
        **breach,
        "source_id": "tunliu-c7",
        "matter": "建设工程消防验收",
        "decided_on": (date.today() - timedelta(days=200)).isoformat(),
        "objection_status": "",
    }
    changes = []
    for collection, record_id, fields, related in (
        ("commitments", "shangdang-c1", letter, [breach]),
        ("dishonesty_records", "shangdang-d1", breach, []),
        ("dishonesty_records", "tunliu-d7", older, []),
    ):
        entry = credit_record.project(collection, record_id, fields, related)
        assert entry is not None
        changes.append(
            PulledChange(
                credit_record.ENTRY_COLLECTION,
                credit_record.entry_id(collection, record_id),
                1,
                False,
                {**entry, "authority": letter["authority"]},
            )
        )
    first17 = "14040419780312045"
    with services.store.write() as s:
        apply_page(s, changes, SyncReport())
        entity = s.query(Entity).filter_by(uscc=code).one()
        entity.legal_representative_id = mask_id_number(first17 + check_character(first17))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args()

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the passphrase path
    settings = Settings()
    app = create_application(sys.argv[:1], settings)
    tasks = TaskManager()
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-shot-")
    paths = ProfilePaths(Path(workdir.name) / "profile")
    unlocker = StoreUnlocker(paths)
    state: dict[str, object] = {}

    def open_store() -> tuple[AppServices, tuple[str, str]]:
        store = unlocker.unlock(PASSPHRASE)
        services = AppServices.build(
            store, unlocker, "window.luzhou.1", signer=DeviceReportSigner(store)
        )
        return services, prepare(services)

    def save(widget: QWidget, name: str) -> None:
        target = args.out / name
        if not widget.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        print(f"saved {target}")

    def later(ms: int, step: Callable[[], None]) -> None:
        QTimer.singleShot(ms, step)

    def show(result: tuple[AppServices, tuple[str, str]]) -> None:
        services, (first, second) = result
        state["services"] = services
        state["first"] = first
        window = MainWindow(services, settings, paths, tasks)
        state["window"] = window
        window.resize(1360, 860)
        window.show()
        window.show_page(PAGE_LOOKUP)
        lookup = window.lookup
        lookup.purpose_combo.setCurrentIndex(1)  # 容缺受理审查
        lookup.card_shown.connect(lambda _id: later(500, lambda: credit_check_done(second)))
        lookup.search_edit.setText(first)
        lookup.search()

    def credit_check_done(second: str) -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        save(window, "screenshot-credit-check.png")
        window.show_page(PAGE_COMMITMENTS)
        dialog = window.commitments_page.open_new_for(second)
        dialog.catalog_loaded.connect(lambda: later(300, lambda: fill_form(dialog)))

    def fill_form(dialog: QWidget) -> None:
        from ui.widgets.commitment_dialogs import NewCommitmentDialog

        assert isinstance(dialog, NewCommitmentDialog)
        dialog.select_matter("cc-food-01")
        kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
        dialog.kind_combo.setCurrentIndex(kinds.index(CommitmentKind.TOLERANCE.value))
        dialog.applicant_edit.setText("赵喆")
        dialog.phone_edit.setText("13912345678")
        for check, _form in dialog.material_rows()[:2]:
            check.setChecked(True)
        dialog.resize(760, dialog.sizeHint().height())
        later(700, lambda: form_done(dialog))

    def form_done(dialog: QWidget) -> None:
        save(dialog, "screenshot-commitment-form.png")
        dialog.close()
        window = state["window"]
        assert isinstance(window, MainWindow)
        window.show_page(3)
        page = window.education_page
        later(1200, lambda: education_ready(page))

    def education_ready(page: QWidget) -> None:
        from ui.pages.education import EducationPage

        assert isinstance(page, EducationPage)
        page.sessions_view.selectRow(0)
        later(900, finish)

    def finish() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        save(window, "screenshot-education.png")
        services = state["services"]
        assert isinstance(services, AppServices)
        code = state["first"]

        def take() -> None:
            from desktop_app.domain.repair import RepairWay
            from desktop_app.services.repairs import RepairInput

            services.repairs.apply_repair(
                RepairInput(
                    str(code),
                    "tunliu-d7",
                    RepairWay.RECTIFICATION,
                    "已完成消防整改并通过复查，缴清罚款，作出信用修复承诺",
                    "吕丽",
                    materials=("信用修复申请书", "整改报告", "信用修复承诺书"),
                )
            )

        tasks.run_db(take, lambda _r: repairs_page(), failed)

    def repairs_page() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        window.show_page(PAGE_REPAIRS)
        page = window.repairs_page
        page.refresh()
        later(800, lambda: intake(page))

    def intake(page: QWidget) -> None:
        from ui.pages.repairs import RepairsPage

        assert isinstance(page, RepairsPage)
        window = state["window"]
        assert isinstance(window, MainWindow)
        save(window, "screenshot-repair-queue.png")
        dialog = page.open_intake(objection=True)
        dialog.uscc_edit.setText(str(state["first"]))
        dialog.find_records()
        dialog.person_edit.setText("吕丽")
        dialog.role_edit.setText("法定代表人")
        dialog.text_edit.setPlainText("所附完税证明系税务机关出具的真实文件，认定为虚假承诺有误。")
        dialog.extra_edit.setText("完税证明原件、税务机关出具的说明")
        later(900, lambda: intake_done(dialog))

    def intake_done(dialog: QWidget) -> None:
        save(dialog, "screenshot-objection-intake.png")
        dialog.close()
        window = state["window"]
        assert isinstance(window, MainWindow)
        window.close()
        app.exit(0)

    def failed(exc: Exception) -> None:
        print(f"failed: {exc!r}", file=sys.stderr)
        app.exit(1)

    tasks.run_db(open_store, show, failed)
    code = app.exec()
    services = state.get("services")
    if isinstance(services, AppServices):
        tasks.run_db(services.close)
    tasks.shutdown()
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
