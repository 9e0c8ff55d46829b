"""Where each secret sits across a workspace: fingerprint → locations.

Two layers per file: what is on disk (from a scan) and what an open editor
buffer holds. While a file is open its buffer wins; when it closes, the disk
layer shows through again. Positions are stored as given (the language server
stores client units), 0-based, end exclusive. Never holds a secret: only
fingerprints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Occurrence:
    key: str  # the file's identity (a normalised path, or the URI when not a file)
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    fingerprint: str
    rule_id: str
    uri: str = ""  # what a client opens


class OccurrenceIndex:
    def __init__(self) -> None:
        self._disk: dict[str, tuple[Occurrence, ...]] = {}
        self._open: dict[str, tuple[Occurrence, ...]] = {}
        self._keys: dict[str, set[str]] = {}  # fingerprint → keys holding it (visible layer)

    # -- updates: each returns the fingerprints whose locations changed ----

    def set_disk(self, key: str, occurrences: Iterable[Occurrence]) -> set[str]:
        occs = tuple(sorted(occurrences))
        if not occs and key not in self._disk:
            return set()
        before = self._visible(key)
        if occs:
            self._disk[key] = occs
        else:
            self._disk.pop(key, None)
        return self._reindex(key, before)

    def remove_disk(self, key: str) -> set[str]:
        return self.set_disk(key, ())

    def clear_disk(self) -> set[str]:
        """Forget every file scanned from disk (before a fresh scan)."""
        changed: set[str] = set()
        for key in list(self._disk):
            changed |= self.remove_disk(key)
        return changed

    def set_open(self, key: str, occurrences: Iterable[Occurrence]) -> set[str]:
        before = self._visible(key)
        self._open[key] = tuple(sorted(occurrences))
        return self._reindex(key, before)

    def close(self, key: str) -> set[str]:
        if key not in self._open:
            return set()
        before = self._visible(key)
        del self._open[key]
        return self._reindex(key, before)

    def is_open(self, key: str) -> bool:
        return key in self._open

    # -- queries ------------------------------------------------------------

    def locations(self, fp: str) -> list[Occurrence]:
        out: list[Occurrence] = []
        for key in sorted(self._keys.get(fp, ())):
            out.extend(o for o in self._visible(key) if o.fingerprint == fp)
        return out

    def count(self, fp: str) -> int:
        return len(self.locations(fp))

    def files(self) -> int:
        return len(set(self._disk) | set(self._open))

    def fingerprints(self) -> set[str]:
        return set(self._keys)

    # -- internals ----------------------------------------------------------

    def _visible(self, key: str) -> tuple[Occurrence, ...]:
        if key in self._open:
            return self._open[key]
        return self._disk.get(key, ())

    def _reindex(self, key: str, before: tuple[Occurrence, ...]) -> set[str]:
        after = self._visible(key)
        if before == after:
            return set()
        old_fps = {o.fingerprint for o in before}
        new_fps = {o.fingerprint for o in after}
        for fp in old_fps - new_fps:
            keys = self._keys.get(fp)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._keys[fp]
        for fp in new_fps:
            self._keys.setdefault(fp, set()).add(key)
        changed = old_fps ^ new_fps
        # Same fingerprint, moved: its locations changed too.
        changed |= {o.fingerprint for o in set(before) ^ set(after)}
        return changed
