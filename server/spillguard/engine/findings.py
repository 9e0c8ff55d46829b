"""Finding: what the engine reports. Redaction and fingerprints live here so no
other module ever needs to hold a secret longer than a scan."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field, replace
from typing import Any

# Keyed so a published baseline or SARIF file cannot be turned back into
# short secrets by brute force without the key. Teams that want a private key
# set SPILLGUARD_FINGERPRINT_KEY in their environment; the default
# keeps fingerprints stable across machines.
DEFAULT_FINGERPRINT_KEY = b"spillguard/v1"

SEVERITIES = ("info", "low", "medium", "high", "critical")
CONFIDENCES = ("low", "medium", "high")


def fingerprint_key() -> bytes:
    env = os.environ.get("SPILLGUARD_FINGERPRINT_KEY")
    return env.encode() if env else DEFAULT_FINGERPRINT_KEY


def fingerprint(value: str, key: bytes | None = None) -> str:
    """Stable keyed hash of a secret value: never the value itself."""
    digest = hmac.new(key or fingerprint_key(), value.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return "sg1:" + digest.hexdigest()[:32]


def weakness_url(cwe: tuple[str, ...]) -> str:
    """Documentation for a rule: the definition of its first CWE (a stable public page).
    Our own explanation travels in hovers, SARIF help text and `spillguard explain`."""
    for c in cwe:
        num = c.upper().removeprefix("CWE-")
        if num.isdigit():
            return f"https://cwe.mitre.org/data/definitions/{num}.html"
    return "https://cwe.mitre.org/data/definitions/798.html"


def redact(value: str, keep: int = 4) -> str:
    """At most the first `keep` characters, never more than a third of the value."""
    shown = min(keep, len(value) // 3)
    return value[:shown] + "…" + f"[{len(value)} chars]"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """A replacement in 0-based line/character (code point) coordinates."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    new_text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": {"line": self.start_line, "col": self.start_col},
            "end": {"line": self.end_line, "col": self.end_col},
            "newText": self.new_text,
        }


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    # "safe": may be applied by fixAll without a human look.
    safe: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "safe": self.safe, "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported secret or insecure default.

    Lines and columns are 1-based; columns count code points. `end_col` is
    exclusive. The finding never holds the secret: only its redacted preview
    and keyed fingerprint.
    """

    rule_id: str
    kind: str  # "secret" | "insecure"
    title: str
    path: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    preview: str
    fingerprint: str
    severity: str
    confidence: str
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    nist: tuple[str, ...] = ()
    remediation: str = ""
    revoke_url: str = ""
    help_url: str = ""
    # Name of the variable or key holding the secret, when known (fixes use it).
    name: str = ""
    validated: bool = False
    fixture: bool = False  # token-shaped, wrong checksum: looks like a test fixture
    fixes: tuple[Fix, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # 0-based code point offsets of the secret in the scanned text.
    start_offset: int = 0
    end_offset: int = 0

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    @property
    def message(self) -> str:
        if self.kind == "secret":
            lead = "Possible test fixture: " if self.fixture else ""
            return f"{lead}{self.title} ({self.preview})"
        return self.title

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule_id,
            "kind": self.kind,
            "title": self.title,
            "message": self.message,
            "path": self.path,
            "start": {"line": self.start_line, "column": self.start_col},
            "end": {"line": self.end_line, "column": self.end_col},
            "preview": self.preview,
            "fingerprint": self.fingerprint,
            "severity": self.severity,
            "confidence": self.confidence,
            "validated": self.validated,
            "fixture": self.fixture,
            "references": {"cwe": list(self.cwe), "owasp": list(self.owasp), "nist": list(self.nist)},
            "remediation": self.remediation,
            "revokeUrl": self.revoke_url,
            "helpUrl": self.help_url,
        }
        if self.name:
            out["name"] = self.name
        if self.fixes:
            out["fixes"] = [f.to_dict() for f in self.fixes]
        for k, v in self.extra:
            out[k] = v
        return out
