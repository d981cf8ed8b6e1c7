"""Translations of the domain's Chinese labels (statuses, kinds, severities, roles …).

The domain keeps its labels as plain Chinese data (it may not import Qt). The UI shows them
through :func:`domain_label`, and this module marks every one of them for Qt's lupdate with
``QT_TRANSLATE_NOOP`` so the English translation has them. ``tests/ui/test_translations.py``
checks that every label of the domain tables is marked here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "DomainLabels"

MARKED = (
    # Commitment statuses (desktop_app.domain.commitments.STATUS_LABELS).
    QT_TRANSLATE_NOOP("DomainLabels", "草稿"),
    QT_TRANSLATE_NOOP("DomainLabels", "已签署"),
    QT_TRANSLATE_NOOP("DomainLabels", "已履约"),
    QT_TRANSLATE_NOOP("DomainLabels", "逾期未履约"),
    QT_TRANSLATE_NOOP("DomainLabels", "违约"),
    QT_TRANSLATE_NOOP("DomainLabels", "核查属实"),
    QT_TRANSLATE_NOOP("DomainLabels", "虚假承诺"),
    QT_TRANSLATE_NOOP("DomainLabels", "已撤回"),
    # Commitment kinds (KIND_LABELS).
    QT_TRANSLATE_NOOP("DomainLabels", "告知承诺"),
    QT_TRANSLATE_NOOP("DomainLabels", "容缺受理"),
    QT_TRANSLATE_NOOP("DomainLabels", "行业自律"),
    QT_TRANSLATE_NOOP("DomainLabels", "信用修复"),
    QT_TRANSLATE_NOOP("DomainLabels", "主动承诺"),
    # Severities (BreachSeverity, disclosure.Severity).
    QT_TRANSLATE_NOOP("DomainLabels", "轻微"),
    QT_TRANSLATE_NOOP("DomainLabels", "一般"),
    QT_TRANSLATE_NOOP("DomainLabels", "严重"),
    # Roles of applicants and attendees.
    QT_TRANSLATE_NOOP("DomainLabels", "法定代表人"),
    QT_TRANSLATE_NOOP("DomainLabels", "委托代理人"),
    QT_TRANSLATE_NOOP("DomainLabels", "股东"),
    QT_TRANSLATE_NOOP("DomainLabels", "财务负责人"),
    QT_TRANSLATE_NOOP("DomainLabels", "经办人"),
    QT_TRANSLATE_NOOP("DomainLabels", "其他"),
    # Forms of a missing material.
    QT_TRANSLATE_NOOP("DomainLabels", "原件"),
    QT_TRANSLATE_NOOP("DomainLabels", "复印件"),
    QT_TRANSLATE_NOOP("DomainLabels", "原件及复印件"),
    QT_TRANSLATE_NOOP("DomainLabels", "电子件"),
)


def domain_label(text: str) -> str:
    """The label in the interface language (the Chinese text itself when untranslated)."""
    return QCoreApplication.translate(CONTEXT, text)
