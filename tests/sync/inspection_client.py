"""The inspector's client on site, as a separate process: record one whole inspection offline.

Run by ``test_inspection_offline.py`` with the venv's python. It opens the profile's
encrypted store with its passphrase (a passphrase profile needs no keyring, so this process
shares nothing with the test but the files), builds the app's services as the composition
root does, and through :attr:`AppServices.inspections` records an inspection of one open
task: every checklist item answered (the first one failed), a finding on the failed item,
outcome 责令整改 (RECTIFY) with a deadline, then the photo files imported. It never touches
the network.

Configured by the environment:

``INSP_PROFILE`` profile folder, ``INSP_PASSPHRASE`` its passphrase, ``INSP_PHOTOS`` photo
file paths joined with ``os.pathsep``, ``INSP_DEADLINE`` working days to rectify.

Prints ``ready <json>`` (the task chosen and its checklist size) and, once the record and its
photos are committed, ``committed <json>``; then it blocks on stdin until killed (the test
sends SIGKILL: whatever was committed must survive a crash).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from desktop_app.config import ProfilePaths
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.app import AppServices
from desktop_app.services.inspections import (
    FindingInput,
    InspectionInput,
    InspectionService,
    ItemAnswer,
)
from desktop_app.services.unlock import StoreUnlocker
from sync.report_signing import DeviceReportSigner

ON_SITE = datetime(2025, 6, 10, 9, 30)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _count(value: object) -> int:
    """``PhotoImport.added`` as a number (a count or a sequence of what was added)."""
    if isinstance(value, int):
        return value
    return len(value)  # type: ignore[arg-type]


def main() -> int:
    """Record the inspection, report it, then wait to be killed."""
    env = os.environ
    unlocker = StoreUnlocker(ProfilePaths(Path(env["INSP_PROFILE"])))
    store = unlocker.unlock(env["INSP_PASSPHRASE"])
    services = AppServices.build(
        store, unlocker, actor="inspector-on-site", signer=DeviceReportSigner(store)
    )
    # A fixed day inside the official calendar's years: the deadline is always computable,
    # whatever year the tests run in (a later year needs the platform's holiday table).
    inspections = InspectionService(store, services.actor, clock=lambda: ON_SITE)
    open_tasks = inspections.tasks(include_done=False)
    if not open_tasks:
        _say("error no open task")
        return 2
    task = open_tasks[0]
    checklist = inspections.checklist(task.checklist_id)
    items = checklist.items
    _say(
        "ready "
        + json.dumps(
            {"task_id": task.task_id, "uscc": task.uscc, "checklist": task.checklist_id,
             "items": len(items), "open_tasks": len(open_tasks)},
            ensure_ascii=False,
        )
    )  # fmt: skip
    failed = items[0].no
    answers = tuple(
        ItemAnswer(
            item.no,
            ItemResult.FAIL if item.no == failed else ItemResult.PASS,
            "现场发现：未按规定公示许可证件" if item.no == failed else "",
        )
        for item in items
    )
    view = inspections.record(
        InspectionInput(
            task_id=task.task_id,
            inspected_on=ON_SITE.date(),
            answers=answers,
            conclusion="检查发现一项问题，已责令限期整改。",
            location="经营场所（离线现场检查）",
            representative_name="王某某",
            representative_role="负责人",
            findings=(
                FindingInput(
                    "经营场所未在醒目位置公示营业执照及许可证件。",
                    severity="general",
                    item_no=failed,
                ),
            ),
            outcome=Outcome.RECTIFY,
            deadline_working_days=int(env.get("INSP_DEADLINE", "10")),
        )
    )
    paths = [Path(p) for p in env["INSP_PHOTOS"].split(os.pathsep) if p]
    imported = inspections.import_photo_files(view.record_id, paths)
    if imported.errors:
        _say("error " + json.dumps([str(e) for e in imported.errors], ensure_ascii=False))
        return 3
    _say(
        "committed "
        + json.dumps(
            {"record_id": view.record_id, "task_id": task.task_id, "uscc": task.uscc,
             "answers": len(answers), "photos": _count(imported.added)},
            ensure_ascii=False,
        )
    )  # fmt: skip
    # Stay alive, store open, until the test kills this process.
    sys.stdin.read()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
