"""Inserted blocks end to end: a bulk insertion, the assistantInsertion
notification, ranges through later edits, mark reviewed, and hand typing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, assert_no_secret_sent, change, open_doc, start

BLOCK = "unreviewed-inserted-block"
TIMEOUT = 30
INFO, WARNING, ERROR = 3, 2, 1

SNIPPET = (
    "def fetch(url):\n"
    f'    token = "{GITHUB_TOKEN}"\n'
    '    password = "Tr0ub4dor&3xQ9vLm2"\n'
    "    return url\n"
)


def mark(client: LanguageClient) -> int:
    return len(client.raw_messages)  # type: ignore[attr-defined]


async def publish_after(client: LanguageClient, uri: str, since: int, pred: Any = lambda ds: True,
                        version: int | None = None) -> list[dict[str, Any]]:
    """The newest publishDiagnostics for `uri` sent after message number `since`
    that satisfies `pred` (raw JSON diagnostics)."""

    async def wait() -> list[dict[str, Any]]:
        while True:
            raw: list[str] = client.raw_messages  # type: ignore[attr-defined]
            for text in reversed(raw[since:]):
                msg = json.loads(text)
                if msg.get("method") != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS or msg["params"]["uri"] != uri:
                    continue
                if version is not None and msg["params"].get("version") != version:
                    continue
                if pred(msg["params"]["diagnostics"]):
                    return list(msg["params"]["diagnostics"])
                break
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def blocks(ds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in ds if d.get("code") == BLOCK]


def rng(d: dict[str, Any]) -> tuple[int, int, int, int]:
    r = d["range"]
    return r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]


def by_code(ds: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    return next(d for d in ds if str(d.get("code", "")).startswith(prefix))


async def open_and_insert(client: LanguageClient, tmp_path: Path, text: str = SNIPPET) -> tuple[str, list[dict]]:
    uri = (tmp_path / "app.py").as_uri()
    since = mark(client)
    open_doc(client, uri, "import os\n\n")
    await publish_after(client, uri, since, version=1)
    since = mark(client)
    change(client, uri, 2, (2, 0), (2, 0), text)  # one change, several lines: an accepted completion
    ds = await publish_after(client, uri, since, version=2)
    return uri, ds


async def test_bulk_insertion_is_a_block(client: LanguageClient, tmp_path: Path) -> None:
    uri, ds = await open_and_insert(client, tmp_path)
    [block] = blocks(ds)
    assert block["severity"] == INFO and block["source"] == "spillguard"
    assert block["message"].startswith("inserted block: 2 secrets")
    assert rng(block) == (2, 0, 5, 14)  # the inserted lines, trailing newline trimmed
    # Findings inside are raised one step: the generic password (Warning on a fresh open) is an Error.
    assert by_code(ds, "generic")["severity"] == ERROR

    # Opened fresh, the same text has no block and the password is a Warning.
    fresh = (tmp_path / "fresh.py").as_uri()
    since = mark(client)
    open_doc(client, fresh, "import os\n\n" + SNIPPET)
    fresh_ds = await publish_after(client, fresh, since, version=1)
    assert not blocks(fresh_ds)
    assert by_code(fresh_ds, "generic")["severity"] == WARNING
    assert_no_secret_sent(client)


async def test_block_range_follows_later_edits(client: LanguageClient, tmp_path: Path) -> None:
    uri, ds = await open_and_insert(client, tmp_path)
    assert rng(blocks(ds)[0]) == (2, 0, 5, 14)
    version = 2
    # Type two lines above, one character per change.
    for i, ch in enumerate("# a\n"):
        version += 1
        change(client, uri, version, (0, i), (0, i), ch)
    since = mark(client)
    version += 1
    change(client, uri, version, (1, 0), (1, 0), "\n")
    ds = await publish_after(client, uri, since, version=version)
    assert rng(blocks(ds)[0]) == (4, 0, 7, 14)
    # Type inside the block (end of its last line): it grows.
    since = mark(client)
    version += 1
    change(client, uri, version, (7, 10), (7, 10), "_x")
    ds = await publish_after(client, uri, since, version=version)
    assert rng(blocks(ds)[0]) == (4, 0, 7, 16)
    # Delete the block's first line (and its newline): it starts at the token line.
    since = mark(client)
    version += 1
    change(client, uri, version, (4, 0), (5, 0), "")
    ds = await publish_after(client, uri, since, version=version)
    assert rng(blocks(ds)[0]) == (4, 0, 6, 16)
    assert blocks(ds)[0]["message"].startswith("inserted block: 2 secrets")
    # Delete the lines with the secrets: the block holds no finding, so no block diagnostic.
    since = mark(client)
    version += 1
    change(client, uri, version, (4, 0), (6, 0), "")
    ds = await publish_after(client, uri, since, version=version)
    assert not blocks(ds)


async def test_mark_reviewed_clears_the_block_without_touching_text(client: LanguageClient, tmp_path: Path) -> None:
    uri, ds = await open_and_insert(client, tmp_path)
    [block] = blocks(ds)
    since = mark(client)
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(2, 0), end=types.Position(2, 0)),
            context=types.CodeActionContext(
                diagnostics=[client.protocol._converter.structure(block, types.Diagnostic)]
            ),
        )
    )
    response = next(json.loads(m) for m in client.raw_messages[since:]  # type: ignore[attr-defined]
                    if "id" in json.loads(m) and "result" in json.loads(m))
    action = next(a for a in response["result"] if a["title"] == "Mark inserted block as reviewed")
    assert action["kind"] == "quickfix" and "edit" not in action
    since = mark(client)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action["command"]["command"], arguments=action["command"]["arguments"])
    )
    assert result == {"reviewed": True}
    after = await publish_after(client, uri, since, lambda ds: not blocks(ds), version=2)
    assert by_code(after, "generic")["severity"] == WARNING  # back to its own severity
    assert not any(json.loads(m).get("method") == "workspace/applyEdit"
                   for m in client.raw_messages[since:])  # type: ignore[attr-defined]
    # Reviewing again (no such block any more) is answered, not an error.
    again = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action["command"]["command"], arguments=action["command"]["arguments"])
    )
    assert again == {"reviewed": False}


async def test_hand_typing_is_never_a_block(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "typed.py").as_uri()
    open_doc(client, uri, "")
    line, col, version = 0, 0, 1
    for ch in SNIPPET:
        version += 1
        change(client, uri, version, (line, col), (line, col), ch)
        if ch == "\n":
            line, col = line + 1, 0
        else:
            col += 1
    ds = await publish_after(client, uri, 0, version=version)
    assert any(d["code"] == "github-pat" for d in ds)
    assert not blocks(ds)


async def test_notification_marks_a_block(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "one.py").as_uri()
    since = mark(client)
    open_doc(client, uri, "x = 1\n")
    await publish_after(client, uri, since, version=1)
    line = f'TOKEN = "{GITHUB_TOKEN}"\n'
    since = mark(client)
    change(client, uri, 2, (1, 0), (1, 0), line)  # one line: below the threshold
    ds = await publish_after(client, uri, since, version=2)
    assert not blocks(ds)
    since = mark(client)
    client.protocol.notify(
        "spillguard/assistantInsertion",
        {"textDocument": {"uri": uri, "version": 2},
         "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": len(line) - 1}},
         "source": "copilot"},
    )
    ds = await publish_after(client, uri, since, lambda ds: bool(blocks(ds)))
    assert blocks(ds)[0]["message"] == "inserted block (copilot): 1 secret. Review it, then mark it reviewed."
    # A notification for a document that is not open is ignored; the server stays up.
    client.protocol.notify("spillguard/assistantInsertion",
                           {"textDocument": {"uri": "file:///nope.py", "version": 1}, "range": None, "source": 3})
    since = mark(client)
    change(client, uri, 3, (0, 0), (0, 0), "#")
    ds = await publish_after(client, uri, since, version=3)
    assert rng(blocks(ds)[0]) == (1, 0, 1, len(line) - 1)


async def test_notification_for_an_older_version_is_moved_forward(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "late.py").as_uri()
    open_doc(client, uri, "x = 1\n")
    line = f'TOKEN = "{GITHUB_TOKEN}"\n'
    change(client, uri, 2, (1, 0), (1, 0), line)
    change(client, uri, 3, (0, 0), (0, 0), "# header\n")  # the user typed above before the notice arrived
    since = mark(client)
    client.protocol.notify(
        "spillguard/assistantInsertion",
        {"textDocument": {"uri": uri, "version": 2},
         "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": len(line) - 1}},
         "source": "agent"},
    )
    ds = await publish_after(client, uri, since, lambda ds: bool(blocks(ds)))
    assert rng(blocks(ds)[0]) == (2, 0, 2, len(line) - 1)


async def test_threshold_setting(bare_client: LanguageClient, tmp_path: Path) -> None:
    await start(bare_client, tmp_path, {"insertedBlockThreshold": 5})
    uri, ds = await open_and_insert(bare_client, tmp_path)
    assert not blocks(ds)  # 4 non-blank lines < 5


async def test_mark_reviewed_by_position(client: LanguageClient, tmp_path: Path) -> None:
    uri, ds = await open_and_insert(client, tmp_path)
    assert blocks(ds)
    since = mark(client)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="spillguard.markReviewed", arguments=[{"uri": uri, "position": {"line": 3, "character": 2}}]))
    assert result == {"reviewed": True}
    await publish_after(client, uri, since, lambda ds: not blocks(ds))
