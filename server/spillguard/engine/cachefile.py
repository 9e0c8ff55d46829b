"""Files of spillguard's cache directory (see accel.cache_root): each holds a payload
after its SHA-256, is written atomically (a temporary file renamed into place), and
is read back only when intact. A cache is optional: nothing here raises."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def read(path: Path, touch: bool = False) -> bytes | None:
    """The payload of an intact entry, else None. `touch`: mark it recently used."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest, payload = raw[:32], raw[32:]
    if hashlib.sha256(payload).digest() != digest:
        log.debug("ignoring a damaged cache entry: %s", path)
        return None
    if touch:
        with contextlib.suppress(OSError):
            os.utime(path)
    return payload


def write(folder: Path, name: str, payload: bytes, keep: int) -> None:
    """Store `payload` as folder/name; then keep only the `keep` most recently used
    entries with the same suffix."""
    suffix = os.path.splitext(name)[1]
    tmp = ""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, folder / name)
        tmp = ""
        _prune(folder, suffix, keep)
    except Exception as exc:  # noqa: BLE001 - a cache is optional
        log.debug("cannot write the cache in %s: %s", folder, exc)
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path, suffix: str, keep: int) -> None:
    names = [n for n in os.listdir(folder) if n.endswith(suffix) and not n.startswith(".tmp-")]
    if len(names) <= keep:
        return
    entries = []
    for name in names:
        with contextlib.suppress(OSError):
            entries.append((os.stat(folder / name).st_mtime, name))
    entries.sort(reverse=True)
    for _, name in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
