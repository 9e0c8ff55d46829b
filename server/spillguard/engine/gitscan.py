"""Scan what git holds rather than the working tree: the index (staged
content), the lines a change adds, and every blob in history.

Everything goes through the git CLI with argument lists (never a shell), and
blob contents stream through one `git cat-file --batch` process.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .context import Context
from .findings import Finding
from .project import ScanResult
from .walk import Skipped, decode, looks_binary

ZERO_SHA = "0" * 40
_SKIP_MODES = ("160000", "120000")  # submodules (gitlinks) and symlinks


class GitError(Exception):
    """git failed or is missing; the message is one line."""


def git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {err[0] if err else f'exit {proc.returncode}'}")
    return proc.stdout


def repo_root(path: Path) -> Path:
    try:
        out = git(["rev-parse", "--show-toplevel"], path)
    except GitError as exc:
        raise GitError(f"{path}: not inside a git repository") from exc
    return Path(out.decode().strip())


def resolve(root: Path, rev: str) -> str:
    """A full commit SHA for `rev`, or GitError naming it."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    try:
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"], root).decode().strip()
    except GitError as exc:
        raise GitError(f"unknown revision {rev!r}") from exc


def has_head(root: Path) -> bool:
    try:
        git(["rev-parse", "--verify", "--quiet", "HEAD"], root)
        return True
    except GitError:
        return False


class BlobReader:
    """One `git cat-file --batch` process; `read(sha)` returns the blob's bytes."""

    def __init__(self, root: Path) -> None:
        try:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed (or not on PATH)") from exc

    def read(self, sha: str) -> bytes | None:
        stdin: IO[bytes] | None = self._proc.stdin
        stdout: IO[bytes] | None = self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:  # "<sha> missing"
            return None
        size = int(header[2])
        data = stdout.read(size)
        stdout.read(1)  # the newline after the contents
        return data if header[1] == b"blob" else None

    def read_many(self, shas: list[str]) -> Iterator[tuple[str, bytes | None]]:
        """(sha, contents) for each sha, in order. A thread feeds the requests so git never
        waits on a round trip per blob."""
        import threading

        stdin: IO[bytes] | None = self._proc.stdin
        stdout: IO[bytes] | None = self._proc.stdout
        assert stdin is not None and stdout is not None

        def feed() -> None:
            for sha in shas:
                stdin.write(sha.encode() + b"\n")
            stdin.flush()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        for sha in shas:
            header = stdout.readline().split()
            if len(header) != 3:
                yield sha, None
                continue
            data = stdout.read(int(header[2]))
            stdout.read(1)
            yield sha, data if header[1] == b"blob" else None
        writer.join()

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths ("a\\tb", octal bytes)."""
    if not (len(path) >= 2 and path[0] == '"' and path[-1] == '"'):
        return path
    body = path[1:-1]
    out = bytearray()
    i = 0
    simple = {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\", "a": b"\a", "b": b"\b", "f": b"\f", "r": b"\r",
              "v": b"\v"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in simple:
                out += simple[nxt]
                i += 2
                continue
            octal = body[i + 1 : i + 4]
            if len(octal) == 3 and all(ch in "01234567" for ch in octal):
                out.append(int(octal, 8))
                i += 4
                continue
        out += c.encode("utf-8")
        i += 1
    return out.decode("utf-8", "replace")


def added_lines(patch: bytes) -> dict[str, set[int]]:
    """path (new side) → 1-based line numbers added, from a `git diff -U0` patch."""
    result: dict[str, set[int]] = {}
    current: set[int] | None = None
    for raw in patch.split(b"\n"):
        if raw.startswith(b"+++ "):
            name = raw[4:].decode("utf-8", "replace")
            # git ends the name with a tab when it has spaces; names with tabs are quoted.
            target = unquote(name[:-1] if name.endswith("\t") else name)
            if target == "/dev/null":
                current = None
                continue
            path = target[2:] if target.startswith("b/") else target
            current = result.setdefault(path, set())
        elif raw.startswith(b"@@ ") and current is not None:
            # @@ -a[,b] +c[,d] @@
            try:
                plus = raw.split(b" ")[2]
                start_s, _, count_s = plus[1:].partition(b",")
                start, count = int(start_s), int(count_s) if count_s else 1
            except (IndexError, ValueError):
                continue
            current.update(range(start, start + count))
    return result


_DIFF_ARGS = ["-U0", "-M", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/"]


def tree_blobs(root: Path, rev: str) -> dict[str, str]:
    """path → blob sha for every regular file in `rev`'s tree."""
    out: dict[str, str] = {}
    for entry in git(["ls-tree", "-r", "-z", "--full-tree", rev], root).split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode.decode() in _SKIP_MODES:
            continue
        out[path.decode("utf-8", "replace")] = sha.decode()
    return out


def index_blobs(root: Path) -> dict[str, str]:
    """path → blob sha for every file in the index (stage 0)."""
    out: dict[str, str] = {}
    for entry in git(["ls-files", "-s", "-z"], root).split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, sha, _stage = meta.split()
        if mode.decode() in _SKIP_MODES:
            continue
        out[path.decode("utf-8", "replace")] = sha.decode()
    return out




# Blobs read per window, and the amount of text below which a process pool costs more than it saves.
WINDOW_BLOBS = 2000
PARALLEL_MIN_BYTES = 2_000_000
CHUNK_BYTES = 1_000_000
_WORKER_CTX: Context | None = None


def _analyze_chunk(items: list[tuple[tuple[str, str], str]]) -> list[list[Finding]]:
    assert _WORKER_CTX is not None
    return [_WORKER_CTX.analyze(text, key[1]) for key, text in items]


def _text_chunks(texts: list[tuple[tuple[str, str], str]]) -> list[list[tuple[tuple[str, str], str]]]:
    chunks: list[list[tuple[tuple[str, str], str]]] = []
    cur: list[tuple[tuple[str, str], str]] = []
    size = 0
    for item in texts:
        cur.append(item)
        size += len(item[1])
        if size >= CHUNK_BYTES:
            chunks.append(cur)
            cur, size = [], 0
    if cur:
        chunks.append(cur)
    return chunks


class _Scanner:
    """Scan blobs through one Context, each (blob, path) at most once."""

    def __init__(self, ctx: Context, reader: BlobReader, out: ScanResult, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.ctx = ctx
        self.reader = reader
        self.out = out
        self.cache: dict[tuple[str, str], list[Finding]] = {}
        self.exclude = None
        if ctx.config.exclude:
            import pathspec

            self.exclude = pathspec.PathSpec.from_lines("gitwildmatch", list(ctx.config.exclude))

    def excluded(self, path: str) -> bool:
        return self.exclude is not None and self.exclude.match_file(path)

    def text(self, path: str, data: bytes | None) -> str | None:
        if data is None:
            self.out.errors.append(Skipped(path, "blob missing from the repository"))
            return None
        if len(data) > self.ctx.config.max_file_size:
            self.out.skipped.append(Skipped(path, f"larger than max-file-size ({len(data)} bytes)"))
            return None
        if looks_binary(data):
            return None
        return decode(data)

    def prefetch(self, pairs: list[tuple[str, str]]) -> None:
        """Scan many (sha, path) pairs: blobs stream through cat-file a window at a time, and
        large windows are analysed on every core (workers forked once the rules are compiled)."""
        todo: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for sha, path in pairs:
            if (sha, path) not in self.cache and (sha, path) not in seen and not self.excluded(path):
                seen.add((sha, path))
                todo.append((sha, path))
        pool: ProcessPoolExecutor | None = None
        try:
            for start in range(0, len(todo), WINDOW_BLOBS):
                window = todo[start : start + WINDOW_BLOBS]
                # Read the whole window first: no reader thread is alive while workers fork.
                texts: list[tuple[tuple[str, str], str]] = []
                for key, (_, data) in zip(window, self.reader.read_many([sha for sha, _ in window]), strict=True):
                    text = self.text(key[1], data)
                    if text is None:
                        self.cache[key] = []
                        continue
                    self.out.files += 1
                    self.out.bytes += len(text)
                    texts.append((key, text))
                size = sum(len(t) for _, t in texts)
                if self.jobs > 1 and size >= PARALLEL_MIN_BYTES and len(texts) > 1:
                    if pool is None:
                        global _WORKER_CTX
                        _WORKER_CTX = self.ctx
                        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("fork"))
                    chunks = _text_chunks(texts)
                    for chunk, results in zip(chunks, pool.map(_analyze_chunk, chunks), strict=True):
                        for (key, _), found in zip(chunk, results, strict=True):
                            self.cache[key] = found
                else:
                    for key, text in texts:
                        self.cache[key] = self.ctx.analyze(text, key[1])
        finally:
            if pool is not None:
                pool.shutdown()

    def blob(self, sha: str, path: str) -> list[Finding]:
        key = (sha, path)
        if key not in self.cache:
            self.cache[key] = self.scan_bytes(path, self.reader.read(sha))
        return self.cache[key]

    def scan_bytes(self, path: str, data: bytes | None) -> list[Finding]:
        text = self.text(path, data)
        if text is None:
            return []
        self.out.files += 1
        self.out.bytes += len(text)
        return self.ctx.analyze(text, path)


def _on_lines(findings: list[Finding], lines: set[int] | None) -> list[Finding]:
    if lines is None:
        return findings
    return [f for f in findings if any(n in lines for n in range(f.start_line, f.end_line + 1))]


def scan_staged(root: Path, ctx: Context) -> ScanResult:
    """Findings on the lines the index adds relative to HEAD (all lines of new files)."""
    out = ScanResult()
    # Before the first commit, `diff --cached` compares with the empty tree.
    patch = git(["diff", "--cached", *_DIFF_ARGS, *(["HEAD"] if has_head(root) else []), "--"], root)
    added = added_lines(patch)
    blobs = index_blobs(root)
    with BlobReader(root) as reader:
        scanner = _Scanner(ctx, reader, out)
        for path, lines in sorted(added.items()):
            sha = blobs.get(path)
            if sha is None or not lines or scanner.excluded(path):
                continue
            out.findings.extend(_on_lines(scanner.blob(sha, path), lines))
    return out


@dataclass(slots=True)
class DiffScan(ScanResult):
    """A diff scan also keeps every secret finding of both sides, for spread."""

    before: list[Finding] = field(default_factory=list)
    after: list[Finding] = field(default_factory=list)


def parse_diff_spec(spec: str) -> tuple[str, str | None]:
    """'BASE' → (BASE, None: the working tree); 'BASE..HEAD' → (BASE, HEAD).
    'BASE...HEAD' means the same pair, but `scan_diff` then starts from their merge base."""
    if "..." in spec:
        base, _, head = spec.partition("...")
    else:
        base, _, head = spec.partition("..")
    if not base:
        raise GitError(f"--diff needs a base revision, got {spec!r}")
    return base, head or None


def worktree_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files, as git sees them."""
    raw = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root)
    paths = sorted({p.decode("utf-8", "replace") for p in raw.split(b"\0") if p})
    return [p for p in paths if (root / p).is_file() and not (root / p).is_symlink()]


def scan_diff(root: Path, ctx: Context, spec: str, jobs: int | None = None) -> DiffScan:
    """Findings on the lines a change adds, plus every secret on both sides (for spread)."""
    base_rev, head_rev = parse_diff_spec(spec)
    base = resolve(root, base_rev)
    head = resolve(root, head_rev) if head_rev else None
    if "..." in spec:  # as in git: compare with the merge base
        base = git(["merge-base", base, head or "HEAD"], root).decode().strip()
    out = DiffScan()
    added: dict[str, set[int] | None] = {}
    if head:
        added.update(added_lines(git(["diff", *_DIFF_ARGS, base, head, "--"], root)))
    else:
        added.update(added_lines(git(["diff", *_DIFF_ARGS, base, "--"], root)))
        raw = git(["ls-files", "-z", "--others", "--exclude-standard"], root)
        for p in raw.split(b"\0"):
            if p:
                added[p.decode("utf-8", "replace")] = None  # untracked: every line is new
    with BlobReader(root) as reader:
        scanner = _Scanner(ctx, reader, out, jobs)
        base_blobs = tree_blobs(root, base)
        head_blobs = tree_blobs(root, head) if head else {}
        scanner.prefetch([(sha, path) for path, sha in sorted(base_blobs.items())])
        for path, sha in sorted(base_blobs.items()):
            if not scanner.excluded(path):
                out.before.extend(f for f in scanner.blob(sha, path) if f.kind == "secret")
        counted = (out.files, out.bytes)
        after: dict[str, list[Finding]] = {}
        if head:
            scanner.prefetch([(sha, path) for path, sha in sorted(head_blobs.items())])
            for path, sha in sorted(head_blobs.items()):
                if not scanner.excluded(path):
                    after[path] = scanner.blob(sha, path)
        else:
            for path in worktree_files(root):
                if scanner.excluded(path):
                    continue
                try:
                    data = (root / path).read_bytes()
                except OSError as exc:
                    out.errors.append(Skipped(path, f"cannot read: {exc.strerror}"))
                    continue
                after[path] = scanner.scan_bytes(path, data)
        # Files and bytes report the changed side only.
        out.files -= counted[0]
        out.bytes -= counted[1]
        for path, found in after.items():
            out.after.extend(f for f in found if f.kind == "secret")
            if path in added:
                out.findings.extend(_on_lines(found, added[path]))
    out.findings.sort(key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id))
    return out


def history_entries(root: Path, rev_range: str | None) -> Iterator[tuple[str, str, str]]:
    """(commit, path, blob) for every blob a commit adds or changes, oldest commit first."""
    # --topo-order: parents before children even when commit dates are skewed.
    args = ["log", "--raw", "-z", "--no-abbrev", "--root", "-m", "--no-renames", "--reverse", "--topo-order",
            "--format=%x00%H"]
    if rev_range:
        if rev_range.startswith("-"):
            raise GitError(f"not a revision range: {rev_range!r}")
        args += ["--end-of-options", rev_range]
    else:
        args += ["--exclude=refs/notes/*", "--exclude=refs/stash", "--all"]
    try:
        raw = git(args, root)
    except GitError as exc:
        raise GitError(f"cannot read history{f' of {rev_range!r}' if rev_range else ''}: {exc}") from exc
    commit = ""
    meta: list[str] | None = None
    for token in raw.split(b"\0"):
        text = token.decode("utf-8", "replace").strip("\n")
        if meta is not None:
            mode, sha = meta[1], meta[3]
            meta = None
            if sha != ZERO_SHA and mode not in _SKIP_MODES:
                yield commit, text, sha
            continue
        if not text:
            continue
        if text.startswith(":"):
            meta = text[1:].split()
        elif len(text) == 40 and all(c in "0123456789abcdef" for c in text):
            commit = text


def scan_history(root: Path, ctx: Context, rev_range: str | None = None, jobs: int | None = None) -> ScanResult:
    """Every secret ever committed, once per (fingerprint, path), with the first commit that added it."""
    out = ScanResult()
    seen: set[tuple[str, str]] = set()
    with BlobReader(root) as reader:
        scanner = _Scanner(ctx, reader, out, jobs)
        entries = list(history_entries(root, rev_range))
        scanner.prefetch([(sha, path) for _, path, sha in entries])
        for commit, path, sha in entries:
            if scanner.excluded(path):
                continue
            for f in scanner.blob(sha, path):
                key = (f.fingerprint, path)
                if key in seen:
                    continue
                seen.add(key)
                out.findings.append(f.with_(extra=f.extra + (("commit", commit),)))
    return out
