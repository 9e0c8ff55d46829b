"""Helpers for the end-to-end tests: a real `spillguard serve` process driven by a test client.

Every raw message the server sends is recorded (`client.raw_messages`) so tests
can assert that no secret ever leaves the server in full.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import make_test_lsp_client

from spillguard.engine.validators import make_crc62_token

SERVER = [sys.executable, "-m", "spillguard", "serve", "--stdio"]

# Test secrets, built at run time so no token sits in the repository.
GITHUB_TOKEN = make_crc62_token("ghp_", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy")
GITHUB_TOKEN_2 = make_crc62_token("ghp_", "Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd")
SECRETS = (GITHUB_TOKEN, GITHUB_TOKEN_2)


def recording_client() -> LanguageClient:
    client = make_test_lsp_client()
    raw: list[str] = []
    original = client.protocol.structure_message

    published: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    def record(data: dict[str, Any]) -> Any:
        if isinstance(data, dict) and "jsonrpc" in data:
            raw.append(json.dumps(data))
            if data.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
                published.append(data["params"])
                arrived.set()
        return original(data)

    client.protocol.structure_message = record  # type: ignore[method-assign]
    client.raw_messages = raw  # type: ignore[attr-defined]
    # Every publishDiagnostics in arrival order, and how many a test has consumed:
    # waiting on these cannot miss a notification that arrives right after another.
    client.published = published  # type: ignore[attr-defined]
    client.published_arrived = arrived  # type: ignore[attr-defined]
    client.published_seen = {}  # type: ignore[attr-defined]
    return client


def capabilities(pull: bool = False, encodings: list[str] | None = None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings] if encodings else None
        ),
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        ),
        workspace=types.WorkspaceClientCapabilities(
            configuration=True,
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        ),
    )


async def start(client: LanguageClient, root: Path, options: dict[str, Any] | None = None,
                caps: types.ClientCapabilities | None = None) -> types.InitializeResult:
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=caps or capabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options={"debounce": 0, "insecureDelay": 0, **(options or {})},
        )
    )


def open_doc(client: LanguageClient, uri: str, text: str, language: str = "python", version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)
        )
    )


def change(client: LanguageClient, uri: str, version: int, start: tuple[int, int], end: tuple[int, int],
           text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
                )
            ],
        )
    )


async def diagnostics_for(
    client: LanguageClient,
    uri: str,
    version: int | None = None,
    until: Callable[[list[types.Diagnostic]], bool] | None = None,
) -> list[types.Diagnostic]:
    """The next publishDiagnostics of `uri` not yet consumed (at `version`, and
    satisfying `until`, when given); earlier ones of `uri` are passed over."""
    published: list[dict[str, Any]] = client.published  # type: ignore[attr-defined]
    arrived: asyncio.Event = client.published_arrived  # type: ignore[attr-defined]
    seen: dict[str, int] = client.published_seen  # type: ignore[attr-defined]
    while True:
        for i in range(seen.get(uri, 0), len(published)):
            params = published[i]
            if params["uri"] != uri:
                continue
            seen[uri] = i + 1
            if version is not None and params.get("version") != version:
                continue
            diags = list(client.protocol._converter.structure(params, types.PublishDiagnosticsParams).diagnostics)
            if until is None or until(diags):
                return diags
        arrived.clear()
        await arrived.wait()


def assert_no_secret_sent(client: LanguageClient) -> None:
    raw: list[str] = client.raw_messages  # type: ignore[attr-defined]
    assert raw, "no messages were recorded"
    for message in raw:
        for secret in SECRETS:
            assert secret not in message and secret[4:] not in message, _where(message, secret)


def _where(message: str, secret: str) -> str:
    """The kind of message that leaked (never the secret: the assertion text is shown)."""
    data = json.loads(message)
    at = message.find(secret) if secret in message else message.find(secret[4:])
    return f"leak in {data.get('method') or 'response ' + str(data.get('id'))} near {message[max(0, at - 80):at]!r}"
