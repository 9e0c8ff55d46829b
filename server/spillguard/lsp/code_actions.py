"""textDocument/codeAction: quick fixes built from each diagnostic's `data`
plus the document text at its range; nothing here analyses the file again.

Offered per spillguard diagnostic:
- secrets: "Move the secret to the environment" (the lookup, `.env`, `.gitignore`
  in one WorkspaceEdit);
- insecure defaults: the engine's own fixes;
- every finding: "Suppress here" (an inline `spillguard:ignore[rule] <reason>`
  comment) and "Add to baseline" (a command);
- inserted blocks: "Mark inserted block as reviewed" (see lsp/blocks.py).
The env move is checked against the diagnostic's fingerprint (the range must
still hold that secret). Clients that resolve code actions get it without its
edit, filled in by codeAction/resolve when picked, so the value travels only
when needed. With documentChanges the edit creates `.env`/`.gitignore` when
missing (CreateFile); clients without it get `changes`, whose insert into a
missing file Neovim and most editors apply by creating the buffer.
And once per file, `source.fixAll.spillguard`: every fix the engine marks safe
(insecure defaults with a mechanical fix). Secrets are never moved by fixAll:
an env move writes the value to a file and changes configuration, which needs
a person's review.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from ..engine.comments import ignore_comment, language_of, suppress_edit_column, yaml_suppress_ok
from ..engine.envfix import EnvFixError, line_ends_in_string, plan_env_move
from ..engine.findings import TextEdit, fingerprint
from ..engine.suppress import BASELINE_NAME
from .convert import SOURCE, to_client_col

if TYPE_CHECKING:
    from .documents import Document

log = logging.getLogger("spillguard")

FIX_ALL_KIND = "source.fixAll.spillguard"
ADD_TO_BASELINE = "spillguard.addToBaseline"
ENV_TITLE = "Move the secret to the environment"


# ---- positions -----------------------------------------------------------


def encoding_of(server: Any) -> str:
    enc = getattr(server, "encoding", None) or getattr(server, "position_encoding", None)
    from .convert import encoding_name

    return encoding_name(enc) if enc else "utf-16"


def client_pos(doc: Document, line: int, col: int, enc: str) -> types.Position:
    return types.Position(line=line, character=to_client_col(doc.line_text(line), col, enc))


def client_range(doc: Document, edit: TextEdit, enc: str) -> types.Range:
    return types.Range(
        start=client_pos(doc, edit.start_line, edit.start_col, enc),
        end=client_pos(doc, edit.end_line, edit.end_col, enc),
    )


def text_end(text: str, enc: str) -> types.Position:
    """The position just past the end of `text` (for appending to a file)."""
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=to_client_col(lines[-1], len(lines[-1]), enc))


# ---- workspace files -----------------------------------------------------


def workspace_root(server: Any, path: str) -> Path:
    """The workspace folder holding `path` (the deepest one), else the root, else its directory."""
    from pygls.uris import to_fs_path

    best: Path | None = None
    try:
        folders = list(server.workspace.folders.values())
        root = server.workspace.root_path
    except Exception:
        folders, root = [], None
    target = Path(path)
    candidates = [to_fs_path(f.uri) for f in folders] + ([root] if root else [])
    for c in candidates:
        if not c:
            continue
        p = Path(c)
        if (target == p or p in target.parents) and (best is None or len(p.parts) > len(best.parts)):
            best = p
    return best or target.parent


def current_text(server: Any, path: Path) -> str | None:
    """A file's text as the editor has it (open buffer) or as the disk has it; None if missing."""
    uri = from_fs_path(str(path))
    doc = server.store.get(uri) if uri else None
    if doc is not None:
        return str(doc.text())
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvFixError(f"cannot read {path.name}: {exc.__class__.__name__}") from exc


def _supports_document_changes(server: Any) -> tuple[bool, bool]:
    """(documentChanges, create files) from the client's capabilities."""
    try:
        we = server.client_capabilities.workspace.workspace_edit
    except AttributeError:
        return False, False
    if we is None:
        return False, False
    changes = bool(we.document_changes)
    ops = we.resource_operations or []
    create = changes and any(getattr(o, "value", o) == "create" for o in ops)
    return changes, create


def _append_edit(
    server: Any, path: Path, existing: str | None, text: str, enc: str, changes: bool, create: bool
) -> tuple[list[Any], dict[str, list[types.TextEdit]]]:
    """Edits that append `text` to `path` (creating it when missing)."""
    uri = from_fs_path(str(path)) or path.as_uri()
    at = text_end(existing, enc) if existing is not None else types.Position(line=0, character=0)
    edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=text)
    if not changes:
        return [], {uri: [edit]}
    ops: list[Any] = []
    if existing is None and create:
        ops.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=True)))
    doc = server.store.get(uri)
    version = doc.version if doc is not None else None
    ops.append(
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=[edit]
        )
    )
    return ops, {}


# ---- actions -------------------------------------------------------------


def _data(diag: types.Diagnostic) -> dict[str, Any]:
    return diag.data if isinstance(diag.data, dict) else {}


def _resolve_supports_edit(server: Any) -> bool:
    try:
        props = server.client_capabilities.text_document.code_action.resolve_support.properties
    except AttributeError:
        return False
    return "edit" in (props or [])


def env_move_action(server: Any, doc: Document, diag: types.Diagnostic) -> types.CodeAction | None:
    """The env move for a secret diagnostic. Clients that resolve code actions get
    it without its edit (the edit holds the value for `.env`, so it is only sent
    once the user picks the action); others get the edit at once."""
    edit, title = _env_move_edit(server, doc, diag)
    if edit is None:
        return None
    action = types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=True,
    )
    if _resolve_supports_edit(server):
        data = _data(diag)
        action.data = {
            "spillguard": "envMove",
            "uri": doc.uri,
            "version": doc.version,
            "range": server.protocol._converter.unstructure(diag.range),
            "fingerprint": data.get("fingerprint"),
            "rule": data.get("rule"),
            "name": data.get("name"),
            "language": data.get("language"),
        }
    else:
        action.edit = edit
    return action


def resolve_env_move(server: Any, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    if data.get("spillguard") != "envMove":
        return action
    doc = server.store.get(data.get("uri"))
    if doc is None:
        raise JsonRpcInvalidParams("the document of this code action is no longer open")
    try:
        rng = server.protocol._converter.structure(data.get("range"), types.Range)
    except Exception:
        raise JsonRpcInvalidParams("malformed code action data") from None
    diag = types.Diagnostic(range=rng, message="", source=SOURCE,
                            data={k: data.get(k) for k in ("fingerprint", "rule", "name", "language")} | {
                                "kind": "secret"})
    edit, _ = _env_move_edit(server, doc, diag)
    if edit is None:
        raise JsonRpcInvalidParams("the secret is no longer at this place: ask for the fixes again")
    action.edit = edit
    return action


def _env_move_edit(server: Any, doc: Document, diag: types.Diagnostic) -> tuple[types.WorkspaceEdit | None, str]:
    data = _data(diag)
    enc = encoding_of(server)
    sl, sc = doc.client_position(diag.range.start.line, diag.range.start.character, enc)
    el, ec = doc.client_position(diag.range.end.line, diag.range.end.character, enc)
    if sl != el or ec <= sc:
        return None, ""  # multi-line secrets (PEM blocks) are not moved to a one-line .env entry
    value = doc.get_range(sl, sc, el, ec)
    # The range must still hold this very secret (a stale diagnostic would move other text).
    key = getattr(getattr(getattr(server, "ctx", None), "secrets", None), "key", None)
    if data.get("fingerprint") != fingerprint(value, key):
        return None, ""
    language = language_of(doc.path, doc.language_id) or str(data.get("language", ""))
    root = workspace_root(server, doc.path)
    env_path, ignore_path = root / ".env", root / ".gitignore"
    if Path(doc.path) == env_path:
        return None, ""  # the secret is already where the fix would put it
    try:
        plan = plan_env_move(
            list(doc.contents()),
            language,
            sl,
            sc,
            ec,
            value,
            str(data.get("name") or ""),
            str(data.get("rule") or ""),
            path=doc.path,
            existing_env=current_text(server, env_path),
            existing_gitignore=current_text(server, ignore_path),
        )
    except EnvFixError as exc:
        log.debug("env move not offered for %s: %s", data.get("rule"), exc)
        return None, ""
    changes, create = _supports_document_changes(server)
    code_edits = [types.TextEdit(range=client_range(doc, e, enc), new_text=e.new_text) for e in plan.edits]
    document_changes: list[Any] = []
    plain: dict[str, list[types.TextEdit]] = {}
    if changes:
        document_changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
                edits=code_edits,
            )
        )
    else:
        plain[doc.uri] = code_edits
    for path, append in ((env_path, plan.env_append), (ignore_path, plan.gitignore_append)):
        if append is None:
            continue
        ops, more = _append_edit(server, path, current_text(server, path), append, enc, changes, create)
        document_changes.extend(ops)
        for k, v in more.items():
            plain.setdefault(k, []).extend(v)
    edit = types.WorkspaceEdit(document_changes=document_changes) if changes else types.WorkspaceEdit(changes=plain)
    where = "a sensitive Terraform variable" if language == "terraform" else plan.name
    hint = f"; {plan.hint}" if plan.hint else ""
    return edit, f"{ENV_TITLE} ({where}; value to .env{hint})"


def _engine_edits(doc: Document, raw_edits: Any, enc: str) -> list[types.TextEdit] | None:
    out: list[types.TextEdit] = []
    if not isinstance(raw_edits, list):
        return None
    for e in raw_edits:
        try:
            te = TextEdit(
                int(e["start"]["line"]), int(e["start"]["col"]), int(e["end"]["line"]), int(e["end"]["col"]),
                str(e["newText"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        out.append(types.TextEdit(range=client_range(doc, te, enc), new_text=te.new_text))
    return out


def engine_fix_actions(server: Any, doc: Document, diag: types.Diagnostic) -> list[types.CodeAction]:
    enc = encoding_of(server)
    out: list[types.CodeAction] = []
    for fix in _data(diag).get("fixes") or []:
        if not isinstance(fix, dict):
            continue
        edits = _engine_edits(doc, fix.get("edits"), enc)
        if not edits:
            continue
        out.append(
            types.CodeAction(
                title=str(fix.get("title") or "Apply spillguard fix"),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=bool(fix.get("safe", False)),
                edit=_workspace_edit(server, doc, edits),
            )
        )
    return out


def _workspace_edit(server: Any, doc: Document, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    changes, _ = _supports_document_changes(server)
    if changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
                    edits=list(edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={doc.uri: list(edits)})


def suppress_action(server: Any, doc: Document, diag: types.Diagnostic) -> types.CodeAction | None:
    data = _data(diag)
    rule = str(data.get("rule") or diag.code or "")
    if not rule:
        return None
    language = language_of(doc.path, doc.language_id) or str(data.get("language", ""))
    line = diag.range.start.line
    if diag.range.end.line != line and _data(diag).get("kind") == "secret":
        return None  # a multi-line secret (PEM block): a comment would land inside it; baseline it instead
    text = doc.line_text(line)
    col = suppress_edit_column(language, text)
    comment = ignore_comment(language, rule)
    if col is None or comment is None or line_ends_in_string(text, language):
        return None
    if language in ("yaml", "compose", "github-actions"):
        window = list(doc.contents(max(0, line - 200), line + 1))
        if not yaml_suppress_ok(language, window, len(window) - 1):
            return None
    enc = encoding_of(server)
    at = client_pos(doc, line, col, enc)
    edit = types.TextEdit(range=types.Range(start=at, end=client_pos(doc, line, len(text), enc)), new_text="  " + comment)
    return types.CodeAction(
        title=f"Suppress {rule} on this line (spillguard:ignore, give a reason)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        edit=_workspace_edit(server, doc, [edit]),
    )


def baseline_action(doc: Document, diag: types.Diagnostic) -> types.CodeAction | None:
    data = _data(diag)
    fp = data.get("fingerprint")
    if not isinstance(fp, str) or not fp:
        return None
    args = {"uri": doc.uri, "fingerprint": fp, "rule": data.get("rule") or diag.code, "line": diag.range.start.line + 1}
    return types.CodeAction(
        title="Add to the spillguard baseline (.spillguard-baseline.json)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        command=types.Command(title="Add to baseline", command=ADD_TO_BASELINE, arguments=[args]),
    )


def fix_all_action(server: Any, doc: Document) -> types.CodeAction | None:
    """Every safe engine fix in the file, overlapping ones skipped."""
    enc = encoding_of(server)
    findings = list(getattr(server, "findings", {}).get(doc.uri, ()))
    chosen: list[TextEdit] = []
    for f in sorted(findings, key=lambda f: (f.start_line, f.start_col)):
        fix = next((x for x in f.fixes if x.safe), None)
        if fix is None:
            continue
        edits = sorted(fix.edits, key=lambda e: (e.start_line, e.start_col))
        if any(_overlaps(e, c) for e in edits for c in chosen):
            continue
        chosen.extend(edits)
    if not chosen:
        return None
    edits = [types.TextEdit(range=client_range(doc, e, enc), new_text=e.new_text) for e in chosen]
    return types.CodeAction(
        title=f"spillguard: apply all {len(chosen)} safe fixes (insecure defaults; secrets need review)",
        kind=FIX_ALL_KIND,
        edit=_workspace_edit(server, doc, edits),
    )


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    a0, a1 = (a.start_line, a.start_col), (a.end_line, a.end_col)
    b0, b1 = (b.start_line, b.start_col), (b.end_line, b.end_col)
    if a0 == a1 or b0 == b1:
        return a0 == b0 or (b0 < a0 < b1) or (a0 < b0 < a1)
    return a0 < b1 and b0 < a1


def _wants(only: list[str] | None, kind: str) -> bool:
    if not only:
        return not kind.startswith("source")
    return any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(server: Any, params: types.CodeActionParams) -> list[types.CodeAction]:
    doc = server.store.get(params.text_document.uri)
    if doc is None:
        return []
    only = [getattr(k, "value", k) for k in params.context.only] if params.context.only else None
    out: list[types.CodeAction] = []
    if _wants(only, "quickfix"):
        for diag in params.context.diagnostics:
            if diag.source != SOURCE:
                continue
            kind = _data(diag).get("kind")
            try:
                if kind == "secret":
                    env = env_move_action(server, doc, diag)
                    if env:
                        out.append(env)
                elif kind == "insecure":
                    out.extend(engine_fix_actions(server, doc, diag))
                if kind in ("secret", "insecure"):
                    sup = suppress_action(server, doc, diag)
                    if sup:
                        out.append(sup)
                    base = baseline_action(doc, diag)
                    if base:
                        out.append(base)
            except Exception:  # one bad diagnostic must not cost the others
                log.exception("code action for %s failed", _data(diag).get("rule"))
        for provider in getattr(server, "code_action_providers", []):
            out.extend(provider(doc, params))
    if only and _wants(only, FIX_ALL_KIND):
        fa = fix_all_action(server, doc)
        if fa:
            out.append(fa)
    return out


def register(server: Any) -> None:
    if not hasattr(server, "code_action_providers"):
        server.code_action_providers = []

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
            resolve_provider=True,
        ),
    )
    def on_code_action(ls: Any, params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    def on_resolve(ls: Any, action: types.CodeAction) -> types.CodeAction:
        return resolve_env_move(ls, action)


def baseline_path(server: Any, doc_path: str) -> Path:
    """Where the server reads the baseline from (config `baseline`, else the root's)."""
    cfg = getattr(getattr(server, "ctx", None), "config", None)
    if cfg is not None and cfg.baseline:
        return Path(cfg.baseline)
    root = getattr(server, "root", None)
    return Path(root) / BASELINE_NAME if root else workspace_root(server, doc_path) / BASELINE_NAME


def relpath(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return os.path.basename(path)
