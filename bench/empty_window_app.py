"""The yardstick of the cold-start bench: an empty PySide6 window, frozen like the client.

``bench/coldstart_bench.py`` freezes this file with PyInstaller (one folder, the same Qt modules
excluded as in ``build.spec``) and times how long its window takes to appear; the client's
start is divided by that. It imports nothing but PySide6's widgets.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

TITLE = "empty-window"


def main() -> int:
    """Show one empty main window until it is closed."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle(TITLE)
    window.setCentralWidget(QLabel("empty"))
    window.resize(800, 600)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
