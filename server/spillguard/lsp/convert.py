"""Engine findings ↔ lsprotocol types, and column units.

The engine counts columns in code points; the client counts them in the
negotiated position encoding: UTF-16 code units unless it offered UTF-8 or
UTF-32. Diagnostics never carry a secret: the message uses the finding's
redacted preview and `data` holds the fingerprint and what fixes need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsprotocol import types

from ..engine.findings import Finding

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
SOURCE = "spillguard"

LSP_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
# Engine severities accepted as overrides too (e.g. from `.spillguard.toml`).
_ENGINE_TO_LSP = {
    "critical": types.DiagnosticSeverity.Error,
    "high": types.DiagnosticSeverity.Error,
    "medium": types.DiagnosticSeverity.Warning,
    "low": types.DiagnosticSeverity.Information,
}


def _units(ch: str, encoding: str) -> int:
    o = ord(ch)
    if encoding == UTF16:
        return 2 if o > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 1


def to_client_col(line: str, col: int, encoding: str) -> int:
    """Code-point column → client units (clamped to the line)."""
    col = max(0, min(col, len(line)))
    if encoding == UTF32 or line.isascii():
        return col
    head = line[:col]
    if encoding == UTF16:
        return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)
    return len(head.encode("utf-8", "surrogatepass"))


def from_client_col(line: str, units: int, encoding: str) -> int:
    """Client units → code-point column, clamped to the line. A position inside a
    surrogate pair or a multi-byte sequence moves to the character's start."""
    if encoding == UTF32 or line.isascii():
        return max(0, min(units, len(line)))
    used = 0
    for i, ch in enumerate(line):
        step = _units(ch, encoding)
        if used + step > units:
            return i
        used += step
    return len(line)


LineText = Callable[[int], str]


def to_range(f: Finding, line_text: LineText, encoding: str) -> types.Range:
    """A finding's 1-based code-point span as an LSP range."""
    sl, el = f.start_line - 1, f.end_line - 1
    start_text = line_text(sl)
    end_text = start_text if el == sl else line_text(el)
    return types.Range(
        start=types.Position(line=sl, character=to_client_col(start_text, f.start_col - 1, encoding)),
        end=types.Position(line=el, character=to_client_col(end_text, f.end_col - 1, encoding)),
    )


def severity(f: Finding, overrides: dict[str, str] | None = None) -> types.DiagnosticSeverity:
    """secrets: Error when validated or high confidence, else Warning; insecure defaults:
    Warning; fake-looking fixtures: Information. Settings may override per rule."""
    if overrides and f.rule_id in overrides:
        name = overrides[f.rule_id].lower()
        if name in LSP_SEVERITIES:
            return LSP_SEVERITIES[name]
        if name in _ENGINE_TO_LSP:
            return _ENGINE_TO_LSP[name]
    if f.fixture:
        return types.DiagnosticSeverity.Information
    if f.kind == "secret":
        if f.validated or f.confidence == "high":
            return types.DiagnosticSeverity.Error
        return types.DiagnosticSeverity.Warning
    return types.DiagnosticSeverity.Warning


def message(f: Finding) -> str:
    """Names the kind of secret; only the redacted preview, never the value."""
    return f.message


def diagnostic_data(f: Finding, language: str) -> dict[str, Any]:
    return {
        "fingerprint": f.fingerprint,
        "rule": f.rule_id,
        "kind": f.kind,
        "name": f.name,
        "language": language,
        # Engine fixes (0-based lines, code-point columns); secrets carry none:
        # a fix that needs the value reads it from the document at the range.
        "fixes": [fix.to_dict() for fix in f.fixes],
    }


def to_diagnostic(
    f: Finding,
    line_text: LineText,
    encoding: str,
    language: str,
    overrides: dict[str, str] | None = None,
) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_range(f, line_text, encoding),
        message=message(f),
        severity=severity(f, overrides),
        code=f.rule_id,
        code_description=types.CodeDescription(href=f.help_url) if f.help_url else None,
        source=SOURCE,
        data=diagnostic_data(f, language),
    )


def encoding_name(kind: object) -> str:
    """lsprotocol PositionEncodingKind (or its string) → UTF8 / UTF16 / UTF32."""
    value = getattr(kind, "value", kind)
    return value if value in (UTF8, UTF16, UTF32) else UTF16
