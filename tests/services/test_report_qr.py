"""What a report's QR code holds (issue #19): the verification address when the signer has one."""

from __future__ import annotations

from desktop_app.services.report_qr import qr_content

ADDRESS = "HTTPS://CREDIT.CHANGZHI.GOV.CN/V/XYBG-20261204-0A1B2C3D-0001/43ZPX-FJ59H"


class _Addressing:
    def __init__(self, address: str | None) -> None:
        self.address = address
        self.asked: list[str] = []

    def verify_address(self, payload: str) -> str | None:
        self.asked.append(payload)
        return self.address


def test_the_qr_code_holds_the_address_and_the_caption_names_the_code() -> None:
    signer = _Addressing(ADDRESS)
    text, caption = qr_content(signer, "CDR1.a.b", "扫码核验报告真伪")
    assert text == ADDRESS and signer.asked == ["CDR1.a.b"]
    lines = caption.split("\u2028")
    assert lines[0] == "扫码核验报告真伪" and "核验码 43ZPX-FJ59H" in lines
    assert lines[-1] == "credit.changzhi.gov.cn/V"  # the manual page, typed in lower case


def test_without_a_platform_address_the_qr_code_keeps_the_signed_payload() -> None:
    assert qr_content(_Addressing(None), "CDR1.a.b", "扫码") == ("CDR1.a.b", "扫码")
    assert qr_content(object(), "CDR1.a.b", "扫码") == ("CDR1.a.b", "扫码")  # a plain signer
