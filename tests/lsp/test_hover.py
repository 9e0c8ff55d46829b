"""Hovering a finding explains it: what, why, how to fix, how to revoke, references."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from spillguard.engine.validators import aws_account_id

from .support import GITHUB_TOKEN, assert_no_secret_sent, diagnostics_for, open_doc

# An AWS key id built from the published format: AKIA + 16 base32 characters.
AWS_KEY_ID = "AKIATDCPYBHJNOZRT66S"


async def hover(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri), position=types.Position(line, character))
    )


async def test_hover_over_a_token(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "app.py").as_uri()
    open_doc(client, uri, f'x = 1\nTOKEN = "{GITHUB_TOKEN}"\n')
    await diagnostics_for(client, uri, version=1)
    result = await hover(client, uri, 1, 15)
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    text = result.contents.value
    assert "GitHub personal access token" in text
    assert "**Why it matters:**" in text and "**How to fix:**" in text
    assert "**Revoke and rotate:**" in text and "https://github.com/settings/tokens" in text
    assert "[CWE-798](https://cwe.mitre.org/data/definitions/798.html)" in text
    assert "NHI2 Secret Leakage" in text and "NHI7 Long-Lived Secrets" in text
    assert "NIST CSF 2.0: PR.AA-01" in text
    assert "ghp_…" in text  # the redacted preview, nothing more
    assert_no_secret_sent(client)


async def test_hover_outside_findings_is_empty(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "app.py").as_uri()
    open_doc(client, uri, f'x = 1\nTOKEN = "{GITHUB_TOKEN}"\n')
    await diagnostics_for(client, uri, version=1)
    assert await hover(client, uri, 0, 2) is None
    assert await hover(client, uri, 99, 0) is None  # past the end: clamped, no error


async def test_hover_shows_the_decoded_aws_account_redacted(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "aws.py").as_uri()
    open_doc(client, uri, f'aws_access_key_id = "{AWS_KEY_ID}"\n')
    diags = await diagnostics_for(client, uri, version=1)
    assert any(d.code == "aws-access-key-id" for d in diags)
    result = await hover(client, uri, 0, 25)
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    account = aws_account_id(AWS_KEY_ID)
    assert account is not None
    assert f"**AWS account:** `{account[:4]}…`" in result.contents.value
    assert account not in result.contents.value


async def test_hover_over_an_insecure_default(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "net.py").as_uri()
    open_doc(client, uri, "import requests\nr = requests.get(url, verify=False)\n")
    diags = await diagnostics_for(client, uri, version=1)
    (d,) = [d for d in diags if d.data["kind"] == "insecure"]
    result = await hover(client, uri, d.range.start.line, d.range.start.character)
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert result.contents.value.startswith("### Insecure default:")
    assert "CWE-" in result.contents.value
