"""What a report's QR code holds: its public verification address when the signer has one.

Since issue #19 the QR code of a credit report or letter holds
``HTTPS://<platform>/V/<number>/<check code>`` — anyone's phone opens the platform's public
check page — and the cover prints the check code beside it for typing by hand. The signed
``CDR1.`` payload is not printed any more; it stays with the issued report in the store
(``IssuedReport.payload``), is registered with the platform at the next sync as before, and is
what the address's check code is derived from. Without a configured platform address (or with
a plain-http one off loopback) the QR code holds the payload, as before.

The services may not import ``sync``: the address comes from the signer the composition root
hands in (``sync.report_signing.DeviceReportSigner.verify_address``); a signer without that
method (test doubles) keeps the payload.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["qr_content"]


def qr_content(signer: object, payload: str, caption: str) -> tuple[str, str]:
    """The QR text and caption for a signed report.

    Args:
        signer: The report signer (may offer ``verify_address(payload) -> str | None``).
        payload: The signed ``CDR1.`` payload.
        caption: The document's caption under the QR code (e.g. 扫码核验报告真伪).

    Returns:
        ``(qr text, caption)``: the address and a caption naming the manual page and the check
        code, or the payload and the caption unchanged.
    """
    address_of = getattr(signer, "verify_address", None)
    address = address_of(payload) if callable(address_of) else None
    if not isinstance(address, str) or not address:
        return payload, caption
    parts = urlsplit(address)
    code = parts.path.rsplit("/", 1)[-1]
    manual = f"{parts.netloc.lower()}{parts.path.rsplit('/', 3)[0]}/V"
    # U+2028: a line break inside the caption's one paragraph (the address stays on one line).
    words = f"核验码 {code}\u2028无法扫码时访问\u2028{manual}"
    return address, f"{caption}\u2028{words}" if caption else words
