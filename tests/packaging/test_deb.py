"""Acceptance: the .deb installs into a clean root, starts with --self-test, and removes cleanly.

The package is built by ``packaging/deb/build_deb.py`` from the session's PyInstaller build and
installed with the real ``dpkg`` into an empty folder root (its own package database), so the
test neither needs nor touches the machine's own /opt. ``--force-depends``: the empty root has
none of the system libraries the package depends on — that those are real, installed packages
is checked against this machine's database instead.
"""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.test_frozen import run_frozen

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ("/opt/credit-desk", "/usr/share/applications", "/usr/share/icons/hicolor")

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg (Debian family)"),
]


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_deb", ROOT / "packaging" / "deb" / "build_deb.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def deb(frozen_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(_builder().build(frozen_dist, tmp_path_factory.mktemp("deb")))


def dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["dpkg", "--force-not-root", "--force-script-chrootless", f"--root={root}", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def clean_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    return root


def _inside_allowed(path: str) -> bool:
    if path in ("/.", "/"):
        return True
    # A parent folder of an allowed one (/usr, /usr/share …) is shared, not ours.
    if any(allowed.startswith(path.rstrip("/") + "/") for allowed in ALLOWED):
        return True
    return any(path == a or path.startswith(a + "/") for a in ALLOWED)


def test_the_package_installs_self_tests_and_removes_cleanly(
    deb: Path, clean_root: Path, tmp_path: Path
) -> None:
    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: credit-desk" in info and "Architecture: amd64" in info
    depends = [
        d.strip() for d in info.split("Depends:", 1)[1].splitlines()[0].split(",") if d.strip()
    ]
    assert depends, info
    # Every dependency is a real package, installed on this (Debian) machine.
    for package in depends:
        known = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        assert "install ok installed" in known.stdout, package

    installed = dpkg(clean_root, "--force-depends", "-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    listed = dpkg(clean_root, "-L", "credit-desk")
    assert listed.returncode == 0, listed.stderr
    paths = [line for line in listed.stdout.splitlines() if line.strip()]
    outside = [p for p in paths if not _inside_allowed(p)]
    assert not outside, outside
    assert "/opt/credit-desk/credit-desk" in paths
    assert "/usr/share/icons/hicolor/256x256/apps/credit-desk.png" in paths

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(clean_root / "usr/share/applications/credit-desk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name[zh_CN]"] == "信用监管工作台"
    assert desktop["Exec"] == "/opt/credit-desk/credit-desk"
    assert desktop["Icon"] == "credit-desk" and "Office" in desktop["Categories"]
    validate = shutil.which("desktop-file-validate")
    if validate:
        entry_file = clean_root / "usr/share/applications/credit-desk.desktop"
        checked = subprocess.run([validate, str(entry_file)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr

    exe = clean_root / "opt" / "credit-desk" / "credit-desk"
    result = run_frozen(exe, "--self-test", "--data-dir", str(tmp_path / "p"), home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout

    removed = dpkg(clean_root, "--purge", "credit-desk")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    left = [
        p for p in clean_root.rglob("*") if "var/lib/dpkg" not in p.as_posix() and not p.is_dir()
    ]
    assert not left, left
    assert not (clean_root / "opt" / "credit-desk").exists()
    # The user's data folder is theirs: the package never touched it.
    assert (tmp_path / "p" / "logs").is_dir()
