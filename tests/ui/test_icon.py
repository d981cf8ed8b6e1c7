"""The application icon: every window carries it, in the sizes the desktop entry ships."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop_app.config import resources_dir


def test_the_application_has_its_icon_in_every_size(app: QApplication) -> None:
    icon = app.windowIcon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(16, 16), (48, 48), (256, 256)} <= sizes
    assert app.desktopFileName() == "credit-desk"
    # The same files the .deb installs into the icon theme.
    shipped = sorted(p.name for p in (resources_dir() / "icons").glob("credit-desk-*.png"))
    assert "credit-desk-256.png" in shipped
    assert icon.actualSize(QSize(64, 64)) == QSize(64, 64)
