"""Insecure defaults: precision and recall of spillguard, bandit, zizmor and checkov.

    .venv/bin/python bench/evaluate_insecure.py             # spillguard + bandit, zizmor, checkov, same run
    .venv/bin/python bench/evaluate_insecure.py --peers     # spillguard only
    .venv/bin/python bench/evaluate_insecure.py --details   # every false positive / negative

Every tool scans tests/corpus/insecure/ (labels in its labels.json: "insecure"
findings and "traps", their safe twins). Scoring is line-level (bench/evallib.py):
a reported line that carries a label is a true positive, any other reported line
a false positive (trap lines are counted apart), a label no reported line falls on
a false negative. spillguard counts only its kind == "insecure" findings.

Each peer is scored only on the files it covers, and spillguard beside it on the
same files, so the rows of one scope compare like with like:

- bandit: Python files.
- zizmor: GitHub Actions workflows (run on the corpus's actions/ repository).
- checkov: Terraform, Kubernetes manifests, Dockerfiles and workflows. checkov
  reports a resource's whole line range (a Kubernetes object, a Terraform block),
  so a checkov result counts for every labelled line inside its range (a result
  whose range holds no label is one false positive, on a trap line if its range
  holds one). That is generous to checkov: any check on a resource claims every
  label in it. The "families" row keeps only checkov checks about the same
  weaknesses as the labels (see CHECKOV_FAMILIES).

Peers are installed on demand under bench/.peers/ (bench/peers.py) and run offline.
The table is printed and written to bench/out/insecure/results.md, per-tool
details (path:line and the label's description) to results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evallib import Labels, Score, check_labels, load_labels, markdown_table, score  # noqa: E402
from peers import PEERS, Hit, ensure, relative, run_peer, run_spillguard  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "insecure"
OUT = ROOT / "bench" / "out" / "insecure"
DOCS = ROOT / "docs" / "benchmarks.md"
DOCS_START = "<!-- insecure-defaults-results:start -->"
DOCS_END = "<!-- insecure-defaults-results:end -->"
COMMAND = ".venv/bin/python bench/evaluate_insecure.py --write-docs"
INSECURE_PEERS = ("bandit", "zizmor", "checkov")

WORKFLOWS = ("*.github/workflows/*.yml", "*.github/workflows/*.yaml")
# What each scope covers: globs on corpus-relative paths.
SCOPES: dict[str, tuple[str, ...]] = {
    "all files": ("*",),
    "Python": ("*.py",),
    "GitHub Actions": WORKFLOWS,
    "IaC (Terraform, Kubernetes, Dockerfile, Actions)": (
        "*.tf", "k8s/*.yaml", "k8s/*.yml", "*Dockerfile", "*Dockerfile.*", *WORKFLOWS,
    ),
}
PEER_SCOPE = {"bandit": "Python", "zizmor": "GitHub Actions", "checkov": "IaC (Terraform, Kubernetes, Dockerfile, Actions)"}
# Families of the corpus (top-level directories) for spillguard's own breakdown.
FAMILIES: dict[str, tuple[str, ...]] = {
    "Python": ("python/*",),
    "JavaScript/TypeScript": ("js/*",),
    "Go": ("go/*",),
    "Java": ("java/*",),
    "Ruby": ("ruby/*",),
    "shell": ("shell/*", "scripts/*"),
    "GitHub Actions": ("actions/*",),
    "Dockerfile": ("docker/*",),
    "Terraform": ("terraform/*",),
    "Kubernetes": ("k8s/*",),
}
# checkov checks about the labelled weaknesses: literal credentials, public databases, SSH/RDP from anywhere,
# privileged containers and escalation, secrets in manifests, workflow permissions.
CHECKOV_FAMILIES = (
    "CKV_SECRET_*", "CKV_GHA_*", "CKV2_GHA_*", "CKV_AWS_17", "CKV_AWS_87", "CKV_AWS_24", "CKV_AWS_25",
    "CKV_AWS_41", "CKV_AWS_391", "CKV_GCP_2", "CKV_GCP_3", "CKV_AZURE_9", "CKV_AZURE_10", "CKV_K8S_16",
    "CKV_K8S_20", "CKV_K8S_35", "CKV_DOCKER_*",
)


@dataclass(frozen=True, slots=True)
class RangeHit:
    """A result that covers lines start..end of a file (checkov's resource ranges)."""

    path: str
    start: int
    end: int
    rule: str


def in_scope(path: str, globs: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(path, g) for g in globs)


def subset(labels: Labels, globs: Iterable[str]) -> Labels:
    globs = tuple(globs)
    return Labels(
        positives=tuple(lab for lab in labels.positives if in_scope(lab.path, globs)),
        traps=tuple(lab for lab in labels.traps if in_scope(lab.path, globs)),
        files=frozenset(f for f in labels.files if in_scope(f, globs)),
    )


def corpus_relative(path: str, corpus: Path) -> str:
    """A peer's path (relative to some directory, absolute, or a URI) → relative to the corpus."""
    rel = relative(path, corpus)
    marker = corpus.relative_to(ROOT).as_posix() + "/" if corpus.is_relative_to(ROOT) else None
    if marker and marker in rel:
        rel = rel.split(marker, 1)[1]
    return rel


def expand_ranges(hits: Iterable[RangeHit], labels: Labels) -> list[Hit]:
    """A range result → one hit per labelled line inside it; else one hit (on a trap line if it holds one)."""
    out: list[Hit] = []
    for h in hits:
        covered = [lab.line for lab in labels.positives if lab.path == h.path and h.start <= lab.line <= h.end]
        if covered:
            out.extend(Hit(h.path, ln, h.rule) for ln in covered)
            continue
        traps = [lab.line for lab in labels.traps if lab.path == h.path and h.start <= lab.line <= h.end]
        out.append(Hit(h.path, traps[0] if traps else h.start, h.rule))
    return out


def sarif_ranges(report: Path, corpus: Path) -> list[RangeHit]:
    doc = json.loads(report.read_text(encoding="utf-8"))
    hits: list[RangeHit] = []
    for run in doc.get("runs", []):
        for res in run.get("results", []) or []:
            for loc in res.get("locations", []) or []:
                phys = loc.get("physicalLocation") or {}
                uri = str((phys.get("artifactLocation") or {}).get("uri", ""))
                region = phys.get("region") or {}
                start = int(region.get("startLine", 0))
                if uri and start:
                    end = max(start, int(region.get("endLine", start)))
                    hits.append(RangeHit(corpus_relative(uri, corpus), start, end, str(res.get("ruleId", ""))))
    return hits


def run_checkov(corpus: Path, out: Path) -> tuple[list[RangeHit], float, str]:
    peer = PEERS["checkov"]
    run = run_peer(peer, corpus, out)
    if run.error:
        return [], run.seconds, run.error
    return sarif_ranges(out / "results_sarif.sarif", corpus), run.seconds, ""


def run_zizmor(corpus: Path, out: Path) -> tuple[list[Hit], float, str]:
    # zizmor audits a repository: the corpus's workflows live in actions/.github/workflows.
    run = run_peer(PEERS["zizmor"], corpus / "actions", out)
    if run.error:
        return [], run.seconds, run.error
    hits = [Hit(corpus_relative(h.path, corpus), h.start, h.rule) for h in sarif_ranges(out / "report.sarif", corpus)]
    fixed = [h if h.path.startswith("actions/") else Hit("actions/" + h.path, h.line, h.rule) for h in hits]
    return fixed, run.seconds, ""


def run_bandit(corpus: Path, out: Path) -> tuple[list[Hit], float, str]:
    run = run_peer(PEERS["bandit"], corpus, out)
    if run.error:
        return [], run.seconds, run.error
    return [Hit(corpus_relative(h.path, corpus), h.line, h.rule) for h in run.hits], run.seconds, ""


def checkov_version() -> str:
    exe = PEERS["checkov"].home / "bin" / "checkov"
    try:
        proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return PEERS["checkov"].version
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else PEERS["checkov"].version


def scoped(tool: str, scope: str, hits: list[Hit], labels: Labels, **kw: Any) -> tuple[str, Score]:
    globs = SCOPES[scope]
    return scope, score(tool, [h for h in hits if in_scope(h.path, globs)], subset(labels, globs), **kw)


def table(rows: list[tuple[str, Score]]) -> str:
    """evallib's table with a scope column."""
    base = markdown_table([s for _, s in rows]).splitlines()
    out = ["| scope " + base[0], "|---" + base[1]]
    out.extend(f"| {scope} " + line for (scope, _), line in zip(rows, base[2:], strict=True))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--peers", nargs="*", default=list(INSECURE_PEERS), help="peers to run (none: spillguard only)")
    ap.add_argument("--details", action="store_true", help="print every false positive and false negative")
    ap.add_argument("--write-docs", action="store_true",
                    help=f"replace the results between the markers in {DOCS.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    corpus: Path = args.corpus.resolve()
    labels_path = corpus / "labels.json"
    labels = load_labels(labels_path, positive="insecure", negative="traps")
    problems = check_labels(labels, corpus)
    if problems:
        print("labels are broken:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)

    sg_hits, seconds, version, error = run_spillguard(corpus, args.out / "spillguard", kind="insecure")
    rows: list[tuple[str, Score]] = [
        scoped("spillguard", "all files", sg_hits, labels, seconds=seconds, version=version, error=error)
    ]
    families = [
        (fam, score("spillguard", [h for h in sg_hits if in_scope(h.path, globs)], subset(labels, globs),
                    version=version, error=error))
        for fam, globs in FAMILIES.items()
    ]

    runners: dict[str, Callable[[Path, Path], tuple[list[Hit], float, str]]] = {
        "bandit": run_bandit, "zizmor": run_zizmor,
    }
    for name in args.peers:
        peer = PEERS[name]
        scope = PEER_SCOPE[name]
        rows.append(scoped("spillguard", scope, sg_hits, labels, version=version, error=error))
        try:
            ensure(peer)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            rows.append(scoped(name, scope, [], labels, version=peer.version, error=f"install failed: {exc}"))
            continue
        if name == "checkov":
            ranges, secs, err = run_checkov(corpus, args.out / name)
            ver = checkov_version()
            scope_labels = subset(labels, SCOPES[scope])
            ranges = [r for r in ranges if in_scope(r.path, SCOPES[scope])]
            rows.append((scope, score("checkov (all checks)", expand_ranges(ranges, scope_labels), scope_labels,
                                      seconds=secs, version=ver, error=err)))
            fam = [r for r in ranges if in_scope(r.rule, CHECKOV_FAMILIES)]
            rows.append((scope, score("checkov (checks of these families)", expand_ranges(fam, scope_labels),
                                      scope_labels, seconds=secs, version=ver, error=err)))
            continue
        hits, secs, err = runners[name](corpus, args.out / name)
        rows.append(scoped(name, scope, hits, labels, seconds=secs, version=peer.version, error=err))

    header = (
        f"Corpus: {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus} — {len(labels.files)} files, "
        f"{len(labels.positives)} labelled insecure defaults, {len(labels.traps)} labelled traps (safe twins). "
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}."
    )
    main_table = table(rows)
    fam_table = "\n".join(
        ["| family | labels | TP | FP | FN | traps hit | precision | recall |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        + [f"| {fam} | {s.tp + s.fn} | {s.tp} | {s.fp} | {s.fn} | {s.trap_hits} | {s.precision:.3f} | "
           f"{s.recall:.3f} |" for fam, s in families]
    )
    text = f"{header}\n\n{main_table}\n\nspillguard by family:\n\n{fam_table}\n"
    print(text)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    details = {"header": header, "scores": [dict(s.to_dict(), scope=scope) for scope, s in rows],
               "families": {fam: s.to_dict() for fam, s in families}}
    (args.out / "results.json").write_text(json.dumps(details, indent=2) + "\n", encoding="utf-8")
    if args.details:
        for scope, s in rows:
            d = s.to_dict()
            print(f"\n## {s.tool} — {scope}")
            for k in ("falsePositives", "falseNegatives"):
                for item in d[k]:
                    print(f"  {k[:-1]}: {item}")
    if args.write_docs:
        write_docs(text)
        print(f"updated {DOCS}")
    print(f"details: {args.out / 'results.json'}")
    return 0


def write_docs(results: str) -> None:
    """Put the results between the section's markers (the prose around them is written by hand)."""
    block = f"{DOCS_START}\nCommand: `{COMMAND}`\n\n{results}{DOCS_END}"
    doc = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    if DOCS_START in doc and DOCS_END in doc:
        head, rest = doc.split(DOCS_START, 1)
        doc = head + block + rest.split(DOCS_END, 1)[1]
    else:
        doc = doc.rstrip("\n") + ("\n\n" if doc else "") + "## Insecure defaults: precision and recall\n\n" + block + "\n"
    DOCS.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
