// Drives code-server in headless Chromium (playwright-core) and checks what a user sees:
// the spillguard finding in the Problems panel, the status bar count, the quick fix applied and
// saved. Env: URL, SHOT, SHOT_COPY, SG_WS, SG_TOKEN, CHROMIUM.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const WAIT = 60_000;
const T0 = Date.now();
let failed = 0;
let passed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`  ok - ${name} (${((Date.now() - T0) / 1000).toFixed(1)} s)`);
  } else {
    failed++;
    console.log(`  not ok - ${name}${detail ? `: ${detail}` : ""}`);
  }
  return ok;
}

/** Poll fn (async) until it returns a truthy value or ms pass. */
async function until(ms, fn) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) {
      return v;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const norm = (s) => (s || "").replace(/\u00a0/g, " ");

/** Run a command from the Command Palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { timeout: WAIT });
  await page.keyboard.type(title);
  const first = page.locator(".quick-input-widget .monaco-list-row").first();
  await until(WAIT, async () => norm(await first.innerText().catch(() => "")).includes(title));
  await page.keyboard.press("Enter");
}

/** Quick Open (Ctrl+P) a file by name; waits until its editor is the active one (window title). */
async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget input", { timeout: WAIT });
  await page.keyboard.type(name);
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first();
  await row.waitFor({ state: "visible", timeout: WAIT });
  await row.click();
  await until(WAIT, async () => (await page.title()).startsWith(name));
}

/** Pids of the language servers started under code-server (CS_PID), from /proc. */
function serverPids() {
  const parent = new Map();
  const cmd = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      cmd.set(Number(d), fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0"));
    } catch {
      // gone
    }
  }
  const root = Number(process.env.CS_PID);
  const under = (pid) => {
    for (let p = pid, n = 0; p > 1 && n < 50; p = parent.get(p) ?? 0, n++) {
      if (p === root) {
        return true;
      }
    }
    return false;
  };
  return [...cmd.entries()]
    .filter(([pid, c]) => c.includes("serve") && c.includes("--stdio") && c.some((a) => a.endsWith("spillguard"))
      && under(pid))
    .map(([pid]) => pid);
}

async function main() {
  const token = process.env.SG_TOKEN;
  const ws = process.env.SG_WS;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const console_ = [];
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  try {
    page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
    await page.goto(process.env.URL);
    await page.waitForSelector(".monaco-workbench", { timeout: WAIT });
    check("the workbench loads", true);

    // Open app.py with Quick Open.
    await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => {});
    await openFile(page, "app.py");
    const editorText = () => page.locator(".editor-instance .view-lines").first().innerText().then(norm)
      .catch(() => "");
    check("app.py opens in an editor", await until(WAIT, async () => (await editorText()).includes("GITHUB_TOKEN")));

    // Problems panel.
    await page.keyboard.press("Control+Shift+M");
    const rows = page.locator(".markers-panel .monaco-list-row");
    const row = await until(WAIT, async () => {
      const texts = await rows.allInnerTexts().catch(() => []);
      return texts.map(norm).find((t) => t.includes("GitHub personal access token"));
    });
    if (!check("the Problems panel shows the GitHub token finding", !!row)) {
      return;
    }
    check("the row names spillguard and the rule", /spillguard/.test(row) && /github-pat/.test(row), row);
    check("the row does not hold the secret", !row.includes(token));
    const statusText = await until(WAIT, async () => {
      const t = await page.locator(".statusbar-item").allInnerTexts().catch(() => []);
      return t.map(norm).find((x) => /spillguard: [1-9]/.test(x));
    });
    check("the status bar counts the finding", !!statusText, statusText);
    // Hover the squiggle so the screenshot shows the explanation too.
    await page.keyboard.press("Control+G");
    await page.keyboard.type("3:20");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    // (wait for the server's part of the hover, not only the diagnostic's)
    await until(15_000, async () => norm(await page.locator(".monaco-hover-content").allInnerTexts()
      .then((t) => t.join("\n"), () => "")).includes("Why it matters"));
    await page.screenshot({ path: process.env.SHOT });
    fs.mkdirSync(path.dirname(process.env.SHOT_COPY), { recursive: true });
    fs.copyFileSync(process.env.SHOT, process.env.SHOT_COPY);
    check("a screenshot is kept", fs.statSync(process.env.SHOT).size > 10_000);
    await page.keyboard.press("Escape");

    // Quick fix: Ctrl+. on the secret, pick "Move the secret to the environment".
    await page.keyboard.press("Control+G");
    await page.keyboard.type("3:20");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+.");
    const action = page.locator(".action-widget .monaco-list-row", { hasText: "Move the secret to the environment" });
    const shown = await until(WAIT, async () => action.first().isVisible().catch(() => false));
    if (!check("Ctrl+. offers the env move quick fix", shown)) {
      const all = await page.locator(".action-widget .monaco-list-row").allInnerTexts().catch(() => []);
      console.log(`    offered: ${JSON.stringify(all)}`);
      return;
    }
    await action.first().click();
    const fixed = await until(WAIT, async () => {
      const t = await editorText();
      return t.includes('os.environ["GITHUB_TOKEN"]') && !t.includes(token);
    });
    check("the quick fix replaced the literal with os.environ[\"GITHUB_TOKEN\"]", fixed, await editorText());
    // Save everything the edit touched (app.py, .env, .gitignore).
    await runCommand(page, "File: Save All Files");
    const disk = await until(WAIT, async () => {
      const s = fs.readFileSync(path.join(ws, "app.py"), "utf8");
      return !s.includes(token) && s.includes("os.environ") ? s : undefined;
    });
    check("the saved app.py no longer holds the secret", !!disk);
    const env = await until(WAIT, async () => {
      try {
        return fs.readFileSync(path.join(ws, ".env"), "utf8").includes(`GITHUB_TOKEN=${token}`);
      } catch {
        return false;
      }
    });
    check("the value went to .env", env);
    const gone = await until(WAIT, async () => {
      const texts = await rows.allInnerTexts().catch(() => []);
      return !texts.map(norm).some((t) => t.includes("GitHub personal access token") && t.includes("app.py"));
    });
    check("the finding leaves the Problems panel", gone);
    await page.screenshot({ path: process.env.SHOT.replace(/\.png$/, "-fixed.png") });

    // Assistant insertion: accept a one-line inline suggestion (from the test-only provider) with Tab.
    // One line is below the server's own 2-line threshold: only the extension's
    // spillguard/assistantInsertion notification can make it an inserted block.
    await openFile(page, "assist.py");
    await page.keyboard.press("Control+G");
    await page.keyboard.type("3:1");
    await page.keyboard.press("Enter");
    const ghost = page.locator(".monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text");
    const suggested = await until(WAIT, async () => {
      if (await ghost.first().isVisible().catch(() => false)) {
        return true;
      }
      await runCommand(page, "Trigger Inline Suggestion"); // editor.action.inlineSuggest.trigger
      return ghost.first().waitFor({ state: "visible", timeout: 5000 }).then(() => true, () => false);
    });
    if (check("the inline suggestion shows as ghost text", suggested)) {
      await page.keyboard.press("Tab");
      const accepted = await until(WAIT, async () => norm(await page.locator(".editor-instance .view-lines").first()
        .innerText().catch(() => "")).includes("DEPLOY_TOKEN = \"ghp_"));
      check("Tab accepts it into the file", accepted);
      const blockRow = await until(WAIT, async () => {
        const texts = await rows.allInnerTexts().catch(() => []);
        return texts.map(norm).find((t) => t.includes("inserted block") && t.includes("unreviewed-inserted-block"));
      });
      check("the Problems panel flags an unreviewed inserted block", !!blockRow, JSON.stringify(
        (await rows.allInnerTexts().catch(() => [])).map(norm)));
      if (blockRow) {
        check("it sums the block up without the secret", blockRow.includes("1 secret") &&
          !blockRow.includes(process.env.SG_TOKEN2), blockRow);
        const st = await until(WAIT, async () => {
          const t = await page.locator(".statusbar-item").allInnerTexts().catch(() => []);
          return t.map(norm).find((x) => /spillguard: \d+\s+1 unreviewed/.test(x));
        });
        check("the status bar counts the unreviewed block", !!st,
          JSON.stringify((await page.locator(".statusbar-item").allInnerTexts().catch(() => [])).map(norm)));
        await page.keyboard.press("Escape");
        await page.keyboard.press("Control+G");
        await page.keyboard.type("3:5");
        await page.keyboard.press("Enter");
        await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: WAIT }).catch(() => {});
        const inserted = process.env.SHOT.replace(/\.png$/, "-inserted.png");
        await page.screenshot({ path: inserted });
        fs.copyFileSync(inserted, path.join(path.dirname(process.env.SHOT_COPY), "inserted-block.png"));
        await runCommand(page, "spillguard: Mark Inserted Block as Reviewed");
        const cleared = await until(WAIT, async () => {
          const texts = await rows.allInnerTexts().catch(() => []);
          return !texts.map(norm).some((t) => t.includes("unreviewed-inserted-block"));
        });
        check("'Mark Inserted Block as Reviewed' clears it", cleared);
      }
    }

    // The server crashes: the extension shows it and restarts it; diagnostics come back.
    const before = serverPids();
    if (check("one spillguard server runs under code-server", before.length === 1, JSON.stringify(before))) {
      process.kill(before[0], "SIGKILL");
      const restarting = await until(WAIT, async () => {
        const t = await page.locator(".statusbar-item").allInnerTexts().catch(() => []);
        return t.map(norm).some((x) => x.trim() === "spillguard");
      });
      check("the status bar shows the server restarting", restarting);
      const again = await until(WAIT, async () => {
        const pids = serverPids();
        return pids.length === 1 && pids[0] !== before[0];
      });
      check("a new server process is started", again);
      const back = await until(WAIT, async () => {
        const texts = await rows.allInnerTexts().catch(() => []);
        return texts.map(norm).some((t) => t.includes("GitHub personal access token"));
      });
      check("the finding is back in the Problems panel", back);
    }

    // Settings apply live: turn the rule off in the user settings, then on again.
    const settingsPath = process.env.SETTINGS;
    const original = fs.readFileSync(settingsPath, "utf8");
    const withRule = (on) => JSON.stringify({ ...JSON.parse(original), "spillguard.rules": { "github-pat": on } }, null, 2);
    const hasRow = async () => (await rows.allInnerTexts().catch(() => [])).map(norm)
      .some((t) => t.includes("GitHub personal access token"));
    fs.writeFileSync(settingsPath, withRule(false));
    check("\"spillguard.rules\": {\"github-pat\": false} removes the finding without a restart",
      await until(WAIT, async () => !(await hasRow())));
    fs.writeFileSync(settingsPath, withRule(true));
    check("turning it back on brings it back", await until(WAIT, hasRow));
    fs.writeFileSync(settingsPath, original);

    // A server that is not installed: the extension says how to install it; fixing the setting
    // restarts it.
    const running = serverPids();
    fs.writeFileSync(settingsPath, JSON.stringify({ ...JSON.parse(original),
      "spillguard.server.command": ["/nonexistent/spillguard", "serve"] }, null, 2));
    const toast = await until(WAIT, async () => (await page.locator(".notification-toast").allInnerTexts()
      .catch(() => [])).map(norm).find((t) => t.includes("/nonexistent/spillguard")));
    check("a missing server is reported with how to install it", !!toast && toast.includes("pip install spillguard"),
      toast);
    fs.writeFileSync(settingsPath, original);
    check("the old server was stopped", await until(WAIT, async () => !serverPids().some((p) => running.includes(p))));
    check("restoring the setting starts a new server", await until(WAIT, async () => {
      const pids = serverPids();
      return pids.length === 1 && !running.includes(pids[0]);
    }));
    check("...and its finding shows again", await until(WAIT, hasRow));
  } finally {
    if (failed > 0) {
      await page.screenshot({ path: process.env.SHOT.replace(/\.png$/, "-failure.png") }).catch(() => {});
    }
    if (failed > 0 && console_.length) {
      console.log("    browser console (last 15):");
      for (const line of console_.slice(-15)) {
        console.log(`      ${line.slice(0, 300)}`);
      }
    }
    await browser.close();
  }
}

main()
  .catch((e) => check("the run finished without error", false, e && e.stack ? e.stack : String(e)))
  .finally(() => {
    console.log(`  ${passed} checks passed, ${failed} failed`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
  });
