"""Score scanners against a labelled corpus: line-level precision and recall.

Labels (JSON):

    {"files": {"<path relative to the corpus>": {
        "secrets": [{"line": N, "what": "...", "end": M?}],   # expected findings
        "traps":   [{"line": N, "what": "why not a finding"}]}}}

`end` (optional) makes a label span lines N..M (a PEM block): a hit on any of
those lines matches it. The positive and negative keys are parameters, so an
evaluation of other findings (insecure defaults) can use its own names.

Matching is by line: each tool's hits are reduced to distinct (path, line)
pairs; a pair inside a labelled span is a true positive (each label counted
once however many hits it gets), any other pair is a false positive, and a
label no pair falls in is a false negative. Hits on trap lines are false
positives and are also counted apart so reports can say which traps caught
which tool.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class HitLike(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def line(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Label:
    path: str
    line: int
    end: int
    what: str
    family: str = ""  # optional grouping (provider family, rule family) for per-family recall

    def covers(self, line: int) -> bool:
        return self.line <= line <= self.end


@dataclass(frozen=True, slots=True)
class Labels:
    positives: tuple[Label, ...]
    traps: tuple[Label, ...]
    files: frozenset[str]

    def positives_in(self, path: str) -> list[Label]:
        return [lab for lab in self.positives if lab.path == path]


class LabelError(Exception):
    pass


def load_labels(path: Path, positive: str = "secrets", negative: str = "traps") -> Labels:
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LabelError(f"{path}: cannot read labels: {exc}") from exc
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        raise LabelError(f"{path}: no 'files' object")
    pos: list[Label] = []
    neg: list[Label] = []
    for rel, entry in files.items():
        for key, out in ((positive, pos), (negative, neg)):
            for item in entry.get(key, []):
                line = int(item["line"])
                out.append(
                    Label(rel, line, int(item.get("end", line)), str(item.get("what", "")), str(item.get("family", "")))
                )
    return Labels(tuple(pos), tuple(neg), frozenset(files))


def check_labels(labels: Labels, root: Path) -> list[str]:
    """Problems with the labels themselves: missing files, lines past the end, a line both secret and trap."""
    problems: list[str] = []
    for rel in sorted(labels.files):
        f = root / rel
        if not f.is_file():
            problems.append(f"{rel}: labelled but missing")
            continue
        n = len(f.read_text(encoding="utf-8", errors="replace").splitlines())
        for lab in (*labels.positives, *labels.traps):
            if lab.path == rel and not (1 <= lab.line <= lab.end <= n):
                problems.append(f"{rel}:{lab.line}: label outside the file ({n} lines)")
    pos = {(lab.path, ln) for lab in labels.positives for ln in range(lab.line, lab.end + 1)}
    for lab in labels.traps:
        if (lab.path, lab.line) in pos:
            problems.append(f"{lab.path}:{lab.line}: labelled both secret and trap")
    return problems


@dataclass(frozen=True, slots=True)
class Score:
    tool: str
    tp: int
    fp: int
    fn: int
    trap_hits: int
    seconds: float = 0.0
    version: str = ""
    error: str = ""
    false_positives: tuple[tuple[str, int], ...] = ()
    false_negatives: tuple[Label, ...] = ()
    hit_traps: tuple[Label, ...] = field(default_factory=tuple)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "version": self.version,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "trapHits": self.trap_hits,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "seconds": round(self.seconds, 2),
            "error": self.error,
            "falsePositives": [f"{p}:{ln}" for p, ln in self.false_positives],
            "falseNegatives": [f"{lab.path}:{lab.line} {lab.what}" for lab in self.false_negatives],
            "trapsHit": [f"{lab.path}:{lab.line} {lab.what}" for lab in self.hit_traps],
        }


def score(
    tool: str,
    hits: Iterable[HitLike],
    labels: Labels,
    ignore: Iterable[str] = ("labels.json",),
    seconds: float = 0.0,
    version: str = "",
    error: str = "",
) -> Score:
    """Line-level score of one tool's hits (see the module docstring)."""
    skip = set(ignore)
    lines = sorted({(h.path, h.line) for h in hits if h.path not in skip})
    by_path: dict[str, list[Label]] = {}
    for lab in labels.positives:
        by_path.setdefault(lab.path, []).append(lab)
    traps = {(lab.path, lab.line): lab for lab in labels.traps}
    matched: set[Label] = set()
    fps: list[tuple[str, int]] = []
    for path, line in lines:
        covering = [lab for lab in by_path.get(path, ()) if lab.covers(line)]
        if covering:
            matched.update(covering)
        else:
            fps.append((path, line))
    missed = tuple(lab for lab in labels.positives if lab not in matched)
    hit_traps = tuple(traps[k] for k in fps if k in traps)
    return Score(
        tool=tool,
        tp=len(matched),
        fp=len(fps),
        fn=len(missed),
        trap_hits=len(hit_traps),
        seconds=seconds,
        version=version,
        error=error,
        false_positives=tuple(fps),
        false_negatives=missed,
        hit_traps=hit_traps,
    )


def recall_by_family(scores: list[Score], labels: Labels) -> str:
    """Markdown table: per label family, how many labels each tool found (found/total)."""
    totals: dict[str, int] = {}
    for lab in labels.positives:
        totals[lab.family or "-"] = totals.get(lab.family or "-", 0) + 1
    rows = [
        "| family | labels | " + " | ".join(s.tool for s in scores) + " |",
        "|---|---:|" + "---:|" * len(scores),
    ]
    for fam in sorted(totals, key=lambda f: (-totals[f], f)):
        cells = []
        for s in scores:
            missed = sum(1 for lab in s.false_negatives if (lab.family or "-") == fam)
            cells.append("–" if s.error else str(totals[fam] - missed))
        rows.append(f"| {fam} | {totals[fam]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def markdown_table(scores: Iterable[Score]) -> str:
    rows = [
        "| tool | version | TP | FP | FN | traps hit | precision | recall | F1 | wall time |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        if s.error:
            rows.append(f"| {s.tool} | {s.version} | – | – | – | – | – | – | – | failed: {s.error} |")
            continue
        rows.append(
            f"| {s.tool} | {s.version} | {s.tp} | {s.fp} | {s.fn} | {s.trap_hits} | {s.precision:.3f} | "
            f"{s.recall:.3f} | {s.f1:.3f} | {s.seconds:.1f} s |"
        )
    return "\n".join(rows)
