"""Regenerate and compile the UI translations.

Source strings in ``ui`` are Chinese (the default UI language); other languages are Qt
translation files in ``resources/translations``.

Usage::

    python scripts/build_translations.py            # compile every *.ts to *.qm
    python scripts/build_translations.py --update   # first refresh credit_desk_en.ts from ui/

``--update`` runs ``pyside6-lupdate`` (new strings arrive as unfinished entries for a
translator to fill in with Qt Linguist or a text editor; strings gone from the code are
dropped). Compiling runs ``pyside6-lrelease`` for each ``.ts`` whose ``.qm`` is missing or
older. ``.qm`` files are build outputs and are not committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
SOURCE_LANGUAGE = "zh_CN"
TARGET_LANGUAGES = ("en",)


def tool(name: str) -> Path:
    """The PySide6 tool ``name`` of this interpreter's environment (beside ``python``)."""
    suffix = ".exe" if os.name == "nt" else ""
    candidate = Path(sys.executable).parent / f"{name}{suffix}"
    if candidate.exists():
        return candidate
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found next to {sys.executable} or on PATH")
    return Path(found)


MESSAGE_CATALOG = ROOT / "desktop_app" / "services" / "messages.py"
"""The services' message templates (context ``ServiceError``), translated like UI strings."""


def ui_sources() -> list[Path]:
    """Every Python file of the ``ui`` package, then the service message catalog."""
    return [*sorted(UI_DIR.rglob("*.py")), MESSAGE_CATALOG]


def ts_file(language: str) -> Path:
    """The translation source file of ``language``."""
    return TRANSLATIONS_DIR / f"credit_desk_{language}.ts"


def update(languages: tuple[str, ...] = TARGET_LANGUAGES) -> None:
    """Refresh each language's ``.ts`` with the strings now in ``ui``."""
    TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
    for language in languages:
        subprocess.run(
            [
                str(tool("pyside6-lupdate")),
                *(str(p.relative_to(ROOT)) for p in ui_sources()),
                "-source-language",
                SOURCE_LANGUAGE,
                "-target-language",
                language,
                # No line numbers: they would churn the file on every unrelated edit.
                "-locations",
                "none",
                "-no-obsolete",
                "-ts",
                str(ts_file(language).relative_to(ROOT)),
            ],
            cwd=ROOT,
            check=True,
        )


def compile_all(*, force: bool = False) -> list[Path]:
    """Compile every ``.ts`` whose ``.qm`` is missing or older.

    Returns:
        The ``.qm`` files written.
    """
    written = []
    for ts in sorted(TRANSLATIONS_DIR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not force and qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run(
            [str(tool("pyside6-lrelease")), str(ts), "-qm", str(qm)], cwd=ROOT, check=True
        )
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="refresh the .ts files first")
    parser.add_argument("--force", action="store_true", help="recompile even if up to date")
    args = parser.parse_args(argv)
    if args.update:
        update()
    for qm in compile_all(force=args.force):
        print(f"compiled {qm.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
