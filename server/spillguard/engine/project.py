"""Scan files and directories: walk, read, decode, analyze, in parallel.

The CLI and the language server's workspace scan both call `scan_paths`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .context import Context
from .findings import Finding
from .suppress import BASELINE_NAME, load_baseline
from .walk import BINARY_CHECK_BYTES, Skipped, decode, looks_binary, walk_paths

# Below this much work a process pool costs more than it saves.
PARALLEL_MIN_BYTES = 2_000_000
# A chunk (one task for a worker) ends at this many bytes or files, whichever comes first:
# the last chunks, of many small files, stay short, so the workers end together.
CHUNK_BYTES = 1_000_000
CHUNK_FILES = 128


@dataclass(slots=True)
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[Skipped] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    baselined: int = 0


def display_path(path: Path, root: Path, resolved_root: Path | None = None) -> str:
    """`path` relative to the scan root (posix); `resolved_root` saves resolving the root per file."""
    try:
        return path.resolve().relative_to(resolved_root or root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class _Displayer:
    """display_path for the files of one walk, without resolving each file: the walk
    follows no symlink below its root, so a file's real path is the root's real path
    plus the file's path below the root."""

    def __init__(self, walk_root: Path, root: Path, real_root: Path) -> None:
        self.root, self.real_root = root, real_root
        self.prefix = str(walk_root).rstrip(os.sep) + os.sep
        self.real_prefix = str(walk_root.resolve()).rstrip(os.sep) + os.sep
        self.root_prefix = str(real_root).rstrip(os.sep) + os.sep

    def __call__(self, path: str | os.PathLike[str]) -> str:
        text = os.fspath(path)
        if not text.startswith(self.prefix):  # the walk root itself (a file, maybe a symlink)
            return display_path(Path(text), self.root, self.real_root)
        real = self.real_prefix + text[len(self.prefix):]
        if not real.startswith(self.root_prefix):
            return Path(text).as_posix()
        return real[len(self.root_prefix):].replace(os.sep, "/")


def read_text(path: Path, max_size: int) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason-skipped). Raises OSError when unreadable."""
    size = path.stat().st_size
    if size > max_size:
        return None, f"larger than max-file-size ({size} > {max_size} bytes)"
    with path.open("rb") as fh:
        data = fh.read(BINARY_CHECK_BYTES)  # a binary file is not read further
        if looks_binary(data):
            return None, "binary"
        if len(data) == BINARY_CHECK_BYTES:
            data += fh.read()
    return decode(data), None


# Workers are forked after the parent compiled the rules, so they inherit the
# Context instead of compiling hundreds of patterns again.
_WORKER: Context | None = None


def _scan_chunk(items: list[tuple[str, str]]) -> tuple[list[Finding], list[Skipped], list[Skipped], int, int]:
    assert _WORKER is not None
    return _scan_files(_WORKER, items)


def _scan_files(
    ctx: Context, items: Iterable[tuple[str, str]]
) -> tuple[list[Finding], list[Skipped], list[Skipped], int, int]:
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    errors: list[Skipped] = []
    files = nbytes = 0
    for real, shown in items:
        try:
            text, why = read_text(Path(real), ctx.config.max_file_size)
        except OSError as exc:
            errors.append(Skipped(shown, f"cannot read: {exc.strerror or exc}"))
            continue
        if text is None:
            skipped.append(Skipped(shown, why or "skipped"))
            continue
        files += 1
        nbytes += len(text)
        warnings: list[str] = []
        findings.extend(ctx.analyze(text, shown, warnings=warnings))
        errors.extend(Skipped(shown, w) for w in warnings)
    return findings, skipped, errors, files, nbytes


def _chunks(items: list[tuple[str, str, int]]) -> list[list[tuple[str, str]]]:
    chunks: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    size = 0
    for real, shown, n in items:
        cur.append((real, shown))
        size += n
        if size >= CHUNK_BYTES or len(cur) >= CHUNK_FILES:
            chunks.append(cur)
            cur, size = [], 0
    if cur:
        chunks.append(cur)
    return chunks


def scan_paths(
    paths: list[Path],
    ctx: Context,
    *,
    config_path: Path | None = None,
    jobs: int | None = None,
    use_baseline: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    root = ctx.config.root
    result = ScanResult()
    items: list[tuple[str, str, int]] = []
    real_root = root.resolve()
    for p in paths:
        if not p.exists() and not p.is_symlink():
            result.errors.append(Skipped(str(p), "no such file or directory"))
            continue
        walk_root = p.absolute()
        shown = _Displayer(walk_root, root, real_root)
        for f in walk_paths(walk_root, ctx.config.exclude, result.skipped, base=root.absolute()):
            try:
                size = os.stat(f).st_size
            except OSError as exc:
                result.errors.append(Skipped(shown(f), f"cannot read: {exc.strerror}"))
                continue
            items.append((f, shown(f), size))
    total = sum(n for _, _, n in items)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and total >= PARALLEL_MIN_BYTES and len(items) > 1:
        chunks = _chunks(sorted(items, key=lambda t: -t[2]))
        global _WORKER
        _WORKER = ctx
        if ctx.config.insecure_defaults:
            ctx.insecure_rules()  # load once here; forked workers inherit it
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = 0
            for out in pool.map(_scan_chunk, chunks):
                _merge(result, out)
                done += 1
                if progress:
                    progress(done, len(chunks))
    else:
        _merge(result, _scan_files(ctx, ((r, s) for r, s, _ in items)))
    result.findings.sort(key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id))
    if use_baseline:
        apply_baseline(result, ctx)
    return result


def apply_baseline(result: ScanResult, ctx: Context) -> None:
    """Drop the findings whose fingerprints the project's baseline lists, counting them."""
    known = load_baseline(ctx.config.baseline or ctx.config.root / BASELINE_NAME)
    if known:
        before = len(result.findings)
        result.findings = [f for f in result.findings if f.fingerprint not in known]
        result.baselined += before - len(result.findings)


def _merge(result: ScanResult, out: tuple[list[Finding], list[Skipped], list[Skipped], int, int]) -> None:
    findings, skipped, errors, files, nbytes = out
    result.findings.extend(findings)
    result.skipped.extend(skipped)
    result.errors.extend(errors)
    result.files += files
    result.bytes += nbytes
