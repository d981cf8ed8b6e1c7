"""The garbage collector's share of a long-running client process.

CPython's cyclic collector walks every tracked container of the generation it collects while
holding the GIL. After start-up the client holds some 120,000 of them (PySide6, SQLAlchemy,
the modules, the window) that live as long as the process; a full collection in the middle of
a 300,000-entity pull took up to 48 ms (counted with ``gc.callbacks``) and froze the window's
event loop for as long. :func:`settle` moves everything alive at that moment to the permanent
generation (:func:`gc.freeze`), so later collections walk only what was made since: the
longest collection during the same pull is then about 5 ms.

Called once, when the main window is up and the start-up imports are done (``ui.launcher``);
the sync bench's GUI-stall figure does the same, as the client does. The objects frozen are
never collected as cycles (they are the process's own for its lifetime); everything made
later is collected as before.

:func:`trim` hands the C heap's free pages back to the OS before a bulk pull's index build
(``sync.pull``), so the process's peak is not the pages it decoded *plus* the sorter.
"""

from __future__ import annotations

import gc
import logging
import sys

log = logging.getLogger(__name__)

__all__ = ["settle", "trim"]


def settle() -> int:
    """Collect once, then freeze what survives; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("heap settled: %d objects frozen", frozen)
    return frozen


def trim() -> bool:
    """Give the C heap's free pages back to the OS (glibc ``malloc_trim``); False elsewhere.

    Before a bulk index build: the pages a long pull decoded and freed sit in the C heap's
    free lists in small pieces, and the index sorter's large allocations do not reuse them, so
    the process's peak would be both. Returns whether anything could be asked.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here, not at start-up: the launcher imports this module

    try:
        malloc_trim = ctypes.CDLL(None).malloc_trim  # libc is already in the process
    except AttributeError:  # not glibc (musl): nothing to trim
        return False
    malloc_trim(0)
    return True
