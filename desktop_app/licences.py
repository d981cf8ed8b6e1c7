"""Third-party licences of what the client ships, generated from the installed packages.

The list is never written by hand. :func:`collect` starts from the project's own runtime
requirements (``[project] dependencies`` of ``pyproject.toml``, or the installed project's
metadata), follows each distribution's ``Requires-Dist`` whose environment marker holds on
this machine, and reads, for every distribution in that closure, its name, version, licence
expression (or ``License`` field and licence classifiers) and the licence files in its
``.dist-info``. Development tools (pytest, mypy, ruff, PyInstaller …) are extras of the
project, never runtime requirements, so they are not in the closure.

A frozen build has no package metadata to read: ``build.spec`` calls
:func:`write_licences_file` at build time and ships the JSON as
``resources/licences/third_party_licences.json``; :func:`shipped_licences` reads that file
when frozen and generates the list (once per process) otherwise.
"""

from __future__ import annotations

import functools
import importlib.metadata as metadata
import json
import logging
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.config import resources_dir

log = logging.getLogger(__name__)

PROJECT_NAME = "credit-desk"
LICENCES_FILE = "third_party_licences.json"
"""The generated file's name, under ``resources/licences/`` in a frozen build."""
QT_DISTRIBUTION = "PySide6-Essentials"
LICENCE_FILE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LicenceText:
    """One licence file of a distribution, as shipped in its ``.dist-info``."""

    name: str
    text: str


@dataclass(frozen=True)
class PackageLicence:
    """A third-party distribution the client ships, with its licence.

    Attributes:
        name: The distribution's name as its metadata spells it.
        version: Its installed version.
        licence: The licence expression (or the ``License`` field, or the licence
            classifiers joined) — what the package says it is licensed under.
        classifiers: Its ``License ::`` trove classifiers.
        texts: Its licence files; for a package that ships none, the licensing section
            of its description when it has one.
        homepage: Its home page or first project URL ("" when it names none).
    """

    name: str
    version: str
    licence: str
    classifiers: tuple[str, ...]
    texts: tuple[LicenceText, ...]
    homepage: str = ""

    @property
    def key(self) -> str:
        """The normalised name (PEP 503), for look-ups."""
        return normalise(self.name)


def normalise(name: str) -> str:
    """A distribution name in PEP 503 normal form (``Foo_Bar`` → ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements(pyproject: Path | None = None) -> list[str]:
    """The project's runtime requirements.

    Args:
        pyproject: The project file to read; by default the checkout's ``pyproject.toml``
            when there is one, else the installed ``credit-desk`` distribution's metadata.

    Returns:
        Requirement strings (PEP 508), optional extras left out.
    """
    path = pyproject or Path(__file__).resolve().parent.parent / "pyproject.toml"
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return [str(r) for r in data.get("project", {}).get("dependencies", [])]
    if pyproject is not None:
        raise FileNotFoundError(pyproject)
    requires = metadata.requires(PROJECT_NAME) or []
    return [r for r in requires if "extra==" not in r.replace(" ", "")]


def runtime_closure(requirements: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions ``requirements`` need on this machine, transitively.

    A requirement whose marker does not hold here (another OS, another Python) is skipped;
    one that should be installed but is not is logged and skipped.

    Returns:
        The distributions, sorted by normalised name.
    """
    from packaging.requirements import Requirement  # build and development time only

    found: dict[str, metadata.Distribution] = {}
    queue: list[tuple[str, frozenset[str]]] = [(r, frozenset()) for r in requirements]
    seen_extras: dict[str, set[str]] = {}
    while queue:
        text, parent_extras = queue.pop()
        requirement = Requirement(text)
        if requirement.marker is not None:
            environments = [{"extra": e} for e in parent_extras] or [{"extra": ""}]
            if not any(requirement.marker.evaluate(env) for env in environments):
                continue
        key = normalise(requirement.name)
        extras = set(requirement.extras)
        known = seen_extras.get(key)
        if known is not None and extras <= known:
            continue
        seen_extras.setdefault(key, set()).update(extras)
        try:
            dist = found.get(key) or metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            log.warning("required distribution %s is not installed", requirement.name)
            continue
        found[key] = dist
        for child in dist.requires or []:
            queue.append((child, frozenset(seen_extras[key])))
    return [found[k] for k in sorted(found)]


def _licence_texts(dist: metadata.Distribution) -> tuple[LicenceText, ...]:
    texts: list[LicenceText] = []
    seen: set[str] = set()
    names = list(dict.fromkeys(dist.metadata.get_all("License-File") or []))
    for name in names:
        for candidate in (f"licenses/{name}", name):
            text = dist.read_text(candidate)
            if text is not None:
                texts.append(LicenceText(Path(name).name, text.strip()))
                seen.add(Path(name).name)
                break
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if not parts or not parts[0].endswith(".dist-info") or file.name in seen:
            continue
        if LICENCE_FILE_NAME.match(file.name):
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            texts.append(LicenceText(file.name, text.strip()))
            seen.add(file.name)
    if not texts:
        payload = getattr(dist.metadata, "get_payload", lambda: None)()
        section = licensing_section(payload or _field(dist.metadata, "Description"))
        if section:
            texts.append(LicenceText("Licensing", section))
    return tuple(texts)


def licensing_section(description: str | None) -> str:
    """The "Licensing" section of a package's Markdown description ("" when it has none)."""
    if not description:
        return ""
    match = re.search(
        r"^(#+)\s*Licen[cs]ing\s*$\n(.*?)(?=^#{1,6}\s|\Z)", description, re.MULTILINE | re.DOTALL
    )
    return match.group(2).strip() if match else ""


def _field(meta: metadata.PackageMetadata, key: str) -> str:
    values = meta.get_all(key) or []
    return str(values[0]).strip() if values else ""


def _describe(dist: metadata.Distribution) -> PackageLicence:
    meta = dist.metadata
    classifiers = tuple(c for c in meta.get_all("Classifier") or [] if c.startswith("License ::"))
    expression = _field(meta, "License-Expression")
    field = _field(meta, "License")
    if not expression and field and "\n" not in field and len(field) <= 120:
        expression = field
    if not expression and classifiers:
        expression = "; ".join(c.rsplit(" :: ", 1)[-1] for c in classifiers)
    homepage = _field(meta, "Home-page")
    if not homepage:
        urls = meta.get_all("Project-URL") or []
        homepage = urls[0].split(",", 1)[-1].strip() if urls else ""
    return PackageLicence(
        name=meta["Name"],
        version=dist.version,
        licence=expression or "UNKNOWN",
        classifiers=classifiers,
        texts=_licence_texts(dist),
        homepage=homepage,
    )


def collect(requirements: Iterable[str] | None = None) -> list[PackageLicence]:
    """The licences of the runtime closure of ``requirements`` (the project's by default)."""
    reqs = project_requirements() if requirements is None else list(requirements)
    return [_describe(dist) for dist in runtime_closure(reqs)]


def to_json(packages: Iterable[PackageLicence]) -> str:
    """The licences as the JSON file a frozen build ships."""
    data = {
        "format": FORMAT_VERSION,
        "packages": [
            {
                "name": p.name,
                "version": p.version,
                "licence": p.licence,
                "classifiers": list(p.classifiers),
                "homepage": p.homepage,
                "texts": [{"name": t.name, "text": t.text} for t in p.texts],
            }
            for p in packages
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def from_json(text: str) -> list[PackageLicence]:
    """Read the file :func:`to_json` wrote."""
    data = json.loads(text)
    return [
        PackageLicence(
            name=p["name"],
            version=p["version"],
            licence=p["licence"],
            classifiers=tuple(p.get("classifiers", ())),
            texts=tuple(LicenceText(t["name"], t["text"]) for t in p.get("texts", ())),
            homepage=p.get("homepage", ""),
        )
        for p in data["packages"]
    ]


def write_licences_file(target: Path, requirements: Iterable[str] | None = None) -> Path:
    """Generate the licences file at build time (``build.spec``).

    Raises:
        RuntimeError: The closure lacks Qt (the build environment is not the runtime one).
    """
    packages = collect(requirements)
    if requirements is None and not any(p.key == normalise(QT_DISTRIBUTION) for p in packages):
        raise RuntimeError("licences: PySide6 is not installed in this environment")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_json(packages), encoding="utf-8")
    return target


def bundled_licences_file() -> Path:
    """Where a frozen build keeps the generated licences file."""
    return resources_dir() / "licences" / LICENCES_FILE


@functools.cache
def shipped_licences() -> tuple[PackageLicence, ...]:
    """The licences of what this client ships: the bundled file when frozen, else generated.

    Generated once per process (the About dialog may open many times).
    """
    if getattr(sys, "frozen", False):
        return tuple(from_json(bundled_licences_file().read_text(encoding="utf-8")))
    return tuple(collect())


def qt_notice(packages: Iterable[PackageLicence]) -> str:
    """PySide6's own licensing statement, from its metadata ("" when it is not listed)."""
    for package in packages:
        if package.key == normalise(QT_DISTRIBUTION):
            for text in package.texts:
                if text.name == "Licensing":
                    return text.text
            return package.licence
    return ""
