from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtWidgets import QApplication

from desktop_app.config import resources_dir
from ui.app import install_translator
from ui.pages.pending import PendingPage
from ui.pages.workbench import WorkbenchPage

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_translations.py"
TS = resources_dir() / "translations" / "credit_desk_en.ts"
QM = TS.with_suffix(".qm")
PLACEHOLDER = re.compile(r"\{\w+\}")


def _messages(ts: Path) -> list[ET.Element]:
    return ET.parse(ts).getroot().findall("./context/message")


def _unfinished(ts: Path) -> list[str]:
    problems = []
    for message in _messages(ts):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if (
            translation is None
            or translation.get("type") in ("unfinished", "vanished", "obsolete")
            or not (translation.text or "").strip()
        ):
            problems.append(source)
    return problems


@pytest.fixture
def english(app: QApplication) -> Iterator[QApplication]:
    if not QM.exists():
        subprocess.run([sys.executable, str(SCRIPT)], check=True, cwd=ROOT)
    assert install_translator(app, "en")
    yield app
    assert install_translator(app, "zh_CN")


def test_widgets_speak_english_with_the_english_translation(qtbot, english) -> None:
    page = PendingPage("同步")
    qtbot.addWidget(page)
    assert page.body_label.text() == "This module will be available in a later release."
    workbench = WorkbenchPage()
    qtbot.addWidget(workbench)
    assert workbench.title_label.text() == "Workbench"
    assert workbench.last_sync_tile.caption_label.text() == "Last sync"


def test_chinese_is_back_after_switching(qtbot, app: QApplication) -> None:
    assert install_translator(app, "zh_CN")
    page = PendingPage("同步")
    qtbot.addWidget(page)
    assert page.body_label.text() == "本模块将在后续版本中提供。"


def test_every_message_has_a_finished_translation() -> None:
    messages = _messages(TS)
    assert len(messages) > 50
    assert _unfinished(TS) == []


def test_placeholders_survive_translation() -> None:
    for message in _messages(TS):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(translation)), source


def test_translation_file_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    # lupdate merges into a copy: a string added to ui/ without a translation shows up
    # as unfinished, a removed one disappears.
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate is not None
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))
    sources.append("desktop_app/services/messages.py")  # the service messages' templates
    subprocess.run(
        [lupdate, *sources, "-locations", "none", "-no-obsolete", "-ts", str(copy)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    assert _unfinished(copy) == []
    assert len(_messages(copy)) == len(_messages(TS))


def test_every_domain_label_the_ui_shows_is_marked_for_translation() -> None:
    from desktop_app.domain import commitments as cm
    from desktop_app.domain import disclosure
    from desktop_app.services.commitments import APPLICANT_ROLES, MATERIAL_FORMS
    from desktop_app.services.education import ROLES
    from ui.labels import MARKED

    shown = {
        *cm.STATUS_LABELS.values(),
        *cm.KIND_LABELS.values(),
        *(s.label for s in cm.BreachSeverity),
        *disclosure.SEVERITY_LABELS.values(),
        *APPLICANT_ROLES,
        *MATERIAL_FORMS,
        *ROLES,
    }
    assert shown <= set(MARKED)


def test_a_domain_label_is_translated_in_english(qapp: QApplication) -> None:
    from ui.labels import domain_label

    assert install_translator(qapp, "en")
    try:
        assert domain_label("容缺受理") != "容缺受理"
    finally:
        install_translator(qapp, "zh_CN")


def test_a_service_error_reads_in_english_with_its_parameters_filled(english) -> None:
    from desktop_app.services.errors import ServiceError
    from ui.error_text import error_text

    err = ServiceError.of("education.session_full", capacity=30)
    assert str(err).startswith("本场培训已达容纳人数（30人）。")
    assert error_text(err).startswith("This session has reached its capacity (30 people).")
    # A message a domain rule wrote (no catalogue key) shows as it came.
    assert error_text(ServiceError("规则的原文")) == "规则的原文"


def test_a_service_error_reads_in_chinese_by_default(app: QApplication) -> None:
    from desktop_app.services.errors import ServiceError
    from ui.error_text import error_text

    assert install_translator(app, "zh_CN")
    err = ServiceError.of("inspection.task_missing", task_id="T-1")
    assert error_text(err) == str(err) and "T-1" in error_text(err)
