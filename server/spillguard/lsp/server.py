"""The spillguard language server (pygls 2.x): handler registration and the
per-document analysis loop. Analysis lives in the engine; this is glue.

Contract for feature modules (code actions, inserted blocks, occurrences)
------------------------------------------------------------------------
`SpillguardServer` (a pygls `LanguageServer`) holds:

- `store: DocumentStore` — open documents (`lsp/documents.py`): `Document.uri`,
  `.version`, `.language_id`, `.path`, `.lines` (edited in place; each line
  keeps its terminator, `doc.line_text(i)` strips it, `doc.text()` joins),
  `.tree_state` (incremental parser state, may be None).
- `ctx: Context` — engine context (config merged with client settings, rules).
- `settings: Settings` — client settings (`lsp/settings.py`).
- `findings[uri] -> list[Finding]` — current engine findings of an open
  document, sorted; positions are 1-based lines and code-point columns as the
  engine gives them (`start_offset`/`end_offset` are 0: use lines/columns).
- `position_encoding` — "utf-16" (default), "utf-8" or "utf-32";
  `convert.to_client_col` / `convert.from_client_col` convert a line's columns.

Hook lists (append to them in your `register`):

- `change_listeners: list[Callable[[Document, Change], None]]` — called after
  each content change is applied (and its findings updated) with what changed:
  `Change.start_line/start_col`, `old_end_line/old_end_col`,
  `new_end_line/new_end_col` (0-based, code points), `text` (inserted),
  `single` (the notification carried exactly one change), `full` (whole text).
  `doc.version` is already the new version.
- `findings_listeners: list[Callable[[Document, list[Finding]], None]]` —
  called when a document's findings change (open, edits, config reload).
- `diagnostic_hooks: list[Callable[[Document, list[Diagnostic]], list[Diagnostic]]]`
  — applied in order to a document's diagnostics before they are published or
  returned by pull diagnostics (add diagnostics, raise severities, add
  relatedInformation).
- `open_listeners`, `save_listeners`, `close_listeners`:
  `list[Callable[[Document], None]]` (close: the document just removed).

Other entry points: `server.publish(doc)` / `server.schedule_publish(doc)`
(push now / after the debounce), `server.diagnostics(doc)` (hooks applied),
`server.flush(doc)` (make every finding exact now: secrets always are; insecure
defaults are re-parsed with tree-sitter once per pause in typing, setting
`insecureDelay`, or when a request such as pull diagnostics or hover needs them),
`server.refresh_all()` (republish every open document and ask pull clients
to refresh), `server.reload_config()` (after writing `.spillguard.toml` or the
baseline), `server.root` (workspace root, a Path).

`_register_features(server)` imports each feature module and calls its
`register(server: SpillguardServer) -> None`; add one line per module.

Diagnostics are pushed (publishDiagnostics, with the document's version, after
a debounce) unless the client supports pull diagnostics (`diagnosticMode`
"auto"); textDocument/diagnostic always answers. Exceptions in handlers are
logged and answered as LSP errors; the server keeps running.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

import pathspec
from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCNotification, LanguageServerProtocol, lsp_method

from .. import __version__
from ..engine import regions
from ..engine.config import Config, ConfigError, load_config
from ..engine.context import Context
from ..engine.findings import Finding
from ..engine.rules import RuleError
from ..engine.suppress import BASELINE_NAME, BaselineError, load_baseline
from . import convert, hover
from .documents import Change, Document, DocumentStore
from .logging import ServerLogging
from .settings import Settings, merge, parse_settings

log = logging.getLogger("spillguard.lsp")
F = TypeVar("F", bound=Callable[..., Any])

ChangeListener = Callable[[Document, Change], None]
FindingsListener = Callable[[Document, list[Finding]], None]
DiagnosticHook = Callable[[Document, list[types.Diagnostic]], list[types.Diagnostic]]
DocumentListener = Callable[[Document], None]


def uri_to_path(uri: str) -> str:
    """File system path for file: URIs; anything else stays a URI."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return uri


# Editor language ids → tree-sitter grammar names (when the path says nothing).
_GRAMMAR_OF_LANGUAGE = {
    "python": "python", "javascript": "javascript", "javascriptreact": "javascript",
    "typescript": "typescript", "typescriptreact": "tsx", "go": "go", "java": "java", "ruby": "ruby",
    "shellscript": "bash", "sh": "bash", "bash": "bash", "yaml": "yaml", "github-actions-workflow": "yaml",
    "terraform": "hcl", "hcl": "hcl", "dockerfile": "dockerfile",
}


def grammar_for(doc: Document) -> str | None:
    from ..engine.parsing import language_for_path

    return language_for_path(doc.path) or _GRAMMAR_OF_LANGUAGE.get(doc.language_id)


class SpillguardProtocol(LanguageServerProtocol):
    """Takes over document sync so pygls never holds (or rebuilds) the text."""

    _server: SpillguardServer

    def structure_message(self, data: dict[str, Any]) -> Any:
        """A request whose params do not fit its method is answered with an error
        (pygls would only log it, leaving the client waiting)."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data and "jsonrpc" in data:
                log.warning("invalid request %s answered with an error", data.get("method"))
                self._send_response(data["id"], error=exc.to_response_error())
                return JsonRPCNotification(method="$/spillguard/invalidRequest", jsonrpc="2.0", params=None)
            raise

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Any:
        self._server.did_open(params)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        self._server.did_change(params)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Any:
        self._server.did_close(params)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class SpillguardServer(LanguageServer):
    def __init__(self, log_level: str = "info") -> None:
        super().__init__(
            "spillguard",
            __version__,
            protocol_cls=SpillguardProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.logging = ServerLogging(self.window_log_message, log_level)
        self.cli_log_level = log_level
        self.store = DocumentStore()
        self.settings = Settings(log_level=log_level)
        self.root: Path = Path.cwd()
        self.project_config: Config = Config(root=self.root)
        self.ctx: Context = Context.build(self.root, config=self.project_config)
        self._anchors: dict[str, regions.Anchors | None] = {}
        self.baseline: set[str] = set()
        self._exclude: pathspec.PathSpec = pathspec.PathSpec.from_lines("gitignore", [])
        self.findings: dict[str, list[Finding]] = {}
        self.secret_findings: dict[str, list[Finding]] = {}
        self.insecure_findings: dict[str, list[Finding]] = {}
        self.position_encoding = convert.UTF16
        self.client_pull = False
        self.client_refresh = False
        self.client_configuration = False
        self.generation = 0
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._insecure_timers: dict[str, asyncio.TimerHandle] = {}
        self._insecure_stale: set[str] = set()
        self._excluded: dict[str, bool] = {}
        self.change_listeners: list[ChangeListener] = []
        self.findings_listeners: list[FindingsListener] = []
        self.diagnostic_hooks: list[DiagnosticHook] = []
        self.open_listeners: list[DocumentListener] = []
        self.save_listeners: list[DocumentListener] = []
        self.close_listeners: list[DocumentListener] = []
        self.logging.set_ruleset(self.ctx.secrets)

    # -- configuration -------------------------------------------------

    def apply_settings(self, raw: Any) -> bool:
        """Merge client settings; True when the engine must be rebuilt."""
        new, problems = parse_settings(raw, self.settings)
        for p in problems:
            log.warning("%s", p)
        rebuild = new.engine_key() != self.settings.engine_key()
        self.settings = new
        self.logging.set_level(new.log_level)
        return rebuild

    def reload_config(self) -> None:
        """Read .spillguard.toml and the baseline again; rebuild rules; re-analyse open documents."""
        try:
            self.project_config = load_config(self.root)
        except ConfigError as exc:
            log.error("configuration error, using defaults: %s", exc)
            self.project_config = Config(root=self.root)
        merged = merge(self.project_config, self.settings)
        try:
            self.ctx = Context.build(self.root, config=merged)
        except (RuleError, ConfigError) as exc:
            log.error("rule error, using the built-in rules only: %s", exc)
            from dataclasses import replace

            self.ctx = Context.build(self.root, config=replace(merged, extra_rules=()))
        self._anchors = {}
        self._excluded = {}
        self.logging.set_ruleset(self.ctx.secrets)
        self._exclude = pathspec.PathSpec.from_lines("gitignore", list(self.ctx.config.exclude))
        baseline_path = self.ctx.config.baseline or self.root / BASELINE_NAME
        try:
            self.baseline = load_baseline(baseline_path)
        except BaselineError as exc:
            log.error("%s", exc)
            self.baseline = set()
        self.generation += 1
        for doc in self.store:
            self.analyze(doc)

    # -- documents -----------------------------------------------------

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        doc = self.store.open(td.uri, td.version, td.language_id, td.text, uri_to_path(td.uri))
        log.debug("opened %s (%d lines)", td.uri, doc.line_count())
        self._guard(self.analyze, doc)
        for listener in self.open_listeners:
            self._guard(listener, doc)
        self.schedule_publish(doc, now=True)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = self.store.get(uri)
        if doc is None:
            log.warning("change for a document that is not open, ignored: %s", uri)
            return
        version = params.text_document.version
        if version is not None and version <= doc.version:
            log.warning("stale change ignored for %s (version %s after %s)", uri, version, doc.version)
            return
        doc.version = version
        changes = params.content_changes
        single = len(changes) == 1
        before = self.findings.get(uri, [])
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                enc = self.position_encoding
                start = doc.client_position(r.start.line, r.start.character, enc)
                end = doc.client_position(r.end.line, r.end.character, enc)
                a, b = sorted((start[0], end[0]))
                old_window: tuple[int, int] | None = regions.expand(doc.lines, a, b + 1, self.anchors(doc.path))
                applied = doc.replace(start, end, change.text, single)
            else:
                old_window = None
                applied = doc.replace_all(change.text)
            self._guard(self._update_findings, doc, applied, old_window)
            for listener in self.change_listeners:
                self._guard(listener, doc, applied)
        self._schedule_insecure(doc)
        after = self.findings.get(uri, [])
        if after != before:
            self._notify_findings(doc)
        self.schedule_publish(doc)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = self.store.close(uri)
        for timers in (self._timers, self._insecure_timers):
            timer = timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
        self._insecure_stale.discard(uri)
        for table in (self.findings, self.secret_findings, self.insecure_findings):
            table.pop(uri, None)
        if doc is None:
            log.warning("close for a document that is not open: %s", uri)
            return
        for listener in self.close_listeners:
            self._guard(listener, doc)
        if self._push():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if Path(uri_to_path(uri)).name in (".spillguard.toml", BASELINE_NAME, "pyproject.toml"):
            self.reload_config()  # saved (open or not): the project's settings changed
            self.refresh_all()
        doc = self.store.get(uri)
        if doc is None:
            return
        self.refresh_insecure(doc)
        for listener in self.save_listeners:
            self._guard(listener, doc)

    # -- analysis ------------------------------------------------------

    def excluded(self, doc: Document) -> bool:
        """Whether the document's path matches the excludes (cached per path)."""
        hit = self._excluded.get(doc.path)
        if hit is None:
            try:
                rel = Path(doc.path).resolve().relative_to(self.root.resolve()).as_posix()
                hit = self._exclude.match_file(rel)
            except (ValueError, OSError):
                hit = False
            self._excluded[doc.path] = hit
        return hit

    def analyze(self, doc: Document) -> None:
        """Whole-document analysis: open, config reload."""
        self._insecure_stale.discard(doc.uri)
        if self.excluded(doc):
            self.secret_findings[doc.uri] = []
            self.insecure_findings[doc.uri] = []
        else:
            self.secret_findings[doc.uri] = regions.scan_all(doc.lines, doc.path, self.ctx.secrets)
            self._scan_insecure(doc)
        self._combine(doc)
        self._notify_findings(doc)

    def _scan_insecure(self, doc: Document) -> None:
        """Insecure defaults of the whole document; keeps a tree for incremental updates when it can."""
        doc.tree_state = None
        if not self.ctx.config.insecure_defaults or self.excluded(doc):
            self.insecure_findings[doc.uri] = []
            return
        from ..engine.insecure import InsecureDocument, scan_insecure_as

        language = grammar_for(doc)
        if language is None:
            self.insecure_findings[doc.uri] = []
            return
        if not doc.has_lone_cr():
            try:
                doc.tree_state = InsecureDocument(doc.path, language, doc.read_bytes, self.ctx.insecure_rules())
            except Exception as exc:
                log.warning("incremental parsing unavailable for %s: %s", doc.uri, type(exc).__name__)
        if doc.tree_state is not None:
            found = doc.tree_state.findings()
        else:
            found = scan_insecure_as(doc.text(), doc.path, language, self.ctx.insecure_rules())
        self._set_insecure(doc, found)

    def anchors(self, path: str) -> regions.Anchors | None:
        """Keywords of the multi-line rules that apply to `path` (cached per path)."""
        if path not in self._anchors:
            self._anchors[path] = regions.anchors_for(self.ctx.secrets, path)
        return self._anchors[path]

    def _set_insecure(self, doc: Document, found: list[Finding]) -> None:
        disabled = self.ctx.config.disable
        self.insecure_findings[doc.uri] = [
            f if f.start_offset == f.end_offset == 0 else f.with_(start_offset=0, end_offset=0)
            for f in found
            if f.rule_id not in disabled
        ]

    def _update_findings(self, doc: Document, change: Change, old_window: tuple[int, int] | None = None) -> None:
        if change.full:
            self.analyze(doc)
            return
        if self.excluded(doc):
            return
        first, old_last, new_last = change.start_line, change.old_end_line, change.new_end_line
        self.secret_findings[doc.uri] = regions.update(
            self.secret_findings.get(doc.uri, []), doc.lines, first, old_last, new_last,
            doc.path, self.ctx.secrets, self.anchors(doc.path), old_window,
        )
        tree = doc.tree_state
        if tree is not None and "\r" in change.text and any(
            doc.lines[i].endswith("\r") for i in range(max(0, first - 1), min(doc.line_count(), new_last + 2))
        ):
            doc.tree_state = tree = None  # lone CR: tree-sitter's rows would no longer be ours
        if tree is not None and change.ts_edit is not None:
            try:
                tree.edit(*change.ts_edit)  # cheap; the reparse waits for a pause (refresh_insecure)
            except Exception as exc:
                log.error("tree edit failed for %s: %s", doc.uri, type(exc).__name__)
                doc.tree_state = None
        # Until the refresh, insecure findings on untouched lines move with the
        # text and those on changed lines are withdrawn.
        delta = new_last - old_last
        moved: list[Finding] = []
        for f in self.insecure_findings.get(doc.uri, []):
            if f.end_line - 1 < first:
                moved.append(f)
            elif f.start_line - 1 > old_last:
                moved.append(f.with_(start_line=f.start_line + delta, end_line=f.end_line + delta) if delta else f)
        self.insecure_findings[doc.uri] = moved
        self._insecure_stale.add(doc.uri)
        self._combine(doc)

    def refresh_insecure(self, doc: Document, publish: bool = True) -> None:
        """Bring insecure defaults up to date after edits: an incremental tree-sitter
        reparse (or a whole scan without a tree). Runs once per pause in typing
        (setting insecureDelay), or at once when a request needs exact results."""
        timer = self._insecure_timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        if doc.uri not in self._insecure_stale or self.store.get(doc.uri) is not doc:
            return
        self._insecure_stale.discard(doc.uri)
        before = self.findings.get(doc.uri, [])
        tree = doc.tree_state
        if tree is not None:
            try:
                tree.update()
                self._set_insecure(doc, tree.findings())
            except Exception as exc:
                log.error("insecure-defaults update failed for %s: %s", doc.uri, type(exc).__name__)
                self._guard(self._scan_insecure, doc)
        else:
            self._guard(self._scan_insecure, doc)
        self._combine(doc)
        if self.findings.get(doc.uri, []) != before:
            self._notify_findings(doc)
            if publish:
                self.schedule_publish(doc, now=True)

    def flush(self, doc: Document) -> None:
        """Make every finding of `doc` exact now (before answering a request)."""
        self.refresh_insecure(doc, publish=False)

    def _schedule_insecure(self, doc: Document) -> None:
        if doc.uri not in self._insecure_stale:
            return
        timer = self._insecure_timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        delay = self.settings.insecure_delay_ms / 1000
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if delay <= 0 or loop is None:
            self.refresh_insecure(doc, publish=False)
            return
        self._insecure_timers[doc.uri] = loop.call_later(delay, self._guard, self.refresh_insecure, doc)

    def _combine(self, doc: Document) -> None:
        merged = self.secret_findings.get(doc.uri, []) + self.insecure_findings.get(doc.uri, [])
        merged.sort(key=lambda f: (f.start_line, f.start_col, f.end_line, f.end_col, f.rule_id))
        self.findings[doc.uri] = merged

    def _notify_findings(self, doc: Document) -> None:
        found = self.findings.get(doc.uri, [])
        for listener in self.findings_listeners:
            self._guard(listener, doc, found)

    # -- diagnostics ---------------------------------------------------

    def diagnostics(self, doc: Document) -> list[types.Diagnostic]:
        overrides = self.settings.severity
        out = [
            convert.to_diagnostic(f, doc.line_text, self.position_encoding, doc.language_id, overrides)
            for f in self.findings.get(doc.uri, [])
            if f.fingerprint not in self.baseline
        ]
        for hook in self.diagnostic_hooks:
            try:
                out = hook(doc, out)
            except Exception as exc:
                log.error("diagnostic hook %s failed: %s", getattr(hook, "__name__", hook), type(exc).__name__)
        return out

    def _push(self) -> bool:
        mode = self.settings.diagnostic_mode
        # "auto" pulls only when the client can also be asked to pull again (refresh):
        # otherwise results that change without an edit (workspace scan, mark reviewed)
        # would wait for the next keystroke.
        return mode in ("push", "both") or (mode == "auto" and not (self.client_pull and self.client_refresh))

    def publish(self, doc: Document) -> None:
        self._timers.pop(doc.uri, None)
        if self.store.get(doc.uri) is not doc or not self._push():
            return
        try:
            diags = self.diagnostics(doc)
        except Exception as exc:
            log.error("building diagnostics failed for %s: %s", doc.uri, type(exc).__name__)
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=diags, version=doc.version)
        )

    def schedule_publish(self, doc: Document, now: bool = False) -> None:
        """Publish after the debounce; a new change restarts the wait."""
        timer = self._timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        delay = self.settings.debounce_ms / 1000
        if now or delay <= 0:
            self.publish(doc)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.publish(doc)
            return
        self._timers[doc.uri] = loop.call_later(delay, self.publish, doc)

    def refresh_all(self) -> None:
        for doc in self.store:
            self.schedule_publish(doc, now=True)
        if self.client_refresh:
            self.workspace_diagnostic_refresh(None)

    def result_id(self, doc: Document, items: list[types.Diagnostic]) -> str:
        """Changes whenever the diagnostics do (hooks may change them without an edit)."""
        digest = hashlib.sha256(repr(items).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return f"{self.generation}:{doc.version}:{digest}"

    # -- robustness ----------------------------------------------------

    def _guard(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run a step; on failure log it (no values) and carry on."""
        try:
            fn(*args)
        except Exception as exc:
            log.error("%s failed: %s", getattr(fn, "__qualname__", fn), type(exc).__name__, exc_info=True)

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("server error (%s): %s", getattr(source, "__name__", source), type(error).__name__)


def _request(method: str) -> Callable[[F], F]:
    """Requests: an exception is logged and answered as an LSP error without its text."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                log.error("%s failed: %s", method, type(exc).__name__, exc_info=True)
                raise JsonRpcInternalError(f"spillguard: {method} failed ({type(exc).__name__}); see the server log") from None

        return inner  # type: ignore[return-value]

    return wrap


def _notification(fn: F) -> F:
    @functools.wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            log.error("%s failed: %s", fn.__name__, type(exc).__name__, exc_info=True)
            return None

    return inner  # type: ignore[return-value]


def _root_of(params: types.InitializeParams) -> Path:
    if params.workspace_folders:
        return Path(uri_to_path(params.workspace_folders[0].uri))
    if params.root_uri:
        return Path(uri_to_path(params.root_uri))
    if params.root_path:
        return Path(params.root_path)
    return Path.cwd()


def _register_handlers(server: SpillguardServer) -> None:
    @server.feature(types.INITIALIZE)
    @_request(types.INITIALIZE)
    def initialize(ls: SpillguardServer, params: types.InitializeParams) -> None:
        caps = params.capabilities
        ls.position_encoding = convert.encoding_name(ServerCapabilitiesBuilder.choose_position_encoding(caps))
        td = caps.text_document
        ls.client_pull = td is not None and td.diagnostic is not None
        ws = caps.workspace
        ls.client_refresh = bool(ws and ws.diagnostics and ws.diagnostics.refresh_support)
        ls.client_configuration = bool(ws and ws.configuration)
        ls.root = _root_of(params)
        if params.initialization_options is not None:
            ls.apply_settings(params.initialization_options)
        ls.reload_config()
        log.info("spillguard %s: root %s, %d secret rules, encoding %s", __version__, ls.root,
                 len(ls.ctx.secrets.rules), ls.position_encoding)

    @server.feature(types.INITIALIZED)
    @_notification
    def initialized(ls: SpillguardServer, params: types.InitializedParams) -> None:
        if ls.client_configuration:
            asyncio.ensure_future(_pull_configuration(ls))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_notification
    def did_change_configuration(ls: SpillguardServer, params: types.DidChangeConfigurationParams) -> None:
        raw = params.settings
        if isinstance(raw, dict) and isinstance(raw.get("spillguard"), dict):
            _apply_and_refresh(ls, raw)
        elif ls.client_configuration:
            asyncio.ensure_future(_pull_configuration(ls))
        elif isinstance(raw, dict) and raw:
            _apply_and_refresh(ls, raw)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    @_notification
    def did_save(ls: SpillguardServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.did_save(params)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="spillguard", inter_file_dependencies=False, workspace_diagnostics=False),
    )
    @_request(types.TEXT_DOCUMENT_DIAGNOSTIC)
    def pull_diagnostics(ls: SpillguardServer, params: types.DocumentDiagnosticParams) -> Any:
        doc = ls.store.get(params.text_document.uri)
        if doc is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        ls.flush(doc)
        items = ls.diagnostics(doc)
        rid = ls.result_id(doc, items)
        if params.previous_result_id == rid:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_request(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: SpillguardServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.store.get(params.text_document.uri)
        if doc is None:
            return None
        ls.flush(doc)
        line, col = doc.client_position(params.position.line, params.position.character, ls.position_encoding)
        visible = [f for f in ls.findings.get(doc.uri, []) if f.fingerprint not in ls.baseline]
        text = hover.hover_markdown(visible, line, col)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.SHUTDOWN)
    @_request(types.SHUTDOWN)
    def shutdown(ls: SpillguardServer, params: Any) -> None:
        for timers in (ls._timers, ls._insecure_timers):
            for timer in timers.values():
                timer.cancel()
            timers.clear()
        propagation = getattr(ls, "propagation", None)
        if propagation is not None:  # a workspace scan stops at its next file: exit need not wait for it
            propagation.cancel.set()


async def _pull_configuration(ls: SpillguardServer) -> None:
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="spillguard")])
        )
    except Exception as exc:
        log.warning("workspace/configuration failed: %s", type(exc).__name__)
        return
    if result and isinstance(result[0], dict):
        _apply_and_refresh(ls, {"spillguard": result[0]})


def _apply_and_refresh(ls: SpillguardServer, raw: Any) -> None:
    if ls.apply_settings(raw):
        ls.reload_config()
    log.info("settings applied")
    ls.refresh_all()


def _register_features(server: SpillguardServer) -> None:
    """Feature modules (quick fixes, inserted blocks, occurrences): one line each,
    `from . import module; module.register(server)`."""
    from . import blocks, code_actions, commands, occurrences

    code_actions.register(server)
    blocks.register(server)
    occurrences.register(server)
    commands.register(server)


def create_server(log_level: str = "info") -> SpillguardServer:
    server = SpillguardServer(log_level)
    _register_handlers(server)
    _register_features(server)
    return server


def run(tcp: str | None = None, log_level: str = "info") -> int:
    """`spillguard serve`: stdio, or TCP for debugging. Returns the exit code."""
    if tcp:
        host, _, port = tcp.rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            sys.stderr.write(f"spillguard: error: --tcp wants HOST:PORT, got {tcp!r}\n")
            return 2
        create_server(log_level).start_tcp(host or "127.0.0.1", int(port))
        return 0
    server = create_server(log_level)
    server.start_io()
    return 0
