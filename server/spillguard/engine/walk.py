"""Find the files to scan: respect .gitignore and excludes, never follow
symlinks (no loops), report what cannot be read instead of failing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

# Never worth scanning: VCS internals and dependency caches.
ALWAYS_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox",
                              ".mypy_cache", ".ruff_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


def _spec(lines: list[str]) -> pathspec.PathSpec | None:
    """The gitignore-style patterns as a matcher; None when there are none (pathspec,
    imported here, is then not needed at all)."""
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in lines):
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read_ignore(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def walk(
    root: Path,
    excludes: tuple[str, ...] = (),
    skipped: list[Skipped] | None = None,
    base: Path | None = None,
) -> Iterator[Path]:
    """Yield regular files under `root` (or `root` itself if it is a file); see walk_paths."""
    for path in walk_paths(root, excludes, skipped, base):
        yield Path(path)


def walk_paths(
    root: Path,
    excludes: tuple[str, ...] = (),
    skipped: list[Skipped] | None = None,
    base: Path | None = None,
) -> Iterator[str]:
    """Yield the paths of regular files under `root` (or `root` itself if it is a file),
    as strings: a big tree's walk is not slowed by a pathlib object per file.

    `base` is the project root: excludes are relative to it, and the
    .gitignore files of the directories between it and `root` apply too, as
    they do for git. A symlink named explicitly is followed (the user asked for
    it); symlinks met while walking are not, so loops cannot happen.
    """
    if root.is_file():
        if not root.is_symlink() or root.resolve().is_file():
            yield str(root)
        return
    base = base if base is not None and _inside(root, base) else root
    # The directory the user named is scanned even if a rule above it ignores it
    # (pyenv's own .gitignore ignores its /versions, say); such rules are dropped,
    # the others still apply below it.
    start = root.relative_to(base).as_posix() + "/"
    exclude_spec = _spec(_not_matching(list(excludes), start))
    # Stack of (dir, [(base_dir, spec)...]) so nested .gitignore files apply below them.
    inherited = [
        (d, spec)
        for d in _between(base, root)
        if (d / ".gitignore").is_file()
        and (spec := _spec(_not_matching(_read_ignore(d / ".gitignore"), root.relative_to(d).as_posix() + "/")))
    ]
    # Paths relative to a directory are cut from the entry's path string (pathlib's
    # relative_to per entry was most of the walk's time): prefix length per directory.
    def cut(d: Path) -> int:
        return len(str(d).rstrip(os.sep)) + 1

    slash = os.sep != "/"
    base_cut = cut(base)
    stack: list[tuple[Path, list[tuple[int, pathspec.PathSpec]]]] = [(root, [(cut(d), sp) for d, sp in inherited])]
    while stack:
        directory, specs = stack.pop()
        ignore_file = directory / ".gitignore"
        if ignore_file.is_file():
            spec = _spec(_read_ignore(ignore_file))
            if spec is not None:
                specs = specs + [(cut(directory), spec)]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            if skipped is not None:
                skipped.append(Skipped(str(directory), f"cannot list directory: {exc.strerror}"))
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if entry.is_symlink():
                continue
            path = entry.path.replace(os.sep, "/") if slash else entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            tail = ""
            if is_dir:
                if entry.name in ALWAYS_SKIP_DIRS:
                    continue
                tail = "/"
            if exclude_spec is not None and exclude_spec.match_file(path[base_cut:] + tail):
                continue
            if any(spec.match_file(path[n:] + tail) for n, spec in specs):
                continue
            if is_dir:
                subdirs.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield entry.path
        for d in reversed(subdirs):
            stack.append((d, specs))


def _not_matching(lines: list[str], start: str) -> list[str]:
    """The ignore lines that do not ignore `start` (a directory, relative, ending in '/')."""
    if start in ("./", "/"):
        return lines
    out = []
    for ln in lines:
        spec = _spec([ln])
        if spec is None or not spec.match_file(start):
            out.append(ln)
    return out


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
    except ValueError:
        return False
    return True


def _between(base: Path, root: Path) -> list[Path]:
    """Directories from `base` down to `root`'s parent (their .gitignore files apply to `root`)."""
    out: list[Path] = []
    d = root.parent
    while _inside(d, base) and d != root:
        out.append(d)
        if d == base:
            break
        d = d.parent
    return list(reversed(out))


def project_root(paths: list[Path]) -> Path:
    """Where config, baseline and relative paths start: the nearest directory above the
    first scanned path that holds .spillguard.toml, a pyproject.toml with
    [tool.spillguard], or .git; else the scanned directory itself."""
    first = paths[0].resolve() if paths else Path.cwd().resolve()
    start = first if first.is_dir() else first.parent
    for d in (start, *start.parents):
        if (d / ".spillguard.toml").is_file() or (d / ".git").exists():
            return d
        pyproject = d / "pyproject.toml"
        try:
            if pyproject.is_file() and "[tool.spillguard]" in pyproject.read_text(encoding="utf-8", errors="replace"):
                return d
        except OSError:
            pass
    return start


# A NUL byte in a file's first this many bytes makes it binary.
BINARY_CHECK_BYTES = 8192


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head[:BINARY_CHECK_BYTES]


def decode(data: bytes) -> str:
    """UTF-8 (with BOM handling); invalid bytes become U+FFFD so ASCII tokens are still found."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")
