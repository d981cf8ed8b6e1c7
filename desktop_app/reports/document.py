"""The document model every printed form is built from: plain data, no pixels.

A :class:`Document` is what gets printed: an optional cover page, then sections of blocks
(paragraphs, key-value grids, tables, signature forms). The renderer in ``ui.printing`` lays
it out on A4 with a running header (title and number), a footer (第 x 页 / 共 y 页), an optional
watermark and, when the document carries one, the verification QR code.

Documents serialise to canonical JSON (:meth:`Document.to_json`), which is how an issued
report is stored for an exact reprint, and whose bytes without the QR payload
(:meth:`Document.content_bytes`) are what the QR code's content digest covers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

ParagraphStyle = Literal["body", "note", "warning", "small", "heading"]
Align = Literal["left", "center", "right"]
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of text. ``note`` is smaller and grey, ``warning`` is bold and red-framed."""

    text: str
    style: ParagraphStyle = "body"
    align: Align = "left"
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True, slots=True)
class KeyValues:
    """A two-column grid of labelled facts (label: value), e.g. basic information."""

    rows: tuple[tuple[str, str], ...]
    columns: Literal[1, 2] = 1
    kind: Literal["key_values"] = "key_values"


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose header row repeats on every page it spans.

    Attributes:
        columns: Header texts.
        rows: Cell texts, one tuple per row, as many cells as columns.
        widths: Relative column widths (percent of the text width), or empty for equal.
        empty_text: Printed instead of the table when there are no rows.
        caption: An optional line above the table.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()
    empty_text: str = "无"
    caption: str = ""
    kind: Literal["table"] = "table"

    def __post_init__(self) -> None:
        if self.widths and len(self.widths) != len(self.columns):
            raise ValueError("a table needs one width per column")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("every table row needs one cell per column")


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """Lines to sign or stamp (e.g. 出具单位（盖章）, 经办人, 日期), right-aligned."""

    lines: tuple[str, ...]
    kind: Literal["signature"] = "signature"


BLANK_DATE = "____年__月__日"
"""A date left blank on a signature form, to be written in by hand."""


@dataclass(frozen=True, slots=True)
class SignatureLine:
    """One row of a signature form: who signs, a line to sign on, and optionally the date.

    Printed on one line as ``label：________  日期：2026年12月3日``; the date never wraps.

    Attributes:
        label: Who signs or stamps, e.g. ``承诺单位（盖章）`` (the colon is added in print).
        dated: Whether the row ends with a date.
        date: The date text (``2026年12月3日``); empty for a blank date written by hand.
    """

    label: str
    dated: bool = False
    date: str = ""

    @property
    def date_text(self) -> str:
        """What the date part prints: the date, or blanks to write it in."""
        return self.date or BLANK_DATE


@dataclass(frozen=True, slots=True)
class SignatureForm:
    """A signature area laid out as a form (签字/盖章 rows, each label, line and date).

    Replaces :class:`SignatureBlock` for new documents; that one stays so that documents
    stored before (issued credit reports) reprint byte for byte.
    """

    rows: tuple[SignatureLine, ...]
    kind: Literal["signature_form"] = "signature_form"


Block = Paragraph | KeyValues | Table | SignatureBlock | SignatureForm


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the document with a heading."""

    title: str
    blocks: tuple[Block, ...]
    page_break_before: bool = False


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover page: a big title, facts about the document, an optional warning."""

    title: str
    subtitle: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    warning: str = ""
    footer: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One printable document.

    Attributes:
        doc_type: What kind of form it is (``credit_report``, ``commitment_letter`` …).
        title: Printed in the running header.
        number: The document's number (report number), printed in every header.
        issued_at: Issue time as shown (local time text, e.g. ``2026-11-27 10:05:31``).
        sections: The body.
        cover: An optional first page.
        watermark: Text drawn diagonally on every page, e.g. 仅供招标投标使用; empty for none.
        qr_payload: The verification QR code's text, drawn on the cover and in every footer;
            empty for none.
        qr_caption: The line printed under the cover's QR code.
        subject: Whom the document is about (the entity, the attendee, the session), for
            the name of an exported file; not printed. Empty when unknown.
    """

    doc_type: str
    title: str
    number: str
    issued_at: str
    sections: tuple[Section, ...]
    cover: Cover | None = None
    watermark: str = ""
    qr_payload: str = ""
    qr_caption: str = ""
    subject: str = ""

    def with_qr(self, payload: str, caption: str = "") -> Document:
        """A copy carrying the signed QR payload."""
        return replace(self, qr_payload=payload, qr_caption=caption or self.qr_caption)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-able data (see :meth:`from_data`)."""
        data = {"format": FORMAT_VERSION, **_plain(self)}
        if not self.subject:
            # Documents stored before the field existed keep their exact bytes (and digest).
            del data["subject"]
        return data

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 characters kept."""
        return json.dumps(self.to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def content_bytes(self) -> bytes:
        """The bytes the QR code's content digest covers: everything but the QR fields."""
        return replace(self, qr_payload="", qr_caption="").to_json().encode()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document from :meth:`to_data` output.

        Raises:
            ValueError: The data is not a document of a known format.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ValueError("not a Credit Desk document of a known format")
        try:
            cover = data.get("cover")
            return cls(
                doc_type=str(data["doc_type"]),
                title=str(data["title"]),
                number=str(data["number"]),
                issued_at=str(data["issued_at"]),
                sections=tuple(_section(s) for s in data["sections"]),
                cover=_cover(cover) if cover else None,
                watermark=str(data.get("watermark", "")),
                qr_payload=str(data.get("qr_payload", "")),
                qr_caption=str(data.get("qr_caption", "")),
                subject=str(data.get("subject", "")),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"document data is incomplete: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> Document:
        """Rebuild a document from :meth:`to_json` output."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"document JSON is malformed: {exc}") from None
        return cls.from_data(data)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _pairs(rows: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in rows)


def _block(data: dict[str, Any]) -> Block:
    kind = data.get("kind")
    if kind == "paragraph":
        return Paragraph(str(data["text"]), data.get("style", "body"), data.get("align", "left"))
    if kind == "key_values":
        return KeyValues(_pairs(data["rows"]), data.get("columns", 1))
    if kind == "table":
        return Table(
            columns=tuple(str(c) for c in data["columns"]),
            rows=tuple(tuple(str(c) for c in row) for row in data["rows"]),
            widths=tuple(int(w) for w in data.get("widths", ())),
            empty_text=str(data.get("empty_text", "无")),
            caption=str(data.get("caption", "")),
        )
    if kind == "signature":
        return SignatureBlock(tuple(str(x) for x in data["lines"]))
    if kind == "signature_form":
        return SignatureForm(
            tuple(
                SignatureLine(str(r["label"]), bool(r.get("dated", False)), str(r.get("date", "")))
                for r in data["rows"]
            )
        )
    raise ValueError(f"unknown block kind {kind!r}")


def _section(data: dict[str, Any]) -> Section:
    return Section(
        title=str(data["title"]),
        blocks=tuple(_block(b) for b in data["blocks"]),
        page_break_before=bool(data.get("page_break_before", False)),
    )


def _cover(data: dict[str, Any]) -> Cover:
    return Cover(
        title=str(data["title"]),
        subtitle=str(data.get("subtitle", "")),
        facts=_pairs(data.get("facts", ())),
        warning=str(data.get("warning", "")),
        footer=str(data.get("footer", "")),
    )


__all__ = [
    "BLANK_DATE",
    "Block",
    "Cover",
    "Document",
    "KeyValues",
    "Paragraph",
    "Section",
    "SignatureBlock",
    "SignatureForm",
    "SignatureLine",
    "Table",
]
