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


def test_scoring_counts_each_label_once_and_spans_cover_their_lines(tmp_path):
    (tmp_path / "a.py").write_text("x\n" * 10, encoding="utf-8")
    labels_file = tmp_path / "labels.json"
    labels_file.write_text(
        '{"files": {"a.py": {"secrets": [{"line": 2, "what": "token"}, {"line": 5, "end": 8, "what": "pem"}],'
        ' "traps": [{"line": 9, "what": "uuid"}]}}}',
        encoding="utf-8",
    )
    labels = load_labels(labels_file)
    assert check_labels(labels, tmp_path) == []
    hits = [_Hit("a.py", 2), _Hit("a.py", 2), _Hit("a.py", 6), _Hit("a.py", 7), _Hit("a.py", 9), _Hit("a.py", 10),
            _Hit("labels.json", 1)]
    s = score("tool", hits, labels)
    assert (s.tp, s.fp, s.fn, s.trap_hits) == (2, 2, 0, 1)
    assert s.precision == 0.5 and s.recall == 1.0
    s = score("tool", [_Hit("a.py", 3)], labels)
    assert (s.tp, s.fp, s.fn) == (0, 1, 2) and s.recall == 0.0


def test_broken_labels_are_reported(tmp_path):
    (tmp_path / "a.py").write_text("x\n", encoding="utf-8")
    labels_file = tmp_path / "labels.json"
    labels_file.write_text(
        '{"files": {"a.py": {"secrets": [{"line": 1, "what": "s"}, {"line": 4, "what": "past the end"}],'
        ' "traps": [{"line": 1, "what": "both"}]}, "gone.py": {"secrets": []}}}',
        encoding="utf-8",
    )
    problems = check_labels(load_labels(labels_file), tmp_path)
    assert any("gone.py" in p for p in problems)
    assert any("a.py:4" in p for p in problems)
    assert any("both secret and trap" in p for p in problems)
