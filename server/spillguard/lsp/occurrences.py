"""Propagation: where each secret has spread across the workspace.

Fed by the open documents' findings and by a background scan of the workspace
folders at start (work-done progress, cancellable; the same walk as the CLI,
so .gitignore and excludes apply), kept current through didSave and
workspace/didChangeWatchedFiles. Secret diagnostics found in several places get
relatedInformation for each other place and say "also in N other places";
`spillguard.showOccurrences` returns every place as Locations.

The scan reads and scans files in a worker thread, a batch at a time, so the
event loop keeps answering the editor; the index itself is only touched on the
event loop thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import attrs
import pathspec
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path, to_fs_path

from ..engine.findings import Finding
from ..engine.occurrences import Occurrence, OccurrenceIndex
from ..engine.project import display_path, read_text
from ..engine.scanner import scan_text
from ..engine.walk import ALWAYS_SKIP_DIRS, walk
from .convert import SOURCE, to_client_col
from .documents import Document

log = logging.getLogger("spillguard.lsp")

SHOW_OCCURRENCES = "spillguard.showOccurrences"
MAX_RELATED = 50  # relatedInformation entries per diagnostic (the message gives the full count)
BATCH_FILES = 25


def path_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _client_occurrences(findings: Iterable[Finding], line_text: Callable[[int], str], key: str, uri: str,
                        enc: str) -> list[Occurrence]:
    out: list[Occurrence] = []
    for f in findings:
        if f.kind != "secret":
            continue
        sl, el = f.start_line - 1, f.end_line - 1
        st = line_text(sl)
        et = st if el == sl else line_text(el)
        out.append(
            Occurrence(key, sl, to_client_col(st, f.start_col - 1, enc), el, to_client_col(et, f.end_col - 1, enc),
                       f.fingerprint, f.rule_id, uri)
        )
    return out


def scan_file(path: Path, root: Path, ctx: Any, enc: str) -> list[Occurrence] | None:
    """The secrets in one file on disk, in client units; None when unreadable or skipped."""
    try:
        text, _why = read_text(path, ctx.config.max_file_size)
    except OSError:
        return None
    if text is None:
        return None
    found = scan_text(text, display_path(path, root), ctx.secrets)
    if not found:
        return []
    lines = text.split("\n")

    def line_text(i: int) -> str:
        return lines[i].rstrip("\r") if 0 <= i < len(lines) else ""

    uri = from_fs_path(str(path)) or path.as_uri()
    return _client_occurrences(found, line_text, path_key(str(path)), uri, enc)


class Propagation:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.index = OccurrenceIndex()
        self.scan_task: asyncio.Task[None] | None = None
        self.cancel = threading.Event()
        self.scan_count = 0
        self.started = False  # the first scan starts once the client is initialized
        self.scope: tuple[Any, ...] | None = None

    # -- open documents ----------------------------------------------------

    def _doc_key(self, doc: Document) -> str:
        return path_key(doc.path) if doc.uri.startswith("file:") else doc.uri

    def on_findings(self, doc: Document, findings: list[Finding]) -> None:
        occs = _client_occurrences(findings, doc.line_text, self._doc_key(doc), doc.uri,
                                   self.server.position_encoding)
        self._changed(self.index.set_open(self._doc_key(doc), occs), skip=doc.uri)

    def on_save(self, doc: Document) -> None:
        occs = _client_occurrences(self.server.findings.get(doc.uri, []), doc.line_text, self._doc_key(doc),
                                   doc.uri, self.server.position_encoding)
        self._changed(self.index.set_disk(self._doc_key(doc), occs))

    def on_close(self, doc: Document) -> None:
        self._changed(self.index.close(self._doc_key(doc)))

    def _changed(self, fingerprints: set[str], skip: str = "") -> None:
        """Republish the open documents holding any of these fingerprints."""
        if not fingerprints:
            return
        touched = False
        for doc in self.server.store:
            if doc.uri == skip:
                continue
            if any(f.fingerprint in fingerprints for f in self.server.findings.get(doc.uri, ())):
                if not touched:
                    self.server.generation += 1
                    touched = True
                self.server.schedule_publish(doc, now=True)
        if touched and self.server.client_refresh and not self.server._push():
            self.server.workspace_diagnostic_refresh(None)

    # -- diagnostics ---------------------------------------------------------

    def hook(self, doc: Document, diags: list[types.Diagnostic]) -> list[types.Diagnostic]:
        key = self._doc_key(doc)
        out: list[types.Diagnostic] = []
        for d in diags:
            data = d.data if isinstance(d.data, dict) else {}
            fp = data.get("fingerprint")
            if d.source != SOURCE or data.get("kind") != "secret" or not isinstance(fp, str):
                out.append(d)
                continue
            here = (d.range.start.line, d.range.start.character)
            others = [o for o in self.index.locations(fp) if not (o.key == key and (o.start_line, o.start_col) == here)]
            if not others:
                out.append(d)
                continue
            n = len(others)
            related = [
                types.DiagnosticRelatedInformation(
                    location=_location(o), message=f"the same secret ({d.code}) is also here"
                )
                for o in others[:MAX_RELATED]
            ]
            place = "place" if n == 1 else "places"
            out.append(attrs.evolve(d, message=f"{d.message} — also in {n} other {place}",
                                    related_information=list(d.related_information or []) + related))
        return out

    # -- workspace scan ------------------------------------------------------

    def roots(self) -> list[Path]:
        folders = []
        try:
            folders = [to_fs_path(f.uri) for f in self.server.workspace.folders.values()]
        except Exception:
            folders = []
        paths = [Path(p) for p in folders if p]
        return paths or [Path(self.server.root)]

    def on_config(self) -> None:
        """After a configuration reload: rescan when what is scanned or reported changed."""
        cfg = self.server.ctx.config
        scope = (cfg.exclude, cfg.disable, cfg.extra_rules, cfg.max_file_size)
        before, self.scope = self.scope, scope
        if self.started and before is not None and before != scope:
            self._changed(self.index.clear_disk())
            self.start_scan()

    def start_scan(self, force: bool = False) -> None:
        self.started = True
        if not (force or self.server.settings.workspace_scan):
            return
        if self.scan_task is not None and not self.scan_task.done():
            self.cancel.set()
        self.cancel = threading.Event()
        self.scan_task = asyncio.ensure_future(self._scan(self.cancel))

    async def _scan(self, cancel: threading.Event) -> None:
        server = self.server
        progress = _supports_progress(server)
        token = f"spillguard-scan-{id(self)}-{self.scan_count}"
        self.scan_count += 1
        cancelled: Future[Any] | None = None
        if progress:
            try:
                await server.work_done_progress.create_async(token)
                cancelled = server.work_done_progress.tokens.get(token)
            except Exception as exc:
                log.info("no progress bar for the workspace scan: %s", type(exc).__name__)
                progress = False
        if cancelled is not None:
            cancelled.add_done_callback(lambda _f: cancel.set())
        if progress:
            server.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(title="spillguard: scanning the workspace for secrets", cancellable=True,
                                            percentage=0),
            )
        ctx, enc = server.ctx, server.position_encoding
        roots = self.roots()
        files: list[tuple[Path, Path]] = []
        places = 0
        done = 0
        try:
            files = await asyncio.to_thread(_list_files, roots, tuple(ctx.config.exclude), cancel)
            total = len(files)
            for i in range(0, total, BATCH_FILES):
                if cancel.is_set():
                    break
                batch = files[i : i + BATCH_FILES]
                results = await asyncio.to_thread(_scan_batch, batch, ctx, enc, cancel)
                changed: set[str] = set()
                for key, occs in results:
                    changed |= self.index.set_disk(key, occs)
                    places += len(occs)
                done += len(batch)
                self._changed(changed)
                if progress:
                    server.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(message=f"{done}/{total} files",
                                                     percentage=min(100, done * 100 // max(total, 1)), cancellable=True),
                    )
        except Exception as exc:
            log.error("workspace scan failed: %s", type(exc).__name__, exc_info=True)
        finally:
            if cancel.is_set():
                message = f"cancelled after {done} of {len(files)} files"
            else:
                message = f"{done} files, {places} secret occurrences, {len(self.index.fingerprints())} distinct secrets"
            log.info("workspace scan: %s", message)
            if progress:
                server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))

    def on_watched(self, params: types.DidChangeWatchedFilesParams) -> None:
        deleted: list[str] = []
        changed: list[Path] = []
        ignore = _IgnoreCheck(self.roots(), tuple(self.server.ctx.config.exclude))
        for ev in params.changes:
            path = to_fs_path(ev.uri)
            if not path:
                continue
            if ev.type == types.FileChangeType.Deleted:
                deleted.append(path)
            elif not ignore(Path(path)):
                changed.append(Path(path))
        fps: set[str] = set()
        for p in deleted:
            fps |= self.index.remove_disk(path_key(p))
        self._changed(fps)
        if changed:
            asyncio.ensure_future(self._rescan(changed))

    async def _rescan(self, paths: list[Path]) -> None:
        server = self.server
        root = self.roots()[0]
        batch = [(p, root) for p in paths if p.is_file()]
        results = await asyncio.to_thread(_scan_batch, batch, server.ctx, server.position_encoding, threading.Event())
        changed: set[str] = set()
        for key, occs in results:
            changed |= self.index.set_disk(key, occs)
        self._changed(changed)

    # -- command ---------------------------------------------------------------

    def show(self, args: tuple[Any, ...]) -> list[types.Location]:
        fp = self._fingerprint_from(args)
        return [_location(o) for o in self.index.locations(fp)]

    def _fingerprint_from(self, args: tuple[Any, ...]) -> str:
        if len(args) == 1 and isinstance(args[0], str) and args[0].startswith("sg1:"):
            return args[0]
        if len(args) == 1 and isinstance(args[0], dict):
            a = args[0]
            if isinstance(a.get("fingerprint"), str):
                return str(a["fingerprint"])
            uri, pos = a.get("uri"), a.get("position")
            if isinstance(uri, str) and isinstance(pos, dict):
                line, ch = pos.get("line"), pos.get("character")
                if isinstance(line, int) and isinstance(ch, int):
                    fp = self._fingerprint_at(uri, line, ch)
                    if fp is None:
                        raise JsonRpcInvalidParams(f"{SHOW_OCCURRENCES}: no secret at that position")
                    return fp
        raise JsonRpcInvalidParams(
            f"{SHOW_OCCURRENCES} expects [fingerprint] or [{{uri, position: {{line, character}}}}]"
        )

    def _fingerprint_at(self, uri: str, line: int, character: int) -> str | None:
        doc = self.server.store.get(uri)
        if doc is None:
            key = path_key(to_fs_path(uri) or uri)
            for fp in self.index.fingerprints():
                for o in self.index.locations(fp):
                    if o.key == key and (o.start_line, o.start_col) <= (line, character) <= (o.end_line, o.end_col):
                        return fp
            return None
        cl, cc = doc.client_position(line, character, self.server.position_encoding)
        for f in self.server.findings.get(uri, ()):
            if f.kind == "secret" and (f.start_line - 1, f.start_col - 1) <= (cl, cc) <= (f.end_line - 1, f.end_col - 1):
                return str(f.fingerprint)
        return None


def _location(o: Occurrence) -> types.Location:
    return types.Location(
        uri=o.uri,
        range=types.Range(start=types.Position(line=o.start_line, character=o.start_col),
                          end=types.Position(line=o.end_line, character=o.end_col)),
    )


def _supports_progress(server: Any) -> bool:
    try:
        return bool(server.client_capabilities.window.work_done_progress)
    except AttributeError:
        return False


def _list_files(roots: list[Path], excludes: tuple[str, ...], cancel: threading.Event) -> list[tuple[Path, Path]]:
    out: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    for root in roots:
        for f in walk(root, excludes):
            if cancel.is_set():
                return out
            k = path_key(str(f))
            if k not in seen:
                seen.add(k)
                out.append((f, root))
    return out


def _scan_batch(batch: list[tuple[Path, Path]], ctx: Any, enc: str,
                cancel: threading.Event) -> list[tuple[str, list[Occurrence]]]:
    out: list[tuple[str, list[Occurrence]]] = []
    for path, root in batch:
        if cancel.is_set():
            break
        try:
            occs = scan_file(path, root, ctx, enc)
        except Exception as exc:  # one odd file must not stop the scan
            log.warning("scan of a workspace file failed: %s", type(exc).__name__)
            continue
        if occs is not None:
            out.append((path_key(str(path)), occs))
    return out


class _IgnoreCheck:
    """Would the workspace walk skip this path? (root .gitignore files, excludes, VCS dirs)."""

    def __init__(self, roots: list[Path], excludes: tuple[str, ...]) -> None:
        self.roots = roots
        self.specs: list[tuple[Path, pathspec.PathSpec]] = []
        for r in roots:
            lines = list(excludes)
            try:
                lines += (r / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                pass
            self.specs.append((r, pathspec.GitIgnoreSpec.from_lines(lines)))

    def __call__(self, path: Path) -> bool:
        for root, spec in self.specs:
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            if any(part in ALWAYS_SKIP_DIRS for part in rel.parts[:-1]):
                return True
            return bool(spec.match_file(rel.as_posix()))
        return True  # outside every workspace folder


def register(server: Any) -> None:
    prop = Propagation(server)
    server.propagation = prop
    server.findings_listeners.append(prop.on_findings)
    server.save_listeners.append(prop.on_save)
    server.close_listeners.append(prop.on_close)
    server.diagnostic_hooks.append(prop.hook)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched(ls: Any, params: types.DidChangeWatchedFilesParams) -> None:
        try:
            prop.on_watched(params)
        except Exception as exc:
            log.error("didChangeWatchedFiles failed: %s", type(exc).__name__, exc_info=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def on_folders(ls: Any, params: types.DidChangeWorkspaceFoldersParams) -> None:
        # pygls has updated its folder list already; scan the new set.
        try:
            if prop.started:
                prop._changed(prop.index.clear_disk())
                prop.start_scan()
        except Exception as exc:
            log.error("workspace folder change failed: %s", type(exc).__name__, exc_info=True)

    @server.command(SHOW_OCCURRENCES)
    def on_show(ls: Any, *args: Any) -> list[types.Location]:
        return prop.show(args)

    # Start the scan (and watch files) once the client has finished initializing.
    _after_initialized(server, prop)
    # Rescan when a configuration reload changes excludes or rules.
    reload = server.reload_config

    def reload_config() -> None:
        reload()
        prop.on_config()

    server.reload_config = reload_config


def _after_initialized(server: Any, prop: Propagation) -> None:
    """Chain onto the core's `initialized` handler (pygls allows one per method)."""
    features = server.protocol.fm.features
    core = features.get(types.INITIALIZED)

    def initialized(*args: Any) -> None:  # stored handlers already carry the server
        if core is not None:
            core(*args)
        try:
            asyncio.ensure_future(_watch_files(server))
            prop.start_scan()
        except Exception as exc:
            log.error("starting the workspace scan failed: %s", type(exc).__name__, exc_info=True)

    features[types.INITIALIZED] = initialized


async def _watch_files(server: Any) -> None:
    try:
        dyn = server.client_capabilities.workspace.did_change_watched_files.dynamic_registration
    except AttributeError:
        dyn = False
    if not dyn:
        return
    try:
        await server.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="spillguard-watch-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
                        ),
                    )
                ]
            )
        )
    except Exception as exc:
        log.info("file watching not registered: %s", type(exc).__name__)
