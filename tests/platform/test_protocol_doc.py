"""docs/PROTOCOL.md keeps up with the platform's OpenAPI document and the wire schemas.

Every operation of the live OpenAPI document must be named in the page as ``METHOD /path`` in
backticks, every operation the page names that way must exist, every ``ReasonCode`` must be
explained, and every ```json block must parse. Runs on a throw-away SQLite app (no PostgreSQL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from platform_server.app import create_app
from platform_server.settings import ServerSettings
from sync.protocol import ReasonCode

DOC = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_OPERATION = re.compile(r"`(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) (/[^`\s]*)`")


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The OpenAPI document of a platform on a fresh SQLite file."""
    root = tmp_path_factory.mktemp("protocol-doc")
    app = create_app(
        ServerSettings(
            database_url=f"sqlite:///{root / 'platform.db'}",
            blob_dir=root / "blobs",
            data_dir=root,
        )
    )
    try:
        yield app.openapi()
    finally:
        app.state.engine.dispose()


@pytest.fixture(scope="module")
def doc() -> str:
    assert DOC.is_file(), f"{DOC} is missing"
    return DOC.read_text(encoding="utf-8")


def operations(schema: dict[str, Any]) -> list[str]:
    """Every operation of an OpenAPI document as ``METHOD /path``."""
    return [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]


def undocumented(text: str, wanted: list[str]) -> list[str]:
    """The operations of ``wanted`` that ``text`` never names in backticks."""
    return [op for op in wanted if f"`{op}`" not in text]


def unknown_operations(text: str, known: list[str]) -> list[str]:
    """Operations the text names in backticks that the OpenAPI document does not have."""
    named = {f"{m} {p.split('?', 1)[0]}" for m, p in _INLINE_OPERATION.findall(text)}
    return sorted(named - set(known))


def json_blocks(text: str) -> list[str]:
    """The bodies of the fenced blocks tagged ``json``."""
    return [body for tag, body in _FENCE.findall(text) if tag.strip() == "json"]


def test_every_operation_is_documented(doc: str, openapi: dict[str, Any]) -> None:
    ops = operations(openapi)
    assert len(ops) >= 15, ops
    missing = undocumented(doc, ops)
    assert not missing, f"docs/PROTOCOL.md does not describe: {missing}"


def test_every_documented_operation_exists(doc: str, openapi: dict[str, Any]) -> None:
    stale = unknown_operations(doc, operations(openapi))
    assert not stale, f"docs/PROTOCOL.md names operations the platform does not have: {stale}"


def test_every_reason_code_is_documented(doc: str) -> None:
    missing = [code.value for code in ReasonCode if f"`{code.value}`" not in doc]
    assert not missing, f"docs/PROTOCOL.md does not explain reason codes: {missing}"


def test_every_json_block_parses(doc: str) -> None:
    blocks = json_blocks(doc)
    assert len(blocks) >= 20, "expected the example exchanges as ```json blocks"
    bad = []
    for number, body in enumerate(blocks, start=1):
        try:
            json.loads(body)
        except json.JSONDecodeError as exc:
            bad.append(f"block {number} ({body.strip()[:60]!r}…): {exc}")
    assert not bad, "invalid ```json blocks in docs/PROTOCOL.md:\n" + "\n".join(bad)


def test_the_checks_can_fail(doc: str, openapi: dict[str, Any]) -> None:
    # A new endpoint without documentation, a stale one, and a broken example are all caught.
    ops = operations(openapi)
    assert undocumented(doc, [*ops, "POST /v1/not-yet-documented"]) == [
        "POST /v1/not-yet-documented"
    ]
    assert undocumented(doc.replace("`POST /v1/sync/push`", "push"), ops) == ["POST /v1/sync/push"]
    assert unknown_operations(doc + "\n`DELETE /v1/gone`\n", ops) == ["DELETE /v1/gone"]
    (broken,) = json_blocks('```json\n{"code": "bad_request",}\n```\n')
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken)
