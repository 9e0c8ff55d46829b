"""Quick fixes end to end: pytest-lsp is the client, `spillguard serve` the server.

Each test opens a real file, takes the diagnostics the server publishes, asks
for code actions and applies the WorkspaceEdit the way an editor would; the
fixed code must parse (tree-sitter) and the secret must be only in `.env`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from spillguard.engine.validators import make_crc62_token

TOKEN = make_crc62_token("ghp_", "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2")
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spillguard", "serve"])
TIMEOUT = 30


def record_messages(client: LanguageClient) -> list[str]:
    """Every JSON-RPC message the server sends, as raw JSON text."""
    seen: list[str] = []
    orig = client.protocol.structure_message

    def hook(data: Any) -> Any:
        if isinstance(data, dict) and "jsonrpc" in data:
            seen.append(json.dumps(data))
        return orig(data)

    client.protocol.structure_message = hook  # type: ignore[method-assign]
    return seen


async def start(client: LanguageClient, root: Path, caps: str | types.ClientCapabilities = "visual-studio-code",
                **options: Any) -> None:
    client.seen = record_messages(client)  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    opts = {"debounce": 0, "workspaceScan": False, **options}
    client.init_result = await client.initialize_session(  # type: ignore[attr-defined]
        types.InitializeParams(
            capabilities=client_capabilities(caps) if isinstance(caps, str) else caps,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=opts,
        )
    )


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):  # noqa: ANN201
    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER, scope="module")
async def shared(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """One server for the language matrix (each case opens its own file)."""
    root = tmp_path_factory.mktemp("matrix")
    lsp_client.root = root  # type: ignore[attr-defined]
    await start(lsp_client, root)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def nvim(lsp_client: LanguageClient, tmp_path: Path):  # noqa: ANN201
    """A client without documentChanges (Neovim 0.11's capabilities), diagnostics pushed."""
    await start(lsp_client, tmp_path, caps="neovim@v0.11.0", diagnosticMode="push")
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def minimal(lsp_client: LanguageClient, tmp_path: Path):  # noqa: ANN201
    """A client that declares almost nothing: no resolve, no documentChanges, diagnostics pushed."""
    await start(lsp_client, tmp_path, caps=types.ClientCapabilities())
    yield
    await lsp_client.shutdown_session()


# ---- helpers -------------------------------------------------------------


async def diagnostics(client: LanguageClient, uri: str, pred: Any = lambda ds: bool(ds)) -> list[types.Diagnostic]:
    async def wait() -> list[types.Diagnostic]:
        while True:
            ds = client.diagnostics.get(uri)
            if ds is not None and pred(ds):
                return list(ds)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def open_doc(client: LanguageClient, path: Path, language_id: str, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
        )
    )
    return uri


def _offset(text: str, pos: types.Position) -> int:
    lines = text.split("\n")
    line = min(pos.line, len(lines) - 1)
    units = 0
    col = 0
    for ch in lines[line]:
        if units >= pos.character:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
        col += 1
    return sum(len(ln) + 1 for ln in lines[:line]) + col


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    spans = sorted(((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit, files: dict[str, str | None]) -> dict[str, str | None]:
    """Apply like an editor: files maps uri → text (None: does not exist)."""
    out = dict(files)
    if edit.document_changes:
        for change in edit.document_changes:
            if isinstance(change, types.CreateFile):
                if out.get(change.uri) is None:
                    out[change.uri] = ""
            elif isinstance(change, types.TextDocumentEdit):
                uri = change.text_document.uri
                assert out.get(uri) is not None, f"edit for a file that does not exist: {uri}"
                out[uri] = apply_text_edits(out[uri] or "", list(change.edits))  # type: ignore[arg-type]
            else:
                raise AssertionError(f"unexpected resource operation {change!r}")
    for uri, edits in (edit.changes or {}).items():
        out[uri] = apply_text_edits(out.get(uri) or "", list(edits))
    return out


async def code_actions(client: LanguageClient, uri: str, diag: types.Diagnostic,
                       only: list[str] | None = None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def last_raw_actions(client: LanguageClient) -> list[dict[str, Any]]:
    """The last code-action list as sent. (lsprotocol's client-side converter reads a
    CodeAction that carries a command as a bare Command, so read the JSON.)"""
    for raw in reversed(client.seen):  # type: ignore[attr-defined]
        msg = json.loads(raw)
        if "id" in msg and isinstance(msg.get("result"), list) and msg["result"] and "title" in msg["result"][0]:
            return list(msg["result"])
    return []


def secret_diag(ds: list[types.Diagnostic]) -> types.Diagnostic:
    return next(d for d in ds if isinstance(d.data, dict) and d.data.get("kind") == "secret")


def has_secret(ds: Any) -> bool:
    return any(isinstance(d.data, dict) and d.data.get("kind") == "secret" for d in ds)


def assert_no_secret_sent(client: LanguageClient, env_uri: str) -> None:
    """The token may travel only inside a TextEdit for `.env`."""
    for raw in client.seen:  # type: ignore[attr-defined]
        if TOKEN not in raw:
            continue
        msg = json.loads(raw)
        if isinstance(msg.get("result"), dict) and "title" in msg["result"]:
            msg["result"] = [msg["result"]]  # codeAction/resolve answers one action
        for change in (msg.get("result") or []):
            edit = change.get("edit") if isinstance(change, dict) else None
            if not edit:
                continue
            for dc in edit.get("documentChanges") or []:
                if dc.get("textDocument", {}).get("uri") != env_uri:
                    assert TOKEN not in json.dumps(dc)
            for uri, edits in (edit.get("changes") or {}).items():
                if uri != env_uri:
                    assert TOKEN not in json.dumps(edits)
            msg["result"] = [c for c in msg["result"] if not (isinstance(c, dict) and c.get("edit"))]
        assert TOKEN not in json.dumps(msg), "the secret left the server outside the .env edit"


def parses(language: str, text: str) -> bool:
    import warnings

    import tree_sitter

    mod: Any
    if language == "typescript":
        import tree_sitter_typescript as mod

        raw = mod.language_typescript()
    else:
        import importlib

        mod = importlib.import_module({"shell": "tree_sitter_bash", "terraform": "tree_sitter_hcl"}.get(
            language, f"tree_sitter_{language}"))
        raw = mod.language()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        grammar = tree_sitter.Language(raw)
    return not tree_sitter.Parser(grammar).parse(text.encode()).root_node.has_error


# ---- the language matrix --------------------------------------------------

# (relative path, language id, source, expected fragment of the fixed file, grammar or None, .env key)
CASES = [
    ("app/settings.py", "python", f'"""Settings."""\nimport json\n\nGITHUB_TOKEN = "{TOKEN}"\n',
     'import os\nimport json\n\nGITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n', "python", "GITHUB_TOKEN"),
    ("web/client.js", "javascript", f'const client = new Octokit({{ auth: "{TOKEN}" }});\n',
     "const client = new Octokit({ auth: process.env.AUTH });\n", "javascript", "AUTH"),
    ("web/api.ts", "typescript", f"export const apiToken: string = `{TOKEN}`;\n",
     "export const apiToken: string = process.env.API_TOKEN;\n", "typescript", "API_TOKEN"),
    ("cmd/main.go", "go", f'package main\n\nimport "fmt"\n\nfunc main() {{\n\ttoken := "{TOKEN}"\n\tfmt.Println(len(token))\n}}\n',
     '\ttoken := os.Getenv("TOKEN")\n', "go", "TOKEN"),
    ("src/Main.java", "java", f'class Main {{\n  static final String TOKEN = "{TOKEN}";\n}}\n',
     'static final String TOKEN = System.getenv("TOKEN");', "java", "TOKEN"),
    ("lib/client.rb", "ruby", f'client = Octokit::Client.new(access_token: "{TOKEN}")\n',
     'Octokit::Client.new(access_token: ENV.fetch("ACCESS_TOKEN"))', "ruby", "ACCESS_TOKEN"),
    ("deploy.sh", "shellscript", f'#!/bin/sh\nexport GH_TOKEN="{TOKEN}"\ngh release list\n',
     'export GH_TOKEN="${GH_TOKEN}"\n', "bash", "GH_TOKEN"),
    (".github/workflows/ci.yml", "yaml",
     f"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      GH_TOKEN: {TOKEN}\n    steps:\n      - run: gh pr list\n",
     "      GH_TOKEN: ${{ secrets.GH_TOKEN }}\n", "yaml", "GH_TOKEN"),
    ("infra/main.tf", "terraform", f'provider "github" {{\n  token = "{TOKEN}"\n}}\n',
     'provider "github" {\n  token = var.token\n}\n\nvariable "token" {\n  type      = string\n  sensitive = true\n}\n',
     "hcl", "TF_VAR_token"),
    ("k8s/deploy.yaml", "yaml", f"apiVersion: v1\nkind: ConfigMap\ndata:\n  token: {TOKEN}\n",
     "  token: ${TOKEN}\n", "yaml", "TOKEN"),
    ("docker-compose.yml", "yaml", f"services:\n  api:\n    environment:\n      - GITHUB_TOKEN={TOKEN}\n",
     "      - GITHUB_TOKEN=${GITHUB_TOKEN}\n", "yaml", "GITHUB_TOKEN"),
    ("Dockerfile", "dockerfile", f"FROM alpine:3.20\nRUN git clone https://x:{TOKEN}@h.example.com/r.git\n",
     "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n"
     "RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git clone https://x:${GITHUB_TOKEN}@h.example.com/r.git\n",
     "dockerfile", "GITHUB_TOKEN"),
    (".env.production", "dotenv", f"GITHUB_TOKEN={TOKEN}\n", "GITHUB_TOKEN=${GITHUB_TOKEN}\n", None, "GITHUB_TOKEN"),
    # No C# tree-sitter grammar is installed here: the text is checked instead.
    ("src/Program.cs", "csharp", f'class Program {{\n    static string token = "{TOKEN}";\n}}\n',
     'using System;\nclass Program {\n    static string token = Environment.GetEnvironmentVariable("TOKEN");\n}\n',
     None, "TOKEN"),
]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("rel", "language_id", "source", "expected", "grammar", "key"), CASES,
                         ids=[c[0] for c in CASES])
async def test_env_move_in_every_language(shared: LanguageClient, rel: str, language_id: str,
                                          source: str, expected: str, grammar: str | None, key: str) -> None:
    client, tmp_path = shared, shared.root  # type: ignore[attr-defined]
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    uri = open_doc(client, tmp_path / rel, language_id, source)
    diag = secret_diag(await diagnostics(client, uri, has_secret))
    assert TOKEN not in diag.message
    actions = await code_actions(client, uri, diag)
    move = next(a for a in actions if a.title.startswith("Move the secret to the environment"))
    # VS Code resolves code actions: the list carries no edit (and no secret); resolving fills it in.
    assert move.edit is None and TOKEN not in json.dumps(last_raw_actions(client))
    move = await client.code_action_resolve_async(move)
    assert move.kind == types.CodeActionKind.QuickFix and move.edit is not None
    assert move.edit.document_changes, "VS Code supports documentChanges: one WorkspaceEdit with all files"
    env_uri, ignore_uri = (tmp_path / ".env").as_uri(), (tmp_path / ".gitignore").as_uri()
    files = apply_workspace_edit(move.edit, {uri: source, env_uri: None, ignore_uri: "node_modules/\n"})
    fixed = files[uri] or ""
    assert TOKEN not in fixed
    assert expected in fixed, fixed
    if grammar:
        assert parses(grammar, source.replace(TOKEN, "x")) or grammar == "yaml"
        assert parses(grammar, fixed), fixed
    assert files[env_uri] == f"{key}={TOKEN}\n"
    assert files[ignore_uri] == "node_modules/\n.env\n"
    assert_no_secret_sent(client, env_uri)


async def test_env_file_appended_not_duplicated(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEBUG=1")
    (tmp_path / ".gitignore").write_text(".env\n")
    src = f'TOKEN = "{TOKEN}"\nOTHER = "{TOKEN}"\n'
    uri = open_doc(client, tmp_path / "a.py", "python", src)
    ds = await diagnostics(client, uri, lambda ds: sum(1 for d in ds if d.data.get("kind") == "secret") == 2)
    env_uri = (tmp_path / ".env").as_uri()
    move = await client.code_action_resolve_async(
        next(a for a in await code_actions(client, uri, secret_diag(ds)) if a.title.startswith("Move")))
    assert move.edit is not None
    files = apply_workspace_edit(move.edit, {uri: src, env_uri: "DEBUG=1"})
    assert files[env_uri] == f"DEBUG=1\nTOKEN={TOKEN}\n"
    # No CreateFile for an existing .env, no .gitignore edit when it already ignores .env.
    assert not any(isinstance(c, types.CreateFile) for c in move.edit.document_changes or [])
    assert not any(getattr(c, "text_document", None) and c.text_document.uri.endswith(".gitignore")
                   for c in move.edit.document_changes or [])
    # Once .env holds the value, the same secret elsewhere reuses the name and adds nothing.
    (tmp_path / ".env").write_text(f"DEBUG=1\nTOKEN={TOKEN}\n")
    second = [d for d in ds if d.data.get("kind") == "secret"][1]
    move2 = await client.code_action_resolve_async(
        next(a for a in await code_actions(client, uri, second) if a.title.startswith("Move")))
    assert move2.edit is not None
    files2 = apply_workspace_edit(move2.edit, {uri: src, env_uri: f"DEBUG=1\nTOKEN={TOKEN}\n"})
    assert files2[env_uri] == f"DEBUG=1\nTOKEN={TOKEN}\n"
    assert 'OTHER = os.environ["TOKEN"]' in (files2[uri] or "")


async def test_client_without_document_changes_gets_changes(nvim: LanguageClient, tmp_path: Path) -> None:
    src = f'const token = "{TOKEN}";\n'
    uri = open_doc(nvim, tmp_path / "a.js", "javascript", src)
    diag = secret_diag(await diagnostics(nvim, uri, has_secret))
    move = next(a for a in await code_actions(nvim, uri, diag) if a.title.startswith("Move"))
    if move.edit is None:  # Neovim resolves code actions too
        move = await nvim.code_action_resolve_async(move)
    assert move.edit is not None and not move.edit.document_changes and move.edit.changes
    env_uri = (tmp_path / ".env").as_uri()
    files = apply_workspace_edit(move.edit, {uri: src, env_uri: None, (tmp_path / ".gitignore").as_uri(): None})
    assert files[uri] == "const token = process.env.TOKEN;\n"
    assert files[env_uri] == f"TOKEN={TOKEN}\n"
    assert_no_secret_sent(nvim, env_uri)


async def test_suppress_here_and_baseline(client: LanguageClient, tmp_path: Path) -> None:
    src = f'token = "{TOKEN}"\n'
    uri = open_doc(client, tmp_path / "a.py", "python", src)
    diag = secret_diag(await diagnostics(client, uri, has_secret))
    actions = await code_actions(client, uri, diag)
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    assert suppress.edit is not None
    fixed = apply_workspace_edit(suppress.edit, {uri: src})[uri]
    assert fixed == f'token = "{TOKEN}"  # spillguard:ignore[{diag.code}] <reason>\n'
    # The suppressed text, once typed in, has no finding left.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=0, character=len(src) - 1),
                                  end=types.Position(line=0, character=len(src) - 1)),
                text=f"  # spillguard:ignore[{diag.code}] reviewed: test fixture")],
        )
    )
    await diagnostics(client, uri, lambda ds: not has_secret(ds))

    # Add to baseline: the command writes the fingerprint; the diagnostic goes away elsewhere too.
    uri2 = open_doc(client, tmp_path / "b.py", "python", src)
    diag2 = secret_diag(await diagnostics(client, uri2, has_secret))
    await code_actions(client, uri2, diag2)
    base = next(a for a in last_raw_actions(client) if a["title"].startswith("Add to the spillguard baseline"))
    assert base["kind"] == "quickfix" and base["command"]["command"] == "spillguard.addToBaseline"
    command = types.ExecuteCommandParams(command=base["command"]["command"], arguments=base["command"]["arguments"])
    result = await client.workspace_execute_command_async(command)
    assert result["added"] is True
    data = json.loads((tmp_path / ".spillguard-baseline.json").read_text())
    assert [e["fingerprint"] for e in data["findings"]] == [diag2.data["fingerprint"]]
    assert TOKEN not in json.dumps(data)
    await diagnostics(client, uri2, lambda ds: not has_secret(ds))
    again = await client.workspace_execute_command_async(command)
    assert again["added"] is False


async def test_bad_command_arguments_are_errors_not_crashes(client: LanguageClient, tmp_path: Path) -> None:
    from pygls.exceptions import JsonRpcException

    for command, args in (("spillguard.addToBaseline", [{"uri": 3}]), ("spillguard.addToBaseline", []),
                          ("spillguard.markReviewed", ["x"]), ("spillguard.showOccurrences", [{"nope": 1}]),
                          ("spillguard.noSuchCommand", [])):
        with pytest.raises(JsonRpcException):
            await client.workspace_execute_command_async(types.ExecuteCommandParams(command=command, arguments=args))
    # Still alive and answering.
    uri = open_doc(client, tmp_path / "a.py", "python", f'token = "{TOKEN}"\n')
    await diagnostics(client, uri, has_secret)


async def test_commands_are_declared(client: LanguageClient) -> None:
    caps = client.init_result.capabilities  # type: ignore[attr-defined]
    assert caps.execute_command_provider is not None
    assert {"spillguard.addToBaseline", "spillguard.markReviewed", "spillguard.showOccurrences",
            "spillguard.scanWorkspace"} <= set(caps.execute_command_provider.commands)
    kinds = caps.code_action_provider.code_action_kinds
    assert "quickfix" in kinds and "source.fixAll.spillguard" in kinds


async def test_fix_all_applies_safe_engine_fixes(client: LanguageClient, tmp_path: Path) -> None:
    src = "import requests\n\nrequests.get(url, verify=False)\nrequests.post(url, verify=False)\n"
    uri = open_doc(client, tmp_path / "a.py", "python", src)
    ds = await diagnostics(client, uri, lambda ds: any(d.data.get("kind") == "insecure" and d.data.get("fixes")
                                                       for d in ds))
    insecure = [d for d in ds if d.data.get("kind") == "insecure" and d.data.get("fixes")]
    quick = [a for a in await code_actions(client, uri, insecure[0]) if a.kind == types.CodeActionKind.QuickFix]
    engine_fix = next(a for a in quick if not a.title.startswith(("Suppress", "Add to")))
    assert engine_fix.edit is not None
    one = apply_workspace_edit(engine_fix.edit, {uri: src})[uri] or ""
    assert one.count("verify=False") == 1
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    fix_all = next(a for a in result or [] if isinstance(a, types.CodeAction) and a.kind == "source.fixAll.spillguard")
    assert "secrets need review" in fix_all.title
    assert fix_all.edit is not None
    fixed = apply_workspace_edit(fix_all.edit, {uri: src})[uri] or ""
    assert "verify=False" not in fixed and parses("python", fixed)


async def test_client_without_resolve_gets_the_edit_at_once(minimal: LanguageClient, tmp_path: Path) -> None:
    src = f'TOKEN = "{TOKEN}"\n'
    uri = open_doc(minimal, tmp_path / "a.py", "python", src)
    diag = secret_diag(await diagnostics(minimal, uri, has_secret))
    move = next(a for a in await code_actions(minimal, uri, diag) if a.title.startswith("Move"))
    assert move.edit is not None and move.edit.changes and move.data is None
    files = apply_workspace_edit(move.edit, {uri: src})
    assert files[uri] == 'import os\nTOKEN = os.environ["TOKEN"]\n'
    assert_no_secret_sent(minimal, (tmp_path / ".env").as_uri())


async def test_stale_resolve_is_refused(client: LanguageClient, tmp_path: Path) -> None:
    from pygls.exceptions import JsonRpcException

    src = f'TOKEN = "{TOKEN}"\n'
    uri = open_doc(client, tmp_path / "a.py", "python", src)
    diag = secret_diag(await diagnostics(client, uri, has_secret))
    move = next(a for a in await code_actions(client, uri, diag) if a.title.startswith("Move"))
    # The user types in front of the secret before picking the action: the range no longer holds it.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                text="NEW_")],
        )
    )
    with pytest.raises(JsonRpcException):
        await client.code_action_resolve_async(move)
