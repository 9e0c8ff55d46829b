"""JSON report: one object with a `findings` list and summary counts.

    {"version": 1, "tool": "spillguard",
     "findings": [Finding.to_dict()...],
     "errors": [{"path", "reason"}], "skipped": [{"path", "reason"}],
     "summary": {"findings", "secrets", "insecure", "files", "bytes", "baselined",
                 "bySeverity": {...}, "byRule": {...}}}

`scan --diff` adds a top-level "spread": [{"fingerprint", "rule", "before", "after",
"locations": [{"path", "line", "new"}]}]. Findings on AI-authored lines carry
"aiAuthored": true; `scan --history` findings carry "commit".
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..engine.findings import Finding
from ..engine.project import ScanResult


def _finding(f: Finding) -> dict[str, Any]:
    d = f.to_dict()
    if d.get("aiAuthored") == "true":  # extras are strings; provenance is a JSON boolean
        d["aiAuthored"] = True
    return d


def document(result: ScanResult, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    findings = result.findings
    doc: dict[str, Any] = {
        "version": 1,
        "tool": "spillguard",
        "findings": [_finding(f) for f in findings],
        "errors": [{"path": e.path, "reason": e.reason} for e in result.errors],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "summary": {
            "findings": len(findings),
            "secrets": sum(1 for f in findings if f.kind == "secret"),
            "insecure": sum(1 for f in findings if f.kind == "insecure"),
            "files": result.files,
            "bytes": result.bytes,
            "baselined": result.baselined,
            "bySeverity": dict(Counter(f.severity for f in findings)),
            "byRule": dict(Counter(f.rule_id for f in findings)),
        },
    }
    if extra:
        doc.update(extra)
    return doc


def render(result: ScanResult, extra: dict[str, Any] | None = None) -> str:
    return json.dumps(document(result, extra), indent=2, ensure_ascii=False) + "\n"
