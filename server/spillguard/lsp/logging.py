"""Server logs: to the client's window/logMessage at the configured level, and
warnings to stderr. Every message passes a scrubber first: whatever the
secret rules recognise in it is replaced by its redacted form, and pygls's own
records lose their arguments (they can hold whole request parameters, i.e.
document text).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

from lsprotocol import types

from ..engine.findings import redact
from ..engine.scanner import Ruleset, scan_text

LOGGER_NAME = "spillguard"
MAX_MESSAGE = 4000
_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
_LSP_TYPES = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
    logging.DEBUG: types.MessageType.Log,
}

log = logging.getLogger(LOGGER_NAME)


class Scrubber:
    """Replaces every secret the rules find in a message by its redacted form."""

    def __init__(self, ruleset: Ruleset | None = None) -> None:
        self.ruleset = ruleset

    def __call__(self, text: str) -> str:
        if len(text) > MAX_MESSAGE:
            text = text[:MAX_MESSAGE] + "…[truncated]"
        if self.ruleset is None:
            return text
        try:
            found = scan_text(text, "log", self.ruleset)
        except Exception:  # a scrubber failure must not leak the message
            return "[log message withheld: could not be checked for secrets]"
        for f in sorted(found, key=lambda f: f.start_offset, reverse=True):
            value = text[f.start_offset : f.end_offset]
            text = text[: f.start_offset] + redact(value) + text[f.end_offset :]
        return text


class _ScrubFilter(logging.Filter):
    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__()
        self.scrubber = scrubber

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "_spillguard_scrubbed", False):
            if record.name.startswith("pygls") and record.args:
                args = record.args if isinstance(record.args, tuple) else (record.args,)
                record.args = tuple(a if isinstance(a, str | int | float) else f"<{type(a).__name__}>" for a in args)
                if record.levelno >= logging.WARNING:  # drop the params objects from pygls's failure logs
                    record.args = tuple("<omitted>" if not isinstance(a, int | float) else a for a in record.args)
            try:
                message = record.getMessage()
            except Exception:
                message = str(record.msg)
            if record.exc_info:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
                record.exc_info = None
                record.exc_text = None
            record.msg = self.scrubber(message)
            record.args = None
            record._spillguard_scrubbed = True  # type: ignore[attr-defined]
        return True


class LspHandler(logging.Handler):
    """Sends records to window/logMessage (never re-entrantly)."""

    def __init__(self, send: Callable[[types.LogMessageParams], None]) -> None:
        super().__init__()
        self.send = send
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return
        self._local.busy = True
        try:
            level = max(lvl for lvl in _LSP_TYPES if lvl <= max(record.levelno, logging.DEBUG))
            self.send(types.LogMessageParams(type=_LSP_TYPES[level], message=record.getMessage()))
        except Exception:
            pass
        finally:
            self._local.busy = False


class ServerLogging:
    """The root logger's set-up for one server process."""

    def __init__(self, send: Callable[[types.LogMessageParams], None], level: str = "info") -> None:
        self.scrubber = Scrubber()
        self.filter = _ScrubFilter(self.scrubber)
        self.lsp = LspHandler(send)
        self.lsp.addFilter(self.filter)
        self.stderr = logging.StreamHandler(sys.stderr)
        self.stderr.setLevel(logging.WARNING)
        self.stderr.addFilter(self.filter)
        self.stderr.setFormatter(logging.Formatter("spillguard: %(levelname)s: %(message)s"))
        root = logging.getLogger()
        for h in list(root.handlers):
            root.removeHandler(h)
        root.addHandler(self.lsp)
        root.addHandler(self.stderr)
        root.setLevel(logging.DEBUG)
        # pygls logs every message at debug level: keep it to its warnings.
        logging.getLogger("pygls").setLevel(logging.WARNING)
        self.set_level(level)

    def set_level(self, level: str) -> None:
        self.lsp.setLevel(_LEVELS.get(level, logging.INFO))

    def set_ruleset(self, ruleset: Ruleset) -> None:
        self.scrubber.ruleset = ruleset
