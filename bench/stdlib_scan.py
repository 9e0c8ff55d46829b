"""Throughput: a full scan of the Python standard library, spillguard beside its peers, in one run.

    .venv/bin/python bench/stdlib_scan.py [--repeat 3] [--skip-slow] [--no-insecure]

The input is this machine's standard library without site-packages and caches
(copied once to bench/.data/stdlib so every tool sees the same files). Each
tool runs as a whole process (start-up included) and is timed by wall clock;
fast tools run --repeat times, interleaved, and the median counts. Targets
(issue 2): spillguard within 3x of betterleaks, and at least 100x faster than
detect-secrets. The machine is shared and noisy: quote the ratios of one run.

Before timing, spillguard's sources and its virtualenv are compiled to bytecode
(compileall), as `pip install` does for an installed package: this checkout is
an editable install, and with PYTHONDONTWRITEBYTECODE set (as on these
machines) every run would otherwise compile its modules from source again.
The peers' installs already hold their bytecode.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from peers import PEERS, ensure, run_peer  # noqa: E402

DATA = BENCH / ".data" / "stdlib"
OUT = BENCH / "out" / "stdlib"
SKIP = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc")


def dataset() -> Path:
    if not DATA.is_dir():
        src = Path(sysconfig.get_paths()["stdlib"])
        tmp = DATA.with_name("stdlib.tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        shutil.copytree(src, tmp, ignore=SKIP, symlinks=True)
        tmp.rename(DATA)
    return DATA


def compile_bytecode() -> None:
    """What `pip install` does for an installed package: write the .pyc files."""
    venv_lib = ROOT / ".venv" / "lib"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "server" / "spillguard"), str(venv_lib)],
                   check=True, stdout=subprocess.DEVNULL)


def size_of(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return len(files), sum(p.stat().st_size for p in files)


def run_spillguard(target: Path, insecure: bool) -> tuple[float, int]:
    out = OUT / "spillguard.json"
    OUT.mkdir(parents=True, exist_ok=True)
    argv = [str(ROOT / ".venv" / "bin" / "spillguard"), "scan", str(target), "--root", str(target), "--format", "json",
            "-o", str(out)]
    cfg = OUT / "no-insecure.toml"
    cfg.write_text("insecure-defaults = false\n")
    if not insecure:
        argv += ["--config", str(cfg)]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=target)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"spillguard failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return seconds, len(json.loads(out.read_text())["findings"])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-slow", action="store_true", help="skip detect-secrets (~2 minutes)")
    ap.add_argument("--no-insecure", action="store_true", help="secret rules only")
    args = ap.parse_args(argv)

    target = dataset()
    nfiles, nbytes = size_of(target)
    compile_bytecode()
    fast = ["betterleaks", "kingfisher"]
    slow = [] if args.skip_slow else ["detect-secrets"]
    for name in fast + slow:
        ensure(PEERS[name])

    times: dict[str, list[float]] = {n: [] for n in ["spillguard", *fast, *slow]}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):  # interleaved, so a noisy moment hits every tool
        secs, n = run_spillguard(target, insecure=not args.no_insecure)
        times["spillguard"].append(secs)
        counts["spillguard"] = n
        for name in fast:
            run = run_peer(PEERS[name], target, OUT / name)
            if run.error:
                raise RuntimeError(f"{name}: {run.error}")
            times[name].append(run.seconds)
            counts[name] = len(run.hits)
    for name in slow:
        run = run_peer(PEERS[name], target, OUT / name)
        if run.error:
            raise RuntimeError(f"{name}: {run.error}")
        times[name].append(run.seconds)
        counts[name] = len(run.hits)

    med = {n: statistics.median(t) for n, t in times.items() if t}
    sg = med["spillguard"]
    print(f"input: {target} ({nfiles} files, {nbytes / 1e6:.1f} MB); repeat={args.repeat}; "
          f"insecure defaults {'off' if args.no_insecure else 'on'}")
    print("| tool | wall s (median) | runs | findings | spillguard vs tool |")
    print("|---|---:|---:|---:|---:|")
    for name, secs in med.items():
        ratio = "" if name == "spillguard" else f"{sg / secs:.2f}x the time" if secs <= sg else f"{secs / sg:.1f}x faster"
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"| {name} | {secs:.2f} | {runs} | {counts.get(name, 0)} | {ratio} |")
    ok_bl = sg <= 3 * med["betterleaks"]
    print(f"target 1: spillguard <= 3x betterleaks: {sg / med['betterleaks']:.2f}x -> {'met' if ok_bl else 'MISSED'}")
    if "detect-secrets" in med:
        speedup = med["detect-secrets"] / sg
        print(f"target 2: >= 100x faster than detect-secrets: {speedup:.0f}x -> {'met' if speedup >= 100 else 'MISSED'}")
    (OUT / "result.json").write_text(json.dumps({"times": times, "counts": counts, "files": nfiles, "bytes": nbytes},
                                                indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
