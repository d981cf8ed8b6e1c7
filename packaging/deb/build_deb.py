"""Build the client's .deb for 统信UOS / 银河麒麟 / Debian (x86_64) from the PyInstaller folder.

Run::

    .venv/bin/pyinstaller --noconfirm build.spec          # dist/credit-desk/
    .venv/bin/python packaging/deb/build_deb.py           # dist/credit-desk_<version>_amd64.deb

What goes where (and nowhere else, so removing the package leaves nothing behind):

* ``/opt/credit-desk/``: the one-folder build, as PyInstaller made it;
* ``/usr/share/applications/credit-desk.desktop``: the menu entry, named in Chinese
  (信用监管工作台) with English as the fallback, in 办公 (Office);
* ``/usr/share/icons/hicolor/<n>x<n>/apps/credit-desk.png``: the icon in every size made by
  ``scripts/make_icon.py``.

No maintainer scripts: the desktop database and the icon cache are refreshed by the
triggers of ``desktop-file-utils`` and ``hicolor-icon-theme`` on the target machine. ``Depends``
is not hand-written: every shared library the bundle's ELF files need that the bundle does not
carry is looked up with ``dpkg -S`` on the build machine (as ``dpkg-shlibdeps`` would), so
the list names exactly the system packages the bundle uses. The user's data stays in their
home folder (``~/.local/share/credit-desk``) and is never touched by the package.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop_app import APP_DISPLAY_NAME, __version__  # noqa: E402

PACKAGE = "credit-desk"
INSTALL_DIR = Path("opt") / PACKAGE
ICONS = ROOT / "resources" / "icons"
DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Version=1.0
Name=Credit Desk
Name[zh_CN]={APP_DISPLAY_NAME}
GenericName=Credit regulation workbench
GenericName[zh_CN]=信用监管工作台
Comment=Credit commitments, integrity education, inspections and credit reports — offline
Comment[zh_CN]=信用承诺、诚信教育、双随机检查与信用报告，断网也能办理
Exec=/opt/{PACKAGE}/{PACKAGE}
Icon={PACKAGE}
Terminal=false
Categories=Office;
Keywords=credit;信用;承诺;检查;
StartupWMClass={PACKAGE}
"""
# Libraries every glibc system has, and the loader: not worth a Depends line each.
_ALWAYS_THERE = re.compile(r"^(linux-vdso|ld-linux)")


def elf_files(folder: Path) -> list[Path]:
    """The ELF executables and shared libraries under ``folder``."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> set[str]:
    """Paths of the shared libraries outside ``bundle`` that its ELF files load."""
    bundled = {p.name for p in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for elf in elf_files(bundle):
        env = dict(os.environ, LD_LIBRARY_PATH=str(elf.parent))
        out = subprocess.run(
            ["ldd", str(elf)], capture_output=True, text=True, env=env, check=False
        ).stdout
        for line in out.splitlines():
            match = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line)
            if not match:
                continue
            name, path = match.groups()
            if name in bundled or _ALWAYS_THERE.match(name) or str(bundle) in path:
                continue
            needed.add(os.path.realpath(path))
    return needed


def packages_of(libraries: set[str]) -> list[str]:
    """The Debian packages that own ``libraries`` (``dpkg -S``), sorted, without ``:arch``."""
    owners: set[str] = set()
    unknown = []
    for lib in sorted(libraries):
        candidates = [lib]
        # /lib is a symlink to /usr/lib on merged-/usr systems; dpkg knows one of the two.
        if lib.startswith("/usr/lib/"):
            candidates.append(lib[len("/usr") :])
        elif lib.startswith("/lib/"):
            candidates.append("/usr" + lib)
        for candidate in candidates:
            done = subprocess.run(
                ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
            )
            if done.returncode == 0:
                owners.add(done.stdout.split(":", 1)[0].strip())
                break
        else:
            unknown.append(lib)
    if unknown:
        raise SystemExit(
            "no Debian package owns these libraries the bundle needs: " + ", ".join(unknown)
        )
    return sorted(owners)


def control(version: str, depends: list[str], installed_kib: int, arch: str) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Architecture: {arch}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Maintainer: Credit Desk <credit-desk@localhost>\n"
        f"Description: {APP_DISPLAY_NAME} (Credit Desk) - credit regulation workbench\n"
        " The desktop client of the municipal credit platform for service-window staff\n"
        " and field inspectors: credit commitments, integrity education, credit checks,\n"
        " inspections, credit reports, repair and objections, all offline, synchronised\n"
        " with the platform whenever a network is there. Installs under /opt/credit-desk.\n"
    )


def stage(dist: Path, root: Path) -> None:
    """Lay the package's files out under ``root`` with Debian's modes."""
    target = root / INSTALL_DIR
    shutil.copytree(dist, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if path.is_dir() or mode & stat.S_IXUSR:
            path.chmod(0o755)
        else:
            path.chmod(0o644)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{PACKAGE}.desktop").write_text(DESKTOP_ENTRY, "utf-8")
    (apps / f"{PACKAGE}.desktop").chmod(0o644)
    icons = sorted(ICONS.glob(f"{PACKAGE}-*.png"))
    if not icons:
        raise SystemExit(f"no icons in {ICONS}: run scripts/make_icon.py")
    for icon in icons:
        size = icon.stem.rsplit("-", 1)[1]
        folder = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon, folder / f"{PACKAGE}.png")
        (folder / f"{PACKAGE}.png").chmod(0o644)
    for folder in [root / "usr", *(root / "usr").rglob("*"), root / "opt"]:
        if folder.is_dir():
            folder.chmod(0o755)


def md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root)}")
    return "\n".join(lines) + "\n"


def build(dist: Path, out_dir: Path, arch: str = "amd64") -> Path:
    """Make the .deb from the one-folder build ``dist``; return its path."""
    exe = dist / PACKAGE
    if not exe.is_file():
        raise SystemExit(f"{exe} is missing: build the client first (pyinstaller build.spec)")
    depends = packages_of(system_libraries(dist))
    with tempfile.TemporaryDirectory(prefix="credit-desk-deb-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir(mode=0o755)
        stage(dist, root)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        debian = root / "DEBIAN"
        debian.mkdir(mode=0o755)
        (debian / "control").write_text(control(__version__, depends, size // 1024 + 1, arch))
        (debian / "md5sums").write_text(md5sums(root))
        for name in ("control", "md5sums"):
            (debian / name).chmod(0o644)
        out_dir.mkdir(parents=True, exist_ok=True)
        deb = out_dir / f"{PACKAGE}_{__version__}_{arch}.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
            check=True,
            capture_output=True,
        )
    print(f"built {deb} ({deb.stat().st_size / 1e6:.1f} MB); Depends: {', '.join(depends)}")
    return deb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / PACKAGE)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--arch", default="amd64")
    args = parser.parse_args()
    build(args.dist, args.out, args.arch)


if __name__ == "__main__":
    main()
