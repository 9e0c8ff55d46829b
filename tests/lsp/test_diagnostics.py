"""Diagnostics as a user sees them: pushed on open and change, pulled on request."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, assert_no_secret_sent, capabilities, change, diagnostics_for, open_doc, start


async def test_open_publishes_secret_with_version(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "app.py").as_uri()
    open_doc(client, uri, f'import os\nTOKEN = "{GITHUB_TOKEN}"\n', version=7)
    diags = await diagnostics_for(client, uri, version=7)
    assert len(diags) == 1
    d = diags[0]
    assert d.source == "spillguard"
    assert d.code == "github-pat"
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.range == types.Range(start=types.Position(1, 9), end=types.Position(1, 9 + len(GITHUB_TOKEN)))
    assert "GitHub personal access token" in d.message
    assert d.code_description is not None and d.code_description.href.endswith("/definitions/798.html")
    assert d.data["rule"] == "github-pat" and d.data["fingerprint"].startswith("sg1:")
    assert d.data["language"] == "python" and d.data["kind"] == "secret"
    assert_no_secret_sent(client)


def publishes(client: LanguageClient, uri: str) -> list[dict[str, object]]:
    out = []
    for raw in client.raw_messages:  # type: ignore[attr-defined]
        msg = json.loads(raw)
        if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
            out.append(msg["params"])
    return out


async def test_change_republishes_with_the_new_version(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "cfg.py").as_uri()
    open_doc(client, uri, "x = 1\n")
    assert await diagnostics_for(client, uri, version=1) == []
    change(client, uri, 2, (0, 5), (0, 5), f'\nTOKEN = "{GITHUB_TOKEN}"')
    (d,) = await diagnostics_for(client, uri, version=2)
    assert d.range.start == types.Position(1, 9)
    change(client, uri, 3, (1, 0), (1, 99), "TOKEN = os.environ['TOKEN']")
    assert await diagnostics_for(client, uri, version=3) == []
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    assert await diagnostics_for(client, uri) == []
    assert_no_secret_sent(client)


async def test_debounce_coalesces_a_burst(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"debounce": 2000})
    uri = (tmp_path / "burst.py").as_uri()
    open_doc(bare_client, uri, "x = \n")
    await diagnostics_for(bare_client, uri, version=1)  # opening publishes at once
    for version, ch in enumerate("ghp_", start=2):
        change(bare_client, uri, version, (0, 3 + version), (0, 3 + version), ch)
    await diagnostics_for(bare_client, uri, version=5)
    assert [p["version"] for p in publishes(bare_client, uri)] == [1, 5]


async def test_severities_of_insecure_defaults_and_fixtures(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "net.py").as_uri()
    fake = "ghp_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy" + "AAAAAA"  # wrong checksum: a test fixture
    open_doc(client, uri, f'import requests\nr = requests.get(url, verify=False)\nFAKE = "{fake}"\n')
    diags = {d.code: d for d in await diagnostics_for(client, uri, version=1)}
    insecure = [d for d in diags.values() if d.data["kind"] == "insecure"]
    assert insecure and all(d.severity == types.DiagnosticSeverity.Warning for d in insecure)
    assert any(d.data["fixes"] for d in insecure)  # the engine's fix edits travel with the diagnostic
    assert diags["github-pat"].severity == types.DiagnosticSeverity.Information
    assert diags["github-pat"].message.startswith("Possible test fixture")


async def test_pull_diagnostics(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, caps=capabilities(pull=True))
    uri = (tmp_path / "pull.py").as_uri()
    open_doc(bare_client, uri, f'TOKEN = "{GITHUB_TOKEN}"\n')
    report = await bare_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert [d.code for d in report.items] == ["github-pat"]
    assert publishes(bare_client, uri) == []  # a pull client is not pushed to as well
    again = await bare_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri),
                                       previous_result_id=report.result_id)
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    change(bare_client, uri, 2, (0, 0), (1, 0), "")
    emptied = await bare_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri),
                                       previous_result_id=report.result_id)
    )
    assert isinstance(emptied, types.RelatedFullDocumentDiagnosticReport) and not emptied.items
    assert_no_secret_sent(bare_client)


def test_auto_mode_pulls_only_from_clients_that_can_be_asked_again() -> None:
    """A pull client without refresh support (Neovim 0.12) is pushed to: results that change
    without an edit (workspace scan, mark reviewed) must not wait for the next keystroke."""
    from spillguard.lsp.server import create_server
    from spillguard.lsp.settings import Settings

    server = create_server()
    server.settings = Settings(diagnostic_mode="auto")
    for pull, refresh, pushes in ((False, False, True), (True, False, True), (True, True, False)):
        server.client_pull, server.client_refresh = pull, refresh
        assert server._push() is pushes
