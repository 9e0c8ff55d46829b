"""Propagation end to end: the workspace scan (with progress), relatedInformation
to files that are not open, showOccurrences, watched files, cancellation."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .support import GITHUB_TOKEN, GITHUB_TOKEN_2, assert_no_secret_sent, capabilities, open_doc, start

TIMEOUT = 60


def caps() -> types.ClientCapabilities:
    base = capabilities()
    base.window = types.WindowClientCapabilities(work_done_progress=True)
    assert base.workspace is not None
    base.workspace.did_change_watched_files = types.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True
    )
    return base


def setup_client(client: LanguageClient) -> None:
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def progress_values(client: LanguageClient) -> list[dict[str, Any]]:
    out = []
    for raw in client.raw_messages:  # type: ignore[attr-defined]
        msg = json.loads(raw)
        if msg.get("method") == types.PROGRESS:
            out.append(msg["params"])
    return out


async def scan_finished(client: LanguageClient) -> list[dict[str, Any]]:
    """Wait for the workspace scan's $/progress end; its begin/report/end values."""

    async def wait() -> list[dict[str, Any]]:
        while True:
            values = progress_values(client)
            if any(v["value"]["kind"] == "end" for v in values):
                return values
            await client.wait_for_notification(types.PROGRESS)

    return await asyncio.wait_for(wait(), TIMEOUT)


async def published(client: LanguageClient, uri: str, pred: Any, version: int | None = None) -> list[dict[str, Any]]:
    """The newest publishDiagnostics of `uri` (of `version` when given), once it satisfies `pred`."""

    async def wait() -> list[dict[str, Any]]:
        while True:
            for raw in reversed(client.raw_messages):  # type: ignore[attr-defined]
                msg = json.loads(raw)
                if (msg.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS and msg["params"]["uri"] == uri
                        and (version is None or msg["params"].get("version") == version)):
                    if pred(msg["params"]["diagnostics"]):
                        return list(msg["params"]["diagnostics"])
                    break
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def pat(ds: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((d for d in ds if d.get("code") == "github-pat"), None)


def workspace(root: Path) -> None:
    write(root, ".gitignore", "ignored/\n")
    write(root, "app/a.py", f'TOKEN = "{GITHUB_TOKEN}"\n')
    write(root, "config/b.yaml", f"# ci\ngithub:\n  token: {GITHUB_TOKEN}\n")
    write(root, "ignored/c.py", f'T = "{GITHUB_TOKEN}"\n')
    write(root, "node_modules/pkg/x.js", f'const t = "{GITHUB_TOKEN}";\n')
    write(root, "other/d.py", f'OTHER = "{GITHUB_TOKEN_2}"\n')


async def test_scan_progress_and_related_information(bare_client: LanguageClient, tmp_path: Path) -> None:
    client = bare_client
    setup_client(client)
    workspace(tmp_path)
    await start(client, tmp_path, caps=caps())
    values = await scan_finished(client)
    kinds = [v["value"]["kind"] for v in values]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
    assert values[0]["value"]["cancellable"] is True
    assert len({v["token"] for v in values}) == 1
    assert values[0]["token"] in client.progress_reports  # created with window/workDoneProgress/create
    assert "4 files" in values[-1]["value"]["message"]  # .gitignore, a.py, b.yaml, d.py

    a_uri = (tmp_path / "app/a.py").as_uri()
    b_uri = (tmp_path / "config/b.yaml").as_uri()
    open_doc(client, a_uri, (tmp_path / "app/a.py").read_text())
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None)
    d = pat(ds)
    assert d is not None
    assert d["message"].endswith("also in 1 other place")
    [rel] = d["relatedInformation"]
    assert rel["location"]["uri"] == b_uri  # not open, found by the workspace scan
    assert rel["location"]["range"] == {"start": {"line": 2, "character": 9}, "end": {"line": 2, "character": 49}}

    # showOccurrences: by fingerprint and by position; both places, open or not.
    fp = d["data"]["fingerprint"]
    for args in ([fp], [{"uri": a_uri, "position": {"line": 0, "character": 12}}]):
        locs = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="spillguard.showOccurrences", arguments=args)
        )
        assert sorted(loc["uri"] for loc in locs) == sorted([a_uri, b_uri])

    # The file watcher was registered dynamically.
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)  # type: ignore[attr-defined]

    # A new file with the same secret appears on disk: the open diagnostic says so.
    e = write(tmp_path, "app/e.py", f'AGAIN = "{GITHUB_TOKEN}"\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=e.as_uri(), type=types.FileChangeType.Created)])
    )
    ds = await published(client, a_uri, lambda ds: (pat(ds) or {}).get("message", "").endswith("2 other places"))
    assert {r["location"]["uri"] for r in pat(ds)["relatedInformation"]} == {b_uri, e.as_uri()}  # type: ignore[index]

    # A file created in an ignored folder is not indexed; a deleted one is dropped.
    ign = write(tmp_path, "ignored/new.py", f'X = "{GITHUB_TOKEN}"\n')
    (tmp_path / "config/b.yaml").unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=ign.as_uri(), type=types.FileChangeType.Created),
            types.FileEvent(uri=b_uri, type=types.FileChangeType.Deleted),
        ])
    )
    ds = await published(client, a_uri, lambda ds: (pat(ds) or {}).get("message", "").endswith("1 other place"))
    assert [r["location"]["uri"] for r in pat(ds)["relatedInformation"]] == [e.as_uri()]  # type: ignore[index]
    assert_no_secret_sent(client)


async def test_open_documents_update_each_other(bare_client: LanguageClient, tmp_path: Path) -> None:
    """Typing the secret into a second open file republishes the first."""
    client = bare_client
    setup_client(client)
    await start(client, tmp_path, {"workspaceScan": False}, caps=caps())
    a_uri, b_uri = (tmp_path / "a.py").as_uri(), (tmp_path / "b.py").as_uri()
    open_doc(client, a_uri, f'TOKEN = "{GITHUB_TOKEN}"\n')
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None)
    assert "also in" not in pat(ds)["message"]  # type: ignore[index]
    open_doc(client, b_uri, f'T2 = "{GITHUB_TOKEN}"\n')
    ds = await published(client, a_uri, lambda ds: "also in 1 other place" in (pat(ds) or {}).get("message", ""))
    assert pat(ds)["relatedInformation"][0]["location"]["uri"] == b_uri  # type: ignore[index]
    # Closing b (never saved to disk) drops it.
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=b_uri)))
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None and "also in" not in pat(ds)["message"])
    assert not pat(ds).get("relatedInformation")  # type: ignore[union-attr]
    # A saved file keeps counting after it is closed (didSave updates the disk side of the index).
    c = tmp_path / "c.py"
    c.write_text(f'C = "{GITHUB_TOKEN}"\n')
    open_doc(client, c.as_uri(), c.read_text())
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=c.as_uri())))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=c.as_uri())))
    change_a = f'TOKEN = "{GITHUB_TOKEN}"  \n'
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=a_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=change_a)]))
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None, version=2)
    assert [r["location"]["uri"] for r in pat(ds)["relatedInformation"]] == [c.as_uri()]  # type: ignore[index]


async def test_scan_can_be_cancelled(bare_client: LanguageClient, tmp_path: Path) -> None:
    client = bare_client
    setup_client(client)
    for i in range(4000):
        write(tmp_path, f"pkg{i % 40}/m{i}.py", f"VALUE_{i} = {i}\n")
    await start(client, tmp_path, caps=caps())

    async def begun() -> str:
        while True:
            for v in progress_values(client):
                if v["value"]["kind"] == "begin":
                    return str(v["token"])
            await client.wait_for_notification(types.PROGRESS)

    token = await asyncio.wait_for(begun(), TIMEOUT)
    # The scan runs off the event loop: a request is answered while it is still going.
    answer = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="spillguard.showOccurrences", arguments=["sg1:0"])
    )
    assert answer == []
    assert not any(v["value"]["kind"] == "end" for v in progress_values(client))
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    values = await scan_finished(client)
    end = values[-1]["value"]
    assert end["message"].startswith("cancelled after")
    done = int(end["message"].split()[2])
    assert done < 4000


async def test_show_occurrences_bad_arguments(bare_client: LanguageClient, tmp_path: Path) -> None:
    from pygls.exceptions import JsonRpcException

    await start(bare_client, tmp_path, {"workspaceScan": False})
    for args in ([], [42], [{"uri": (tmp_path / "none.py").as_uri(), "position": {"line": 0, "character": 0}}]):
        with pytest.raises(JsonRpcException):
            await bare_client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="spillguard.showOccurrences", arguments=args)
            )
    unknown = await bare_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="spillguard.showOccurrences", arguments=["sg1:0000"])
    )
    assert unknown == []


async def test_exclude_setting_rescans(bare_client: LanguageClient, tmp_path: Path) -> None:
    client = bare_client
    setup_client(client)
    workspace(tmp_path)
    await start(client, tmp_path, caps=caps())
    await scan_finished(client)
    a_uri = (tmp_path / "app/a.py").as_uri()
    open_doc(client, a_uri, (tmp_path / "app/a.py").read_text())
    await published(client, a_uri, lambda ds: "also in 1 other place" in (pat(ds) or {}).get("message", ""))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"spillguard": {"exclude": ["config/**"]}})
    )

    async def second_scan_ended() -> None:
        while sum(1 for v in progress_values(client) if v["value"]["kind"] == "end") < 2:
            await client.wait_for_notification(types.PROGRESS)

    await asyncio.wait_for(second_scan_ended(), TIMEOUT)
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None)
    assert "also in" not in pat(ds)["message"]  # type: ignore[index]
    assert not pat(ds).get("relatedInformation")  # type: ignore[union-attr]


async def test_added_workspace_folder_is_scanned(bare_client: LanguageClient, tmp_path: Path) -> None:
    client = bare_client
    setup_client(client)
    first, second = tmp_path / "one", tmp_path / "two"
    write(first, "a.py", f'TOKEN = "{GITHUB_TOKEN}"\n')
    write(second, "b.py", f'ALSO = "{GITHUB_TOKEN}"\n')
    await start(client, first, caps=caps())
    await scan_finished(client)
    a_uri = (first / "a.py").as_uri()
    open_doc(client, a_uri, (first / "a.py").read_text())
    ds = await published(client, a_uri, lambda ds: pat(ds) is not None)
    assert "also in" not in pat(ds)["message"]  # type: ignore[index]
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=second.as_uri(), name="two")], removed=[]
            )
        )
    )
    ds = await published(client, a_uri, lambda ds: "also in 1 other place" in (pat(ds) or {}).get("message", ""))
    assert pat(ds)["relatedInformation"][0]["location"]["uri"] == (second / "b.py").as_uri()  # type: ignore[index]



def test_shutdown_stops_a_running_workspace_scan() -> None:
    """An editor shutting the server down must not wait for the workspace scan: editors kill
    a server that does not exit soon after `exit`. The scan checks this flag at every file."""
    from spillguard.lsp.server import create_server

    server = create_server("info")
    shutdown = server.protocol.fm.features[types.SHUTDOWN]
    assert not server.propagation.cancel.is_set()
    shutdown(None)
    assert server.propagation.cancel.is_set()
