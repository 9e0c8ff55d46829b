"""Dockerfile fix: a secret build argument becomes a BuildKit secret mount.

    ARG NPM_TOKEN                      # syntax=docker/dockerfile:1
    RUN npm ci                 →      RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci

built with `docker build --secret id=npm_token,env=NPM_TOKEN .`. The secret
then reaches each RUN as the same environment variable, but never the image
history. The fix works per variable over the whole file, so every finding for
one name carries the same edits and applying any of them resolves them all:

- every `ARG NAME[=default]` line goes (global ones before the first FROM and
  each stage's own; a literal default is dropped with its line: the value
  stays in git history, and the finding says to rotate it);
- every RUN after a stage's `ARG NAME` (the RUNs whose environment held the
  argument, whether or not they spell `$NAME`: npm reads NPM_TOKEN from its
  environment) gets `--mount=type=secret,id=name,env=NAME` right after the
  RUN keyword, which suits shell form, exec form, heredocs, continuation lines
  and existing flags alike; a RUN that already mounts that variable is left;
- `# syntax=docker/dockerfile:1` is added as the first line when the file has
  no syntax directive: the mount's `env=` option needs Dockerfile frontend
  1.10, newer than the frontend many Docker engines build with.

No fix is offered (None) when the edits could not keep the build working:
the file does not parse; an `# escape=` directive (the grammar assumes `\\`);
a syntax directive pinning another frontend or a 1.x release before 1.10; an
instruction other than RUN refers to `$NAME` (FROM, COPY, `ENV X=$NAME`
chains: ENV would keep the value in the image, and a mount cannot serve
them); an ENV sets the same name; a heredoc body refers to `$NAME` (BuildKit
may expand heredocs itself, from build arguments); or no RUN would receive
the secret. ENV findings never get this fix: the running container may read
an ENV, and nothing in the Dockerfile shows whether it does.
"""

from __future__ import annotations

import regex
from tree_sitter import Node

from .findings import Fix, TextEdit
from .parsing import Source

SYNTAX_LINE = "# syntax=docker/dockerfile:1"
_NAME = regex.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIRECTIVE = regex.compile(r"#\s*([A-Za-z]+)\s*=\s*(\S*)\s*")
# docker/dockerfile frontends that know `--mount=type=secret,env=`: the 1 and
# 1-labs channels, latest/labs, and 1.10 or later (with optional patch, -labs, digest)
_FRONTEND = regex.compile(r"(?:docker\.io/)?docker/dockerfile(?:-upstream)?:(?P<tag>[^@\s]+)(?:@sha256:[0-9a-f]+)?")
_NEW_ENOUGH = regex.compile(r"(1|latest|labs|1-labs|1\.(?:1\d|[2-9]\d|\d{3,})(?:\.\d+)?(?:-labs)?)")


def _refers(name: str) -> regex.Pattern[str]:
    return regex.compile(r"\$\{?" + regex.escape(name) + r"(?![A-Za-z0-9_])")


def secret_mount_fix(target: Node, root: Node, source: Source, title: str, safe: bool) -> tuple[Fix | None, list[Node]]:
    """The fix for the `ARG` instruction `target`, and the nodes it depends on
    (an edit inside them can change it). `title` may use {name} and {id}."""
    if target.type != "arg_instruction":
        return None, []
    read = [root]  # every declaration, RUN and directive of the file matters
    name_node = target.child_by_field_name("name")
    if name_node is None or _broken(root):
        return None, read
    name = source.text(name_node)
    if not _NAME.fullmatch(name):
        return None, read
    secret_id = name.lower()
    mount = f"--mount=type=secret,id={secret_id},env={name}"
    refers = _refers(name)

    edits: list[TextEdit] = []
    directives: dict[str, str] = {}
    header_rows = 0  # parser directives are the file's first lines, one per line
    stage = -1  # -1: before the first FROM (global scope)
    declared = False  # the current stage has declared NAME so far
    served = 0  # RUNs that get (or already have) the secret
    had_default = False
    for node in root.named_children:
        kind = node.type
        if kind == "comment":
            if node.start_point[0] == header_rows:
                hit = _DIRECTIVE.fullmatch(source.text(node))
                if hit is not None:
                    directives.setdefault(hit.group(1).lower(), hit.group(2))
                    header_rows += 1
                    continue
            header_rows = -1  # a plain comment ends the directives
            continue
        header_rows = -1
        text = source.text(node)
        if kind == "from_instruction":
            stage, declared = stage + 1, False
            if refers.search(text):
                return None, read
        elif kind == "arg_instruction" and _arg_name(node, source) == name:
            if node.child_by_field_name("default") is not None:
                had_default = True
            edits.append(_delete_lines(node, root, source))
            declared = declared or stage >= 0
        elif kind == "run_instruction":
            if not declared:
                continue
            heredoc = any(c.type == "heredoc_block" for c in node.children)
            if heredoc and refers.search(text):
                return None, read
            served += 1
            if not _mounts(node, source, name):
                keyword = node.children[0]
                row, col = _point(source, keyword.end_byte, keyword.end_point)
                edits.append(TextEdit(row, col, row, col, " " + mount))
        elif kind == "env_instruction" and any(_pair_name(p, source) == name for p in node.named_children):
            return None, read
        elif refers.search(text):
            return None, read  # COPY/LABEL/WORKDIR/ENV X=$NAME/ONBUILD... need the value itself

    if served == 0 or "escape" in directives and directives["escape"] != "\\":
        return None, read
    syntax = directives.get("syntax")
    if syntax is None:
        edits.insert(0, TextEdit(0, 0, 0, 0, SYNTAX_LINE + _line_break(source, root)))
    elif not _frontend_ok(syntax):
        return None, read
    edits = _merge_first(edits)
    label = title.format(name=name, id=secret_id)
    if had_default:
        label += " (the default value is removed: rotate it)"
    return Fix(label, tuple(edits), safe), read


def _line_break(source: Source, root: Node) -> str:
    """The file's own line break (that of its first line)."""
    head = source.slice(0, min(root.end_byte, 4096), (0, 0))
    nl = head.find(b"\n")
    return "\r\n" if nl > 0 and head[nl - 1 : nl] == b"\r" else "\n"


def _broken(root: Node) -> bool:
    """Parse errors, except the line break the grammar wants after the last
    instruction (a file without a final newline builds fine)."""
    if not root.has_error:
        return False
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or (node.is_missing and not (node.type == "\n" and node.end_byte == root.end_byte)):
            return True
        stack.extend(c for c in node.children if c.has_error)
    return False


def _arg_name(node: Node, source: Source) -> str:
    n = node.child_by_field_name("name")
    return source.text(n) if n is not None else ""


def _pair_name(node: Node, source: Source) -> str:
    n = node.child_by_field_name("name") if node.type == "env_pair" else None
    return source.text(n) if n is not None else ""


def _mounts(run: Node, source: Source, name: str) -> bool:
    """Does this RUN already mount a secret as environment variable `name`?"""
    for c in run.named_children:
        if c.type == "mount_param":
            opts = {o.split("=", 1)[0].strip().lower(): o.split("=", 1)[-1].strip()
                    for o in source.text(c).split("=", 1)[-1].split(",")}
            if opts.get("type") == "secret" and opts.get("env") == name:
                return True
    return False


def _frontend_ok(value: str) -> bool:
    m = _FRONTEND.fullmatch(value)
    return m is not None and _NEW_ENOUGH.fullmatch(m.group("tag")) is not None


def _point(source: Source, byte: int, point: object) -> tuple[int, int]:
    """0-based (row, code-point column) of a byte position."""
    seq: tuple[int, int] = point  # type: ignore[assignment]
    row, bcol = int(seq[0]), int(seq[1])
    return row, source.column(row, byte - bcol, bcol)


def _delete_lines(node: Node, root: Node, source: Source) -> TextEdit:
    """Remove the instruction's lines with their line break (on the last line
    of a file without a final break: up to the instruction's end)."""
    start, end = node.start_point[0], node.end_point[0]
    if end < root.end_point[0]:
        return TextEdit(start, 0, end + 1, 0, "")
    row, col = _point(source, node.end_byte, node.end_point)
    return TextEdit(start, 0, row, col, "")


def _merge_first(edits: list[TextEdit]) -> list[TextEdit]:
    """Sorted edits; an insertion at (0, 0) and a deletion starting there become
    one replacement (touching edits at one position are ambiguous in LSP)."""
    edits.sort(key=lambda e: (e.start_line, e.start_col, e.end_line, e.end_col))
    if len(edits) >= 2:
        a, b = edits[0], edits[1]
        if (a.start_line, a.start_col, a.end_line, a.end_col) == (0, 0, 0, 0) and (b.start_line, b.start_col) == (0, 0):
            edits[:2] = [TextEdit(0, 0, b.end_line, b.end_col, a.new_text + b.new_text)]
    return edits
