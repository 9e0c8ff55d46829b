"""JSON report: one object with a `findings` list and summary counts.

    {"version": 1, "tool": "spillguard",
     "findings": [Finding.to_dict()...],
     "errors": [{"path", "reason"}], "skipped": [{"path", "reason"}],
     "summary": {"findings", "secrets", "insecure", "files", "bytes", "baselined",
                 "bySeverity": {...}, "byRule": {...}}}
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..engine.project import ScanResult


def document(result: ScanResult, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    findings = result.findings
    doc: dict[str, Any] = {
        "version": 1,
        "tool": "spillguard",
        "findings": [f.to_dict() for f in findings],
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
