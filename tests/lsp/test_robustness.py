"""The server never dies: binary content, huge lines, positions past the end,
stale versions, unknown documents, bad requests, failing hooks; clean exit."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pytest_lsp import LanguageClient

from spillguard.lsp.server import _request, create_server
from spillguard.lsp.settings import Settings

from .support import GITHUB_TOKEN, GITHUB_TOKEN_2, change, diagnostics_for, open_doc, start


def codes(diags: list[types.Diagnostic]) -> list[object]:
    return [d.code for d in diags]


async def alive(client: LanguageClient, tmp_path: Path) -> None:
    """The server still answers requests and publishes."""
    uri = (tmp_path / "alive.py").as_uri()
    open_doc(client, uri, f'x = "{GITHUB_TOKEN}"\n', version=1)
    assert codes(await diagnostics_for(client, uri, version=1)) == ["github-pat"]


async def test_binary_content(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "blob.bin").as_uri()
    open_doc(client, uri, "\x00\x01\x02\ufffd\x7f" * 1000 + f'\x00 k = "{GITHUB_TOKEN}" \x00\ud800', "plaintext")
    assert "github-pat" in codes(await diagnostics_for(client, uri, version=1))
    change(client, uri, 2, (0, 3), (0, 9), "\x00\x00")
    assert "github-pat" in codes(await diagnostics_for(client, uri, version=2))
    await alive(client, tmp_path)


async def test_huge_line(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "min.js").as_uri()
    line = "var a=1;" * 250_000 + f'var t="{GITHUB_TOKEN}";'
    open_doc(client, uri, line, "javascript")
    assert "github-pat" in codes(await diagnostics_for(client, uri, version=1))
    change(client, uri, 2, (0, 0), (0, 0), "x")
    (d,) = [d for d in await diagnostics_for(client, uri, version=2) if d.code == "github-pat"]
    assert d.range.start.character == len(line) - len(GITHUB_TOKEN) - 2 + 1


async def test_positions_past_the_end_are_clamped(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "short.py").as_uri()
    open_doc(client, uri, "a = 1\n")
    await diagnostics_for(client, uri, version=1)
    change(client, uri, 2, (500, 3), (900, 7), f'\nb = "{GITHUB_TOKEN}"')
    (d,) = await diagnostics_for(client, uri, version=2)
    assert d.range.start == types.Position(2, 5)  # appended after the last line
    change(client, uri, 3, (0, 999), (0, 999), "  # note")
    (d,) = await diagnostics_for(client, uri, version=3)
    assert d.range.start == types.Position(2, 5)


async def test_stale_versions_are_ignored(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "v.py").as_uri()
    open_doc(client, uri, "a = 1\n", version=5)
    await diagnostics_for(client, uri, version=5)
    change(client, uri, 4, (0, 0), (0, 0), f'x = "{GITHUB_TOKEN}"\n')  # older than the document
    change(client, uri, 6, (0, 0), (0, 0), "# six\n")
    assert await diagnostics_for(client, uri, version=6) == []
    assert any("stale change ignored" in m.message for m in client.log_messages)


async def test_change_for_an_unknown_document(client: LanguageClient, tmp_path: Path) -> None:
    change(client, (tmp_path / "never-opened.py").as_uri(), 2, (0, 0), (0, 0), f'x = "{GITHUB_TOKEN}"')
    await alive(client, tmp_path)
    assert any("not open" in m.message for m in client.log_messages)


async def test_bad_request_is_answered_with_an_error(client: LanguageClient, tmp_path: Path) -> None:
    # Sent as raw JSON: the client's own types would refuse these params.
    future: Future[object] = Future()
    client.protocol._request_futures["bad-1"] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": "bad-1", "method": "textDocument/hover",
                                "params": {"textDocument": {"uri": 3}}})
    with pytest.raises(JsonRpcException):
        await asyncio.wrap_future(future)
    await alive(client, tmp_path)


async def test_clean_shutdown_and_exit(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path)
    await bare_client.shutdown_session()
    server = bare_client._server
    assert server is not None and server.returncode == 0
    bare_client.capabilities = None  # nothing left for the fixture to shut down


def test_exception_in_a_request_becomes_an_lsp_error_without_its_text() -> None:
    @_request("textDocument/hover")
    def broken(ls: object, params: object) -> None:
        raise ValueError(f"bad value {GITHUB_TOKEN}")

    with pytest.raises(JsonRpcInternalError) as info:
        broken(None, None)
    assert "ValueError" in str(info.value.message)
    assert GITHUB_TOKEN not in str(info.value.message)


def test_failing_hooks_do_not_stop_the_analysis() -> None:
    server = create_server()
    server.settings = Settings(diagnostic_mode="pull")
    server.reload_config()

    def boom(*args: object) -> list[types.Diagnostic]:
        raise RuntimeError("hook bug")

    server.change_listeners.append(boom)
    server.findings_listeners.append(boom)
    server.diagnostic_hooks.append(boom)
    uri = "file:///w/h.py"
    server.did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, "x = 1\n")))
    server.did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)), text=f'y = "{GITHUB_TOKEN_2}"\n')],
    ))
    doc = server.store.get(uri)
    assert doc is not None and doc.version == 2
    assert [f.rule_id for f in server.findings[uri]] == ["github-pat"]
    assert [d.code for d in server.diagnostics(doc)] == ["github-pat"]
