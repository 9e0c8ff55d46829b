#!/usr/bin/env bash
# Editor tests inside the real editors, headless: Neovim, Emacs (eglot), VS Code (code-server in
# headless Chromium). Installs what it needs (cached in .editor-tests/, git-ignored), points HOME and
# XDG_* at a temporary folder, runs each editor in its own process group with a bounded time, and
# ends with "editors: N passed, M failed" (exit status 1 if any failed).
#
#   bash editors/tests/run.sh [nvim] [emacs] [vscode]     (default: all three)
set -uo pipefail

SG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SG_ROOT
HERE="$SG_ROOT/editors/tests"
# shellcheck source=editors/tests/setup.sh
source "$HERE/setup.sh"
set +e

SELECTED=("${@:-nvim emacs vscode}")
SELECTED=(${SELECTED[*]})
LOGS="$SG_ROOT/.editor-tests/logs"
mkdir -p "$LOGS"

SG_SERVER="${SG_SERVER:-$SG_ROOT/.venv/bin/spillguard}"
[ -x "$SG_SERVER" ] || SG_SERVER="$(command -v spillguard || true)"
if [ -z "$SG_SERVER" ]; then
  echo "spillguard is not installed: run 'make test' (creates .venv) first" >&2
  echo "editors: 0 passed, ${#SELECTED[@]} failed"
  exit 1
fi
export SG_SERVER
SG_PYTHON="$(dirname "$SG_SERVER")/python"
[ -x "$SG_PYTHON" ] || SG_PYTHON=python3
export SG_PYTHON

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/spillguard-editors.XXXXXX")"
export HOME="$SCRATCH/home" XDG_CONFIG_HOME="$SCRATCH/xdg/config" XDG_DATA_HOME="$SCRATCH/xdg/data" \
  XDG_STATE_HOME="$SCRATCH/xdg/state" XDG_CACHE_HOME="$SCRATCH/xdg/cache" XDG_RUNTIME_DIR="$SCRATCH/xdg/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# Everything temporary (code-server's data, Chromium's profile) goes in the scratch folder, removed at exit.
export TMPDIR="$SCRATCH/tmp"
mkdir -p "$TMPDIR"
# npm keeps its cache in the project's cache folder, not in the temporary HOME.
export npm_config_cache="$(dirname "$SPILLGUARD_EDITOR_TOOLS")/npm-cache"

GROUPS_STARTED=()
cleanup() {
  for pg in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$pg" 2>/dev/null; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fake tokens with valid checksums (never real secrets), made by the engine's own helper.
read -r SG_TOKEN SG_TOKEN2 < <("$SG_PYTHON" - <<'EOF'
from spillguard.engine.validators import make_crc62_token as t
print(t("ghp_", "Ed1tOrTe5tW0rkspAceT0kenAbCdE1"), t("ghp_", "Ass1stAntIns3rtedT0kenXyZwVu2q"))
EOF
)
export SG_TOKEN SG_TOKEN2

# make_workspace DIR: a small project with a hard-coded token in three files.
make_workspace() {
  local ws="$1"
  mkdir -p "$ws"
  printf 'import json\n\nGITHUB_TOKEN = "%s"\n\n\ndef headers():\n    return {"Authorization": "token " + GITHUB_TOKEN}\n' \
    "$SG_TOKEN" >"$ws/app.py"
  printf 'BACKUP = "%s"\n' "$SG_TOKEN" >"$ws/other.py"
  printf 'service:\n  name: demo\n  github_token: "%s"\n' "$SG_TOKEN" >"$ws/settings.yaml"
}

PASSED=0
FAILED=0
RESULTS=()

# run_step NAME TIMEOUT CMD...: runs CMD in its own process group (killed afterwards, whatever
# happens), output to .editor-tests/logs/NAME.log and shown indented.
run_step() {
  local name="$1" limit="$2"; shift 2
  local log="$LOGS/$name.log" start=$SECONDS
  echo "== $name"
  setsid timeout -k 5 "$limit" "$@" >"$log" 2>&1 &
  local pid=$!
  GROUPS_STARTED+=("$pid")
  wait "$pid"; local rc=$?
  kill -KILL -- "-$pid" 2>/dev/null
  sed 's/^/   | /' "$log"
  local took=$((SECONDS - start))
  if [ "$rc" = 0 ]; then
    PASSED=$((PASSED + 1)); RESULTS+=("PASS $name (${took}s)")
  else
    [ "$rc" = 124 ] && echo "   timed out after ${limit}s"
    FAILED=$((FAILED + 1)); RESULTS+=("FAIL $name (${took}s, exit $rc)")
  fi
  return "$rc"
}

fail_setup() {
  echo "== $1: setup failed"
  FAILED=$((FAILED + 1)); RESULTS+=("FAIL $1 (setup)")
}

test_nvim() {
  local ws="$SCRATCH/ws-nvim"
  make_workspace "$ws"
  SG_PLUGIN="$SG_ROOT/editors/neovim" SG_WS="$ws" run_step nvim 180 bash -c '
    set -e
    echo "$("$NVIM" --version | head -1)"
    echo "-- setup(): diagnostics, occurrences, quick fix, assistant insertion, reviewed"
    "$NVIM" --headless --clean -c "luafile $0/nvim/test_setup.lua"
    rm -f "$SG_WS/.env"; cp "$SG_WS/other.py" "$SG_WS/app.py"
    echo "-- vim.lsp.enable(\"spillguard\") with lsp/spillguard.lua"
    "$NVIM" --headless --clean -c "luafile $0/nvim/test_enable.lua"
    echo "-- :helptags on doc/spillguard.txt"
    mkdir -p "$HOME/helpcheck" && cp "$SG_PLUGIN/doc/spillguard.txt" "$HOME/helpcheck/"
    errors="$("$NVIM" --headless --clean -c "helptags $HOME/helpcheck" -c "qall" 2>&1)"
    [ -z "$errors" ] && [ -s "$HOME/helpcheck/tags" ] && echo "  ok - $(wc -l <"$HOME/helpcheck/tags") help tags, no errors" \
      || { echo "  not ok - helptags: $errors"; exit 1; }
  ' "$HERE"
}

test_emacs() {
  local ws="$SCRATCH/ws-emacs"
  make_workspace "$ws"
  SG_WS="$ws" run_step emacs 180 bash -c '
    set -e
    "$EMACS" --version | head -1
    echo "-- spillguard-eglot-start: diagnostics, quick fix, copilot.el insertion, reviewed"
    "$EMACS" --batch -l "$0/../emacs/spillguard-eglot.el" -l "$0/emacs/test.el"
    echo "-- spillguard-eglot-setup + eglot-ensure (the documented set-up)"
    "$EMACS" --batch -l "$0/../emacs/spillguard-eglot.el" -l "$0/emacs/test-setup.el"
    echo "-- spillguard-eglot.el byte-compiles without warnings"
    mkdir -p "$HOME/bytecomp" && cp "$0/../emacs/spillguard-eglot.el" "$HOME/bytecomp/"
    "$EMACS" --batch --eval "(setq byte-compile-error-on-warn t)" -f batch-byte-compile \
      "$HOME/bytecomp/spillguard-eglot.el" 2>&1 | grep -v "^Loading" || true
    [ -f "$HOME/bytecomp/spillguard-eglot.elc" ] && echo "  ok - byte-compiled" || { echo "  not ok - byte-compile"; exit 1; }
  ' "$HERE"
}

test_vscode() {
  local ws="$SCRATCH/ws-vscode"
  make_workspace "$ws"
  SG_WS="$ws" run_step vscode 600 bash "$HERE/vscode/run-vscode.sh"
}

for editor in "${SELECTED[@]}"; do
  case "$editor" in
    nvim|emacs|vscode)
      # Install in a separate shell (set -e there); then the cached call only sets the variables.
      t0=$SECONDS
      if bash "$HERE/setup.sh" "$editor" && "setup_$editor"; then
        echo "-- $editor tools ready in $((SECONDS - t0))s"
        "test_$editor"
      else
        fail_setup "$editor"
      fi ;;
    *) echo "unknown editor: $editor"; FAILED=$((FAILED + 1)) ;;
  esac
done

echo
for r in "${RESULTS[@]}"; do echo "$r"; done
echo "editors: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
