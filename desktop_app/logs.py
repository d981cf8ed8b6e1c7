"""Logging to a rotating file in the profile's data folder, readable by its owner only.

The folder is 0700 and every log file 0600. SQL statements may be logged (``sqlalchemy.engine``
at INFO) but never with their parameters (the store's engines hide them) nor, at DEBUG, the
rows they return: those carry USCCs, names and ID numbers.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
LOG_FILE_MODE = 0o600
LOG_DIR_MODE = 0o700


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created (and kept) owner-only."""

    _credit_desk = True

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, LOG_FILE_MODE)
        if os.name == "posix":
            os.fchmod(fd, LOG_FILE_MODE)  # a file an older version made world-readable
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class _NoRowData(logging.Filter):
    """Drops the rows SQLAlchemy logs at DEBUG (``Row (...)``): they are the user's data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("sqlalchemy.engine") and isinstance(record.msg, str):
            return not record.msg.startswith("Row ")
        return True


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to ``log_dir/credit-desk.log``, rotated at 2 MB, 5 files kept.

    Args:
        log_dir: Folder for the log files; created (owner-only) if missing.
        level: Root log level.

    Returns:
        The path of the active log file.
    """
    log_dir.mkdir(mode=LOG_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(log_dir, LOG_DIR_MODE)
    path = log_dir / "credit-desk.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_credit_desk", False):
            root.removeHandler(handler)
            handler.close()
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(_NoRowData())
    root.addHandler(handler)
    root.setLevel(level)
    return path


def stop_file_logging(log_dir: Path | None = None) -> None:
    """Close the log files (all of ours, or those in ``log_dir``); logging goes on to stderr.

    Used before the profile is erased, so no handler writes the log file back.
    """
    root = logging.getLogger()
    folder = log_dir.resolve() if log_dir is not None else None
    for handler in list(root.handlers):
        if not getattr(handler, "_credit_desk", False):
            continue
        if folder is not None:
            filename = getattr(handler, "baseFilename", "")
            if Path(filename).resolve().parent != folder:
                continue
        root.removeHandler(handler)
        handler.close()
