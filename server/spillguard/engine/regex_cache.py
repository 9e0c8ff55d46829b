"""Compiled `regex` patterns kept on disk between runs.

The `regex` module compiles a pattern in Python (its parser and optimiser):
a few milliseconds for one of spillguard's rule patterns, a tenth of a second
for the few dozen rules a scan of real code meets, in every process. Its last
step hands a flat program (a list of ints and a few tables) to the C engine,
`_regex.compile`. This module keeps those arguments on disk, keyed by the
pattern, its flags and the versions of regex and Python, in the `regex` folder
of spillguard's cache directory (see accel.cache_root), and rebuilds the
pattern from them in microseconds.

The cache only ever holds what this regex build produced for the same pattern
and flags, so a pattern from it is the pattern `regex.compile` returns. An
entry that is damaged, that this regex build rejects, or that belongs to
another pattern is ignored and compiled again; a cache that cannot be written
is ignored. Patterns with named lists or locale flags are not kept. Only
bounded sets of patterns belong here (rule patterns, not patterns built per
match); past CACHE_KEEP entries, the oldest are removed.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import sys
import threading
from pathlib import Path
from typing import Any

import regex
import regex._regex as _engine

from . import cachefile
from .accel import cache_root

log = logging.getLogger(__name__)

_FORMAT = b"spillguard-regex-1\n"
CACHE_KEEP = 4096
# the arguments `regex` passes to `_regex.compile`: pattern, flags, code, group_index,
# index_group, named_lists, named_list_indexes, req_offset, req_chars, req_flags, group_count
_ARGS = 11
_capture_lock = threading.Lock()
_memo: dict[tuple[str, int], regex.Pattern[str]] = {}


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:  # noqa: A001 - regex.compile's twin
    """`regex.compile(pattern, flags)`, from the disk cache when it holds the program."""
    memo_key = (pattern, int(flags))
    got = _memo.get(memo_key)
    if got is not None:
        return got
    key = _key(pattern, int(flags))
    args = _load(key, pattern)
    compiled = None
    if args is not None:
        try:
            compiled = _engine.compile(*args)
        except Exception:  # noqa: BLE001 - rejected by this build: compile afresh
            compiled = None
    if compiled is None:
        compiled, args = _compile_capturing(pattern, int(flags))
        if args is not None:
            _store(key, args)
    _memo[memo_key] = compiled
    return compiled


def cache_dir() -> Path:
    return cache_root() / "regex"


def _key(pattern: str, flags: int) -> str:
    h = hashlib.sha256(_FORMAT)
    h.update(f"{regex.__version__}|{_engine.MAGIC}|{sys.version_info[0]}.{sys.version_info[1]}|{flags}\n".encode())
    h.update(pattern.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _compile_capturing(pattern: str, flags: int) -> tuple[regex.Pattern[str], tuple[Any, ...] | None]:
    """Compile with `regex`, catching the arguments it hands to the C engine."""
    seen: list[tuple[Any, ...]] = []
    with _capture_lock:
        real = _engine.compile

        def spy(*args: Any) -> Any:
            seen.append(args)
            return real(*args)

        _engine.compile = spy
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)
        finally:
            _engine.compile = real
    mine = [a for a in seen if len(a) == _ARGS and a[0] == pattern]
    return compiled, _plain(mine[-1]) if len(mine) == 1 else None


def _plain(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The arguments as marshal-able plain values; None for patterns not kept."""
    (pattern, flags, code, group_index, index_group, named_lists, named_list_indexes,
     req_offset, req_chars, req_flags, group_count) = args
    if named_lists or named_list_indexes or int(flags) & regex.LOCALE:
        return None
    try:
        plain: tuple[Any, ...] = (
            pattern, int(flags), [int(c) for c in code], {str(k): int(v) for k, v in group_index.items()},
            {int(k): str(v) for k, v in index_group.items()}, {}, [], int(req_offset),
            None if req_chars is None else tuple(int(c) for c in req_chars), int(req_flags), int(group_count),
        )
        marshal.dumps(plain)
    except (TypeError, ValueError, AttributeError):
        return None
    return plain


def _load(key: str, pattern: str) -> tuple[Any, ...] | None:
    payload = cachefile.read(cache_dir() / f"{key}.rx")
    if payload is None:
        return None
    try:
        args = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(args, tuple) or len(args) != _ARGS or args[0] != pattern:
        return None
    return args


def _store(key: str, args: tuple[Any, ...]) -> None:
    cachefile.write(cache_dir(), f"{key}.rx", marshal.dumps(args), CACHE_KEEP)
