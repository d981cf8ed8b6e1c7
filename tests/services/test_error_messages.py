"""The service message catalog: one template per key, each used, each fillable."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from desktop_app.services.errors import ServiceError
from desktop_app.services.messages import MESSAGES

SERVICES = Path(__file__).resolve().parents[2] / "desktop_app" / "services"


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
    raised = set(re.findall(r'ServiceError\.of\(\s*"([\w.]+)"', sources))
    assert raised == set(MESSAGES)


def test_no_service_raises_a_literal_message_any_more() -> None:
    # Messages users read come from the catalog (so the UI can translate them); what is
    # left passes on a domain rule's own text (str(exc)) or a computed one.
    literal = re.compile(r'ServiceError\(\s*f?"')
    offenders = [p.name for p in SERVICES.glob("*.py") if literal.search(p.read_text("utf-8"))]
    assert offenders == []


def test_of_keeps_the_chinese_text_the_code_and_the_parameters() -> None:
    err = ServiceError.of("report.not_found", code="not_found", report_no="CR-1")
    assert str(err) == "本机没有编号为 CR-1 的报告。请核对报告编号。"
    assert (err.code, err.key) == ("not_found", "report.not_found")
    assert err.params == {"report_no": "CR-1"}
