"""Logging to a rotating file in the profile's data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to ``log_dir/credit-desk.log``, rotated at 2 MB, 5 files kept.

    Args:
        log_dir: Folder for the log files; created if missing.
        level: Root log level.

    Returns:
        The path of the active log file.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "credit-desk.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_credit_desk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._credit_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
