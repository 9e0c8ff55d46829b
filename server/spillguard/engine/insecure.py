"""Insecure-default detection (tree-sitter). Filled in by the insecure-defaults work."""

from __future__ import annotations

from .findings import Finding


def scan_insecure(text: str, path: str) -> list[Finding]:
    return []
