"""Secrets: precision and recall of spillguard and its peers on the labelled corpus.

    .venv/bin/python bench/evaluate.py            # spillguard + all peers, same run
    .venv/bin/python bench/evaluate.py --peers    # spillguard only

Every tool scans tests/corpus/secrets/ (labels in its labels.json) in the same
run; the table is printed and written to bench/out/secrets/results.md, with
per-tool false positives and negatives (path:line and the label's
description, never a secret) in results.json. Peers are installed on demand
under bench/.peers/ and always run with their offline flags (see peers.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evallib import Score, check_labels, load_labels, markdown_table, recall_by_family, score  # noqa: E402
from peers import PEERS, ensure, run_peer, run_spillguard  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "secrets"
OUT = ROOT / "bench" / "out" / "secrets"
SECRET_PEERS = ("betterleaks", "kingfisher", "detect-secrets", "secretlint")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--labels", type=Path, help="labels file (default: CORPUS/labels.json)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--peers", nargs="*", default=list(SECRET_PEERS), help="peers to run (none: spillguard only)")
    ap.add_argument("--details", action="store_true", help="print every false positive and false negative")
    args = ap.parse_args(argv)
    corpus: Path = args.corpus.resolve()
    labels_path: Path = args.labels or corpus / "labels.json"
    labels = load_labels(labels_path)
    problems = check_labels(labels, corpus)
    if problems:
        print("labels are broken:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)

    scores: list[Score] = []
    hits, seconds, version, error = run_spillguard(corpus, args.out / "spillguard", kind="secret")
    scores.append(score("spillguard", hits, labels, seconds=seconds, version=version, error=error,
                        ignore=(labels_path.name,)))
    for name in args.peers:
        peer = PEERS[name]
        try:
            ensure(peer)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            scores.append(score(name, [], labels, version=peer.version, error=f"install failed: {exc}"))
            continue
        run = run_peer(peer, corpus, args.out / name)
        scores.append(score(name, run.hits, labels, seconds=run.seconds, version=peer.version, error=run.error,
                            ignore=(labels_path.name,)))

    n_files = len(labels.files)
    header = (
        f"Corpus: {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus} — {n_files} files, "
        f"{len(labels.positives)} labelled secrets, {len(labels.traps)} labelled traps. "
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}."
    )
    table = markdown_table(scores)
    families = recall_by_family(scores, labels)
    print(header)
    print()
    print(table)
    print()
    print(families)
    (args.out / "results.md").write_text(header + "\n\n" + table + "\n\n" + families + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps({"header": header, "scores": [s.to_dict() for s in scores]}, indent=2) + "\n", encoding="utf-8"
    )
    if args.details:
        for s in scores:
            d = s.to_dict()
            print(f"\n## {s.tool}")
            for k in ("falsePositives", "falseNegatives"):
                for item in d[k]:
                    print(f"  {k[:-1]}: {item}")
    print(f"\ndetails: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
