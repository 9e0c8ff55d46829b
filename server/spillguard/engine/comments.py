"""Which language a document is, and how it writes a line comment.

Used by fixes that add text to code: the `spillguard:ignore[rule] reason`
suppression comment and the "move the secret to the environment" edit. Pure:
takes a path and an editor language id, returns plain values.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

# Editor language ids (LSP / VS Code) → our language keys.
_LANGUAGE_IDS = {
    "python": "python",
    "javascript": "javascript",
    "javascriptreact": "javascript",
    "typescript": "typescript",
    "typescriptreact": "typescript",
    "go": "go",
    "java": "java",
    "csharp": "csharp",
    "ruby": "ruby",
    "shellscript": "shell",
    "sh": "shell",
    "bash": "shell",
    "zsh": "shell",
    "yaml": "yaml",
    "github-actions-workflow": "github-actions",
    "dockercompose": "compose",
    "terraform": "terraform",
    "hcl": "terraform",
    "dockerfile": "dockerfile",
    "dotenv": "dotenv",
    "properties": "properties",
    "ini": "ini",
    "toml": "toml",
    "json": "json",
    "jsonc": "jsonc",
    "kotlin": "kotlin",
    "rust": "rust",
    "php": "php",
    "c": "c",
    "cpp": "cpp",
    "swift": "swift",
    "scala": "scala",
    "sql": "sql",
    "lua": "lua",
    "xml": "xml",
    "html": "html",
    "markdown": "markdown",
}

_EXTENSIONS = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "typescript",
    ".go": "go", ".java": "java", ".cs": "csharp", ".rb": "ruby",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".ksh": "shell",
    ".yml": "yaml", ".yaml": "yaml",
    ".tf": "terraform", ".tfvars": "terraform", ".hcl": "terraform",
    ".properties": "properties", ".ini": "ini", ".cfg": "ini", ".toml": "toml",
    ".json": "json", ".jsonc": "jsonc", ".kt": "kotlin", ".kts": "kotlin", ".rs": "rust", ".php": "php",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".swift": "swift", ".scala": "scala",
    ".sql": "sql", ".lua": "lua", ".xml": "xml", ".html": "html", ".md": "markdown",
}

_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]*)?\.ya?ml$")


def language_of(path: str, language_id: str = "") -> str:
    """Our language key for a document ("" when unknown).

    The path decides for files whose role is in their name (GitHub Actions
    workflows, compose files, Dockerfiles, .env files); otherwise the editor's
    language id, then the extension.
    """
    p = path.replace("\\", "/")
    base = posixpath.basename(p)
    lower = base.lower()
    ext = posixpath.splitext(lower)[1]
    if ext in (".yml", ".yaml") and "/.github/workflows/" in "/" + p.lstrip("/"):
        return "github-actions"
    if _COMPOSE_NAME.match(lower):
        return "compose"
    if lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile"):
        return "dockerfile"
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        return "dotenv"
    if language_id in _LANGUAGE_IDS:
        return _LANGUAGE_IDS[language_id]
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if language_id:
        return language_id
    return ""


@dataclass(frozen=True, slots=True)
class CommentSyntax:
    start: str
    end: str = ""


_HASH = CommentSyntax("#")
_SLASH = CommentSyntax("//")
_COMMENTS = {
    "python": _HASH, "ruby": _HASH, "shell": _HASH, "yaml": _HASH, "github-actions": _HASH,
    "compose": _HASH, "terraform": _HASH, "dockerfile": _HASH, "dotenv": _HASH, "properties": _HASH,
    "toml": _HASH, "ini": CommentSyntax(";"),
    "javascript": _SLASH, "typescript": _SLASH, "go": _SLASH, "java": _SLASH, "csharp": _SLASH,
    "kotlin": _SLASH, "rust": _SLASH, "php": _SLASH, "c": _SLASH, "cpp": _SLASH, "swift": _SLASH,
    "scala": _SLASH, "jsonc": _SLASH,
    "sql": CommentSyntax("--"), "lua": CommentSyntax("--"),
    "xml": CommentSyntax("<!--", " -->"), "html": CommentSyntax("<!--", " -->"),
    "markdown": CommentSyntax("<!--", " -->"),
}

REASON_PLACEHOLDER = "<reason>"


def comment_syntax(language: str) -> CommentSyntax | None:
    """How `language` writes a comment that may end a line; None when it has none (JSON)."""
    return _COMMENTS.get(language)


def ignore_comment(language: str, rule_id: str, reason: str = REASON_PLACEHOLDER) -> str | None:
    """`# spillguard:ignore[rule] <reason>` in the language's syntax (no leading space)."""
    syntax = comment_syntax(language)
    if syntax is None:
        return None
    return f"{syntax.start} spillguard:ignore[{rule_id}] {reason}{syntax.end}"


def suppress_edit_column(language: str, line: str) -> int | None:
    """Where on `line` an end-of-line suppression comment can go, or None.

    None when a trailing comment would change what the line means: a line
    continued with a backslash, a Dockerfile instruction other than RUN (Docker
    reads `#` there as an argument), or a language without comments.
    """
    if comment_syntax(language) is None:
        return None
    body = line.rstrip("\r\n")
    stripped = body.rstrip()
    if stripped.endswith("\\"):
        return None
    if language == "dockerfile" and not re.match(r"\s*RUN\b", stripped, re.IGNORECASE):
        return None
    return len(stripped)


_BLOCK_SCALAR = re.compile(r"(?:^|[:\-]\s*)[|>][-+0-9]*\s*(?:#.*)?$")
_RUN_BLOCK = re.compile(r"^\s*(?:-\s+)?run:\s*[|>][-+0-9]*\s*$")


def in_yaml_block_scalar(lines: list[str], row: int) -> str | None:
    """The line that opens the YAML block scalar (`key: |`) holding line `row`, or None.
    A `#` there is text, not a comment."""
    line = lines[row]
    indent = len(line) - len(line.lstrip())
    for i in range(row - 1, -1, -1):
        prev = lines[i].rstrip("\r\n")
        if not prev.strip():
            continue
        prev_indent = len(prev) - len(prev.lstrip())
        if prev_indent < indent:
            return prev if _BLOCK_SCALAR.search(prev) else None
    return None


def yaml_suppress_ok(language: str, lines: list[str], row: int) -> bool:
    """A trailing comment is a comment on this YAML line: not inside a block scalar,
    except a GitHub Actions `run: |` script, where `#` starts a shell comment."""
    if language not in ("yaml", "compose", "github-actions"):
        return True
    opener = in_yaml_block_scalar(lines, row)
    if opener is None:
        return True
    return language == "github-actions" and _RUN_BLOCK.match(opener) is not None
