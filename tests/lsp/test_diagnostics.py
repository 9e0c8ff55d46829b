"""Diagnostics as a user sees them: pushed on open and change, pulled on request."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, assert_no_secret_sent, diagnostics_for, open_doc


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
    assert d.code_description is not None and d.code_description.href.endswith("/github-pat")
    assert d.data["rule"] == "github-pat" and d.data["fingerprint"].startswith("sg1:")
    assert d.data["language"] == "python" and d.data["kind"] == "secret"
    assert_no_secret_sent(client)
