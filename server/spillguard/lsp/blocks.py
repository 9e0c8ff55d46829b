"""Inserted blocks in open documents: detection from changes, the
`spillguard/assistantInsertion` notification, the summary diagnostic, raised
severities, and "Mark inserted block as reviewed".

Blocks are kept in code points (as the document store counts) and converted to
the client's units only when compared with diagnostics or sent out.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

import attrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from ..engine.blocks import Block, BlockSet, inserted_range, is_inserted_block
from .convert import SOURCE, to_client_col
from .documents import Change, Document

log = logging.getLogger("spillguard.lsp")

BLOCK_CODE = "unreviewed-inserted-block"
MARK_REVIEWED = "spillguard.markReviewed"
ASSISTANT_INSERTION = "spillguard/assistantInsertion"
HISTORY = 200  # changes remembered per document, to place a late notification

_RAISE = {
    types.DiagnosticSeverity.Hint: types.DiagnosticSeverity.Information,
    types.DiagnosticSeverity.Information: types.DiagnosticSeverity.Warning,
    types.DiagnosticSeverity.Warning: types.DiagnosticSeverity.Error,
    types.DiagnosticSeverity.Error: types.DiagnosticSeverity.Error,
}


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


class InsertedBlocks:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.sets: dict[str, BlockSet] = {}
        # uri → recent (version, start, old_end, new_end), code points
        self.history: dict[str, deque[tuple[int, tuple[int, int], tuple[int, int], tuple[int, int]]]] = {}

    # -- tracking ---------------------------------------------------------

    def on_change(self, doc: Document, change: Change) -> None:
        blocks = self.sets.setdefault(doc.uri, BlockSet())
        start = (change.start_line, change.start_col)
        old_end = (change.old_end_line, change.old_end_col)
        new_end = (change.new_end_line, change.new_end_col)
        hist = self.history.setdefault(doc.uri, deque(maxlen=HISTORY))
        if change.full:
            # Whole-text sync says nothing about where text went: start over.
            blocks.blocks.clear()
            hist.clear()
            return
        blocks.edit(start, old_end, new_end)
        hist.append((doc.version, start, old_end, new_end))
        threshold = self.server.settings.inserted_block_threshold
        if change.single and is_inserted_block(change.text, threshold):
            s, e = inserted_range(start, change.text)
            blocks.add(s, e, "")

    def on_close(self, doc: Document) -> None:
        self.sets.pop(doc.uri, None)
        self.history.pop(doc.uri, None)

    def mark(self, params: Any) -> None:
        """spillguard/assistantInsertion {textDocument: {uri, version}, range, source}."""
        td = _get(params, "textDocument") or _get(params, "text_document")
        uri = _get(td, "uri")
        doc = self.server.store.get(uri) if isinstance(uri, str) else None
        rng = _get(params, "range")
        if doc is None or rng is None:
            log.warning("%s for a document that is not open, ignored", ASSISTANT_INSERTION)
            return
        source = _get(params, "source")
        source = source if isinstance(source, str) else "assistant"
        enc = self.server.position_encoding
        try:
            s_pos, e_pos = _get(rng, "start"), _get(rng, "end")
            raw_start = (int(_get(s_pos, "line")), int(_get(s_pos, "character")))
            raw_end = (int(_get(e_pos, "line")), int(_get(e_pos, "character")))
        except (TypeError, ValueError):
            log.warning("%s with a malformed range, ignored", ASSISTANT_INSERTION)
            return
        version = _get(td, "version")
        if isinstance(version, int) and not isinstance(version, bool) and version != doc.version:
            # The range is in an older text, which is gone: carry it through the
            # changes since (columns taken as given), then fit it to the document.
            moved = self._forward(doc.uri, version, raw_start, raw_end)
            if moved is None:
                log.warning("%s for version %s of a document now at %s, ignored", ASSISTANT_INSERTION,
                            version, doc.version)
                return
            start, end = doc.clamp(*moved[0]), doc.clamp(*moved[1])
        else:
            start = doc.client_position(raw_start[0], raw_start[1], enc)
            end = doc.client_position(raw_end[0], raw_end[1], enc)
        if end <= start:
            return
        self.sets.setdefault(doc.uri, BlockSet()).add(start, end, source[:64])
        self._republish(doc)

    def _forward(
        self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """A range given for an older version, carried through the changes since."""
        from ..engine.blocks import track

        doc = self.server.store.get(uri)
        hist = self.history.get(uri) or deque()
        if doc is None or version > doc.version:
            return None
        if len(hist) == hist.maxlen and hist[0][0] > version:
            return None  # the changes since then are no longer remembered
        later = [h for h in hist if h[0] > version]
        rng: tuple[tuple[int, int], tuple[int, int]] | None = (start, end)
        for _, a, b, c in later:
            if rng is None:
                return None
            rng = track(rng, a, b, c)
        return rng

    def mark_reviewed(self, uri: str, block_id: int | None, position: tuple[int, int] | None) -> bool:
        blocks = self.sets.get(uri)
        doc = self.server.store.get(uri)
        if blocks is None or doc is None:
            return False
        if block_id is None and position is not None:
            enc = self.server.position_encoding
            p = doc.client_position(position[0], position[1], enc)
            hit = blocks.at(p, p)
            block_id = hit[0].id if hit else None
        if block_id is None or not blocks.remove(block_id):
            return False
        self._republish(doc)
        return True

    def _republish(self, doc: Document) -> None:
        self.server.generation += 1  # pull clients must not get "unchanged"
        self.server.schedule_publish(doc, now=True)
        if self.server.client_refresh and not self.server._push():
            self.server.workspace_diagnostic_refresh(None)

    # -- diagnostics ------------------------------------------------------

    def client_range(self, doc: Document, block: Block) -> types.Range:
        enc = self.server.position_encoding
        (sl, sc), (el, ec) = block.start, block.end
        return types.Range(
            start=types.Position(line=sl, character=to_client_col(doc.line_text(sl), sc, enc)),
            end=types.Position(line=el, character=to_client_col(doc.line_text(el), ec, enc)),
        )

    def hook(self, doc: Document, diags: list[types.Diagnostic]) -> list[types.Diagnostic]:
        blocks = self.sets.get(doc.uri)
        if not blocks or not blocks.blocks:
            return diags
        out = list(diags)
        extra: list[types.Diagnostic] = []
        for block in blocks.blocks:
            rng = self.client_range(doc, block)
            secrets = insecure = 0
            for i, d in enumerate(out):
                kind = _get(d.data, "kind") if d.source == SOURCE else None
                if kind not in ("secret", "insecure") or not _inside(d.range, rng):
                    continue
                if kind == "secret":
                    secrets += 1
                else:
                    insecure += 1
                raised = _RAISE.get(d.severity or types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Error)
                if raised != d.severity and not _get(d.data, "raisedBy"):
                    data = dict(d.data) if isinstance(d.data, dict) else {}
                    data["raisedBy"] = block.id
                    out[i] = attrs.evolve(d, severity=raised, data=data)
            if not secrets and not insecure:
                continue
            parts = []
            if secrets:
                parts.append(_plural(secrets, "secret"))
            if insecure:
                parts.append(_plural(insecure, "insecure default"))
            origin = f" ({block.source})" if block.source else ""
            extra.append(
                types.Diagnostic(
                    range=rng,
                    message=f"inserted block{origin}: {', '.join(parts)}. Review it, then mark it reviewed.",
                    severity=types.DiagnosticSeverity.Information,
                    code=BLOCK_CODE,
                    source=SOURCE,
                    data={"kind": "block", "blockId": block.id, "uri": doc.uri},
                )
            )
        return out + extra

    def code_actions(self, doc: Document, params: types.CodeActionParams) -> list[types.CodeAction]:
        blocks = self.sets.get(doc.uri)
        if not blocks:
            return []
        out: list[types.CodeAction] = []
        seen: set[int] = set()
        for d in params.context.diagnostics:
            if d.code != BLOCK_CODE or d.source != SOURCE:
                continue
            bid = _get(d.data, "blockId")
            if not isinstance(bid, int) or bid in seen or blocks.get(bid) is None:
                continue
            seen.add(bid)
            out.append(
                types.CodeAction(
                    title="Mark inserted block as reviewed",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[d],
                    command=types.Command(
                        title="Mark inserted block as reviewed",
                        command=MARK_REVIEWED,
                        arguments=[{"uri": doc.uri, "blockId": bid}],
                    ),
                )
            )
        return out


def _inside(inner: types.Range, outer: types.Range) -> bool:
    """Does `inner` share a character with `outer`?"""
    a0 = (inner.start.line, inner.start.character)
    a1 = (inner.end.line, inner.end.character)
    b0 = (outer.start.line, outer.start.character)
    b1 = (outer.end.line, outer.end.character)
    return a0 < b1 and b0 < a1


def parse_mark_reviewed_args(args: tuple[Any, ...]) -> tuple[str, int | None, tuple[int, int] | None]:
    """[{uri, blockId}] or [{uri, position: {line, character}}] or [uri, blockId]."""
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], int):
        return args[0], args[1], None
    if len(args) == 1 and isinstance(args[0], dict):
        a = args[0]
        uri = a.get("uri")
        bid = a.get("blockId")
        pos = a.get("position")
        if isinstance(uri, str) and (isinstance(bid, int) and not isinstance(bid, bool)):
            return uri, bid, None
        if isinstance(uri, str) and isinstance(pos, dict):
            line, ch = pos.get("line"), pos.get("character")
            if isinstance(line, int) and isinstance(ch, int):
                return uri, None, (line, ch)
    raise JsonRpcInvalidParams(
        f"{MARK_REVIEWED} expects [{{uri, blockId}}] or [{{uri, position: {{line, character}}}}]"
    )


def register(server: Any) -> None:
    blocks = InsertedBlocks(server)
    server.inserted_blocks = blocks
    server.change_listeners.append(blocks.on_change)
    server.close_listeners.append(blocks.on_close)
    server.diagnostic_hooks.insert(0, blocks.hook)
    if not hasattr(server, "code_action_providers"):
        server.code_action_providers = []
    server.code_action_providers.append(blocks.code_actions)

    @server.feature(ASSISTANT_INSERTION)
    def on_assistant_insertion(ls: Any, params: Any) -> None:
        try:
            blocks.mark(params)
        except Exception as exc:  # a notification has no reply: log and carry on
            log.error("%s failed: %s", ASSISTANT_INSERTION, type(exc).__name__, exc_info=True)

    @server.command(MARK_REVIEWED)
    def on_mark_reviewed(ls: Any, *args: Any) -> dict[str, Any]:
        uri, bid, pos = parse_mark_reviewed_args(args)
        done = blocks.mark_reviewed(uri, bid, pos)
        return {"reviewed": done}
