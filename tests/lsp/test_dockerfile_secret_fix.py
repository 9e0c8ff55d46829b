"""The Dockerfile ARG-secret quick fix, end to end: offered on the diagnostic,
never preferred and never part of fixAll (the build needs --secret afterwards),
and the literal it removes never sent back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import diagnostics_for, open_doc

LITERAL = "bld-7731-Qx9vZ2kLw8"
TEXT = f"FROM node:20\nARG NPM_TOKEN={LITERAL}\nRUN npm ci\nRUN npm run build\n"
MOUNT = "--mount=type=secret,id=npm_token,env=NPM_TOKEN"


def apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)  # ASCII text: UTF-16 units are code points

    def at(p: types.Position) -> int:
        return starts[p.line] + p.character

    for e in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        text = text[: at(e.range.start)] + e.new_text + text[at(e.range.end) :]
    return text


def edits_of(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        return [e for dc in action.edit.document_changes if isinstance(dc, types.TextDocumentEdit)
                for e in dc.edits if isinstance(e, types.TextEdit)]
    return [e for es in (action.edit.changes or {}).values() for e in es]


async def actions(client: LanguageClient, uri: str, diags: list[types.Diagnostic], rng: types.Range,
                  only: list[str] | None = None) -> list[types.CodeAction]:
    got = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng,
        context=types.CodeActionContext(diagnostics=diags, only=only)))
    return [a for a in got or [] if isinstance(a, types.CodeAction)]


async def test_quick_fix_moves_the_arg_to_a_secret_mount(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "Dockerfile").as_uri()
    open_doc(client, uri, TEXT, language="dockerfile")
    diags = await asyncio.wait_for(diagnostics_for(client, uri, until=lambda ds: any(
        d.code == "dockerfile-secret-arg-env" for d in ds)), 30)
    diag = next(d for d in diags if d.code == "dockerfile-secret-arg-env")
    assert diag.range.start.line == 1

    quick = await actions(client, uri, [diag], diag.range)
    [fix] = [a for a in quick if a.title.startswith("Pass NPM_TOKEN as a BuildKit secret")]
    assert "then build with --secret id=npm_token,env=NPM_TOKEN" in fix.title and "rotate" in fix.title
    assert fix.kind == types.CodeActionKind.QuickFix and not fix.is_preferred
    assert apply(TEXT, edits_of(fix)) == (
        f"# syntax=docker/dockerfile:1\nFROM node:20\nRUN {MOUNT} npm ci\nRUN {MOUNT} npm run build\n"
    )

    whole = types.Range(start=types.Position(0, 0), end=types.Position(4, 0))
    fix_all = await actions(client, uri, [], whole, only=[types.CodeActionKind.SourceFixAll])
    assert all(MOUNT not in e.new_text for a in fix_all for e in edits_of(a))

    raw: list[str] = client.raw_messages  # type: ignore[attr-defined]
    assert raw and all(LITERAL not in m and LITERAL[4:] not in m for m in raw)
