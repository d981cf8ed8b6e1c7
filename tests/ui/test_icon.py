"""The application icon: every window carries it; the desktop entry ships every size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop_app.config import resources_dir
from ui.app import WINDOW_ICON_MAX_PX


def test_the_application_has_its_icon_in_every_size(app: QApplication) -> None:
    icon = app.windowIcon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(16, 16), (48, 48), (128, 128)} <= sizes
    # Not the larger ones: X11 sends every size of a window's icon at each window's first show.
    assert max(w for w, _ in sizes) <= WINDOW_ICON_MAX_PX == 128
    assert app.desktopFileName() == "credit-desk"
    # The same files the .deb installs into the icon theme.
    shipped = sorted(p.name for p in (resources_dir() / "icons").glob("credit-desk-*.png"))
    assert {"credit-desk-256.png", "credit-desk-512.png"} <= set(shipped)
    assert icon.actualSize(QSize(64, 64)) == QSize(64, 64)
