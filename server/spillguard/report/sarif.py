"""SARIF 2.1.0, fit for GitHub code scanning: rules with help URIs and CWE
tags, results with redacted messages, regions and partial fingerprints."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..engine.findings import Finding, Fix
from ..engine.project import ScanResult

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
# Code scanning's precision values, from our confidence.
_PRECISION = {"high": "high", "medium": "medium", "low": "low"}


def _uri(path: str) -> str:
    """A relative URI reference: '/' separators, unusual characters percent-encoded."""
    return quote(path.replace("\\", "/"), safe="/-._~")


def _rule(f: Finding) -> dict[str, Any]:
    tags = ["security", f.kind] + [f"external/cwe/{c.lower()}" for c in f.cwe] + [f"owasp-nhi/{o}" for o in f.owasp]
    text = f.remediation or "Move the secret out of the code and revoke it."
    return {
        "id": f.rule_id,
        "name": "".join(p.capitalize() for p in f.rule_id.split("-")),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f.title + (f". Revoke: {f.revoke_url}" if f.revoke_url else "")},
        "helpUri": f.help_url,
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": _LEVEL.get(f.severity, "warning")},
        "properties": {
            "tags": tags,
            "security-severity": _SECURITY_SEVERITY.get(f.severity, "5.0"),
            "precision": _PRECISION.get(f.confidence, "medium"),
        },
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    props: dict[str, Any] = {"severity": f.severity, "confidence": f.confidence, "kind": f.kind}
    for k, v in f.extra:
        props[k] = True if k == "aiAuthored" and v == "true" else v
    return {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path)},
                    "region": {
                        "startLine": f.start_line,
                        "startColumn": f.start_col,
                        "endLine": f.end_line,
                        "endColumn": f.end_col,
                    },
                }
            }
        ],
        "partialFingerprints": {"spillguard/v1": f.fingerprint},
        "properties": props,
        **({"fixes": [_fix(f, fix) for fix in f.fixes]} if f.kind == "insecure" and f.fixes else {}),
    }


def _fix(f: Finding, fix: Fix) -> dict[str, Any]:
    """A SARIF fix: the exact replacements (1-based lines and code-point columns, like the
    result's region; an insertion deletes an empty region). Insecure-default fixes only:
    their edits never carry a secret."""
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": _uri(f.path)},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": e.start_line + 1,
                            "startColumn": e.start_col + 1,
                            "endLine": e.end_line + 1,
                            "endColumn": e.end_col + 1,
                        },
                        "insertedContent": {"text": e.new_text},
                    }
                    for e in fix.edits
                ],
            }
        ],
        "properties": {"safe": fix.safe},
    }


def document(result: ScanResult) -> dict[str, Any]:
    rules: dict[str, int] = {}
    rule_objs: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for f in result.findings:
        if f.rule_id not in rules:
            rules[f.rule_id] = len(rule_objs)
            rule_objs.append(_rule(f))
        results.append(_result(f, rules[f.rule_id]))
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "spillguard",
                        "version": __version__,
                        "rules": rule_objs,
                    }
                },
                # Our columns count code points (SARIF's default would be UTF-16 units).
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": not result.errors,
                        "toolExecutionNotifications": [
                            {"level": "warning", "message": {"text": f"{e.path}: {e.reason}"}} for e in result.errors
                        ],
                    }
                ],
            }
        ],
    }


def render(result: ScanResult) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
