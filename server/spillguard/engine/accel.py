"""Optional Hyperscan acceleration for the keyword and prefilter gates.

Hyperscan (the `fast` extra) finds many literals and regexes in one pass over
a text. Everything here degrades to "not available" (None) and the callers
fall back to Aho-Corasick and the `regex` module, with the same results: an
accelerator must never change what is found, nor break a scan.

Compiling patterns with long bounded repeats takes Hyperscan up to half a
second per language, so compiled databases are cached on disk, keyed by a
hash of everything that went into them (patterns, flags, ids, Hyperscan's
version, the machine), in the `hyperscan` folder of spillguard's cache
directory (see cache_root); a cache that cannot be read or written is ignored. SPILLGUARD_NO_HYPERSCAN=1
turns the accelerator off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import cachefile

log = logging.getLogger(__name__)

# on_match(id, start, end, flags, context); a true return value stops the scan
MatchHandler = Callable[[int, int, int, int, object], Any]

_FORMAT = b"spillguard-hsdb-1\n"
# Only databases that took at least this long to compile are cached, and the cache
# keeps the most recently used few (edited custom rules leave old entries behind).
CACHE_MIN_COMPILE_S = 0.02
CACHE_KEEP = 32


def _module() -> Any:
    if os.environ.get("SPILLGUARD_NO_HYPERSCAN"):
        return None
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


# Hyperscan's pattern flags (hs_compile.h); tests check them against the module's.
CASELESS = 1
SINGLEMATCH = 8


def available() -> bool:
    return _module() is not None


class Database:
    """A compiled block-mode database with one scratch space per thread (a scratch
    serves one scan at a time; the language server scans in several threads)."""

    def __init__(self, db: Any, hs: Any) -> None:
        self._db = db
        self._hs = hs  # the module that built it (the switch-off variable is read when building only)
        self._local = threading.local()

    def scan(self, data: bytes, on_match: MatchHandler) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self._db)
        self._db.scan(data, match_event_handler=on_match, scratch=scratch)


def compile_database(expressions: Sequence[bytes], ids: Sequence[int], flag_list: Sequence[int]) -> Database | None:
    """Compile (or load from the cache) a database; None if Hyperscan is unavailable
    or rejects a pattern."""
    hs = _module()
    if hs is None or not expressions:
        return None
    key = _key(hs, expressions, ids, flag_list)
    cached = _load(hs, key)
    if cached is not None:
        return Database(cached, hs)
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    started = time.perf_counter()
    try:
        db.compile(expressions=list(expressions), ids=list(ids), elements=len(expressions), flags=list(flag_list))
        hs.Scratch(db)
    except Exception as exc:  # noqa: BLE001 - any failure means "no accelerator"
        log.debug("hyperscan rejected the patterns: %s", exc)
        return None
    if time.perf_counter() - started >= CACHE_MIN_COMPILE_S:
        _store(hs, key, db)
    return Database(db, hs)


def accepts(expression: bytes, flag: int) -> bool:
    """Does Hyperscan compile this one pattern (with these flags)?"""
    hs = _module()
    if hs is None:
        return False
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[expression], ids=[0], elements=1, flags=[flag])
    except Exception:  # noqa: BLE001
        return False
    return True


def cache_root() -> Path:
    """spillguard's cache directory: $SPILLGUARD_CACHE_DIR, else $XDG_CACHE_HOME/spillguard,
    else ~/.cache/spillguard."""
    explicit = os.environ.get("SPILLGUARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spillguard"


def cache_dir() -> Path:
    return cache_root() / "hyperscan"


def _key(hs: Any, expressions: Sequence[bytes], ids: Sequence[int], flag_list: Sequence[int]) -> str:
    h = hashlib.sha256()
    h.update(_FORMAT)
    h.update(f"{getattr(hs, '__version__', '?')}|{platform.machine()}|{platform.system()}\n".encode())
    for expr, i, f in zip(expressions, ids, flag_list, strict=True):
        h.update(f"{i}:{f}:{len(expr)}:".encode())
        h.update(expr)
    return h.hexdigest()


def _load(hs: Any, key: str) -> Any:
    payload = cachefile.read(cache_dir() / f"{key}.hsdb", touch=True)  # recently used: kept
    if payload is None:
        return None
    try:
        db = hs.loadb(payload, hs.HS_MODE_BLOCK)
        hs.Scratch(db)
    except Exception:  # noqa: BLE001 - another Hyperscan build or platform: recompile
        return None
    return db


def _store(hs: Any, key: str, db: Any) -> None:
    try:
        payload = bytes(hs.dumpb(db))
    except Exception as exc:  # noqa: BLE001 - a cache is optional
        log.debug("cannot serialize a hyperscan database: %s", exc)
        return
    cachefile.write(cache_dir(), f"{key}.hsdb", payload, CACHE_KEEP)
