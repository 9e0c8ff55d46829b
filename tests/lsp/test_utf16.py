"""Ranges in the negotiated position encoding, on lines with emoji and other non-BMP characters."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, capabilities, change, diagnostics_for, open_doc, start

LINE = f'msg = "😀𝔘é" ; token = "{GITHUB_TOKEN}"'
PREFIX = LINE.split("ghp_")[0]


def units(text: str, encoding: str) -> int:
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text)


async def test_utf16_range_after_emoji(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "emoji.py").as_uri()
    open_doc(client, uri, "# 🎉 start\n" + LINE + "\n")
    (d,) = await diagnostics_for(client, uri, version=1)
    start = units(PREFIX, "utf-16")
    assert start == len(PREFIX) + 2  # two characters outside the BMP take two units each
    assert d.range == types.Range(types.Position(1, start), types.Position(1, start + len(GITHUB_TOKEN)))


async def test_change_positions_are_utf16_too(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "typing.py").as_uri()
    open_doc(client, uri, 'x = "😀"\n')
    await diagnostics_for(client, uri, version=1)
    # Insert after the closing quote: character 8 in UTF-16 (the emoji counts 2).
    change(client, uri, 2, (0, 8), (0, 8), f'; t = "{GITHUB_TOKEN}"')
    (d,) = await diagnostics_for(client, uri, version=2)
    first = units('x = "😀"; t = "', "utf-16")
    assert d.range.start == types.Position(0, first)
    assert d.range.end == types.Position(0, first + len(GITHUB_TOKEN))


async def test_utf8_when_the_client_prefers_it(bare_client: LanguageClient, tmp_path: Path) -> None:
    result = await start(bare_client, tmp_path, caps=capabilities(encodings=["utf-8", "utf-16"]))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    uri = (tmp_path / "u8.py").as_uri()
    open_doc(bare_client, uri, LINE + "\n")
    (d,) = await diagnostics_for(bare_client, uri, version=1)
    assert d.range.start.character == units(PREFIX, "utf-8")


async def test_utf32_when_the_client_prefers_it(bare_client: LanguageClient, tmp_path: Path) -> None:
    result = await start(bare_client, tmp_path, caps=capabilities(encodings=["utf-32"]))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf32
    uri = (tmp_path / "u32.py").as_uri()
    open_doc(bare_client, uri, LINE + "\n")
    (d,) = await diagnostics_for(bare_client, uri, version=1)
    assert d.range.start.character == len(PREFIX)
