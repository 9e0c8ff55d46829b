"""Shared fixtures: tokens are built at run time so the repository holds no real-looking secret twice."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from spillguard.engine.validators import make_crc62_token

GITHUB_TOKEN = make_crc62_token("ghp_", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8")


@pytest.fixture
def github_token() -> str:
    return GITHUB_TOKEN


@pytest.fixture(scope="session", autouse=True)
def _hyperscan_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled Hyperscan databases go to a cache of the test session's own, never the user's
    (servers and CLIs started by tests inherit the variable)."""
    old = os.environ.get("SPILLGUARD_CACHE_DIR")
    os.environ["SPILLGUARD_CACHE_DIR"] = str(tmp_path_factory.mktemp("hyperscan-cache"))
    yield
    if old is None:
        os.environ.pop("SPILLGUARD_CACHE_DIR", None)
    else:
        os.environ["SPILLGUARD_CACHE_DIR"] = old
