// spillguard for VS Code: starts `spillguard serve` (vscode-languageclient), passes the settings,
// tells the server when an accepted inline suggestion inserted text, and shows the counts of
// findings and unreviewed inserted blocks in the status bar.
import * as cp from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandlerResult,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Message,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "spillguard";
const SOURCE = "spillguard";
const BLOCK_CODE = "unreviewed-inserted-block";
const ASSISTANT_INSERTION = "spillguard/assistantInsertion";
// Client-only settings: not sent to the server.
const CLIENT_ONLY = new Set(["server", "assistantInsertions", "trace"]);
const INSTALL_HINT =
  "Install the spillguard server (`pip install spillguard`, or `pip install -e .` in a checkout), " +
  "or point the setting spillguard.server.command at it.";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let restarts: number[] = [];
let restartTimer: NodeJS.Timeout | undefined;
let stopping = false;

// ---- starting the server ------------------------------------------------------------------

function onPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? [".exe", ".cmd", ""] : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const ext of exts) {
      const p = path.join(dir, name + ext);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) {
          return p;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The command that starts the server, or an explanation of why there is none. */
export function serverCommand(cfg: vscode.WorkspaceConfiguration): { command: string; args: string[] } | string {
  const configured = cfg.get<string[]>("server.command") ?? [];
  if (configured.length > 0) {
    const [command, ...args] = configured;
    if (path.isAbsolute(command) ? !fs.existsSync(command) : !onPath(command)) {
      return `spillguard.server.command: ${command} not found. ${INSTALL_HINT}`;
    }
    return { command, args };
  }
  const exe = onPath("spillguard");
  if (exe) {
    return { command: exe, args: ["serve"] };
  }
  const python = cfg.get<string>("server.python") || "python3";
  const probe = cp.spawnSync(python, ["-c", "import spillguard"], { timeout: 20000 });
  if (probe.error || probe.status !== 0) {
    return `spillguard is not on PATH and \`${python} -m spillguard\` does not work. ${INSTALL_HINT}`;
  }
  return { command: python, args: ["-m", "spillguard", "serve"] };
}

/** The "spillguard" section as the server reads it: client-only keys and nulls left out. */
export function serverSettings(raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (!CLIENT_ONLY.has(k) && v !== null && v !== undefined && typeof v !== "function") {
        out[k] = v;
      }
    }
  }
  return out;
}

function currentSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const keys = ["rules", "severity", "debounce", "insertedBlockThreshold", "workspaceScan", "exclude",
    "insecureDefaults", "logLevel", "diagnosticMode"];
  const raw: Record<string, unknown> = {};
  for (const k of keys) {
    raw[k] = cfg.get(k);
  }
  return serverSettings(raw);
}

function createClient(): LanguageClient | undefined {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const cmd = serverCommand(cfg);
  if (typeof cmd === "string") {
    output.appendLine(cmd);
    setStatus("$(error) spillguard", "The spillguard server is not installed. Click for details.", "error");
    void vscode.window.showErrorMessage(cmd, "Open Settings").then((pick) => {
      if (pick) {
        void vscode.commands.executeCommand("workbench.action.openSettings", "spillguard.server");
      }
    });
    return undefined;
  }
  output.appendLine(`starting: ${cmd.command} ${cmd.args.join(" ")}`);
  const serverOptions: ServerOptions = {
    command: cmd.command,
    args: cmd.args,
    transport: TransportKind.stdio, // the client appends --stdio; the server accepts it
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file" }, { scheme: "untitled" }],
    outputChannel: output,
    initializationOptions: { spillguard: currentSettings() },
    synchronize: { configurationSection: SECTION }, // didChangeConfiguration on every change
    middleware: {
      workspace: {
        // workspace/configuration: hand the server its section without client-only keys.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return result.map((r, i) => (params.items[i]?.section === SECTION ? serverSettings(r) : r));
        },
      },
    },
    errorHandler: {
      error: (_e: Error, _m: Message | undefined, count: number | undefined): ErrorHandlerResult => ({
        action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      }),
      closed: (): CloseHandlerResult => {
        if (!stopping) {
          scheduleRestart();
        }
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  return new LanguageClient("spillguard", "spillguard", serverOptions, clientOptions);
}

/** Restart a crashed server with exponential backoff (1 s, 2 s, 4 s, ... up to 60 s). */
function scheduleRestart(): void {
  const now = Date.now();
  restarts = restarts.filter((t) => now - t < 10 * 60_000);
  restarts.push(now);
  const delay = Math.min(60_000, 1000 * 2 ** (restarts.length - 1));
  output.appendLine(`the spillguard server stopped; restarting in ${delay / 1000} s (crash ${restarts.length})`);
  setStatus("$(sync~spin) spillguard", `The server stopped; restarting in ${delay / 1000} s. Click for the log.`,
    "warning");
  if (restarts.length === 3) {
    void vscode.window.showWarningMessage("The spillguard server keeps stopping; see the spillguard output.",
      "Show Output").then((pick) => pick && output.show());
  }
  clearTimeout(restartTimer);
  restartTimer = setTimeout(() => void start(), delay);
}

async function start(): Promise<void> {
  if (client) {
    stopping = true;
    try {
      await client.dispose(5000);
    } catch {
      // already gone
    }
    stopping = false;
  }
  client = createClient();
  if (!client) {
    return;
  }
  try {
    await client.start();
    updateStatus();
  } catch (e) {
    output.appendLine(`the spillguard server did not start: ${String(e)}`);
    scheduleRestart();
  }
}

// ---- status bar ----------------------------------------------------------------------------

function setStatus(text: string, tooltip: string, tone?: "error" | "warning"): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = tone ? new vscode.ThemeColor(`statusBarItem.${tone}Background`) : undefined;
  status.command = tone ? "spillguard.showOutput" : "workbench.actions.view.problems";
  status.show();
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) {
    return undefined;
  }
  return typeof c === "object" ? String(c.value) : String(c);
}

export function counts(all: ReadonlyArray<[vscode.Uri, ReadonlyArray<vscode.Diagnostic>]>): {
  findings: number;
  blocks: number;
} {
  let findings = 0;
  let blocks = 0;
  for (const [, diags] of all) {
    for (const d of diags) {
      if (d.source !== SOURCE) {
        continue;
      }
      if (codeOf(d) === BLOCK_CODE) {
        blocks++;
      } else {
        findings++;
      }
    }
  }
  return { findings, blocks };
}

function updateStatus(): void {
  if (!client || client.state !== State.Running) {
    return;
  }
  const { findings, blocks } = counts(vscode.languages.getDiagnostics());
  const text = `$(shield) spillguard: ${findings}` + (blocks > 0 ? ` $(sparkle) ${blocks} unreviewed` : "");
  const tip = `${findings} finding${findings === 1 ? "" : "s"} (secrets and insecure defaults)` +
    `, ${blocks} unreviewed inserted block${blocks === 1 ? "" : "s"}. Click for the Problems panel.`;
  setStatus(text, tip);
}

// ---- commands ------------------------------------------------------------------------------

async function execute(command: string, args: unknown[]): Promise<unknown> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage("The spillguard server is not running.");
    return undefined;
  }
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

function here(): { editor: vscode.TextEditor; arg: { uri: string; position: { line: number; character: number } } } |
  undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) {
    return undefined;
  }
  const pos = editor.selection.active;
  return {
    editor,
    arg: {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      position: { line: pos.line, character: pos.character },
    },
  };
}

async function showOccurrences(): Promise<void> {
  const h = here();
  if (!h || !client) {
    return;
  }
  let result: unknown;
  try {
    result = await execute("spillguard.showOccurrences", [h.arg]);
  } catch (e) {
    void vscode.window.showInformationMessage(`spillguard: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const locations = Array.isArray(result)
    ? result.map((l) => client!.protocol2CodeConverter.asLocation(l as never))
    : [];
  if (!locations || locations.length === 0) {
    void vscode.window.showInformationMessage("spillguard: no secret here");
    return;
  }
  await vscode.commands.executeCommand("editor.action.showReferences", h.editor.document.uri,
    h.editor.selection.active, locations);
}

async function markReviewed(): Promise<void> {
  const h = here();
  if (!h) {
    return;
  }
  const r = (await execute("spillguard.markReviewed", [h.arg])) as { reviewed?: boolean } | undefined;
  if (r && !r.reviewed) {
    void vscode.window.showInformationMessage("spillguard: no inserted block under the cursor");
  }
}

async function openRuleDocs(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const diags = editor
    ? vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE)
    : [];
  const withDocs = diags.filter((d) => typeof d.code === "object" && d.code.target);
  if (withDocs.length === 0) {
    void vscode.window.showInformationMessage("spillguard: no finding in this file");
    return;
  }
  const pos = editor!.selection.active;
  let pick = withDocs.find((d) => d.range.contains(pos)) ??
    (withDocs.length === 1 ? withDocs[0] : undefined);
  if (!pick) {
    const item = await vscode.window.showQuickPick(
      withDocs.map((d) => ({ label: codeOf(d) ?? "", description: `line ${d.range.start.line + 1}`, d })),
      { placeHolder: "Open the documentation of which rule?" });
    pick = item?.d;
  }
  const target = pick && typeof pick.code === "object" ? pick.code.target : undefined;
  if (target) {
    await vscode.env.openExternal(target);
  }
}

// ---- assistant insertions ------------------------------------------------------------------

/** The range a set of content changes inserted, in the document after the changes. */
export function insertedRange(changes: ReadonlyArray<vscode.TextDocumentContentChangeEvent>): vscode.Range | undefined {
  let range: vscode.Range | undefined;
  for (const c of changes) {
    const lines = c.text.split("\n");
    const start = c.range.start;
    const end = lines.length === 1
      ? start.translate(0, c.text.length)
      : new vscode.Position(start.line + lines.length - 1, lines[lines.length - 1].length);
    const r = new vscode.Range(start, end);
    range = range ? range.union(r) : r;
  }
  return range && !range.isEmpty ? range : undefined;
}

function notifyInsertion(document: vscode.TextDocument, range: vscode.Range, source: string): void {
  if (!client || client.state !== State.Running) {
    return;
  }
  void client.sendNotification(ASSISTANT_INSERTION, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri), version: document.version },
    range: { start: { line: range.start.line, character: range.start.character },
      end: { line: range.end.line, character: range.end.character } },
    source,
  });
}

/** Run a built-in accept command and report the text it inserted into the active editor. */
async function acceptAndReport(builtin: string, source: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const enabled = vscode.workspace.getConfiguration(SECTION).get<boolean>("assistantInsertions.enabled", true);
  if (!editor || !enabled) {
    await vscode.commands.executeCommand(builtin);
    return;
  }
  const doc = editor.document;
  const changes: vscode.TextDocumentContentChangeEvent[] = [];
  let version = doc.version;
  const sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document === doc && e.contentChanges.length > 0) {
      changes.push(...e.contentChanges);
      version = e.document.version;
    }
  });
  try {
    await vscode.commands.executeCommand(builtin);
  } finally {
    sub.dispose();
  }
  // Several change events (rare): only their union is known, reported against the last version.
  const range = insertedRange(changes.length === 1 ? changes : changes.slice(-1));
  if (range && version === doc.version) {
    notifyInsertion(doc, range, source);
  }
}

// ---- activation ----------------------------------------------------------------------------

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("spillguard");
  status = vscode.window.createStatusBarItem("spillguard.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "spillguard";
  setStatus("$(sync~spin) spillguard", "Starting the spillguard server...");
  context.subscriptions.push(
    output,
    status,
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.commands.registerCommand("spillguard.showOutput", () => output.show()),
    vscode.commands.registerCommand("spillguard.scan", async () => {
      await execute("spillguard.scanWorkspace", []);
    }),
    vscode.commands.registerCommand("spillguard.occurrences", showOccurrences),
    vscode.commands.registerCommand("spillguard.reviewed", markReviewed),
    vscode.commands.registerCommand("spillguard.ruleDocs", openRuleDocs),
    vscode.commands.registerCommand("spillguard.restart", async () => {
      restarts = [];
      await start();
    }),
    vscode.commands.registerCommand("spillguard.acceptInlineSuggestion",
      () => acceptAndReport("editor.action.inlineSuggest.commit", "vscode-inline-completion")),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("spillguard.server")) {
        restarts = [];
        void start();
      }
    }),
    { dispose: () => clearTimeout(restartTimer) },
  );
  await start();
}

export async function deactivate(): Promise<void> {
  stopping = true;
  clearTimeout(restartTimer);
  if (client) {
    await client.stop(5000);
  }
}
