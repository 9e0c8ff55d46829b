"""workspace/executeCommand handlers that are not tied to one feature module.

- `spillguard.addToBaseline` [{uri, fingerprint, rule, line}]: append the
  finding's fingerprint to the baseline (`.spillguard-baseline.json`, or the
  config's `baseline`), reload it and republish: the diagnostic goes away.
- `spillguard.scanWorkspace` []: scan the workspace folders again (propagation index).

(`spillguard.markReviewed` lives in lsp/blocks.py, `spillguard.showOccurrences`
in lsp/occurrences.py.) Bad arguments are answered with an InvalidParams error.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams

from ..engine.suppress import BaselineError, add_to_baseline
from .code_actions import ADD_TO_BASELINE, baseline_path, relpath

log = logging.getLogger("spillguard.lsp")

SCAN_WORKSPACE = "spillguard.scanWorkspace"


def _baseline_args(args: tuple[Any, ...]) -> tuple[str, str, str, int]:
    if len(args) == 1 and isinstance(args[0], dict):
        a = args[0]
        uri, fp, rule, line = a.get("uri"), a.get("fingerprint"), a.get("rule"), a.get("line", 0)
        if (isinstance(uri, str) and isinstance(fp, str) and fp.startswith("sg1:") and isinstance(rule, str)
                and isinstance(line, int)):
            return uri, fp, rule, line
    raise JsonRpcInvalidParams(f"{ADD_TO_BASELINE} expects [{{uri, fingerprint, rule, line}}]")


def register(server: Any) -> None:
    @server.command(ADD_TO_BASELINE)
    def on_add_to_baseline(ls: Any, *args: Any) -> dict[str, Any]:
        uri, fp, rule, line = _baseline_args(args)
        doc = ls.store.get(uri)
        from .server import uri_to_path

        doc_path = doc.path if doc is not None else uri_to_path(uri)
        path = baseline_path(ls, doc_path)
        try:
            added = add_to_baseline(path, fp, rule, relpath(doc_path, Path(ls.root)), line)
        except (BaselineError, OSError) as exc:
            log.error("cannot update the baseline: %s", type(exc).__name__)
            raise JsonRpcInternalError(f"{ADD_TO_BASELINE}: cannot update {path.name}: {type(exc).__name__}") from None
        ls.reload_config()
        ls.refresh_all()
        return {"added": added, "baseline": str(path)}

    @server.command(SCAN_WORKSPACE)
    def on_scan_workspace(ls: Any, *args: Any) -> dict[str, Any]:
        prop = getattr(ls, "propagation", None)
        if prop is None:
            raise JsonRpcInternalError("workspace index not available")
        prop.start_scan(force=True)
        return {"started": True}
