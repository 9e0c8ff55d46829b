"""Shared fixtures: tokens are built at run time so the repository holds no real-looking secret twice."""

from __future__ import annotations

import pytest

from spillguard.engine.validators import make_crc62_token

GITHUB_TOKEN = make_crc62_token("ghp_", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8")


@pytest.fixture
def github_token() -> str:
    return GITHUB_TOKEN
