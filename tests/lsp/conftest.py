"""pytest-lsp fixtures: a real `spillguard serve` process driven by a test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from .support import SERVER, recording_client, start


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=recording_client))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A server initialised on an empty workspace with no debounce."""
    lsp_client.workspace_root = tmp_path  # type: ignore[attr-defined]
    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=recording_client))
async def bare_client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A server not yet initialised: the test calls `start` with its own options."""
    lsp_client.workspace_root = tmp_path  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
