"""AI provenance: which reported lines an AI assistant wrote.

Two published record formats are read, both offline:

- Agent Trace (agent-trace.dev, spec 0.1.0): trace records, JSON objects with
  `version`, `id`, `timestamp`, optional `vcs` {type, revision}, and `files`:
  [{path, conversations: [{contributor: {type}, ranges: [{start_line,
  end_line, contributor?}]}]}]. Contributor types are human|ai|mixed|unknown.
  The spec leaves storage open; the reference implementation appends records
  to `.agent-trace/traces.jsonl`. We read every `*.json` (one record or a list)
  and `*.jsonl` file under `.agent-trace/`.
- git-ai authorship logs (Git AI Standard v3.0.0, `authorship/3.0.0`): a git
  note per commit under `refs/notes/ai`; an attestation section (file path
  lines, then two-space-indented `<16-hex session hash> <ranges>` lines such as
  `1-4,9`), a `---` line, then JSON metadata with `schema_version`.

How line numbers are matched (the formats' line numbers are positions at a
recorded revision, so current lines are mapped back with `git blame`):

- a committed line blamed to commit C at original line N (path P) is AI-authored
  when C's git-ai note lists N for P, or an Agent Trace record whose revision is
  C, or C's first parent (agents record HEAD while editing, before the commit),
  has an AI range holding N for P;
- a line not yet committed is checked against Agent Trace records whose
  revision is the current HEAD, at its current line number;
- records without `vcs` are matched at the current line number.

"ai" and "mixed" contributors count as AI-authored (mixed = AI output a human
edited). Content hashes are not used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding
from .gitscan import ZERO_SHA, BlobReader, GitError, git, index_blobs

AI_KEY = "aiAuthored"
AI_TYPES = frozenset({"ai", "mixed"})
TRACE_DIR = ".agent-trace"
NOTES_REF = "refs/notes/ai"


def is_ai_authored(f: Finding) -> bool:
    return any(k == AI_KEY and v == "true" for k, v in f.extra)


def parse_ranges(spec: str) -> list[tuple[int, int]]:
    """'1-4,9,12-13' → [(1, 4), (9, 9), (12, 13)]; malformed parts are skipped."""
    out: list[tuple[int, int]] = []
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        try:
            lo, hi = int(a), int(b) if b else int(a)
        except ValueError:
            continue
        if 0 < lo <= hi:
            out.append((lo, hi))
    return out


def parse_authorship_log(text: str) -> dict[str, list[tuple[int, int]]] | None:
    """git-ai note → path → AI line ranges; None when it is not an authorship/3.x log."""
    head, sep, meta = text.partition("\n---\n")
    if not sep:
        if text.startswith("---\n"):
            head, meta = "", text[4:]
        else:
            return None
    try:
        data = json.loads(meta)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not str(data.get("schema_version", "")).startswith("authorship/3."):
        return None
    out: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for line in head.splitlines():
        if not line.strip():
            continue
        if line.startswith("  "):
            if current is None:
                continue
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                current.extend(parse_ranges(parts[1]))
        else:
            path = line.strip()
            if len(path) >= 2 and path[0] == '"' and path[-1] == '"':
                path = path[1:-1]
            current = out.setdefault(path, [])
    return out


@dataclass(slots=True)
class TraceRanges:
    """AI ranges from Agent Trace records: revision ('' = none recorded) → path → ranges."""

    by_revision: dict[str, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)

    def add_record(self, rec: Any) -> None:
        if not isinstance(rec, dict) or not isinstance(rec.get("files"), list):
            return
        vcs = rec.get("vcs")
        revision = str(vcs.get("revision", "")) if isinstance(vcs, dict) and vcs.get("type") == "git" else ""
        paths = self.by_revision.setdefault(revision, {})
        for entry in rec["files"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                continue
            for conv in entry.get("conversations") or []:
                if not isinstance(conv, dict):
                    continue
                conv_type = _contributor_type(conv.get("contributor"))
                for rng in conv.get("ranges") or []:
                    if not isinstance(rng, dict):
                        continue
                    kind = _contributor_type(rng.get("contributor")) or conv_type
                    lo, hi = rng.get("start_line"), rng.get("end_line")
                    if kind in AI_TYPES and isinstance(lo, int) and isinstance(hi, int) and 0 < lo <= hi:
                        paths.setdefault(_norm(entry["path"]), []).append((lo, hi))

    def covers(self, revision: str, path: str, line: int) -> bool:
        return any(lo <= line <= hi for lo, hi in self.by_revision.get(revision, {}).get(path, ()))

    def paths(self) -> set[str]:
        return {p for files in self.by_revision.values() for p in files}


def _contributor_type(value: Any) -> str:
    return str(value.get("type", "")).lower() if isinstance(value, dict) else ""


def _norm(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def load_traces(root: Path) -> TraceRanges:
    traces = TraceRanges()
    directory = root / TRACE_DIR
    if not directory.is_dir():
        return traces
    for f in sorted(directory.rglob("*")):
        if f.suffix not in (".json", ".jsonl") or not f.is_file():
            continue
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        docs: list[Any] = []
        if f.suffix == ".jsonl":
            for line in text.splitlines():
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a torn line must not hide the others
        else:
            try:
                doc = json.loads(text)
            except json.JSONDecodeError:
                continue
            docs.extend(doc if isinstance(doc, list) else [doc])
        for rec in docs:
            traces.add_record(rec)
    return traces


@dataclass(frozen=True, slots=True)
class Blamed:
    commit: str  # ZERO_SHA when not committed yet
    line: int  # line number in that commit's version
    path: str  # path in that commit


def blame(root: Path, path: str, lines: Iterable[int], rev: str | None = None,
          contents: bytes | None = None) -> dict[int, Blamed]:
    """Current line → where it came from, for the given lines only."""
    wanted = sorted(set(lines))
    if not wanted:
        return {}
    args = ["blame", "--line-porcelain"]
    for n in wanted:
        args += ["-L", f"{n},{n}"]
    if contents is not None:
        args += ["--contents", "-"]
    if rev:
        args.append(rev)
    args += ["--", path]
    try:
        out = git(args, root, stdin=contents)
    except GitError:
        return {}
    result: dict[int, Blamed] = {}
    commit, orig, final, fname = "", 0, 0, path
    for raw in out.decode("utf-8", "replace").split("\n"):
        if raw.startswith("\t"):
            result[final] = Blamed(commit, orig, fname)
            continue
        parts = raw.split(" ")
        if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit() and parts[2].isdigit():
            commit, orig, final, fname = parts[0], int(parts[1]), int(parts[2]), path
        elif raw.startswith("filename "):
            fname = raw[len("filename "):]
    return result


class Provenance:
    """Marks findings on AI-authored lines with `aiAuthored`."""

    def __init__(self, root: Path, traces: TraceRanges, in_git: bool, has_notes: bool, head: str) -> None:
        self.root = root
        self.traces = traces
        self.in_git = in_git
        self.has_notes = has_notes
        self.head = head
        self._notes: dict[str, dict[str, list[tuple[int, int]]] | None] = {}
        self._parents: dict[str, str] = {}

    @classmethod
    def load(cls, root: Path) -> Provenance:
        traces = load_traces(root)
        in_git, has_notes, head = False, False, ""
        try:
            top = Path(git(["rev-parse", "--show-toplevel"], root).decode().strip())
            in_git = top.resolve() == root.resolve()
        except GitError:
            pass
        if in_git:
            try:
                head = git(["rev-parse", "--verify", "--quiet", "HEAD"], root).decode().strip()
            except GitError:
                head = ""
            try:
                git(["rev-parse", "--verify", "--quiet", NOTES_REF], root)
                has_notes = True
            except GitError:
                has_notes = False
        return cls(root, traces, in_git, has_notes, head)

    @property
    def active(self) -> bool:
        return bool(self.traces.by_revision) or self.has_notes

    def note(self, commit: str) -> dict[str, list[tuple[int, int]]] | None:
        if commit not in self._notes:
            try:
                text = git(["notes", f"--ref={NOTES_REF}", "show", commit], self.root).decode("utf-8", "replace")
                self._notes[commit] = parse_authorship_log(text)
            except GitError:
                self._notes[commit] = None
        return self._notes[commit]

    def parent(self, commit: str) -> str:
        if commit not in self._parents:
            try:
                self._parents[commit] = git(["rev-parse", "--verify", "--quiet", commit + "^1"], self.root).decode().strip()
            except GitError:
                self._parents[commit] = ""
        return self._parents[commit]

    def committed_line_is_ai(self, commit: str, path: str, line: int) -> bool:
        note = self.note(commit) if self.has_notes else None
        if note and any(lo <= line <= hi for lo, hi in note.get(path, ())):
            return True
        if self.traces.covers(commit, path, line):
            return True
        parent = self.parent(commit)
        return bool(parent) and self.traces.covers(parent, path, line)

    def current_line_is_ai(self, path: str, line: int) -> bool:
        return self.traces.covers("", path, line) or bool(self.head) and self.traces.covers(self.head, path, line)

    def mark(self, findings: list[Finding], source: str = "worktree", diff: str | None = None) -> list[Finding]:
        """`source`: worktree | index | diff | history (history findings carry their commit)."""
        if not self.active:
            return findings
        ai: set[int] = set()
        by_path: dict[str, list[int]] = {}
        for i, f in enumerate(findings):
            by_path.setdefault(f.path, []).append(i)
        rev, contents_of = self._blame_source(source, diff)
        for path, idxs in by_path.items():
            commit_of = {i: dict(findings[i].extra).get("commit", "") for i in idxs}
            blamed: dict[int, Blamed] = {}
            need_blame = [i for i in idxs if not commit_of[i]]
            if need_blame and self.in_git:
                lines = [n for i in need_blame for n in range(findings[i].start_line, findings[i].end_line + 1)]
                contents = contents_of(path) if contents_of else None
                blamed = blame(self.root, path, lines, rev=rev, contents=contents)
            for i in idxs:
                f = findings[i]
                for n in range(f.start_line, f.end_line + 1):
                    if commit_of[i]:
                        hit = self.committed_line_is_ai(commit_of[i], path, n)
                    elif n in blamed and blamed[n].commit != ZERO_SHA:
                        b = blamed[n]
                        hit = self.committed_line_is_ai(b.commit, b.path, b.line) or self.traces.covers("", path, n)
                    else:
                        hit = self.current_line_is_ai(path, n)
                    if hit:
                        ai.add(i)
                        break
        return [f.with_(extra=f.extra + ((AI_KEY, "true"),)) if i in ai else f for i, f in enumerate(findings)]

    def _blame_source(self, source: str, diff: str | None) -> tuple[str | None, Any]:
        """(revision to blame, or None for the working tree; a function giving staged contents)."""
        if source == "index":
            blobs: dict[str, str] = {}

            def staged(path: str) -> bytes | None:
                if not blobs:
                    blobs.update(index_blobs(self.root))
                sha = blobs.get(path)
                if sha is None:
                    return None
                with BlobReader(self.root) as reader:
                    return reader.read(sha)

            return None, staged
        if source == "diff" and diff:
            from .gitscan import parse_diff_spec

            _, head = parse_diff_spec(diff)
            return head, None
        return None, None
