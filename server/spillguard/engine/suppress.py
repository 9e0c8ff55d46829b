"""Suppression: inline ignore comments and baselines.

Inline: `spillguard:ignore` anywhere on the finding's line silences every rule
there; `spillguard:ignore[rule-a,rule-b] reason` only those rules.
Baseline: `.spillguard-baseline.json` lists fingerprints already reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import regex_cache
from .findings import Finding

BASELINE_NAME = ".spillguard-baseline.json"
_IGNORE_RE = regex_cache.compile(r"spillguard:ignore(?:\[([^\]]*)\])?")


def inline_ignored(line: str, rule_id: str) -> bool:
    if "spillguard:ignore" not in line:
        return False
    for m in _IGNORE_RE.finditer(line):
        ids = m.group(1)
        if ids is None:
            return True
        if rule_id in {i.strip() for i in ids.split(",")}:
            return True
    return False


class BaselineError(Exception):
    pass


def load_baseline(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a spillguard baseline (no 'findings' list)")
    return {str(e.get("fingerprint")) for e in data["findings"] if isinstance(e, dict)}


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """What `baseline create` writes: reviewable, sorted, no secrets."""
    entries = sorted(
        {(f.fingerprint, f.rule_id, f.path, f.start_line) for f in findings},
        key=lambda t: (t[2], t[3], t[1]),
    )
    return {
        "version": 1,
        "generatedBy": "spillguard",
        "findings": [
            {"fingerprint": fp, "rule": rule, "path": path, "line": line} for fp, rule, path, line in entries
        ],
    }


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    doc = baseline_document(findings)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(doc["findings"])


def add_to_baseline(path: Path, fingerprint: str, rule: str, where: str, line: int) -> bool:
    """Append one reviewed finding to a baseline (created if missing); False when
    its fingerprint is already there. Raises BaselineError on a broken file."""
    known = load_baseline(path)
    if fingerprint in known:
        return False
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = {"version": 1, "generatedBy": "spillguard", "findings": []}
    doc["findings"].append({"fingerprint": fingerprint, "rule": rule, "path": where, "line": line})
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return True
