"""CPU time the language server spends per keystroke, on a 600-line and a
60,000-line file, beside pygls's stock TextDocument path.

Each server runs as its own process on stdio, driven by a minimal JSON-RPC
client. After opening the file, the client types code into the middle of it,
one character per didChange (a line of code, then Enter, and so on, with some
backspaces), and waits after each keystroke for the publishDiagnostics of that
version, so every bit of work a keystroke causes — parsing the message,
updating the text, re-scanning, re-parsing with tree-sitter, building and
sending diagnostics — is done before the next one. The publish debounce is set
to 0. One piece of work is deliberately done once per pause rather than per
keystroke: the tree-sitter reparse for insecure defaults (an incremental
reparse still walks every top-level node, ~15-50 ms at 60,000 lines). The
client ends with a pull request, which makes every finding exact at once, so
that pause is measured and counted too. The figure is the server process's CPU
time (user + system, all threads, from /proc/<pid>/stat) over the keystrokes
and the pause, divided by the number of keystrokes; the pause is also shown
on its own.

The files are real code: the machine's Python standard library concatenated
to the wanted length, with a few secrets put in (built at run time).

    .venv/bin/python bench/keystroke.py [--edits 1000] [--sizes 600,60000]

The stock server (`--stock-server`, started by this script) is pygls's
LanguageServer with incremental sync: its TextDocument applies each change
and publishes empty diagnostics, the least any pygls server does per keystroke.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
TYPED_LINES = [
    "    retries = config.get('retries', 3)",
    "    if not retries:",
    "        raise ValueError('no retries left')",
    "    result = compute(payload, retries=retries)  # keep the old behaviour",
]


# -- the corpus ---------------------------------------------------------------


def stdlib_lines(count: int) -> list[str]:
    lib = Path(sysconfig.get_paths()["stdlib"])
    out: list[str] = []
    for path in sorted(lib.glob("*.py")):
        try:
            out.extend(path.read_text(encoding="utf-8").splitlines())
        except (OSError, UnicodeDecodeError):
            continue
        if len(out) >= count:
            break
    return out[:count]


def corpus(count: int) -> str:
    sys.path.insert(0, str(ROOT / "server"))
    from spillguard.engine.validators import make_crc62_token

    lines = stdlib_lines(count)
    secrets = [
        f'GITHUB_TOKEN = "{make_crc62_token("ghp_", "Qw8eRt5yUi2oPa9sDf6gHj3kLz7xCv")}"',
        f'aws_access_key_id = "AKIA{"Q3JXK7BMN2TZR5W4"}"',
        'DATABASE_URL = "postgres://app:S3cr3tPassw0rd4Prod@db.internal:5432/app"',
        f'NPM_TOKEN = "{make_crc62_token("npm_", "Zx4cVb7nMq1wEr8tYu5iOp2aSd6fGh")}"',
    ]
    for i, secret in enumerate(secrets):
        lines.insert((i + 1) * len(lines) // (len(secrets) + 1), secret)
    return "\n".join(lines[:count]) + "\n"


# -- a minimal JSON-RPC client ---------------------------------------------------


class Client:
    def __init__(self, cmd: list[str]) -> None:
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
        self.next_id = 0

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        out = self.proc.stdout
        assert out is not None
        length = 0
        while True:
            line = out.readline()
            if not line:
                raise RuntimeError("server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(out.read(length))
        if "method" in message and "id" in message:  # a request from the server: answer it
            result: Any = [None] * len(message["params"]["items"]) if message["method"] == "workspace/configuration" \
                else None
            self.send({"id": message["id"], "result": result})
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == rid and "method" not in msg:
                return msg.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_publish(self, uri: str, version: int) -> None:
        while True:
            msg = self.read()
            if msg.get("method") == "textDocument/publishDiagnostics":
                p = msg["params"]
                if p["uri"] == uri and p.get("version") == version:
                    return

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime

    def cpu_seconds_fine(self) -> float:
        """On-CPU time of the live threads in nanoseconds (/proc/<pid>/task/*/schedstat), for short spans."""
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1e9

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def keystrokes(count: int) -> list[str]:
    """One-character edits: typed lines with Enter, a backspace after every 7th character."""
    out: list[str] = []
    i = 0
    while len(out) < count:
        line = TYPED_LINES[i % len(TYPED_LINES)]
        for n, ch in enumerate(line):
            out.append(ch)
            if n % 7 == 6:
                out.append("\b")
                out.append(ch)
        out.append("\n")
        i += 1
    return out[:count]


def run(cmd: list[str], text: str, edits: int, workspace: Path, pull: bool) -> tuple[float, float, float]:
    """(CPU ms per keystroke, wall ms per keystroke, CPU ms of the pause) for one server and one file.

    The per-keystroke CPU includes the pause's work (spread over the keystrokes)."""
    client = Client(cmd)
    try:
        client.request("initialize", {
            "processId": os.getpid(),
            "rootUri": workspace.as_uri(),
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            "initializationOptions": {"debounce": 0, "workspaceScan": False},
        })
        client.notify("initialized", {})
        uri = (workspace / "big_module.py").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        client.wait_publish(uri, 1)
        line = text.count("\n") // 2
        col = 0
        version = 1
        keys = keystrokes(edits + 50)
        cpu0 = wall0 = 0.0
        for n, key in enumerate(keys):
            if n == 50:  # after a warm-up
                cpu0, wall0 = client.cpu_seconds(), time.perf_counter()
            version += 1
            if key == "\b":
                rng = {"start": {"line": line, "character": col - 1}, "end": {"line": line, "character": col}}
                new, col = "", col - 1
            else:
                rng = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}
                new = key
                line, col = (line + 1, 0) if key == "\n" else (line, col + 1)
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": rng, "text": new}],
            })
            client.wait_publish(uri, version)
        # The pause after typing: insecure defaults are re-parsed once (a pull
        # request makes every finding exact at once, so its CPU is counted here).
        fine1 = client.cpu_seconds_fine()
        if pull:
            client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        cpu = client.cpu_seconds() - cpu0
        pause = client.cpu_seconds_fine() - fine1
        wall = time.perf_counter() - wall0
        return cpu * 1000 / edits, wall * 1000 / edits, pause * 1000
    finally:
        client.close()


# -- pygls's stock path ---------------------------------------------------------


def stock_server() -> None:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("stock", "1")

    def publish(ls: LanguageServer, uri: str) -> None:
        doc = ls.workspace.get_text_document(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=doc.version))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    server.start_io()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--sizes", default="600,60000")
    ap.add_argument("--stock-server", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stock_server:
        stock_server()
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    servers = {
        "spillguard": [sys.executable, "-m", "spillguard", "serve", "--stdio"],
        "pygls TextDocument (stock)": [sys.executable, str(Path(__file__).resolve()), "--stock-server"],
    }
    results: dict[tuple[str, int], tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            text = corpus(size)
            for name, cmd in servers.items():
                results[name, size] = run(cmd, text, args.edits, Path(tmp), pull=name == "spillguard")
                cpu, wall, pause = results[name, size]
                print(f"{name:28} {size:>7} lines: {cpu:7.3f} ms CPU, {wall:7.3f} ms wall per keystroke; "
                      f"pause {pause:.2f} ms CPU", flush=True)
    print()
    print(f"CPU ms per keystroke ({args.edits} one-character edits, the pause after them included)")
    print()
    print("| server | " + " | ".join(f"{s:,} lines" for s in sizes) + " | ratio |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for name in servers:
        cells = [f"{results[name, s][0]:.3f}" for s in sizes]
        ratio = results[name, sizes[-1]][0] / results[name, sizes[0]][0]
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f}× |")
    print()
    print("CPU ms of the pause (spillguard: one incremental tree-sitter reparse and query): "
          + ", ".join(f"{s:,} lines {results['spillguard', s][2]:.2f}" for s in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
