#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: system libraries Qt needs, a virtual
# environment with the pinned packages, and the compiled translations. Idempotent: each step
# is skipped when it is already done. Source it; it sets VENV and PY.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CREDIT_DESK_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- system libraries -------------------------------------------------------------------
# What PySide6's xcb/offscreen platforms, fonts and PyInstaller need on Debian/Ubuntu, plus the
# tools the tests use to look at output (pdftotext/pdftoppm), and a virtual X server for
# screenshots and scripts/walkthrough.py.
APT_PACKAGES=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0
  libxcb-xinerama0 libxcb-xkb1 libxrender1 libxi6
  binutils poppler-utils fonts-dejavu-core
  xvfb xauth xdotool
  chromium chromium-driver
)

missing_apt() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || printf '%s ' "$pkg"
  done
}

if command -v dpkg-query >/dev/null 2>&1; then
  missing="$(missing_apt)"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
      say "installing system libraries: $missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      # shellcheck disable=SC2086
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      say "missing system libraries. Run this as root, then run this script again:"
      echo "  sudo apt-get install -y --no-install-recommends $missing"
      exit 1
    fi
  fi
else
  say "not a Debian-based system: install Qt 6's xcb/EGL/fontconfig libraries yourself"
fi

# --- Python and the virtual environment ---------------------------------------------------
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  say "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1 || echo none))."
  say "Install it (Debian 12: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11"
  exit 1
fi
if [ ! -x "$PY" ]; then
  say "creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV" || {
    say "could not create a venv; on Debian run: apt-get install -y python3-venv"; exit 1; }
fi

# Reinstall only when the pins or the project metadata changed.
stamp="$VENV/.credit-desk-setup"
want="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  say "installing Python packages (pinned in constraints.txt)"
  "$PY" -m pip install -q --upgrade "pip>=24"
  "$PY" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT[dev,build,server]"
  echo "$want" > "$stamp"
fi

# --- build outputs ------------------------------------------------------------------------
"$PY" "$ROOT/scripts/build_translations.py"
