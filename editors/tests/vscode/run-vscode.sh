#!/usr/bin/env bash
# VS Code end to end: build the extension's .vsix (npm ci + npm run package, with Node 24), install it
# into code-server, start code-server on a free local port and drive it with headless Chromium
# (playwright-core): the finding shows in the Problems panel, the quick fix applies, a screenshot is
# kept. Called by run.sh (which sets NODE24_DIR, CODE_SERVER, PLAYWRIGHT_DIR, CHROMIUM, SG_WS,
# SG_SERVER, HOME/XDG_* in a temporary folder) inside its own process group.
set -euo pipefail

EXT="$SG_ROOT/editors/vscode"
OUT="$SG_ROOT/.editor-tests/vscode"
mkdir -p "$OUT"
export PATH="$NODE24_DIR/bin:$(dirname "$SG_SERVER"):$PATH"

echo "-- build the extension (node $(node --version))"
cd "$EXT"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.sg-lock 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund --loglevel=error >"$OUT/npm-ci.log" 2>&1 || { tail -30 "$OUT/npm-ci.log"; exit 1; }
  echo "$lock_sum" >node_modules/.sg-lock
fi
rm -f spillguard.vsix
npm run --silent package >"$OUT/package.log" 2>&1 || { tail -30 "$OUT/package.log"; exit 1; }
grep -E "Packaged|DONE" "$OUT/package.log" | sed 's#'"$SG_ROOT"'/##' || true

D="$(mktemp -d "${TMPDIR:-/tmp}/sg-code-server.XXXXXX")"
mkdir -p "$D/user/User" "$D/user/Machine" "$D/ext"
# The extension host gets its PATH from a login shell of the temporary HOME, which does not hold
# the project's .venv: name the server in the extension's setting.
cat >"$D/user/User/settings.json" <<EOF
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "window.commandCenter": false,
  "workbench.colorTheme": "Default Dark Modern",
  "editor.minimap.enabled": false,
  "spillguard.server.command": ["$SG_SERVER", "serve"],
  "spillguard.debounce": 50
}
EOF
# The remote (Machine) settings file holds machine-scoped settings of a remote window, and code-server
# watches it: the test edits it to check that settings apply live.
cp "$D/user/User/settings.json" "$D/user/Machine/settings.json"
echo "-- install the .vsix into code-server $CODE_SERVER_VERSION"
# A test-only inline completion provider (stands in for Copilot): suggests one line holding a token.
(cd "$SG_ROOT/editors/tests/vscode/fake-assistant" && "$EXT/node_modules/.bin/vsce" package \
  --allow-missing-repository --out "$D/fake-assistant.vsix" >"$OUT/fake-assistant.log" 2>&1) \
  || { tail -20 "$OUT/fake-assistant.log"; exit 1; }
printf 'DEPLOY_TOKEN = "%s"\n' "$SG_TOKEN2" >"$SG_WS/.assistant-suggestion.txt"
printf 'import os\n\n\n' >"$SG_WS/assist.py"
for vsix in "$EXT/spillguard.vsix" "$D/fake-assistant.vsix"; do
  "$CODE_SERVER" --user-data-dir "$D/user" --extensions-dir "$D/ext" --install-extension "$vsix" \
    2>&1 | grep -v "^\[" | tail -1
done

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --user-data-dir "$D/user" --extensions-dir "$D/ext" \
  "$SG_WS" >"$OUT/code-server.log" 2>&1 &
CS_PID=$!
# run.sh kills this whole process group afterwards; this covers a run of this script alone.
trap 'kill $CS_PID 2>/dev/null; rm -rf "$D"' EXIT

for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 $CS_PID 2>/dev/null || { echo "code-server exited:"; tail -20 "$OUT/code-server.log"; exit 1; }
  sleep 0.1 # polling a condition (health check), bounded to 60 s
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "code-server did not become healthy"; exit 1; }

echo "-- drive it with headless Chromium"
SETTINGS="$D/user/Machine/settings.json" CS_PID=$CS_PID NODE_PATH="$PLAYWRIGHT_DIR" URL="http://127.0.0.1:$PORT/?folder=$SG_WS" \
  SHOT="$OUT/problems.png" SHOT_COPY="$EXT/images/screenshot.png" \
  node "$SG_ROOT/editors/tests/vscode/drive.js"
