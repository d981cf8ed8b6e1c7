"""Service errors in the user's language, and the one way a page shows them.

A service refuses input with a :class:`~desktop_app.services.errors.ServiceError` built from
the message catalog (:mod:`desktop_app.services.messages`): its key and parameters. Here the
template is translated (context ``ServiceError``) and then filled, so an English UI shows
English; an error without a key (a domain rule's text) shows as it came.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.services.errors import ServiceError
from desktop_app.services.messages import MESSAGES
from ui.widgets.message_box import InlineMessage

__all__ = ["error_text", "show_service_error"]


def error_text(exc: BaseException) -> str:
    """The message of ``exc`` in the UI language (its Chinese text when not catalogued)."""
    if isinstance(exc, ServiceError) and exc.key in MESSAGES:
        template = QCoreApplication.translate("ServiceError", MESSAGES[exc.key])
        try:
            return template.format(**exc.params)
        except (KeyError, IndexError, ValueError):
            return str(exc)  # a translation that names a parameter wrongly: the source text
    return str(exc)


def show_service_error(message: InlineMessage, exc: Exception) -> None:
    """Show a refused input in ``message``; anything else is a bug and is raised again.

    Raises:
        Exception: ``exc`` itself when it is not a :class:`ServiceError` (the global handler
            logs it and tells the user).
    """
    if not isinstance(exc, ServiceError):
        raise exc
    message.show_message(error_text(exc), "error")
