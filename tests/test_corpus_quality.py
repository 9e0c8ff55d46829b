"""Measured quality: the engine, in-process, over the labelled corpus (tests/corpus/secrets).

Line-level scoring as in bench/evaluate.py (which also runs the peers): a
finding on a labelled secret's line is a true positive, any other finding line
a false positive, a labelled secret with no finding a false negative. The
thresholds are the issue's targets.
"""

import sys
from pathlib import Path

import pytest

from spillguard.engine.context import Context
from spillguard.engine.project import scan_paths

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "secrets"
sys.path.insert(0, str(ROOT / "bench"))

from evallib import check_labels, load_labels, score  # noqa: E402


@pytest.fixture(scope="module")
def result():
    labels = load_labels(CORPUS / "labels.json")
    ctx = Context.build(CORPUS)
    scan = scan_paths([CORPUS], ctx, jobs=1, use_baseline=False)
    hits = [f for f in scan.findings if f.kind == "secret"]
    return labels, score("spillguard", [_Hit(f.path, f.start_line) for f in hits], labels), hits


class _Hit:
    __slots__ = ("path", "line")

    def __init__(self, path: str, line: int) -> None:
        self.path = path
        self.line = line


def test_labels_are_consistent():
    labels = load_labels(CORPUS / "labels.json")
    assert check_labels(labels, CORPUS) == []
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()} - {"labels.json"}
    assert files == set(labels.files), "every corpus file is labelled (and every label has a file)"
    assert len(labels.files) >= 60 and len(labels.positives) >= 150 and len(labels.traps) >= 150


def test_precision_and_recall_meet_the_target(result):
    _labels, s, _hits = result
    missed = [f"{lab.path}:{lab.line} {lab.what}" for lab in s.false_negatives]
    extra = [f"{p}:{n}" for p, n in s.false_positives]
    assert s.precision >= 0.95, f"precision {s.precision:.3f}; false positives: {extra}"
    assert s.recall >= 0.95, f"recall {s.recall:.3f}; missed: {missed}"


def test_generic_rules_stay_off_the_traps(result):
    """Name-based rules are the noisy kind: at most 2% of the labelled traps may draw one."""
    labels, _s, hits = result
    traps = {(lab.path, lab.line): lab.what for lab in labels.traps}
    generic_on_traps = [
        f"{f.path}:{f.start_line} {f.rule_id} ({traps[(f.path, f.start_line)]})"
        for f in hits
        if f.rule_id.startswith("generic") and (f.path, f.start_line) in traps
    ]
    assert len(generic_on_traps) <= 0.02 * len(labels.traps), generic_on_traps


def test_findings_never_carry_the_secret(result):
    _labels, _s, hits = result
    corpus_text = {p: (CORPUS / p).read_text(encoding="utf-8") for p in {f.path for f in hits}}
    for f in hits:
        line = corpus_text[f.path].splitlines()[f.start_line - 1]
        value = line[f.start_col - 1 : f.end_col - 1] if f.start_line == f.end_line else ""
        if len(value) >= 12:
            assert value not in f.preview and value not in f.fingerprint and value not in f.message
            assert f.preview.startswith(value[: min(4, len(value) // 3)])
