"""Make the sample credit report in docs/: a PDF and a PNG of its first page.

Run it headless::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/sample_report.py

It makes a throw-away passphrase-protected profile holding the client's demo data (the first
demo entity has a licence, penalties in and out of their publication period, a repaired one,
a list membership and a public inspection), adds a signed 容缺受理 commitment and an
integrity-education attendance as a window would, marks the data as synced two hours ago, and
issues a report for 招标投标 through the same service and printing pipeline the app uses.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import keyring.backends.fail

from PySide6.QtGui import QGuiApplication

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import seed_demo_if_empty
from desktop_app.services.reports import IssueRequest
from desktop_app.services.status import LAST_SYNC_KEY
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.models import Entity
from desktop_app.store.outbox import SyncStateRepo
from sync.events import SyncReport
from sync.pull import apply_page
from sync.report_signing import DeviceReportSigner
from sync.transport import PulledChange
from ui.fonts import load_bundled_fonts
from ui.printing import render_pdf

ROOT = Path(__file__).resolve().parent.parent


def window_forms(uscc: str) -> list[PulledChange]:
    """A commitment and an attendance, as the platform would return this hall's forms."""
    today = datetime.now().date()
    forms = [
        (
            "commitments",
            "sample-commitment",
            {
                "uscc": uscc,
                "kind": "tolerance",
                "status": "fulfilled",
                "matter": "食品经营许可（容缺受理：食品安全管理制度文本）",
                "signed_on": (today - timedelta(days=60)).isoformat(),
                "deadline": (today - timedelta(days=45)).isoformat(),
            },
        ),
        (
            "education_sessions",
            "sample-session",
            {
                "title": "新开办市场主体诚信经营第一课",
                "held_on": (today - timedelta(days=58)).isoformat(),
            },
        ),
        (
            "attendance",
            "sample-attendance",
            {"session_id": "sample-session", "attendee_name": "王堃", "uscc": uscc},
        ),
    ]
    return [PulledChange(c, rid, 1, False, f) for c, rid, f in forms]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sample-credit-report.pdf")
    parser.add_argument("--dpi", type=int, default=70, help="resolution of the page-1 PNG")
    args = parser.parse_args()

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the passphrase path
    app = QGuiApplication(sys.argv[:1])
    load_bundled_fonts()
    with tempfile.TemporaryDirectory(prefix="credit-desk-sample-") as workdir:
        paths = ProfilePaths(Path(workdir) / "profile")
        unlocker = StoreUnlocker(paths)
        store = unlocker.unlock("sample-passphrase-1")
        try:
            seed_demo_if_empty(store, count=200)
            uscc = next(generate_entities(1))["uscc"]
            with store.write() as s:
                entity = s.query(Entity).filter_by(uscc=uscc).one()
                entity_id = entity.id
                apply_page(s, window_forms(uscc), SyncReport())
                synced = datetime.now() - timedelta(hours=2)
                SyncStateRepo(s).set(LAST_SYNC_KEY, synced.strftime("%Y-%m-%d %H:%M"))
            services = AppServices.build(
                store, unlocker, "window.luzhou.1", signer=DeviceReportSigner(store)
            )
            signed = services.reports.issue(
                entity_id,
                IssueRequest(
                    purpose="招标投标",
                    issuing_unit="长治市潞州区政务服务中心",
                    watermark="仅供招标投标使用",
                ),
            )
            result = render_pdf(signed.document, args.out)
        finally:
            store.close()
    png = args.out.with_name(args.out.stem + "-page1")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(args.dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            "--",
            str(args.out),
            str(png),
        ],
        check=True,
    )
    print(f"{signed.report_no}: {result.pages} pages -> {args.out}, {png}.png")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
