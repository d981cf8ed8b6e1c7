"""The service message catalog: one template per key, each used, each fillable."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import desktop_app.services
from desktop_app.services.errors import ServiceError
from desktop_app.services.messages import MESSAGES
from desktop_app.services.sync_status import ResolutionRefusedError

SERVICES = Path(__file__).resolve().parents[2] / "desktop_app" / "services"


def _subclasses(cls: type[ServiceError]) -> Iterator[type[ServiceError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _error_classes() -> str:
    """A regex alternation of ServiceError and every subclass a service module defines."""
    for module in pkgutil.iter_modules(desktop_app.services.__path__):
        importlib.import_module(f"desktop_app.services.{module.name}")
    names = {"ServiceError", *(c.__name__ for c in _subclasses(ServiceError))}
    return "|".join(sorted(names))


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_template_fills_from_its_own_parameters(key: str) -> None:
    names = _placeholders(MESSAGES[key])
    err = ServiceError.of(key, **{name: f"<{name}>" for name in names})
    assert err.key == key and set(err.params) == names
    for name in names:
        assert f"<{name}>" in str(err)


def test_every_key_is_raised_somewhere_and_every_raise_names_a_known_key() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in SERVICES.glob("*.py") if p.name != "messages.py"
    )
    raised = set(re.findall(rf'\b(?:{_error_classes()})\.of\(\s*"([\w.]+)"', sources))
    assert raised == set(MESSAGES)


def test_no_service_raises_a_literal_message_any_more() -> None:
    # Messages users read come from the catalog (so the UI can translate them); what is
    # left passes on a domain rule's own text (str(exc)) or a computed one.
    literal = re.compile(rf'\b(?:{_error_classes()})\(\s*f?"')
    offenders = [p.name for p in SERVICES.glob("*.py") if literal.search(p.read_text("utf-8"))]
    assert offenders == []


def test_of_keeps_the_chinese_text_the_code_and_the_parameters() -> None:
    err = ServiceError.of("report.not_found", code="not_found", report_no="CR-1")
    assert str(err) == "本机没有编号为 CR-1 的报告。请核对报告编号。"
    assert (err.code, err.key) == ("not_found", "report.not_found")
    assert err.params == {"report_no": "CR-1"}


def test_of_on_a_subclass_makes_that_subclass() -> None:
    err = ResolutionRefusedError.of("sync.local_refused", code="illegal_transition", reason="X")
    assert type(err) is ResolutionRefusedError
    assert str(err) == "平台不会接受保留本机的内容：X"
    assert (err.code, err.key, err.params) == (
        "illegal_transition",
        "sync.local_refused",
        {"reason": "X"},
    )


def test_a_converted_error_reads_in_english_with_the_english_translator(qapp) -> None:
    from ui.app import install_translator
    from ui.error_text import error_text

    err = ResolutionRefusedError.of("sync.delete_refused_referrers", count=3, label="签到记录")
    assert str(err) == "已有3条签到记录引用这条记录，平台不会接受删除。请保留平台记录。"
    assert install_translator(qapp, "en")
    try:
        assert error_text(err) == (
            "3 签到记录 record(s) refer to this record, so the platform will not accept the"
            " deletion. Keep the platform's record."
        )
        report = ServiceError.of("report.not_found", report_no="CR-7")
        assert error_text(report) == (
            "There is no report numbered CR-7 on this computer. Check the report number."
        )
    finally:
        assert install_translator(qapp, "zh_CN")
    assert error_text(err) == str(err)
