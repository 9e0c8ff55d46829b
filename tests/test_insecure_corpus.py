"""Quality on the labelled insecure-defaults corpus (tests/corpus/insecure): spillguard's findings of
kind "insecure", computed in process, meet the target of >= 0.90 recall with >= 0.95 precision.

Line-level scoring as bench/evaluate_insecure.py does it (bench/evallib.py): a reported line with a
label is a true positive, any other reported line a false positive, an unreported label a false negative.
"""

import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from evallib import Labels, Score, check_labels, load_labels, score  # noqa: E402
from spillguard.engine.context import Context  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "insecure"
TARGET_RECALL = 0.90
TARGET_PRECISION = 0.95
# The families whose rules live in rules/insecure/{bash,github-actions,dockerfile,terraform,kubernetes}.
CI_AND_INFRA = ("shell/", "scripts/", "actions/", "docker/", "terraform/", "k8s/")


class Hit:
    __slots__ = ("path", "line")

    def __init__(self, path: str, line: int) -> None:
        self.path, self.line = path, line


@cache
def labels() -> Labels:
    return load_labels(CORPUS / "labels.json", positive="insecure", negative="traps")


@cache
def hits() -> tuple[Hit, ...]:
    ctx = Context.build(CORPUS)
    out: list[Hit] = []
    for rel in sorted(labels().files):
        text = (CORPUS / rel).read_text(encoding="utf-8")
        out.extend(Hit(rel, f.start_line) for f in ctx.analyze(text, rel) if f.kind == "insecure")
    return tuple(out)


def scoped(prefixes: tuple[str, ...]) -> Score:
    lab = labels()
    sub = Labels(
        positives=tuple(x for x in lab.positives if x.path.startswith(prefixes)),
        traps=tuple(x for x in lab.traps if x.path.startswith(prefixes)),
        files=frozenset(f for f in lab.files if f.startswith(prefixes)),
    )
    return score("spillguard", [h for h in hits() if h.path.startswith(prefixes)], sub)


def explain(s: Score) -> str:
    d = s.to_dict()
    return f"precision {s.precision:.3f} recall {s.recall:.3f}; FP {d['falsePositives'][:10]}; FN {d['falseNegatives'][:10]}"


def test_the_labels_are_consistent_and_big_enough():
    lab = labels()
    assert check_labels(lab, CORPUS) == []
    assert len(lab.files) >= 50 and len(lab.positives) >= 120 and len(lab.traps) >= 100
    families = {p.split("/", 1)[0] for p in lab.files}
    assert {"python", "js", "go", "java", "ruby", "shell", "actions", "docker", "terraform", "k8s"} <= families


def test_ci_and_infrastructure_rules_meet_the_target():
    s = scoped(CI_AND_INFRA)
    assert s.recall >= TARGET_RECALL and s.precision >= TARGET_PRECISION, explain(s)


@pytest.mark.parametrize("family", ["python/", "js/", "go/", "java/", "ruby/", *CI_AND_INFRA])
def test_no_family_floods_with_false_positives(family):
    s = scoped((family,))
    assert s.fp == 0 or s.precision >= TARGET_PRECISION, explain(s)


def test_whole_corpus_meets_the_target():
    s = scoped(("",))
    assert s.recall >= TARGET_RECALL and s.precision >= TARGET_PRECISION, explain(s)


def test_editor_documents_find_what_the_cli_finds():
    from spillguard.engine.insecure import InsecureDocument, scan_insecure

    for rel in sorted(labels().files):
        data = (CORPUS / rel).read_bytes()
        doc = InsecureDocument.open(rel, lambda off, _pt, data=data: data[off : off + 5])  # 5-byte chunks
        if doc is None:
            continue
        got = [(f.rule_id, f.start_line, f.start_col, f.end_line, f.end_col) for f in doc.findings()]
        want = [(f.rule_id, f.start_line, f.start_col, f.end_line, f.end_col)
                for f in scan_insecure(data.decode("utf-8"), rel)]
        assert got == want, rel
